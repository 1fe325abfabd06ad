// Contract matrix (issue 15, target 5): a generated 1,000-operation REST document on the local stack
// (`gatehouse local` in its own process). Three runs against the same stack: the harness's whole matrix
// (runContract), the harness restricted to the no-token / valid-token pair, and Dredd checking that same pair
// (documented 401 without a token, documented 2xx with the token the hooks get from the same outputs).
// Median of RUNS each. Targets: the full matrix <= 5 s, the pair-only run >= 10x faster than Dredd.
// With BENCH_CONTRACT_PROFILE=1 the first full-matrix run is CPU-profiled, in this process (the harness) and
// in the stack's (node --cpu-prof), and the functions that took the most time are printed for each.
// Run: npx tsx bench/contract-matrix.ts   (BENCH_CONTRACT_OPERATIONS=1000, BENCH_CONTRACT_RUNS=3)
import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import * as os from 'node:os';
import * as path from 'node:path';
import { runContract } from '../contract-tests/run';
import { loadApiModel } from '../openapi/model/load';
import { prepareDreddInputs, runDredd, type DreddRun } from './dredd/run-dredd';
import { REPO_ROOT } from './lib/child';
import { summarizeProfile, type FunctionTime } from './lib/cpu-profile';
import { startStackChild } from './lib/local-stack-child';
import { runPairOnly, PAIR_CASES } from './lib/pair-run';
import { report, runMain, type Figure } from './lib/report';
import { writeGeneratedSpec } from './lib/spec-generator';
import { percentile, round } from './lib/stats';

const OPERATIONS = Number(process.env.BENCH_CONTRACT_OPERATIONS || 1000);
/** The harness's checks in flight; the CLI's default is 4. Dredd has no such setting: it runs one at a time. */
const CONCURRENCY = Number(process.env.BENCH_CONTRACT_CONCURRENCY || 8);
const RUNS = Number(process.env.BENCH_CONTRACT_RUNS || 3);
const FULL_MATRIX_TARGET_MS = 5000;
const SPEEDUP_TARGET = 10;
const PROFILE = process.env.BENCH_CONTRACT_PROFILE === '1';
/** Functions printed per profile, by self time. */
const PROFILE_TOP = 15;

const median = (samples: number[]): number => round(percentile(samples, 50), 0);

/** Runs `work` under this process's CPU profiler and writes the profile to `file`. */
async function profiled<T>(file: string, work: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

/** The top functions of a profile by self time, and its sampled and idle totals. */
function topOf(file: string, window?: { fromMs: number; toMs: number }) {
  const summary = summarizeProfile(file, REPO_ROOT, window);
  const bySelf = [...summary.functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, PROFILE_TOP);
  const rounded = (f: FunctionTime) => ({ name: f.name, selfMs: round(f.selfMs, 0), totalMs: round(f.totalMs, 0) });
  return { sampledMs: round(summary.sampledMs, 0), idleMs: round(summary.idleMs, 0), bySelf: bySelf.map(rounded) };
}

function printTop(title: string, top: ReturnType<typeof topOf>): void {
  process.stdout.write(
    `\n${title}: ${top.sampledMs} ms sampled, ${top.idleMs} ms idle; by self time:\n` +
      top.bySelf
        .map((f) => `  ${String(f.selfMs).padStart(6)} ms self ${String(f.totalMs).padStart(6)} ms total  ${f.name}`)
        .join('\n') +
      '\n',
  );
}

export async function main(): Promise<void> {
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-contract-'));
  const spec = writeGeneratedSpec(workDir, OPERATIONS);
  const outputsFile = path.join(workDir, 'outputs.json');
  const profileDir = path.join(workDir, 'profiles');
  const stack = await startStackChild(spec, outputsFile, {
    nodeArgs: PROFILE ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
  });
  let profiles: Record<string, unknown> | undefined;
  let stopped = false;
  try {
    const model = await loadApiModel(spec);

    const full: {
      durationMs: number;
      /** This process's CPU (user + sys) over the run: the harness's, steadier than the wall on a loaded machine. */
      harnessCpuMs: number;
      checks: number;
      failed: number;
      firstFailures: string[];
    }[] = [];
    /** When the profiled run ran, from the stack's spawn, to cut the stack's profile to it. */
    let profiledWindow: { fromMs: number; toMs: number } | undefined;
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const check = () => runContract({ spec, outputsFile, concurrency: CONCURRENCY });
      const contract =
        PROFILE && run === 0 ? await profiled(path.join(workDir, 'harness.cpuprofile'), check) : await check();
      if (PROFILE && run === 0)
        profiledWindow = { fromMs: started - stack.spawnedAt, toMs: performance.now() - stack.spawnedAt };
      const cpu = process.cpuUsage(cpuBefore);
      full.push({
        durationMs: performance.now() - started,
        harnessCpuMs: (cpu.user + cpu.system) / 1000,
        checks: contract.results.length,
        failed: contract.failed,
        firstFailures: contract.results
          .filter((r) => !r.passed)
          .slice(0, 5)
          .map((r) => `${r.name}: ${r.problems.join('; ')}`),
      });
      process.stdout.write(
        `full matrix run ${run + 1}: ${contract.results.length} checks, ${contract.failed} failed, ${Math.round(full[run].durationMs)} ms (harness CPU ${Math.round(full[run].harnessCpuMs)} ms)\n`,
      );
    }

    const pair = [];
    const pairSequential = [];
    for (let run = 0; run < RUNS; run++) {
      pair.push(await runPairOnly(spec, outputsFile, CONCURRENCY));
      pairSequential.push(await runPairOnly(spec, outputsFile, 1));
      process.stdout.write(
        `pair-only run ${run + 1}: ${pair[run].checks} checks, ${pair[run].failures.length} failed, ${Math.round(pair[run].durationMs)} ms (one at a time: ${Math.round(pairSequential[run].durationMs)} ms)\n`,
      );
    }

    const { documentFile, planFile } = prepareDreddInputs(model, stack.outputs, outputsFile, workDir);
    const dredd: DreddRun[] = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await runDredd(documentFile, stack.outputs.api_url, planFile);
      dredd.push(result);
      if (!result.available) break;
      process.stdout.write(
        `dredd run ${run + 1}: ${result.total} transactions, ${result.failing + result.errors} failed, ${Math.round(result.wallMs)} ms (tests took ${result.testsTookMs} ms)\n`,
      );
    }

    if (PROFILE) {
      // The stack writes its profile when it stops; its clock starts near its spawn (node start-up aside).
      await stack.stop();
      stopped = true;
      const harness = topOf(path.join(workDir, 'harness.cpuprofile'));
      printTop('harness (this process), first full-matrix run', harness);
      const [stackFile] = fs.existsSync(profileDir) ? fs.readdirSync(profileDir) : [];
      const stackTop = stackFile ? topOf(path.join(profileDir, stackFile), profiledWindow) : undefined;
      if (stackTop) printTop('local stack (its process), during the first full-matrix run', stackTop);
      profiles = { harness, stack: stackTop };
    }

    const fullMs = median(full.map((r) => r.durationMs));
    const pairMs = median(pair.map((r) => r.durationMs));
    const pairSequentialMs = median(pairSequential.map((r) => r.durationMs));
    const ran = dredd.filter((d): d is Extract<DreddRun, { available: true }> => d.available);
    const unavailable = dredd.find((d): d is Extract<DreddRun, { available: false }> => !d.available);
    const dreddWallMs = ran.length > 0 ? median(ran.map((d) => d.wallMs)) : null;
    const dreddTestsMs = ran.length > 0 ? median(ran.map((d) => d.testsTookMs)) : null;
    const why = unavailable ? `Dredd could not run: ${unavailable.reason}` : undefined;

    const figures: Figure[] = [
      {
        id: OPERATIONS === 1000 ? '15.5.full-matrix' : undefined,
        name: `full matrix, ${OPERATIONS} operations (${full[0].checks} checks, concurrency ${CONCURRENCY})`,
        value: fullMs,
        unit: 'ms',
        target: { op: '<=', value: FULL_MATRIX_TARGET_MS },
      },
      {
        name: "full matrix, the harness's CPU (user + sys, this process)",
        value: median(full.map((r) => r.harnessCpuMs)),
        unit: 'ms',
        note: PROFILE ? 'the first run was profiled, which costs CPU of its own' : undefined,
      },
      {
        name: 'full matrix failed checks (worst run)',
        value: Math.max(...full.map((r) => r.failed)),
        unit: '',
        target: { op: '<=', value: 0 },
      },
      { name: `pair-only, ours (${pair[0].checks} checks, concurrency ${CONCURRENCY})`, value: pairMs, unit: 'ms' },
      { name: 'pair-only, ours, one check at a time', value: pairSequentialMs, unit: 'ms' },
      {
        name: 'pair-only failed checks, ours (worst run)',
        value: Math.max(...pair.map((r) => r.failures.length)),
        unit: '',
        target: { op: '<=', value: 0 },
      },
      {
        name: `pair-only, Dredd CLI (spawn to exit${ran[0] ? `, ${ran[0].total} transactions` : ''})`,
        value: dreddWallMs,
        unit: 'ms',
        note: why,
      },
      {
        name: 'pair-only, Dredd "Tests took" (hooks + requests, no start-up or parse)',
        value: dreddTestsMs,
        unit: 'ms',
        note: why,
      },
      {
        name: 'pair-only failed transactions, Dredd (worst run)',
        value: ran.length > 0 ? Math.max(...ran.map((d) => d.failing + d.errors)) : null,
        unit: '',
        target: { op: '<=', value: 0 },
        note: why,
      },
      {
        id: OPERATIONS === 1000 ? '15.5.pair-vs-dredd' : undefined,
        name: 'speedup: Dredd "Tests took" / our pair-only run',
        value: dreddTestsMs === null ? null : round(dreddTestsMs / pairMs, 1),
        unit: 'x',
        target: { op: '>=', value: SPEEDUP_TARGET },
        note:
          why ??
          "ours counts loading the model and setting up the harness, Dredd's figure excludes its start-up and parse: the stricter comparison",
      },
      {
        name: 'speedup: Dredd CLI wall / our pair-only run',
        value: dreddWallMs === null ? null : round(dreddWallMs / pairMs, 1),
        unit: 'x',
        note: why,
      },
      {
        name: 'speedup, one check at a time: Dredd "Tests took" / ours',
        value: dreddTestsMs === null ? null : round(dreddTestsMs / pairSequentialMs, 1),
        unit: 'x',
        note: why ?? 'like for like: Dredd sends one request at a time',
      },
    ];
    report(
      `contract-matrix`,
      `Contract matrix: ${OPERATIONS}-operation REST document on the local stack (median of ${RUNS} runs)`,
      startedAt,
      figures,
      {
        operations: OPERATIONS,
        concurrency: CONCURRENCY,
        pairCases: PAIR_CASES,
        fullMatrix: full.map((r) => ({
          ...r,
          durationMs: round(r.durationMs, 0),
          harnessCpuMs: round(r.harnessCpuMs, 0),
        })),
        pairOnly: pair.map((r) => ({ ...r, durationMs: round(r.durationMs, 0), failures: r.failures.slice(0, 5) })),
        pairOnlySequential: pairSequential.map((r) => ({
          ...r,
          durationMs: round(r.durationMs, 0),
          failures: r.failures.slice(0, 5),
        })),
        dredd: dredd.map((d) => (d.available ? { ...d, wallMs: round(d.wallMs, 0) } : d)),
        profiles,
      },
    );
  } finally {
    if (!stopped) await stack.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

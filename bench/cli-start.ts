// CLI start (issue 15, target 3): what a user of the installed package waits for, from the built JavaScript
// (dist/cli/gatehouse.js, the package's bin) beside the development CLI (bin/gatehouse.js, tsx at run time):
// `--version`, `lint openapi/pets.yaml`, `synth` of generated 1,000- and 10,000-operation documents, and
// `local` to its ready line, each against issue 15's bound for the built CLI. Every run is its own process;
// built and tsx runs alternate, so a change in the shared machine's load falls on both. Wall time is the
// target; CPU time (user + system, GNU time) is printed beside it, since on a loaded machine wall time is
// mostly the wait for a core. The warm-up runs fill the built CLI's compile cache and the schema validator
// cache as a user's first run does. Builds dist/ first when it is missing or older than the sources.
// Run: npx tsx bench/cli-start.ts   (BENCH_CLI_RUNS=5, BENCH_CLI_WARMUPS=1, BENCH_CLI_LARGE=1,
// BENCH_CLI_LARGE_BUDGET_MS=60000: 10,000 operations stop repeating once one run takes longer)
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSettled, buildState, newestChange } from './lib/build-freshness';
import { measureCommand, REPO_ROOT, waitFor, type CommandMeasurement } from './lib/child';
import { DEV_CLI, startStackChild } from './lib/local-stack-child';
import { report, runMain, verdictOf, type Figure } from './lib/report';
import { writeGeneratedSpec } from './lib/spec-generator';
import { percentile, round } from './lib/stats';
import { countResources } from './synth-scale';

const SPEC = 'openapi/pets.yaml';
/** Timed runs per command and variant; the median is reported (the machine is shared). */
const RUNS = Number(process.env.BENCH_CLI_RUNS || 5);
/** Untimed runs first, so the file cache and tsx's transform cache are warm for both, as a developer's are. */
const WARMUPS = Number(process.env.BENCH_CLI_WARMUPS ?? 1);
const LARGE = process.env.BENCH_CLI_LARGE !== '0';
const LARGE_BUDGET_MS = Number(process.env.BENCH_CLI_LARGE_BUDGET_MS || 60000);

/** dist/ counts as a finished build once nothing in it changed for this long (tsc writes it over seconds). */
const DIST_QUIET_MS = 3000;

// Issue 15's targets for the built CLI (target 3).
const TARGET_MS = { version: 150, lint: 400, synth1000: 1000, synth10000: 3000, local: 400 };

type Variant = 'built' | 'tsx';
const VARIANTS: Variant[] = ['built', 'tsx'];

interface Sample {
  wallMs: number;
  cpuMs: number | null;
  peakRssMiB: number | null;
  /** What the run produced that is worth keeping (resources, the stack's own start time, ...). */
  facts?: Record<string, unknown>;
}

interface Measure {
  key: string;
  name: string;
  targetMs: number;
  run(entry: string): Promise<Sample>;
  /** Warm-ups for this measure (the 10,000-operation synth reuses the 1,000's: the same modules). */
  warmups?: number;
  /** Stop repeating once a run takes longer than this. */
  budgetMs?: number;
}

interface MeasureResult {
  key: string;
  name: string;
  targetMs: number;
  runs: Record<Variant, Sample[]>;
  medianMs: Record<Variant, number>;
  /** The median of the runs' CPU times (not necessarily the median wall run's). */
  medianCpuMs: Record<Variant, number | null>;
  peakRssMiB: Record<Variant, number | null>;
  note?: string;
}

const median = (xs: number[]) => round(percentile(xs, 50), 0);

function checked(what: string, run: CommandMeasurement): CommandMeasurement {
  if (run.exitCode !== 0) throw new Error(`${what} failed (exit ${run.exitCode}):\n${run.stderr.slice(-2000)}`);
  return run;
}

const sample = (run: CommandMeasurement, facts?: Record<string, unknown>): Sample => ({
  wallMs: round(run.wallMs, 0),
  cpuMs: run.cpuMs === null ? null : round(run.cpuMs, 0),
  peakRssMiB: run.peakRssMiB === null ? null : round(run.peakRssMiB, 1),
  facts,
});

function versionMeasure(version: string): Measure {
  return {
    key: 'version',
    name: 'gatehouse --version',
    targetMs: TARGET_MS.version,
    async run(entry) {
      const run = checked(`${entry} --version`, await measureCommand('node', [entry, '--version']));
      if (run.stdout.trim() !== version)
        throw new Error(`${entry} --version printed ${JSON.stringify(run.stdout)}, not ${version}`);
      return sample(run);
    },
  };
}

const lintMeasure: Measure = {
  key: 'lint',
  name: `gatehouse lint ${SPEC}`,
  targetMs: TARGET_MS.lint,
  async run(entry) {
    return sample(checked(`${entry} lint`, await measureCommand('node', [entry, 'lint', SPEC])));
  },
};

function synthMeasure(operations: number, spec: string, workDir: string, targetMs: number): Measure {
  return {
    key: `synth${operations}`,
    name: `gatehouse synth, ${operations.toLocaleString('en')} operations`,
    targetMs,
    async run(entry) {
      const out = fs.mkdtempSync(path.join(workDir, `synth-${operations}-`));
      try {
        // CHECKPOINT_DISABLE as `npm run synth` sets it: no phoning home from a benchmark.
        const run = checked(
          `${entry} synth of ${operations} operations`,
          await measureCommand('node', [entry, 'synth', '--spec', spec, '--out', out], {
            env: { ...process.env, CHECKPOINT_DISABLE: '1' },
          }),
        );
        // The CLI prints where it wrote cdk.tf.json, relative to its working directory.
        const printed = run.stdout.trim().split('\n').pop() ?? '';
        const file = path.resolve(REPO_ROOT, printed);
        if (!printed.endsWith('cdk.tf.json') || !fs.existsSync(file))
          throw new Error(`${entry} synth printed ${JSON.stringify(run.stdout)}, not a cdk.tf.json it wrote`);
        const text = fs.readFileSync(file, 'utf8');
        const { total, byType } = countResources(text);
        return sample(run, {
          resources: total,
          resourcesByType: byType,
          cdkTfJsonBytes: Buffer.byteLength(text),
          sha256: createHash('sha256').update(text).digest('hex'),
        });
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    },
    warmups: operations > 1000 ? 0 : undefined,
    budgetMs: operations > 1000 ? LARGE_BUDGET_MS : undefined,
  };
}

function localMeasure(workDir: string): Measure {
  let n = 0;
  return {
    key: 'local',
    name: `gatehouse local ${SPEC}: command to ready line`,
    targetMs: TARGET_MS.local,
    async run(entry) {
      const stack = await startStackChild(SPEC, path.join(workDir, `outputs-${n++}.json`), { entry });
      await stack.stop();
      return {
        wallMs: round(stack.readyLineMs, 0),
        // A server runs on after its ready line: GNU time cannot say what it spent until then.
        cpuMs: null,
        peakRssMiB: null,
        facts: { outputsFileMs: round(stack.outputsFileMs, 0), reportedColdStartMs: stack.readyLine.coldStartMs },
      };
    },
  };
}

/** Runs that failed once and were run again, and why: the checkout is shared while the bench runs. */
const retried: { measure: string; variant: Variant; error: string }[] = [];

/**
 * One run of `m` from `variant`. Before a built run, waits for dist/ to hold a finished build, since another
 * engineer's `npm run build` empties it and writes it again; a run that fails is run once more (a build or an
 * edit under way), and a second failure ends the bench.
 */
async function runOnce(m: Measure, variant: Variant, entry: string): Promise<Sample> {
  const settle = () =>
    variant === 'built'
      ? waitFor('dist/ to hold a finished build', () => buildSettled(REPO_ROOT, entry, DIST_QUIET_MS), 300000, 500)
      : Promise.resolve();
  await settle();
  try {
    return await m.run(entry);
  } catch (error) {
    const lines = (error instanceof Error ? error.message : String(error)).split('\n');
    // The CLI's own line (or node's error) says why; the warnings and require stack around it do not.
    const message = `${lines[0]} ${lines.find((l) => /^gatehouse: |Error\b/.test(l)) ?? ''}`.trim();
    retried.push({ measure: m.key, variant, error: message });
    process.stdout.write(`${m.name} from ${variant} failed once, running it again: ${message}\n`);
    await settle();
    return m.run(entry);
  }
}

async function measure(m: Measure, entries: Record<Variant, string>): Promise<MeasureResult> {
  for (let i = 0; i < (m.warmups ?? WARMUPS); i++) for (const v of VARIANTS) await runOnce(m, v, entries[v]);
  const runs: Record<Variant, Sample[]> = { built: [], tsx: [] };
  let note: string | undefined;
  for (let i = 0; i < RUNS; i++) {
    // Alternating which goes first, so neither always runs just after the other.
    for (const v of i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) runs[v].push(await runOnce(m, v, entries[v]));
    const slowest = Math.max(...VARIANTS.map((v) => runs[v][i].wallMs));
    if (m.budgetMs !== undefined && slowest > m.budgetMs && i < RUNS - 1) {
      note = `stopped after ${i + 1} of ${RUNS} runs: one took ${slowest} ms, over the ${m.budgetMs} ms budget`;
      break;
    }
  }
  const medianMs = { built: median(runs.built.map((s) => s.wallMs)), tsx: median(runs.tsx.map((s) => s.wallMs)) };
  const cpuOf = (v: Variant) => {
    const cpu = runs[v].map((s) => s.cpuMs).filter((c): c is number => c !== null);
    return cpu.length === 0 ? null : median(cpu);
  };
  const medianCpuMs = { built: cpuOf('built'), tsx: cpuOf('tsx') };
  // The peak of the median run, so the two columns describe the same run.
  const rssOf = (v: Variant) => runs[v].find((s) => s.wallMs === medianMs[v])?.peakRssMiB ?? null;
  const result = {
    key: m.key,
    name: m.name,
    targetMs: m.targetMs,
    runs,
    medianMs,
    medianCpuMs,
    peakRssMiB: { built: rssOf('built'), tsx: rssOf('tsx') },
    note,
  };
  process.stdout.write(
    `${m.name}: built ${medianMs.built} ms (CPU ${medianCpuMs.built ?? '?'} ms), tsx ${medianMs.tsx} ms (CPU ${medianCpuMs.tsx ?? '?'} ms) (runs: built ${runs.built.map((s) => s.wallMs).join(', ')}; tsx ${runs.tsx.map((s) => s.wallMs).join(', ')})\n`,
  );
  return result;
}

/** Builds dist/ when it is not a build of the current sources; says which, and why. */
async function ensureBuilt(): Promise<Record<string, unknown>> {
  // Someone else's build under way would be emptied by ours half-way, and may leave nothing to build.
  const dist = path.join(REPO_ROOT, buildState(REPO_ROOT).bin.split('/')[0]);
  const writing = () => Date.now() - (newestChange(dist) ?? 0) < DIST_QUIET_MS;
  if (writing()) {
    process.stdout.write('waiting for a build of dist/ under way to finish\n');
    await waitFor('a build of dist/ under way', () => !writing(), 300000, 500);
  }
  const before = buildState(REPO_ROOT);
  if (before.fresh) {
    process.stdout.write(`dist/ is up to date: ${before.reason}\n`);
    return { built: false, reason: before.reason, bin: before.bin };
  }
  process.stdout.write(`building dist/ (npm run build): ${before.reason}\n`);
  const run = await measureCommand('npm', ['run', 'build']);
  const binExists = fs.existsSync(path.join(REPO_ROOT, before.bin));
  const errors = run.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
  if (run.exitCode !== 0 && !binExists)
    throw new Error(`npm run build failed (exit ${run.exitCode}):\n${(run.stdout + run.stderr).slice(-3000)}`);
  process.stdout.write(
    run.exitCode === 0
      ? `built dist/ in ${(run.wallMs / 1000).toFixed(1)} s\n`
      : `npm run build exited ${run.exitCode} with ${errors.length} type errors, but tsc emitted ${before.bin}; ` +
          `timing that JavaScript:\n${errors.slice(0, 10).join('\n')}\n`,
  );
  return {
    built: true,
    reason: before.reason,
    bin: before.bin,
    buildMs: round(run.wallMs, 0),
    exitCode: run.exitCode,
    typeErrors: errors,
  };
}

export async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = os.loadavg();
  process.stdout.write(
    `load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores; ` +
      `median of ${RUNS} runs each, after ${WARMUPS} warm-up\n`,
  );
  const build = await ensureBuilt();
  const entries: Record<Variant, string> = { built: build.bin as string, tsx: DEV_CLI };
  const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-cli-'));
  try {
    const sizes = LARGE ? [1000, 10000] : [1000];
    const measures: Measure[] = [
      versionMeasure(version),
      lintMeasure,
      ...sizes.map((n) =>
        synthMeasure(n, writeGeneratedSpec(workDir, n), workDir, n > 1000 ? TARGET_MS.synth10000 : TARGET_MS.synth1000),
      ),
      localMeasure(workDir),
    ];
    const results: MeasureResult[] = [];
    for (const m of measures) results.push(await measure(m, entries));

    const figures: Figure[] = [];
    for (const r of results) {
      const runs = (v: Variant) => r.runs[v].length;
      figures.push(
        {
          id: `15.3.${r.key}`,
          name: `${r.name}, built (median of ${runs('built')})`,
          value: r.medianMs.built,
          unit: 'ms',
          target: { op: '<=', value: r.targetMs },
          note: r.note,
        },
        { name: `${r.name}, tsx (median of ${runs('tsx')})`, value: r.medianMs.tsx, unit: 'ms' },
        { name: `${r.name}, built / tsx`, value: round(r.medianMs.built / r.medianMs.tsx, 2), unit: 'x' },
      );
      for (const v of VARIANTS)
        if (r.medianCpuMs[v] !== null)
          figures.push({ name: `${r.name}, ${v}, CPU time (median)`, value: r.medianCpuMs[v], unit: 'ms' });
    }
    // Where local's time goes: the stack's own start (printed in its ready line); the rest is loading modules.
    const local = results.find((r) => r.key === 'local')!;
    for (const v of VARIANTS)
      figures.push({
        name: `gatehouse local: the stack's own start time in its ready line, ${v} (median)`,
        value: median(local.runs[v].map((s) => s.facts!.reportedColdStartMs as number)),
        unit: 'ms',
      });
    // The document is one resource's body: the same resources at every size, from either CLI.
    const synths = results.filter((r) => r.key.startsWith('synth'));
    const resources = synths.flatMap((r) =>
      VARIANTS.flatMap((v) => r.runs[v].map((s) => s.facts!.resources as number)),
    );
    figures.push({
      name: `synth resources, ${synths.map((r) => r.name.replace(/^.*, /, '')).join(' and ')} (built and tsx)`,
      value: resources[0],
      unit: '',
    });
    figures.push({
      id: '15.3.synth-resources-constant',
      name: `synth resource growth, ${synths.map((r) => r.name.replace(/^.*, /, '')).join(' -> ')}`,
      value: Math.max(...resources) - Math.min(...resources),
      unit: 'resources',
      target: { op: '<=', value: 0 },
    });
    const identical = synths.map((r) => ({
      operations: r.key.slice('synth'.length),
      identical: new Set(VARIANTS.flatMap((v) => r.runs[v].map((s) => s.facts!.sha256))).size === 1,
    }));
    for (const i of identical)
      process.stdout.write(
        `synth of ${i.operations} operations: cdk.tf.json from built and tsx ${i.identical ? 'identical' : 'DIFFERENT'} in every run\n`,
      );

    const mib = (v: number | null) => (v === null ? '—' : `${v} MiB`);
    const side = [
      [
        'measure',
        'built',
        'target',
        'verdict',
        'built CPU',
        'tsx',
        'tsx CPU',
        'built/tsx',
        'built peak RSS',
        'tsx peak RSS',
      ],
      ...results.map((r) => [
        r.name,
        `${r.medianMs.built} ms`,
        `<= ${r.targetMs} ms`,
        verdictOf({ name: r.name, value: r.medianMs.built, unit: 'ms', target: { op: '<=', value: r.targetMs } }),
        r.medianCpuMs.built === null ? '—' : `${r.medianCpuMs.built} ms`,
        `${r.medianMs.tsx} ms`,
        r.medianCpuMs.tsx === null ? '—' : `${r.medianCpuMs.tsx} ms`,
        `${round(r.medianMs.built / r.medianMs.tsx, 2)}x`,
        mib(r.peakRssMiB.built),
        mib(r.peakRssMiB.tsx),
      ]),
    ];
    if (retried.length > 0)
      process.stdout.write(`${retried.length} run(s) failed once and were run again (details.retried)\n`);
    const loadAtEnd = os.loadavg();
    process.stdout.write(`load average at the end ${loadAtEnd.map((l) => l.toFixed(2)).join(' ')}\n`);
    report(
      'cli-start',
      `CLI start: the built CLI (${entries.built}) beside tsx (${entries.tsx}), median of ${RUNS} runs, against issue 15's targets (target 3)`,
      startedAt,
      figures,
      {
        runsPerFigure: RUNS,
        warmups: WARMUPS,
        commands: {
          built: `node ${entries.built} <command>`,
          tsx: `node ${entries.tsx} <command>`,
          version: '--version',
          lint: `lint ${SPEC}`,
          synth: 'synth --spec <generated document> --out <tmp>',
          local: `local --spec ${SPEC} --outputs <tmp> (ready: its "local stack up" line, after the outputs file)`,
        },
        loadAverage: { start: loadAtStart, end: loadAtEnd },
        build,
        synthIdenticalBuiltAndTsx: identical,
        retried,
        measures: results,
      },
      [{ title: 'Built beside tsx (median wall and CPU time; peak RSS of the median run)', rows: side }],
    );
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

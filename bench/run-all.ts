// npm run bench: every benchmark in one run, one process each (cold, and none disturbs another's memory
// or event loop), then one summary of every figure that has a target, and issue 15's targets one by one
// (bench/lib/targets.ts) with met / missed from this run's figures, each bench's load average beside them.
// A missed throughput target triggers the gateway profile. Results: bench/results/<name>.json and
// bench/results/summary.json. `npm run bench -- --only cli-start,contract-matrix` runs just those; the summary
// then takes every other bench's figures from its stored result, each row saying which run it comes from.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './lib/child';
import { environment, formatTable, RESULTS_DIR, type BenchResult } from './lib/report';
import { ISSUE_15_TARGETS, targetRows } from './lib/targets';

/** Benches whose script is not in the tree yet (another engineer's, under way) are left out, and say so. */
const BENCHES = [
  'synth-scale',
  'contract-matrix',
  'gateway-throughput',
  'cold-start',
  'cli-start',
  'sign-in-history',
  'contract-quotas',
].filter((name) => fs.existsSync(path.join(REPO_ROOT, 'bench', `${name}.ts`)));
const PROFILE = 'gateway-profile';

function runScript(name: string): Promise<number> {
  process.stdout.write(`\n=== ${name} ===\n`);
  const child = spawn('npx', ['tsx', path.join('bench', `${name}.ts`)], { cwd: REPO_ROOT, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
}

function readResult(name: string): BenchResult | undefined {
  const file = path.join(RESULTS_DIR, `${name}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult) : undefined;
}

/** The benches named by `--only a,b` (each must be one of BENCHES), else all of them. */
function chosenBenches(argv: string[]): string[] {
  const at = argv.indexOf('--only');
  if (at === -1) return BENCHES;
  const names = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !BENCHES.includes(n));
  if (names.length === 0 || unknown.length > 0)
    throw new Error(
      `--only takes a comma-separated list of benches (received: ${JSON.stringify(argv[at + 1] ?? '')}); each one of ${BENCHES.join(', ')}`,
    );
  return names;
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const chosen = chosenBenches(process.argv.slice(2));
  const failed: string[] = [];
  const results: BenchResult[] = [];
  const run = async (name: string) => {
    // A stale file from an earlier run must not pass for this run's figures.
    fs.rmSync(path.join(RESULTS_DIR, `${name}.json`), { force: true });
    const code = await runScript(name);
    const result = readResult(name);
    if (code !== 0 || !result) failed.push(`${name} (exit ${code})`);
    if (result) results.push(result);
    return result;
  };
  for (const name of chosen) {
    const result = await run(name);
    if (name === 'gateway-throughput' && result?.figures.some((f) => f.verdict === 'missed')) await run(PROFILE);
  }
  // The benches not run now: their last stored result, named as such in every table below.
  const stored = BENCHES.filter((name) => !chosen.includes(name));
  for (const name of stored) {
    const result = readResult(name);
    if (result) results.push(result);
  }
  const runOf = (bench: string) => {
    const result = results.find((r) => r.name === bench);
    return !result ? '' : stored.includes(bench) ? `stored, ${result.startedAt.slice(0, 16)}Z` : 'this run';
  };

  const rows = [['bench', 'figure', 'value', 'target', 'verdict', 'run']];
  for (const result of results)
    for (const f of result.figures.filter((x) => x.target))
      rows.push([
        result.name,
        f.name,
        f.value === null ? '—' : `${f.value} ${f.unit}`.trim(),
        `${f.target!.op} ${f.target!.value} ${f.unit}`.trim(),
        f.verdict,
        runOf(result.name),
      ]);
  process.stdout.write(
    `\n=== summary (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s) ===\n\n${formatTable(rows)}\n`,
  );
  const issue15 = targetRows(ISSUE_15_TARGETS, results, BENCHES);
  const load = (bench: string) => {
    const env = results.find((r) => r.name === bench)?.environment;
    return env?.loadAverage ? `${env.loadAverageAtStart[0].toFixed(1)} -> ${env.loadAverage[0].toFixed(1)}` : '';
  };
  process.stdout.write(
    `\n=== issue 15 targets (timings on a loaded machine are upper bounds: see each bench's load) ===\n\n${formatTable([
      ['item', 'target', 'figure', 'value', 'bound', 'verdict', 'load (1 min)', 'run'],
      ...issue15.map((r) => [
        String(r.target.item),
        r.target.text,
        r.figure?.name ?? r.why ?? '',
        r.figure ? (r.figure.value === null ? '—' : `${r.figure.value} ${r.figure.unit}`.trim()) : '',
        r.figure?.target ? `${r.figure.target.op} ${r.figure.target.value} ${r.figure.unit}`.trim() : '',
        r.verdict,
        r.figure ? load(r.target.bench) : '',
        r.figure ? runOf(r.target.bench) : '',
      ]),
    ])}\n`,
  );
  if (failed.length > 0) process.stdout.write(`\nfailed to run: ${failed.join(', ')}\n`);
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'summary.json'),
    JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        environment: environment(),
        failedToRun: failed,
        ran: chosen,
        storedFrom: Object.fromEntries(
          stored.map((name) => [name, results.find((r) => r.name === name)?.startedAt ?? null]),
        ),
        issue15: issue15.map((r) => ({
          item: r.target.item,
          id: r.target.id,
          target: r.target.text,
          bench: r.target.bench,
          verdict: r.verdict,
          why: r.why,
          figure: r.figure,
          environment: results.find((x) => x.name === r.target.bench)?.environment,
          run: runOf(r.target.bench),
        })),
        figures: results.flatMap((r) => r.figures.filter((f) => f.target).map((f) => ({ bench: r.name, ...f }))),
      },
      null,
      2,
    ) + '\n',
  );
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);

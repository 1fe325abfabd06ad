// Sign-in cost against history (issue 15, target 2): N sequential InitiateAuth (USER_PASSWORD_AUTH) against
// the local Cognito of `gatehouse local` (openapi/pets.yaml, its own process), then M at 50 in parallel.
// The last thousand sign-ins' p50 must be within 10 % of the first thousand's in each run: a sign-in may not
// cost more because others came before it. Also printed: the stack's RSS and the data directory's size at
// start and end (both bounded by the refresh tokens still valid, not by sign-ins made), and the load
// average, since the ratio moves with whatever else the machine runs. 127.0.0.1 only.
// Run: npx tsx bench/sign-in-history.ts [--count 100000] [--parallel-count 20000] [--concurrency 50]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { clientNames, createUser, deleteUser, localCognitoClient } from './lib/cognito-tokens';
import { startStackChild } from './lib/local-stack-child';
import { dataDirectoriesOf, directoryBytes, loadAverage, rssMiB } from './lib/process-stats';
import { report, runMain, type Figure } from './lib/report';
import { runSignIns, signInTarget, type SignInRun } from './lib/sign-in-load';
import { percentile, round } from './lib/stats';

const SPEC = 'openapi/pets.yaml';
const RATIO_TARGET_PERCENT = 110;
// Not counted: the first sign-ins of a fresh process run before the JIT has compiled the path, and would make
// the first thousand look slower than a steady one.
const WARMUP = 1000;

export interface HistoryOptions {
  count: number;
  parallelCount: number;
  concurrency: number;
  window: number;
}

export function parseHistoryArgs(argv: string[]): HistoryOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string', default: '100000' },
      'parallel-count': { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '50' },
      window: { type: 'string', default: '1000' },
    },
  });
  const number = (name: string, text: string, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, not "${text}"`);
    return n;
  };
  return {
    count: number('count', values.count!, 2),
    parallelCount: number('parallel-count', values['parallel-count']!, 0),
    concurrency: number('concurrency', values.concurrency!, 1),
    window: number('window', values.window!, 1),
  };
}

export interface Drift {
  firstP50Ms: number;
  lastP50Ms: number;
  /** Last window's p50 as a percentage of the first's. */
  ratioPercent: number;
  window: number;
}

/** First and last `window` latencies' p50 (the window shrinks to half the samples when there are fewer). */
export function driftOf(latenciesMs: number[], window: number): Drift {
  const w = Math.max(1, Math.min(window, Math.floor(latenciesMs.length / 2)));
  const firstP50Ms = percentile(latenciesMs.slice(0, w), 50);
  const lastP50Ms = percentile(latenciesMs.slice(-w), 50);
  return { firstP50Ms, lastP50Ms, ratioPercent: (lastP50Ms / firstP50Ms) * 100, window: w };
}

/** `id` names the issue-15 target the drift figure measures, given only at the issue's counts. */
/** Issue 15 target 2's counts: a figure from fewer sign-ins does not stand for it. */
const ISSUE_COUNTS = { sequential: 100_000, parallel: 20_000 };

function driftFigures(label: string, run: SignInRun, drift: Drift, count: number, id?: string): Figure[] {
  return [
    { name: `${label}: sign-ins (failed)`, value: run.failures, unit: `of ${count}`, target: { op: '<=', value: 0 } },
    { name: `${label}: first ${drift.window} p50`, value: round(drift.firstP50Ms, 3), unit: 'ms' },
    { name: `${label}: last ${drift.window} p50`, value: round(drift.lastP50Ms, 3), unit: 'ms' },
    {
      id,
      name: `${label}: last/first p50`,
      value: round(drift.ratioPercent, 1),
      unit: '%',
      target: { op: '<=', value: RATIO_TARGET_PERCENT },
      // One-sided: the target is that history adds no cost; a faster last thousand is noise or warm-up.
      note: run.firstFailure ? `first failure: ${run.firstFailure}` : undefined,
    },
    { name: `${label}: throughput`, value: round((run.latenciesMs.length / run.wallMs) * 1000, 0), unit: 'sign-ins/s' },
  ];
}

async function main(): Promise<void> {
  const options = parseHistoryArgs(process.argv.slice(2));
  const startedAt = new Date();
  const outputsFile = path.join(os.tmpdir(), `gatehouse-bench-sign-in-history-${process.pid}.json`);
  const stack = await startStackChild(SPEC, outputsFile);
  const cognito = localCognitoClient(stack.outputs);
  const user = await createUser(cognito, stack.outputs);
  try {
    const pid = stack.server.child.pid!;
    const [dataDirectory] = dataDirectoriesOf(pid);
    const disk = () => (dataDirectory ? directoryBytes(dataDirectory) : null);
    const target = signInTarget(stack.outputs, clientNames(stack.outputs).user, user);
    await runSignIns(target, WARMUP, 1);

    const atStart = { rss: rssMiB(pid), disk: disk(), load: loadAverage() };
    const progress = (label: string, total: number) => (done: number) => {
      if (done % 10000 === 0) process.stderr.write(`${label}: ${done}/${total}\n`);
    };
    const sequential = await runSignIns(target, options.count, 1, progress('sequential', options.count));
    const afterSequential = { rss: rssMiB(pid), disk: disk(), load: loadAverage() };
    const parallel =
      options.parallelCount > 0
        ? await runSignIns(
            target,
            options.parallelCount,
            options.concurrency,
            progress('parallel', options.parallelCount),
          )
        : undefined;
    const atEnd = { rss: rssMiB(pid), disk: disk(), load: loadAverage() };

    const sequentialDrift = driftOf(sequential.latenciesMs, options.window);
    const parallelDrift = parallel ? driftOf(parallel.latenciesMs, options.window) : undefined;
    const figures: Figure[] = [
      ...driftFigures(
        `${options.count} sequential`,
        sequential,
        sequentialDrift,
        options.count,
        options.count >= ISSUE_COUNTS.sequential ? '15.2.sequential-p50-drift' : undefined,
      ),
      ...(parallel && parallelDrift
        ? driftFigures(
            `${options.parallelCount} at ${options.concurrency} parallel`,
            parallel,
            parallelDrift,
            options.parallelCount,
            options.parallelCount >= ISSUE_COUNTS.parallel && options.concurrency >= 50
              ? '15.2.parallel-p50-drift'
              : undefined,
          )
        : []),
      { name: 'stack RSS at start', value: atStart.rss === null ? null : round(atStart.rss, 1), unit: 'MiB' },
      {
        name: 'stack RSS after the sequential run',
        value: afterSequential.rss === null ? null : round(afterSequential.rss, 1),
        unit: 'MiB',
      },
      { name: 'stack RSS at end', value: atEnd.rss === null ? null : round(atEnd.rss, 1), unit: 'MiB' },
      { name: 'data directory at start', value: atStart.disk, unit: 'bytes' },
      {
        // Disk no larger after every sign-in than before: what the pool keeps is bounded by the tokens still valid.
        id: options.count >= ISSUE_COUNTS.sequential ? '15.2.bounded-storage' : undefined,
        name: 'data directory at end',
        value: atEnd.disk,
        unit: 'bytes',
        target: atStart.disk === null ? undefined : { op: '<=', value: atStart.disk },
      },
      { name: 'load average (1 min) at start', value: atStart.load, unit: '' },
      { name: 'load average (1 min) at end', value: atEnd.load, unit: '' },
    ];
    report(
      'sign-in-history',
      `Sign-in cost against history: ${options.count} sequential InitiateAuth${
        parallel ? `, then ${options.parallelCount} at ${options.concurrency} in parallel` : ''
      } (local Cognito of gatehouse local, ${os.cpus().length} CPUs)`,
      startedAt,
      figures,
      { options, atStart, afterSequential, atEnd, sequentialDrift, parallelDrift, dataDirectory: !!dataDirectory },
    );
  } finally {
    await deleteUser(cognito, stack.outputs, user).catch(() => undefined);
    cognito.destroy();
    await stack.stop();
    fs.rmSync(outputsFile, { force: true });
  }
}

if (require.main === module) runMain(main);

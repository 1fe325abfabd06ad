// The harness within AWS's quotas (issue 15, target 4). Cognito's request-rate quotas (InitiateAuth,
// AdminCreateUser, ... per account) are what a run against a deployed stack can hit, so its Cognito calls
// must not grow with the document: one test user and one sign-in per client, tokens reused. Counted by the
// harness where each request goes out (contract-tests/http.ts, the SDK client included; report.traffic),
// by action, for generated documents of 10 and 1,000 operations on the local stack (in this process, 127.0.0.1
// only), full matrix. Then a run against a local Cognito that throttles every second InitiateAuth
// (TooManyRequestsException), behind a proxy answering every third API request 429 as API Gateway throttles,
// must still pass, retried with backoff and slower than the same document unthrottled just before it (both
// warm: the first run of the process pays for loading and compiling); its retries are printed.
// Run: npx tsx bench/contract-quotas.ts [--operations 10,1000] [--concurrency 8]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { THROTTLE_ENV } from '../local/cognito/guards/throttling';
import { startLocalStack, type LocalStack } from '../local/stack';
import type { ContractReport } from '../contract-tests/report';
import { runContract } from '../contract-tests/run';
import { startFaultProxy } from '../contract-tests/testing/fault-proxy';
import { report, runMain, type Figure } from './lib/report';
import { writeGeneratedSpec } from './lib/spec-generator';
import { round } from './lib/stats';

const THROTTLE = { InitiateAuth: { every: 2 } };
const API_429_EVERY = 3;

interface Measured {
  operations: number;
  checks: number;
  failed: number;
  durationMs: number;
  traffic: NonNullable<ContractReport['traffic']>;
}

/** The local Cognito reads its throttle rules from the environment once, as it starts. */
async function stackFor(spec: string, dir: string, throttle?: object): Promise<LocalStack> {
  if (throttle) process.env[THROTTLE_ENV] = JSON.stringify(throttle);
  try {
    return await startLocalStack({ spec, outputsFile: path.join(dir, `outputs-${path.basename(spec)}.json`) });
  } finally {
    delete process.env[THROTTLE_ENV];
  }
}

async function measure(spec: string, operations: number, dir: string, concurrency: number, throttle?: object) {
  const stack = await stackFor(spec, dir, throttle);
  const proxy = throttle
    ? await startFaultProxy(stack.outputs.api_url, { tooManyRequestsEvery: API_429_EVERY })
    : undefined;
  try {
    const started = performance.now();
    const contract = await runContract({
      spec,
      outputs: proxy ? { ...stack.outputs, api_url: proxy.url } : stack.outputs,
      concurrency,
    });
    const measured: Measured = {
      operations,
      checks: contract.results.length,
      failed: contract.failed,
      durationMs: performance.now() - started,
      traffic: contract.traffic!,
    };
    const t = measured.traffic;
    process.stdout.write(
      `${operations} operations${throttle ? ', throttling' : ''}: ${measured.checks} checks, ${measured.failed} failed, ${Math.round(measured.durationMs)} ms, ${t.cognitoCallsTotal} Cognito calls, ${t.apiRequests} API requests, ${t.throttledRetriesTotal} throttled retries\n`,
    );
    return measured;
  } finally {
    await proxy?.stop();
    await stack.stop();
  }
}

/** Per action, how far two runs' Cognito calls differ (0: the same calls, whatever the document's size). */
function difference(a: Record<string, number>, b: Record<string, number>): number {
  const actions = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...actions].reduce((sum, action) => sum + Math.abs((a[action] ?? 0) - (b[action] ?? 0)), 0);
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { operations: { type: 'string', default: '10,1000' }, concurrency: { type: 'string', default: '8' } },
  });
  const sizes = values.operations.split(',').map(Number);
  const concurrency = Number(values.concurrency);
  const startedAt = new Date();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-quotas-'));
  try {
    const runs: Measured[] = [];
    for (const operations of sizes)
      runs.push(await measure(writeGeneratedSpec(dir, operations), operations, dir, concurrency));
    const small = runs[0];
    const large = runs[runs.length - 1];
    const baseline = await measure(writeGeneratedSpec(dir, small.operations), small.operations, dir, concurrency);
    const throttled = await measure(
      writeGeneratedSpec(dir, small.operations),
      small.operations,
      dir,
      concurrency,
      THROTTLE,
    );

    const actions = [...new Set(runs.flatMap((r) => Object.keys(r.traffic.cognitoCalls)))].sort();
    const callsTable = {
      title: 'Cognito calls per run, by action (every attempt sent; no throttling)',
      rows: [
        ['action', ...runs.map((r) => `${r.operations} operations`)],
        ...actions.map((action) => [action, ...runs.map((r) => String(r.traffic.cognitoCalls[action] ?? 0))]),
        ['all Cognito calls', ...runs.map((r) => String(r.traffic.cognitoCallsTotal))],
        ['API requests', ...runs.map((r) => String(r.traffic.apiRequests))],
        ['checks', ...runs.map((r) => String(r.checks))],
      ],
    };
    const t = throttled.traffic;
    const b = baseline.traffic;
    const throttleTable = {
      title: `Throttled: a local Cognito refusing every second InitiateAuth, behind an API answering every ${API_429_EVERY}rd request 429 (${small.operations} operations, both runs warm)`,
      rows: [
        ['', 'no throttling', 'throttling'],
        ['API requests', String(b.apiRequests), String(t.apiRequests)],
        ['InitiateAuth calls', String(b.cognitoCalls.InitiateAuth ?? 0), String(t.cognitoCalls.InitiateAuth ?? 0)],
        [
          'throttled retries',
          String(b.throttledRetriesTotal),
          `${t.throttledRetriesTotal} (${Object.entries(t.throttledRetries)
            .map(([action, n]) => `${action} ${n}`)
            .join(', ')})`,
        ],
        [
          'checks in flight (ceiling -> lowest, halvings)',
          `${b.concurrency.ceiling} -> ${b.concurrency.lowest}, ${b.concurrency.halvings}`,
          `${t.concurrency.ceiling} -> ${t.concurrency.lowest}, ${t.concurrency.halvings}`,
        ],
        ['failed checks', String(baseline.failed), String(throttled.failed)],
        ['run', `${Math.round(baseline.durationMs)} ms`, `${Math.round(throttled.durationMs)} ms`],
      ],
    };
    const figures: Figure[] = [
      ...runs.map((r) => ({
        name: `Cognito calls per run, ${r.operations} operations (${r.checks} checks)`,
        value: r.traffic.cognitoCallsTotal,
        unit: 'calls',
      })),
      {
        id: '15.4.cognito-calls-independent',
        name: `Cognito calls that differ between ${small.operations} and ${large.operations} operations, summed over actions`,
        value: difference(small.traffic.cognitoCalls, large.traffic.cognitoCalls),
        unit: 'calls',
        target: { op: '<=', value: 0 },
        note: 'independent of the number of operations: one test user per pool, one sign-in per client, tokens reused',
      },
      {
        id: '15.4.throttled-run-passes',
        name: `failed checks while throttled (${t.throttledRetriesTotal} throttled retries)`,
        value: throttled.failed,
        unit: 'checks',
        target: { op: '<=', value: 0 },
        note: `retried with capped, jittered backoff; checks in flight ${t.concurrency.ceiling} -> ${t.concurrency.lowest}`,
      },
      {
        name: 'throttled run / the same document unthrottled just before it',
        value: round(throttled.durationMs / baseline.durationMs, 2),
        unit: 'x',
      },
      {
        name: 'failed checks without throttling (worst size)',
        value: Math.max(...runs.map((r) => r.failed)),
        unit: 'checks',
        target: { op: '<=', value: 0 },
      },
    ];
    report(
      'contract-quotas',
      'Contract harness within AWS quotas: Cognito calls per run and throttling, generated documents on the local stack',
      startedAt,
      figures,
      {
        concurrency,
        runs: runs.map((r) => ({ ...r, durationMs: round(r.durationMs, 0) })),
        baseline: { ...baseline, durationMs: round(baseline.durationMs, 0) },
        throttled: {
          cognitoRules: THROTTLE,
          api429Every: API_429_EVERY,
          ...throttled,
          durationMs: round(throttled.durationMs, 0),
        },
      },
      [callsTable, throttleTable],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

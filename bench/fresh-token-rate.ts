// Issue 15 target 6b, timed to within 10 ms of the last response: openapi/hello-http.yaml's HTTP API
// aws_proxy GET /hello on `gatehouse local`, a token never seen before on every request, beside the same
// route with one token.
//
// Why beside gateway-throughput.ts: autocannon, given a fixed `amount` of requests (one per fresh token), hands
// its result over at its next one-second sample tick, so result.duration is the run's time rounded up to whole
// seconds and amount / duration can never pass amount per second (gateway-throughput.ts: 8,571 requests a
// round, so at most 8,571 req/s; 2,848 is 8,571 / 3.01). Here autocannon samples every 10 ms, so a run's time
// ends within 10 ms of its last response, and the stack's own CPU per request (user+sys from /proc, which
// other work on the cores inflates less than it does the rate) is read beside it.
// Run: npx tsx bench/fresh-token-rate.ts (BENCH_FRESH_SIGN_INS, BENCH_FRESH_ROUNDS shorten it)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon is CommonJS with `export =` typings
import autocannon = require('autocannon');
import { clientNames, createUser, deleteUser, localCognitoClient } from './lib/cognito-tokens';
import { startStackChild, type StackChild } from './lib/local-stack-child';
import { report, runMain, type Figure } from './lib/report';
import { signInMany, signInTarget } from './lib/sign-in-load';
import { percentile, round } from './lib/stats';

const SPEC = 'openapi/hello-http.yaml';
const CONNECTIONS = 50;
const SIGN_INS = Number(process.env.BENCH_FRESH_SIGN_INS || 30_000);
const ROUNDS = Number(process.env.BENCH_FRESH_ROUNDS || 3);
/** Of the sign-ins, these warm the stack up (JIT) before the counted rounds. */
const WARMUP = Math.floor(SIGN_INS / (2 * ROUNDS + 1));
const PER_ROUND = Math.floor((SIGN_INS - WARMUP) / ROUNDS);
/** Issue 15 item 6. */
const FRESH_TOKENS_PER_S = 10_000;
const CLOCK_TICKS_PER_S = 100;
const SAMPLE_MS = 10;

interface Run {
  requests: number;
  requestsPerSecond: number;
  stackCpuUsPerRequest: number;
  clientCpuUsPerRequest: number;
  unexpected: number;
}

/** The stack process's user+sys CPU so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function stackCpuMs(stack: StackChild): number {
  const fields = fs.readFileSync(`/proc/${stack.server.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

/** `tokens.length` requests, each with the next token (or `tokens[0]` on each, `repeat` times, for one token). */
async function run(stack: StackChild, url: string, tokens: string[], repeat?: number): Promise<Run> {
  const amount = repeat ?? tokens.length;
  let next = 0;
  const cpuBefore = stackCpuMs(stack);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const options = {
    url,
    connections: CONNECTIONS,
    amount,
    // The result comes at the first sample tick after the last response: every 10 ms, not every second.
    sampleInt: SAMPLE_MS,
    ...(repeat === undefined
      ? {
          requests: [
            {
              setupRequest: (request: { headers?: Record<string, string> }) => ({
                ...request,
                headers: { ...request.headers, authorization: tokens[next++] ?? '' },
              }),
            },
          ],
        }
      : { headers: { authorization: tokens[0] } }),
  };
  // sampleInt is an autocannon option that bench/types/autocannon.d.ts does not declare.
  const result = await autocannon(options as Parameters<typeof autocannon>[0]);
  const elapsedMs = performance.now() - started;
  const client = process.cpuUsage(clientBefore);
  const requests = result.requests.total;
  return {
    requests,
    requestsPerSecond: round((requests * 1000) / elapsedMs, 0),
    stackCpuUsPerRequest: round(((stackCpuMs(stack) - cpuBefore) * 1000) / requests, 1),
    clientCpuUsPerRequest: round((client.user + client.system) / requests, 1),
    unexpected: requests - (result.statusCodeStats['200']?.count ?? 0),
  };
}

/** The median run by rate, so that each figure of a scenario comes from one run. */
function medianRun(runs: Run[]): Run {
  const median = percentile(
    runs.map((r) => r.requestsPerSecond),
    50,
  );
  return runs.find((r) => r.requestsPerSecond === median)!;
}

export async function main(): Promise<void> {
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-fresh-'));
  const stack = await startStackChild(SPEC, path.join(workDir, 'outputs.json'));
  const cognito = localCognitoClient(stack.outputs);
  const user = await createUser(cognito, stack.outputs);
  try {
    const url = `${stack.outputs.api_url}/hello`;
    const tokens = await signInMany(
      signInTarget(stack.outputs, clientNames(stack.outputs).user, user),
      SIGN_INS,
      CONNECTIONS,
    );
    const warmup = tokens.splice(0, WARMUP);
    await run(stack, url, warmup);
    await run(stack, url, warmup, WARMUP);
    const fresh: Run[] = [];
    const one: Run[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      fresh.push(await run(stack, url, tokens.splice(0, PER_ROUND)));
      one.push(await run(stack, url, warmup, PER_ROUND));
      process.stdout.write(
        `round ${r + 1}: fresh ${fresh[r].requestsPerSecond} req/s (stack ${fresh[r].stackCpuUsPerRequest} µs/request), ` +
          `one token ${one[r].requestsPerSecond} req/s (stack ${one[r].stackCpuUsPerRequest} µs/request)\n`,
      );
    }
    const f = medianRun(fresh);
    const o = medianRun(one);
    const unexpected = [...fresh, ...one].reduce((n, r) => n + r.unexpected, 0);
    const figures: Figure[] = [
      {
        name: 'HTTP API aws_proxy GET /hello, a token never seen before on every request (to the last response)',
        value: f.requestsPerSecond,
        unit: 'req/s',
        target: { op: '>=', value: FRESH_TOKENS_PER_S },
        note: `median of ${ROUNDS} rounds of ${PER_ROUND} requests, ${CONNECTIONS} connections; autocannon shares the cores`,
      },
      { name: 'fresh tokens: stack CPU per request', value: f.stackCpuUsPerRequest, unit: 'µs' },
      { name: 'fresh tokens: autocannon CPU per request', value: f.clientCpuUsPerRequest, unit: 'µs' },
      { name: 'one token, the same way: throughput', value: o.requestsPerSecond, unit: 'req/s' },
      { name: 'one token: stack CPU per request', value: o.stackCpuUsPerRequest, unit: 'µs' },
      { name: 'one token: autocannon CPU per request', value: o.clientCpuUsPerRequest, unit: 'µs' },
      {
        name: 'a fresh token, stack CPU per request beyond one token',
        value: round(f.stackCpuUsPerRequest - o.stackCpuUsPerRequest, 1),
        unit: 'µs',
        note: 'the token check itself is bench/token-verify.ts; the rest is what a new header and new claims cost the pipeline',
      },
      { name: 'answers other than 200', value: unexpected, unit: '', target: { op: '<=', value: 0 } },
    ];
    report(
      'fresh-token-rate',
      `Fresh tokens on GET /hello, timed to the last response: ${SIGN_INS} sign-ins, ${ROUNDS} rounds of ${PER_ROUND}`,
      startedAt,
      figures,
      { spec: SPEC, connections: CONNECTIONS, signIns: SIGN_INS, warmup: WARMUP, perRound: PER_ROUND, fresh, one },
    );
  } finally {
    await deleteUser(cognito, stack.outputs, user).catch(() => undefined);
    await stack.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

// Gateway throughput: autocannon (in this process) against the local gateway (`gatehouse local` on
// openapi/pets.yaml, its own process) for GET /pets with a valid ID token and without one, and against a
// bare node:http server (its own process) answering the same body. 127.0.0.1 only. Each scenario is
// warmed up once (not counted), then the scenarios run in ROUNDS interleaved rounds and the median round
// is reported: the cores are shared, and interleaving spreads other work evenly over the scenarios.
// Run: npx tsx bench/gateway-throughput.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon is CommonJS with `export =` typings
import autocannon = require('autocannon');
import { startServer, waitFor, type Server } from './lib/child';
import { clientNames, createUser, deleteUser, localCognitoClient, signIn } from './lib/cognito-tokens';
import { startStackChild } from './lib/local-stack-child';
import { report, runMain, type Figure } from './lib/report';
import { percentile, round } from './lib/stats';

const SPEC = 'openapi/pets.yaml';
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_THROUGHPUT_SECONDS || 5);
const WARMUP_S = 1;
const ROUNDS = Number(process.env.BENCH_THROUGHPUT_ROUNDS || 3);
const RATIO_TARGET_PERCENT = 50;
const P99_TARGET_MS = 5;

interface Scenario {
  name: string;
  url: string;
  headers: Record<string, string>;
  expectedStatus: number;
}

interface ScenarioResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  total: number;
  errors: number;
  timeouts: number;
  /** Answers with another status than the scenario's (e.g. a 401 in the authorized run). */
  unexpectedStatus: number;
  statusCodes: Record<string, number>;
}

async function load(scenario: Scenario, seconds: number): Promise<ScenarioResult> {
  const result = await autocannon({
    url: scenario.url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: scenario.headers,
  });
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
  );
  const answered = Object.values(statusCodes).reduce((sum, n) => sum + n, 0);
  return {
    name: scenario.name,
    requestsPerSecond: round(result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    total: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    unexpectedStatus: answered - (statusCodes[String(scenario.expectedStatus)] ?? 0),
    statusCodes,
  };
}

async function startBareServer(body: string, contentType: string): Promise<{ server: Server; url: string }> {
  let output = '';
  const server = startServer('node', ['--require', 'tsx/cjs', 'bench/lib/bare-server.ts'], {
    env: { ...process.env, BARE_BODY: body, BARE_CONTENT_TYPE: contentType, BARE_STATUS: '200' },
    onOutput: (text) => (output += text),
  });
  await waitFor('the bare server to listen', () => /listening on (http:\S+)/.test(output), 30000);
  return { server, url: /listening on (http:\S+)/.exec(output)![1] };
}

export async function main(): Promise<void> {
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-throughput-'));
  const stack = await startStackChild(SPEC, path.join(workDir, 'outputs.json'));
  const cognito = localCognitoClient(stack.outputs);
  const user = await createUser(cognito, stack.outputs);
  let bare: { server: Server; url: string } | undefined;
  try {
    const { idToken } = await signIn(cognito, stack.outputs, clientNames(stack.outputs).user, user);
    const petsUrl = `${stack.outputs.api_url}/pets`;
    const probe = await fetch(petsUrl, { headers: { authorization: idToken } });
    const body = await probe.text();
    if (probe.status !== 200)
      throw new Error(`GET ${petsUrl} with a valid ID token answered ${probe.status}: ${body.slice(0, 200)}`);
    const contentType = probe.headers.get('content-type') ?? 'application/json';
    bare = await startBareServer(body, contentType);
    const healthUrl = `${stack.outputs.api_url}/health`;

    const scenarios: Scenario[] = [
      { name: 'bare node:http server', url: `${bare.url}/pets`, headers: {}, expectedStatus: 200 },
      { name: 'gateway, authorized GET /pets', url: petsUrl, headers: { authorization: idToken }, expectedStatus: 200 },
      { name: 'gateway, unauthorized GET /pets', url: petsUrl, headers: {}, expectedStatus: 401 },
      { name: 'gateway, public GET /health (no authorizer)', url: healthUrl, headers: {}, expectedStatus: 200 },
    ];
    for (const scenario of scenarios) await load(scenario, WARMUP_S);
    const rounds: ScenarioResult[][] = scenarios.map(() => []);
    for (let r = 0; r < ROUNDS; r++)
      for (const [i, scenario] of scenarios.entries()) {
        const result = await load(scenario, DURATION_S);
        rounds[i].push(result);
        process.stdout.write(
          `round ${r + 1}, ${scenario.name}: ${result.requestsPerSecond} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (${result.total} requests, ${result.errors} errors, ${result.unexpectedStatus} unexpected status)\n`,
        );
      }
    // The median round by throughput, so a scenario's figures come from one run; errors from all rounds.
    const results = rounds.map((runs) => {
      const medianRun = runs.find(
        (r) =>
          r.requestsPerSecond ===
          percentile(
            runs.map((x) => x.requestsPerSecond),
            50,
          ),
      )!;
      return {
        ...medianRun,
        errors: runs.reduce((n, r) => n + r.errors, 0),
        timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
        unexpectedStatus: runs.reduce((n, r) => n + r.unexpectedStatus, 0),
      };
    });
    const [bareResult, authorized, unauthorized, publicRoute] = results;
    const percentOfBare = (r: ScenarioResult) => round((100 * r.requestsPerSecond) / bareResult.requestsPerSecond, 1);
    const figures: Figure[] = [];
    for (const r of results)
      figures.push(
        { name: `${r.name}: throughput`, value: r.requestsPerSecond, unit: 'req/s' },
        { name: `${r.name}: p50 latency`, value: r.p50Ms, unit: 'ms' },
        {
          name: `${r.name}: p99 latency`,
          value: r.p99Ms,
          unit: 'ms',
          target: r === authorized ? { op: '<=', value: P99_TARGET_MS } : undefined,
        },
        {
          name: `${r.name}: errors, timeouts and unexpected statuses`,
          value: r.errors + r.timeouts + r.unexpectedStatus,
          unit: '',
          target: { op: '<=', value: 0 },
        },
      );
    figures.push(
      {
        name: 'authorized throughput, % of bare',
        value: percentOfBare(authorized),
        unit: '%',
        target: { op: '>=', value: RATIO_TARGET_PERCENT },
      },
      { name: 'unauthorized throughput, % of bare', value: percentOfBare(unauthorized), unit: '%' },
      {
        name: 'public route throughput, % of bare',
        value: percentOfBare(publicRoute),
        unit: '%',
        note: 'the same pipeline and mock integration without an authorizer: the gap to the authorized figure is what the token check costs',
      },
    );
    report(
      'gateway-throughput',
      `Gateway throughput: ${CONNECTIONS} connections, ${DURATION_S} s per run, median of ${ROUNDS} interleaved rounds, 127.0.0.1 (latency resolution: 1 ms)`,
      startedAt,
      figures,
      {
        spec: SPEC,
        connections: CONNECTIONS,
        durationSeconds: DURATION_S,
        warmupSeconds: WARMUP_S,
        rounds,
        bodyBytes: Buffer.byteLength(body),
        results,
      },
    );
  } finally {
    await deleteUser(cognito, stack.outputs, user).catch(() => undefined);
    await bare?.server.stop();
    await stack.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

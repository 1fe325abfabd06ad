// Where the gateway's time goes under load: `gatehouse local` run with node --cpu-prof, loaded like
// gateway-throughput.ts (pets' authorized GET /pets and public GET /health, hello-http's aws_proxy GET /hello
// with one token and with a fresh token per request, each on a fresh stack), and the profile summed per
// function over the load window only, as microseconds per request, and per part of the work (self time
// grouped: node's HTTP and the kernel, the gateway's pipeline, the token check, RSA, the Lambda event and
// handler, GC). Run by run-all.ts when a throughput target is missed, or on its own:
// npx tsx bench/gateway-profile.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon is CommonJS with `export =` typings
import autocannon = require('autocannon');
import { REPO_ROOT } from './lib/child';
import { clientNames, createUser, deleteUser, localCognitoClient, signIn } from './lib/cognito-tokens';
import { summarizeProfile, type FunctionTime } from './lib/cpu-profile';
import { cpuTimes, cpuUsPerRequest } from './lib/process-cpu';
import { startStackChild } from './lib/local-stack-child';
import { report, runMain, type Figure } from './lib/report';
import { signInMany, signInTarget } from './lib/sign-in-load';
import { round } from './lib/stats';

const SPEC = 'openapi/pets.yaml';
const LAMBDA_SPEC = 'openapi/hello-http.yaml';
const CONNECTIONS = 50;
const DURATION_S = 5;
const SHOWN = 25;
/** Fresh tokens for the fresh-token scenario (signed in before the load window). */
const FRESH_TOKENS = 4000;

type ScenarioName =
  'authorized GET /pets' | 'public GET /health' | 'GET /hello, one token' | 'GET /hello, fresh tokens';

const SCENARIOS: { name: ScenarioName; spec: string; path: string; token: 'none' | 'one' | 'fresh' }[] = [
  { name: 'authorized GET /pets', spec: SPEC, path: '/pets', token: 'one' },
  { name: 'public GET /health', spec: SPEC, path: '/health', token: 'none' },
  { name: 'GET /hello, one token', spec: LAMBDA_SPEC, path: '/hello', token: 'one' },
  { name: 'GET /hello, fresh tokens', spec: LAMBDA_SPEC, path: '/hello', token: 'fresh' },
];

/** Parts of the work, by the function a sample was in (self time): the first that matches. */
const PARTS: { part: string; test: RegExp }[] = [
  { part: 'RSA verify (node:crypto)', test: /^verifyOneShot|^verify \(node:internal\/crypto/ },
  {
    part: 'token check (authorizer, key store, jws)',
    test: /\(local\/gateway\/(authorizer|key-store|jws|jws-verify|remote-jwks)\.ts\)|\(jose\//,
  },
  {
    part: 'Lambda event, handler and result',
    test: /\(local\/gateway\/(integrations\/lambda[^)]*|claims)\.ts\)|\(lambda\/hello\//,
  },
  { part: 'gateway pipeline (request, route, mock, reply)', test: /\((local|stack|openapi)\// },
  { part: 'garbage collector', test: /^\(garbage collector\)/ },
  { part: "node's HTTP, streams and the kernel (writev, parser)", test: /./ },
];

interface ScenarioProfile {
  scenario: ScenarioName;
  requests: number;
  requestsPerSecond: number;
  busyUsPerRequest: number;
  /** The process's user + system CPU per request over the load (/proc): what it really spent. */
  cpuUsPerRequest: number | null;
  /** Self µs per request of each part of the work (PARTS). */
  parts: { part: string; selfUsPerRequest: number }[];
  /** Inclusive and self µs per request of the functions that cost most. */
  top: { name: string; totalUsPerRequest: number; selfUsPerRequest: number }[];
}

/** Functions worth showing: the gateway's own code, jose, and the kernel write every reply ends in. */
const isEvidence = (f: FunctionTime) =>
  /\((local|openapi|modules|cli|lambda)\/|\(jose\/|verifyOneShot|^writev|^\(garbage collector\)|randomFillSync|^end \(node:_http_outgoing/.test(
    f.name,
  );

async function profileScenario(scenario: (typeof SCENARIOS)[number], workDir: string): Promise<ScenarioProfile> {
  const profileDir = fs.mkdtempSync(path.join(workDir, 'profile-'));
  const stack = await startStackChild(scenario.spec, path.join(profileDir, 'outputs.json'), {
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  });
  const cognito = localCognitoClient(stack.outputs);
  const user = await createUser(cognito, stack.outputs);
  let window: { fromMs: number; toMs: number };
  let requests: number;
  let requestsPerSecond: number;
  let cpuUs: number | null = null;
  try {
    const client = clientNames(stack.outputs).user;
    const { idToken } = await signIn(cognito, stack.outputs, client, user);
    const headers: Record<string, string> = scenario.token === 'one' ? { authorization: idToken } : {};
    const fresh =
      scenario.token === 'fresh' ? await signInMany(signInTarget(stack.outputs, client, user), FRESH_TOKENS, 50) : [];
    let next = 0;
    const pid = stack.server.child.pid;
    const cpuBefore = pid === undefined ? null : cpuTimes(pid);
    const from = performance.now() - stack.spawnedAt;
    const result = await autocannon({
      url: `${stack.outputs.api_url}${scenario.path}`,
      connections: CONNECTIONS,
      headers,
      ...(scenario.token === 'fresh'
        ? {
            amount: fresh.length,
            requests: [
              {
                setupRequest: (request) => ({
                  ...request,
                  headers: { ...request.headers, authorization: fresh[next++] ?? '' },
                }),
              },
            ],
          }
        : { duration: DURATION_S }),
    });
    window = { fromMs: from, toMs: performance.now() - stack.spawnedAt };
    requests = result.requests.total;
    const cpuAfter = pid === undefined ? null : cpuTimes(pid);
    cpuUs = cpuUsPerRequest(cpuBefore, cpuAfter, requests);
    requestsPerSecond = round(result.requests.total / result.duration, 0);
  } finally {
    await deleteUser(cognito, stack.outputs, user).catch(() => undefined);
    await stack.stop();
  }
  // node writes one profile per thread; the main thread's is the largest.
  const [profileFile] = fs
    .readdirSync(profileDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(profileDir, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  if (!profileFile) throw new Error(`no CPU profile was written in ${profileDir}`);
  const summary = summarizeProfile(profileFile, REPO_ROOT, window);
  const perRequest = (ms: number) => round((ms * 1000) / requests, 1);
  const partMs = new Map<string, number>(PARTS.map((p) => [p.part, 0]));
  for (const f of summary.functions) {
    if (f.selfMs === 0 || /^\((idle|root|program)\)/.test(f.name)) continue;
    const part = PARTS.find((p) => p.test.test(f.name))!.part;
    partMs.set(part, partMs.get(part)! + f.selfMs);
  }
  return {
    scenario: scenario.name,
    requests,
    requestsPerSecond,
    busyUsPerRequest: perRequest(summary.sampledMs - summary.idleMs),
    cpuUsPerRequest: cpuUs === null ? null : round(cpuUs, 1),
    parts: [...partMs].map(([part, ms]) => ({ part, selfUsPerRequest: perRequest(ms) })),
    top: summary.functions
      .filter(isEvidence)
      .slice(0, SHOWN)
      .map((f) => ({ name: f.name, totalUsPerRequest: perRequest(f.totalMs), selfUsPerRequest: perRequest(f.selfMs) })),
  };
}

export async function main(): Promise<void> {
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-profile-'));
  try {
    const profiles: ScenarioProfile[] = [];
    for (const scenario of SCENARIOS) profiles.push(await profileScenario(scenario, workDir));
    const byName = (name: ScenarioName) => profiles.find((p) => p.scenario === name)!;
    const tokenCheckUs = round(
      byName('authorized GET /pets').busyUsPerRequest - byName('public GET /health').busyUsPerRequest,
      1,
    );
    const freshExtraUs = round(
      byName('GET /hello, fresh tokens').busyUsPerRequest - byName('GET /hello, one token').busyUsPerRequest,
      1,
    );
    const figures: Figure[] = [
      {
        name: 'cached token check: authorized GET /pets minus public GET /health, CPU per request',
        value: tokenCheckUs,
        unit: 'µs',
        note: 'both are the same mock pipeline; under load every µs here is inflated by the other work on the cores',
      },
      {
        name: 'a fresh token: GET /hello with fresh tokens minus with one token, CPU per request',
        value: freshExtraUs,
        unit: 'µs',
        note: 'decoding, RS256 verification (synchronous node:crypto) and remembering the token',
      },
    ];
    figures.push(
      ...profiles.flatMap((p) => [
        { name: `${p.scenario} under --cpu-prof: throughput`, value: p.requestsPerSecond, unit: 'req/s' },
        {
          name: `${p.scenario}: gateway busy time per request (busy samples / requests)`,
          value: p.busyUsPerRequest,
          unit: 'µs',
          note:
            "V8's profiler samples the main thread in wall time: on a contended machine the time it waits for a " +
            'core inside a loopback write counts to writev; /proc CPU counts every thread (GC helpers, the ' +
            'profiler itself) and only time on a core. Read the two together',
        },
        {
          name: `${p.scenario}: gateway CPU per request (user + system, /proc)`,
          value: p.cpuUsPerRequest,
          unit: 'µs',
        },
      ]),
    );
    const partsTable = {
      title: 'where the time goes: self CPU µs per request, by part of the work',
      rows: [
        ['part', ...profiles.map((p) => p.scenario)],
        ...PARTS.map(({ part }) => [
          part,
          ...profiles.map((p) => String(p.parts.find((x) => x.part === part)!.selfUsPerRequest)),
        ]),
        ['total busy', ...profiles.map((p) => String(p.busyUsPerRequest))],
      ],
    };
    const tables = profiles.map((p) => ({
      title: `${p.scenario}: µs per request, inclusive and self (${p.requests} requests)`,
      rows: [
        ['function (file)', 'inclusive µs', 'self µs'],
        ...p.top.map((f) => [f.name, String(f.totalUsPerRequest), String(f.selfUsPerRequest)]),
      ],
    }));
    report(
      'gateway-profile',
      `Gateway CPU profile: ${CONNECTIONS} connections, ${DURATION_S} s, load window only`,
      startedAt,
      figures,
      { spec: SPEC, lambdaSpec: LAMBDA_SPEC, profiles },
      [...tables, partsTable],
    );
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

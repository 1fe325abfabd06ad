// Where the gateway's time goes under load: `gatehouse local` run with node --cpu-prof, loaded like
// gateway-throughput.ts (authorized, then unauthorized GET /pets, each on a fresh stack), and the profile
// summed per function over the load window only, as microseconds per request. Run by run-all.ts when a
// throughput target is missed, or on its own: npx tsx bench/gateway-profile.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon is CommonJS with `export =` typings
import autocannon = require('autocannon');
import { REPO_ROOT } from './lib/child';
import { clientNames, createUser, deleteUser, localCognitoClient, signIn } from './lib/cognito-tokens';
import { summarizeProfile, type FunctionTime } from './lib/cpu-profile';
import { startStackChild } from './lib/local-stack-child';
import { report, runMain, type Figure } from './lib/report';
import { round } from './lib/stats';

const SPEC = 'openapi/pets.yaml';
const CONNECTIONS = 50;
const DURATION_S = 5;
const SHOWN = 25;

interface ScenarioProfile {
  scenario: string;
  requests: number;
  requestsPerSecond: number;
  busyUsPerRequest: number;
  /** Inclusive and self µs per request of the functions that cost most. */
  top: { name: string; totalUsPerRequest: number; selfUsPerRequest: number }[];
}

/** Functions worth showing: the gateway's own code, jose, and the kernel write every reply ends in. */
const isEvidence = (f: FunctionTime) =>
  /\((local|openapi|modules|cli)\/|\(jose\/|^writev|^\(garbage collector\)|randomFillSync|^end \(node:_http_outgoing/.test(
    f.name,
  );

async function profileScenario(scenario: 'authorized' | 'unauthorized', workDir: string): Promise<ScenarioProfile> {
  const profileDir = fs.mkdtempSync(path.join(workDir, `${scenario}-`));
  const stack = await startStackChild(SPEC, path.join(profileDir, 'outputs.json'), {
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  });
  const cognito = localCognitoClient(stack.outputs);
  const user = await createUser(cognito, stack.outputs);
  let window: { fromMs: number; toMs: number };
  let requests: number;
  let requestsPerSecond: number;
  try {
    const { idToken } = await signIn(cognito, stack.outputs, clientNames(stack.outputs).user, user);
    const headers: Record<string, string> = scenario === 'authorized' ? { authorization: idToken } : {};
    const from = performance.now() - stack.spawnedAt;
    const result = await autocannon({
      url: `${stack.outputs.api_url}/pets`,
      connections: CONNECTIONS,
      duration: DURATION_S,
      headers,
    });
    window = { fromMs: from, toMs: performance.now() - stack.spawnedAt };
    requests = result.requests.total;
    requestsPerSecond = round(result.requests.average, 0);
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
  return {
    scenario,
    requests,
    requestsPerSecond,
    busyUsPerRequest: perRequest(summary.sampledMs - summary.idleMs),
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
    const profiles = [await profileScenario('authorized', workDir), await profileScenario('unauthorized', workDir)];
    const figures: Figure[] = profiles.flatMap((p) => [
      { name: `${p.scenario} GET /pets under --cpu-prof: throughput`, value: p.requestsPerSecond, unit: 'req/s' },
      {
        name: `${p.scenario}: gateway CPU per request (busy samples / requests)`,
        value: p.busyUsPerRequest,
        unit: 'µs',
      },
    ]);
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
      { spec: SPEC, profiles },
      tables,
    );
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

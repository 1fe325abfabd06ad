// Cold start and tokens: `gatehouse local` from command to ready (its ready line and its outputs file),
// in-process startLocalStack's own coldStartMs, and the time per token from the local Cognito: InitiateAuth
// (USER_PASSWORD_AUTH) and the client_credentials grant, each over CALLS sequential calls after a warm-up.
// Run: npx tsx bench/cold-start.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureCommand } from './lib/child';
import {
  clientCredentialsToken,
  clientNames,
  createUser,
  deleteUser,
  localCognitoClient,
  signIn,
} from './lib/cognito-tokens';
import { startStackChild } from './lib/local-stack-child';
import { report, runMain, type Figure } from './lib/report';
import { mean, percentile, round } from './lib/stats';

const SPEC = 'openapi/pets.yaml';
const STARTS = Number(process.env.BENCH_COLD_STARTS || 3);
const CALLS = Number(process.env.BENCH_TOKEN_CALLS || 200);
const WARMUP_CALLS = 5;
const READY_TARGET_MS = 2000;
const TOKEN_TARGET_MS = 10;

async function timeCalls(calls: number, call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP_CALLS; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** The in-process start, in a fresh process so module loading is cold too. */
async function inProcessStart(outputsFile: string): Promise<{ importMs: number; coldStartMs: number }> {
  const script = `
    const t0 = performance.now();
    const { startLocalStack } = require('./local/stack');
    const t1 = performance.now();
    startLocalStack({ spec: ${JSON.stringify(SPEC)}, outputsFile: ${JSON.stringify(outputsFile)} }).then(async (stack) => {
      process.stdout.write(JSON.stringify({ importMs: t1 - t0, coldStartMs: stack.coldStartMs }) + '\\n');
      await stack.stop();
    });`;
  const run = await measureCommand('node', ['--require', 'tsx/cjs', '-e', script]);
  const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
  if (run.exitCode !== 0 || !line)
    throw new Error(`in-process startLocalStack failed (exit ${run.exitCode}):\n${run.stderr.slice(-2000)}`);
  return JSON.parse(line) as { importMs: number; coldStartMs: number };
}

export async function main(): Promise<void> {
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-cold-'));
  try {
    const starts: { readyLineMs: number; outputsFileMs: number }[] = [];
    for (let i = 0; i < STARTS; i++) {
      const stack = await startStackChild(SPEC, path.join(workDir, `outputs-${i}.json`));
      starts.push({ readyLineMs: round(stack.readyLineMs, 0), outputsFileMs: round(stack.outputsFileMs, 0) });
      await stack.stop();
      process.stdout.write(
        `gatehouse local start ${i + 1}: ready line after ${Math.round(stack.readyLineMs)} ms, outputs file after ${Math.round(stack.outputsFileMs)} ms\n`,
      );
    }
    const inProcess = [];
    for (let i = 0; i < STARTS; i++) {
      inProcess.push(await inProcessStart(path.join(workDir, `in-process-${i}.json`)));
      process.stdout.write(
        `startLocalStack ${i + 1}: coldStartMs ${Math.round(inProcess[i].coldStartMs)} ms (after ${Math.round(inProcess[i].importMs)} ms loading local/stack)\n`,
      );
    }

    const stack = await startStackChild(SPEC, path.join(workDir, 'outputs.json'));
    const { outputs } = stack;
    const cognito = localCognitoClient(outputs);
    const user = await createUser(cognito, outputs);
    let initiateAuth: number[];
    let clientCredentials: number[];
    try {
      const { user: userClient, machine } = clientNames(outputs);
      const scopes = outputs.clients[machine].oauth_scopes;
      initiateAuth = await timeCalls(CALLS, () => signIn(cognito, outputs, userClient, user));
      clientCredentials = await timeCalls(CALLS, () => clientCredentialsToken(outputs, machine, scopes));
    } finally {
      await deleteUser(cognito, outputs, user).catch(() => undefined);
      await stack.stop();
    }

    const median = (xs: number[]) => round(percentile(xs, 50), 0);
    const figures: Figure[] = [
      {
        name: `gatehouse local: command to ready line (median of ${STARTS})`,
        value: median(starts.map((s) => s.readyLineMs)),
        unit: 'ms',
        target: { op: '<=', value: READY_TARGET_MS },
      },
      {
        name: `gatehouse local: command to outputs file (median of ${STARTS})`,
        value: median(starts.map((s) => s.outputsFileMs)),
        unit: 'ms',
        target: { op: '<=', value: READY_TARGET_MS },
      },
      {
        name: `startLocalStack coldStartMs, in process (median of ${STARTS})`,
        value: median(inProcess.map((s) => s.coldStartMs)),
        unit: 'ms',
        target: { op: '<=', value: READY_TARGET_MS },
      },
      { name: 'loading local/stack before that (median)', value: median(inProcess.map((s) => s.importMs)), unit: 'ms' },
      {
        name: `InitiateAuth USER_PASSWORD_AUTH, mean of ${CALLS}`,
        value: round(mean(initiateAuth), 2),
        unit: 'ms',
        target: { op: '<=', value: TOKEN_TARGET_MS },
      },
      {
        name: `InitiateAuth USER_PASSWORD_AUTH, p99 of ${CALLS}`,
        value: round(percentile(initiateAuth, 99), 2),
        unit: 'ms',
        target: { op: '<=', value: TOKEN_TARGET_MS },
      },
      {
        name: `client_credentials token, mean of ${CALLS}`,
        value: round(mean(clientCredentials), 2),
        unit: 'ms',
        target: { op: '<=', value: TOKEN_TARGET_MS },
      },
      {
        name: `client_credentials token, p99 of ${CALLS}`,
        value: round(percentile(clientCredentials, 99), 2),
        unit: 'ms',
        target: { op: '<=', value: TOKEN_TARGET_MS },
      },
    ];
    report('cold-start', `Cold start and tokens: ${SPEC} on the local stack`, startedAt, figures, {
      spec: SPEC,
      command: 'node bin/gatehouse.js local --spec openapi/pets.yaml --outputs <tmp>',
      starts,
      inProcess: inProcess.map((s) => ({ importMs: round(s.importMs, 0), coldStartMs: round(s.coldStartMs, 0) })),
      tokenCalls: CALLS,
      warmupCalls: WARMUP_CALLS,
      initiateAuthMs: {
        mean: round(mean(initiateAuth), 2),
        p50: round(percentile(initiateAuth, 50), 2),
        p99: round(percentile(initiateAuth, 99), 2),
        max: round(Math.max(...initiateAuth), 2),
      },
      clientCredentialsMs: {
        mean: round(mean(clientCredentials), 2),
        p50: round(percentile(clientCredentials, 50), 2),
        p99: round(percentile(clientCredentials, 99), 2),
        max: round(Math.max(...clientCredentials), 2),
      },
    });
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

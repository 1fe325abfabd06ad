// Faults around the contract harness, each with real processes: the local stack killed (kill -9) while the
// harness runs against it (the harness must still write its report; the next stack to start must remove
// the dead one's data directory, which holds a password and client secrets), and the harness itself killed
// once it has created its test user (the next harness run must sweep that user).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListUsersCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { TEST_USER_PREFIX } from '../../contract-tests/sweep';
import type { StackOutputs } from '../../stack/outputs';
import { startServer, type Server } from '../lib/child';
import { localCognitoClient } from '../lib/cognito-tokens';
import { startStackChild, DEV_CLI, type StackChild } from '../lib/local-stack-child';
import { dataDirectoriesOf } from '../lib/process-stats';

const SPEC = 'openapi/pets.yaml';

export interface FaultOutcome {
  name: string;
  survived: boolean;
  /** Reports that should exist and do not (or do not parse). */
  dataLost: number;
  /** Test users the harness left that no later run removed. */
  usersLeft: number;
  /** Data directories of killed stacks still on disk after the next stack started. */
  dataDirectoriesLeft: number;
  detail: string;
}

async function harnessUsers(cognito: CognitoIdentityProviderClient, outputs: StackOutputs): Promise<string[]> {
  const page = await cognito.send(
    new ListUsersCommand({ UserPoolId: outputs.user_pool_id, Filter: `email ^= "${TEST_USER_PREFIX}"` }),
  );
  return (page.Users ?? []).map((u) => u.Username!);
}

interface HarnessRun {
  server: Server;
  exited: Promise<number | null>;
  output: () => string;
}

function startHarness(outputsFile: string, reportFile: string, extra: string[] = []): HarnessRun {
  let output = '';
  const server = startServer(
    'node',
    [
      DEV_CLI,
      'contract',
      '--spec',
      SPEC,
      '--outputs',
      outputsFile,
      '--json',
      reportFile,
      '--concurrency',
      '2',
      ...extra,
    ],
    {
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      onOutput: (text) => (output += text),
    },
  );
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  return { server, exited, output: () => output };
}

/** Longer than a harness run of pets.yaml takes, even on a loaded machine; a run still going then is hung. */
const HARNESS_TIMEOUT_MS = 90_000;

/** The run's exit code, or 'hung' when it has not exited within `ms` (the timer is cleared either way). */
async function exitWithin(run: HarnessRun, ms: number): Promise<number | null | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)));
  try {
    return await Promise.race([run.exited, hung]);
  } finally {
    clearTimeout(timer);
  }
}

function killGroup(server: Server): void {
  try {
    process.kill(-server.child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function until(what: string, predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function reportWritten(file: string): boolean {
  try {
    JSON.parse(fs.readFileSync(file, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

/** Stack killed mid-run, then the next stack's start; returns the outcome and the next stack (left running). */
async function stackKilled(workDir: string): Promise<{ outcome: FaultOutcome; next: StackChild }> {
  const outputsFile = path.join(workDir, 'killed-stack.json');
  const stack = await startStackChild(SPEC, outputsFile);
  const cognito = localCognitoClient(stack.outputs);
  const report = path.join(workDir, 'stack-killed.report.json');
  const harness = startHarness(outputsFile, report);
  let next: StackChild | undefined;
  try {
    await until(
      'the harness to create its test user',
      async () => (await harnessUsers(cognito, stack.outputs)).length > 0,
      60_000,
    );
    const pid = stack.server.child.pid!;
    const killedDirectories = dataDirectoriesOf(pid);
    killGroup(stack.server);
    const started = Date.now();
    const code = await exitWithin(harness, HARNESS_TIMEOUT_MS);
    const verdictMs = Date.now() - started;
    if (code === 'hung') killGroup(harness.server);
    next = await startStackChild(SPEC, path.join(workDir, 'next-stack.json'));
    const left = killedDirectories.filter((dir) => fs.existsSync(dir)).length;
    const written = reportWritten(report);
    return {
      outcome: {
        name: 'stack killed mid-run (kill -9)',
        survived: code !== 'hung' && written,
        dataLost: written ? 0 : 1,
        usersLeft: 0,
        dataDirectoriesLeft: left + (killedDirectories.length === 0 ? 1 : 0),
        detail: `harness exit ${String(code)} ${verdictMs} ms after the kill, report ${written ? 'written' : 'LOST'}; killed stack's data directory ${left === 0 && killedDirectories.length > 0 ? 'removed by the next start' : 'LEFT'}`,
      },
      next,
    };
  } catch (error) {
    killGroup(harness.server);
    await stack.stop();
    await next?.stop();
    throw error;
  } finally {
    cognito.destroy();
  }
}

/** The harness killed once its user exists; the next run (sweeping at age 0) must remove that user. */
async function harnessKilled(workDir: string, stack: StackChild): Promise<FaultOutcome> {
  const outputsFile = path.join(workDir, 'next-stack.json');
  const cognito = localCognitoClient(stack.outputs);
  try {
    const first = startHarness(outputsFile, path.join(workDir, 'killed-harness.report.json'));
    let victims: string[] = [];
    await until(
      'the harness to create its test user',
      async () => (victims = await harnessUsers(cognito, stack.outputs)).length > 0,
      60_000,
    );
    killGroup(first.server);
    await first.exited;
    const leftByKill = await harnessUsers(cognito, stack.outputs);
    const report = path.join(workDir, 'sweeping-run.report.json');
    const second = startHarness(outputsFile, report, ['--sweep-older-than', '0', '--only', 'listPets']);
    const code = await exitWithin(second, HARNESS_TIMEOUT_MS);
    if (code === 'hung') killGroup(second.server);
    const written = reportWritten(report);
    const swept = written
      ? ((JSON.parse(fs.readFileSync(report, 'utf8')) as { sweep?: { swept?: string[] } }).sweep?.swept ?? [])
      : [];
    const remaining = await harnessUsers(cognito, stack.outputs);
    return {
      name: 'harness killed (kill -9) after creating its user',
      survived: code !== 'hung' && written && remaining.length === 0,
      dataLost: written ? 0 : 1,
      usersLeft: remaining.length,
      dataDirectoriesLeft: 0,
      detail: `the kill left ${leftByKill.length} test user(s) (${victims.length} seen); the next run (exit ${String(code)}) swept ${swept.length}, ${remaining.length} left`,
    };
  } finally {
    cognito.destroy();
  }
}

export async function runHarnessFaults(): Promise<FaultOutcome[]> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-stress-harness-'));
  try {
    const { outcome, next } = await stackKilled(workDir);
    try {
      return [outcome, await harnessKilled(workDir, next)];
    } finally {
      await next.stop();
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

// The harness never loses a report and never leaves a user behind (issue 14, item 6), against the real local
// stack: the stack stopped mid-run (the checks that ran are reported, the rest "not run" with one verdict, the
// user that could not be deleted is an error of its own, exit 3 with every report written), a stack down before
// the run, a Cognito that is not there, and the users of earlier runs swept: one made old on the local
// Cognito's clock, and one a `kill -9`ed CLI left.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { runCommand } from '../cli/program';
import { exitCodeOfReport, writeReports } from '../cli/contract';
import { exitCodeOf } from '../cli/errors';
import { isFinalNetworkError, networkCode } from './reachability';
import type { ContractReport } from './report';
import { runContract } from './run';
import { parseDuration } from './sweep';
import { startFaultProxy } from './testing/fault-proxy';
import { cognitoAdmin, LOCAL_CREDENTIALS, listUsers, startTestStack } from './testing/local-stack';
import { startLocalStack } from '../local/stack';

const ROOT = path.join(__dirname, '..');
const PETS = path.join(ROOT, 'openapi', 'pets.yaml');
const credentials = async () => LOCAL_CREDENTIALS;
process.env.AWS_EC2_METADATA_DISABLED = 'true';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-resilience-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function quietly<T>(body: () => Promise<T>): Promise<{ result: T; stdout: string }> {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { result: await body(), stdout: out.join('\n') };
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
}

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const reportsIn = (dir: string) => ({
  json: path.join(dir, 'r', 'contract.json'),
  junit: path.join(dir, 'r', 'contract.xml'),
  html: path.join(dir, 'r', 'contract.html'),
});

test('the stack stopped mid-run: the checks that ran are reported, the rest are not run with one unreachable verdict, the user left is its own error, exit 3 with every report', async () => {
  const stack = await startTestStack(PETS);
  let stopping: Promise<void> | undefined;
  let seen = 0;
  const report = await runContract({
    spec: PETS,
    outputs: stack.outputs,
    credentials,
    concurrency: 2,
    onResult: () => {
      if (++seen === 3) stopping = stack.stop();
    },
  });
  await stopping;
  expect(report.unreachable).toMatchObject({ code: 'ECONNREFUSED' });
  expect(report.unreachable!.message).toMatch(/unreachable: nothing answers at http:\/\/127\.0\.0\.1:\d+/);
  expect(report.results.length).toBeGreaterThanOrEqual(3);
  // A check that got no answer because the stack was gone is no finding: it is "not run", with the verdict.
  expect(report.results.filter((r) => r.problems.some((p) => p.startsWith('error:')))).toEqual([]);
  const notRun = report.omitted.filter((o) => o.reason.startsWith('not run: '));
  expect(notRun.length).toBeGreaterThan(0);
  for (const o of notRun) expect(o.reason).toBe(`not run: ${report.unreachable!.message}`);
  // The test user could not be deleted (its Cognito is gone): an error of its own, the report kept.
  expect(report.errors).toEqual([
    expect.stringMatching(/^cleanup: could not delete the test user\(s\) gatehouse-contract-/),
  ]);

  const files = reportsIn(tmp);
  expect(writeReports(report, files, () => undefined)).toBe(true);
  expect(exitCodeOfReport(report)).toBe(3);
  const json = JSON.parse(fs.readFileSync(files.json, 'utf8')) as ContractReport;
  expect(json.results).toHaveLength(report.results.length);
  expect(json.unreachable).toEqual(report.unreachable);
  expect(fs.readFileSync(files.junit, 'utf8')).toMatch(
    /<testsuite name="gatehouse contract run" tests="2" failures="0" errors="2">[\s\S]*<error message="API unreachable: [\s\S]*<error message="cleanup: could not delete/,
  );
  expect(fs.readFileSync(files.html, 'utf8')).toMatch(
    /<li class="note-unreachable"><strong>Unreachable:<\/strong> API unreachable/,
  );
}, 120_000);

test('gatehouse contract against a stack that is down: exit 3, the verdict in the table, and the JSON, JUnit and HTML reports written', async () => {
  const stack = await startTestStack(PETS);
  const outputs = path.join(tmp, 'outputs.json');
  fs.copyFileSync(stack.outputsFile, outputs);
  await stack.stop();
  const files = reportsIn(tmp);
  const { result, stdout } = await quietly(() =>
    runCommand(
      'contract',
      ['--spec', PETS, '--outputs', outputs, '--json', files.json, '--junit', files.junit, '--html', files.html],
      process.env,
    ),
  );
  expect(result).toBe(3);
  expect(stdout).toMatch(
    /UNREACHABLE: API unreachable: nothing answers at http:\/\/127\.0\.0\.1:\d+\/prod \(ECONNREFUSED\)/,
  );
  const json = JSON.parse(fs.readFileSync(files.json, 'utf8')) as ContractReport;
  expect(json).toMatchObject({ results: [], unreachable: { target: 'API', code: 'ECONNREFUSED' } });
  expect(json.omitted.filter((o) => o.reason.startsWith('not run: API unreachable')).length).toBeGreaterThan(10);
  expect(fs.existsSync(files.junit) && fs.existsSync(files.html)).toBe(true);
}, 60_000);

test('a Cognito that is not there, behind an API that answers: the verdict names Cognito', async () => {
  const stack = await startTestStack(PETS);
  try {
    const gone = `http://127.0.0.1:${await closedPort()}`;
    const report = await runContract({
      spec: PETS,
      outputs: { ...stack.outputs, cognito_endpoint: gone },
      credentials,
    });
    expect(report.unreachable).toEqual({
      target: 'Cognito',
      url: gone,
      code: 'ECONNREFUSED',
      message: expect.stringContaining(`Cognito unreachable: nothing answers at ${gone} (ECONNREFUSED)`),
    });
    expect(report.results).toEqual([]);
    expect(exitCodeOfReport(report)).toBe(3);
  } finally {
    await stack.stop();
  }
}, 60_000);

test('refused connections and unknown hosts are final; resets and timeouts are retried', () => {
  const fetchFailed = (code: string) =>
    new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) });
  expect(isFinalNetworkError(fetchFailed('ECONNREFUSED'))).toBe(true);
  expect(isFinalNetworkError(fetchFailed('ENOTFOUND'))).toBe(true);
  expect(isFinalNetworkError(fetchFailed('ECONNRESET'))).toBe(false);
  // Happy eyeballs: the socket errors arrive together, in an AggregateError.
  const aggregate = new TypeError('fetch failed', {
    cause: new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1'), { code: 'ECONNREFUSED' })]),
  });
  expect(networkCode(aggregate)).toBe('ECONNREFUSED');
  expect(networkCode(new DOMException('The operation timed out.', 'TimeoutError'))).toBe('timeout');
  expect(isFinalNetworkError(new DOMException('The operation timed out.', 'TimeoutError'))).toBe(false);
});

test('a --sweep-older-than that is no duration is bad input (exit 2), before anything is sent', async () => {
  const error: unknown = await runContract({ spec: PETS, outputsFile: 'never-read.json', sweepOlderThan: '1y' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(exitCodeOf(error)).toBe(2);
  expect((error as Error).message).toMatch(
    /--sweep-older-than \[sweep-older-than\]\n {2}Not a duration \(received: 1y\)\./,
  );
});

test('--sweep-older-than takes 0, a number with a unit, or a sum of them', () => {
  expect(parseDuration('0')).toBe(0);
  expect(parseDuration('90s')).toBe(90_000);
  expect(parseDuration('1h30m')).toBe(5_400_000);
  expect(parseDuration('2d')).toBe(172_800_000);
  for (const bad of ['', '1', 'h', '-1h', '1 h', '1y']) expect([bad, parseDuration(bad)]).toEqual([bad, undefined]);
});

test("a run sweeps the harness's users older than the age (by Cognito's UserCreateDate), names the younger it leaves, and never touches another user", async () => {
  const clock = { offset: 0, now: () => Date.now() + clock.offset };
  const stack = await startLocalStack({ spec: PETS, clock: () => clock.now() });
  const admin = cognitoAdmin(stack.outputs);
  const create = (email: string) =>
    admin.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.outputs.user_pool_id,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
  try {
    const old = 'gatehouse-contract-0123456789ab@example.com';
    const young = 'gatehouse-contract-ba9876543210@example.com';
    // Created two hours ago on the local Cognito's clock, as by a run killed then.
    clock.offset = -2 * 3600 * 1000;
    await create(old);
    clock.offset = 0;
    await create(young);
    // Not the harness's: another prefix, and the harness's prefix on a name of another form.
    await create('someone@example.com');
    await create('gatehouse-contract-someone-else@example.com');
    const options = {
      spec: PETS,
      outputs: stack.outputs,
      credentials,
      cases: ['valid-token' as const],
      now: clock.now,
    };

    const first = await runContract(options);
    expect(first.failed).toBe(0);
    expect(first.sweep).toEqual({
      olderThan: '1h',
      swept: [`${old} in ${stack.outputs.user_pool_id}`],
      left: [{ pool: stack.outputs.user_pool_id, user: young, createdAt: expect.any(String) }],
      failures: [],
    });
    const emails = async () => (await listUsers(stack.outputs)).map((u) => u.email).sort();
    expect(await emails()).toEqual(
      [young, 'gatehouse-contract-someone-else@example.com', 'someone@example.com'].sort(),
    );

    const second = await runContract({ ...options, sweepOlderThan: '0' });
    expect(second.sweep).toMatchObject({
      olderThan: '0',
      swept: [`${young} in ${stack.outputs.user_pool_id}`],
      left: [],
    });
    expect(await emails()).toEqual(['gatehouse-contract-someone-else@example.com', 'someone@example.com']);
  } finally {
    admin.destroy();
    await stack.stop();
  }
}, 120_000);

test('the user a `kill -9`ed CLI left is named by the next run, and swept by the one after with --sweep-older-than 0', async () => {
  const stack = await startTestStack(PETS);
  // Every API answer held 2 s, so the run is surely under way when the kill comes.
  const slow = await startFaultProxy(stack.outputs.api_url, { delayMs: 2000 });
  try {
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'gatehouse.js'),
        'contract',
        '--spec',
        PETS,
        '--outputs',
        stack.outputsFile,
        '--api-url',
        slow.url,
      ],
      { cwd: ROOT, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const lines = readline.createInterface({ input: child.stderr! });
    const created = new Promise<void>((resolve) =>
      lines.on('line', (line) => {
        if (line.startsWith('created test user')) resolve();
      }),
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    await created;
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const users = await listUsers(stack.outputs);
    expect(users.map((u) => u.email)).toEqual([
      expect.stringMatching(/^gatehouse-contract-[0-9a-f]{12}@example\.com$/),
    ]);
    const left = users[0].email!;

    const files = reportsIn(tmp);
    const run = (extra: string[]) =>
      quietly(() =>
        runCommand(
          'contract',
          ['--spec', PETS, '--outputs', stack.outputsFile, '--cases', 'valid-token', '--json', files.json, ...extra],
          process.env,
        ),
      );
    expect((await run([])).result).toBe(0);
    const named = JSON.parse(fs.readFileSync(files.json, 'utf8')) as ContractReport;
    expect(named.sweep).toMatchObject({ olderThan: '1h', swept: [], left: [{ user: left }] });

    const { result, stdout } = await run(['--sweep-older-than', '0']);
    expect(result).toBe(0);
    expect(stdout).toContain(
      `swept 1 test user that earlier runs left (older than 0): ${left} in ${stack.outputs.user_pool_id}`,
    );
    expect(await listUsers(stack.outputs)).toEqual([]);
  } finally {
    await slow.stop();
    await stack.stop();
  }
}, 120_000);

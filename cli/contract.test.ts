// `gatehouse contract` against the real local stack: exit codes, reports on disk, input errors naming the
// file and the fix, and the ephemeral user deleted when the CLI process is killed with SIGTERM mid-run.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { runCommand } from './program';

const run = (argv: string[], env: NodeJS.ProcessEnv = process.env) => runCommand('contract', argv, env);
import { InputError } from '../openapi/model/problems';
import { UsageError, exitCodeOf } from './errors';
import { startFaultProxy } from '../contract-tests/testing/fault-proxy';
import { listUsers, startTestStack, type TestStack } from '../contract-tests/testing/local-stack';

const ROOT = path.join(__dirname, '..');
const PETS = path.join(ROOT, 'openapi', 'pets.yaml');
const HELLO = path.join(ROOT, 'openapi', 'hello-http.yaml');
// No instance-metadata probe on a machine that has none: keeps the default chain quick.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function quietly<T>(body: () => Promise<T>): Promise<{ result: T; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const write = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
  try {
    return { result: await body(), stdout: out.join('\n'), stderr: err.join('') };
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
}

describe('against a running stack', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(HELLO);
  });
  afterAll(() => stack?.stop());

  test('exit 0 when every check passes, with a progress line per check, a table, JUnit and JSON', async () => {
    const junit = path.join(tmp, 'reports', 'contract.xml');
    const json = path.join(tmp, 'reports', 'contract.json');
    const { result, stdout, stderr } = await quietly(() =>
      run(['--spec', HELLO, '--outputs', stack.outputsFile, '--junit', junit, '--json', json]),
    );
    expect(result).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as { results: unknown[]; failed: number };
    expect(report.failed).toBe(0);
    expect(stderr.split('\n').filter((l) => /^PASS /.test(l))).toHaveLength(report.results.length);
    expect(stdout).toMatch(/^operation\s+check\s+expected\s+got\s+result/m);
    expect(fs.readFileSync(junit, 'utf8')).toMatch(
      new RegExp(`<testsuites name="gatehouse contract" tests="${report.results.length}" failures="0"`),
    );
  });

  test('exit 1 when a check fails: a stack-keyed outputs file with --api-url naming a stage that was never deployed', async () => {
    const outputs = JSON.parse(fs.readFileSync(stack.outputsFile, 'utf8')) as Record<string, unknown>;
    const file = path.join(tmp, 'outputs.json');
    fs.writeFileSync(file, JSON.stringify({ HelloStack: outputs, OtherStack: outputs }));
    const wrongStage = `${new URL(stack.outputs.api_url).origin}/staging`;
    const { result, stdout } = await quietly(() =>
      run(['--spec', HELLO, '--outputs', file, '--stack', 'HelloStack', '--api-url', wrongStage, '--only', 'ping']),
    );
    expect(result).toBe(1);
    expect(stdout).toMatch(/^ping\s+public-no-token\s+200\s+404\s+FAIL$/m);
    expect(stdout).toContain('0 passed, 1 failed');
  });

  test('--cases runs only the checks named: the no-token / valid-token pair', async () => {
    const json = path.join(tmp, 'pair.json');
    const { result } = await quietly(() =>
      run([
        '--spec',
        HELLO,
        '--outputs',
        stack.outputsFile,
        '--cases',
        'no-token,valid-token,public-no-token',
        '--json',
        json,
      ]),
    );
    expect(result).toBe(0);
    const report = JSON.parse(fs.readFileSync(json, 'utf8')) as { results: { name: string }[] };
    // hello-http.yaml: sayHello and listReports are secured, ping is public.
    expect(report.results.map((r) => r.name).sort()).toEqual([
      'listReports no-token',
      'listReports valid-token',
      'ping public-no-token',
      'sayHello no-token',
      'sayHello valid-token',
    ]);
  });

  test('exit 2 for bad input, naming the file or flag, the rule, the value received and the fix', async () => {
    const several = path.join(tmp, 'several.json');
    fs.writeFileSync(several, JSON.stringify({ A: stack.outputs, B: stack.outputs }));
    const broken = path.join(tmp, 'broken.json');
    const { clients: _clients, ...withoutClients } = stack.outputs;
    fs.writeFileSync(broken, JSON.stringify(withoutClients));
    const config = path.join(tmp, 'gatehouse.config.yaml');
    fs.writeFileSync(config, 'contract:\n  operations:\n    noSuchOperation:\n      path: { id: 1 }\n');
    // Problems (outputs, config, flags) are InputErrors printed by formatProblems; misuse of the command
    // line itself is a UsageError with the usage. Both exit 2.
    const cases: [string[], typeof InputError | typeof UsageError, RegExp][] = [
      [
        ['--spec', HELLO, '--outputs', path.join(tmp, 'missing.json')],
        InputError,
        /missing\.json \[outputs-file-missing\]\n {2}No outputs file here\.\n {2}fix: /,
      ],
      [
        ['--spec', HELLO, '--outputs', several],
        InputError,
        /several\.json \[outputs-stack\]\n {2}Holds the outputs of several stacks \(A, B\)\.\n {2}fix: Choose one with --stack/,
      ],
      [
        ['--spec', HELLO, '--outputs', broken],
        InputError,
        /broken\.json#\/clients \[outputs-field\]\n {2}Missing\.\n {2}fix: /,
      ],
      [
        ['--spec', HELLO, '--outputs', stack.outputsFile, '--config', config],
        InputError,
        /gatehouse\.config\.yaml#\/contract\/operations\/noSuchOperation \[config-unknown-operation\]\n {2}"noSuchOperation" is no operation/,
      ],
      [
        ['--spec', HELLO, '--outputs', stack.outputsFile, '--only', 'nope'],
        InputError,
        /--only \[only-unknown-operation\]\n {2}No such operation in .* \(received: nope\)\.\n {2}fix: Use an operationId/,
      ],
      [
        ['--spec', PETS, '--outputs', stack.outputsFile],
        InputError,
        /#\/api_kind \[outputs-api-kind\]\n {2}The outputs are those of a stack whose api_kind is "http", but .*pets\.yaml describes a rest API \(received: "http"\)\./,
      ],
      [
        ['--spec', HELLO, '--outputs', stack.outputsFile, '--user', 'someone'],
        InputError,
        /--user \[usage\]\n {2}The user "someone" needs a password, and GATEHOUSE_USER_PASSWORD is not set\./,
      ],
      [
        ['--spec', HELLO, '--outputs', stack.outputsFile, '--concurrency', '0'],
        InputError,
        /--concurrency \[usage\]\n {2}Expected a whole number from 1 to 64 \(received: 0\)\./,
      ],
      [['--spec', HELLO], InputError, /--outputs \[usage\]\n {2}No outputs file given/],
      [['--spec', HELLO, '--outputs', stack.outputsFile, '--password', 'x'], UsageError, /unknown option '--password'/],
      [
        ['--spec', HELLO, '--outputs', stack.outputsFile, '--cases', 'no-token,no-such-check'],
        InputError,
        /--cases \[usage\]\n {2}No check named no-such-check \(received: no-token,no-such-check\)\.\n {2}fix: Use some of /,
      ],
    ];
    for (const [argv, kind, message] of cases) {
      const error: unknown = await run(argv, {}).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect([argv, error]).toEqual([argv, expect.any(kind)]);
      expect([argv, exitCodeOf(error)]).toEqual([argv, 2]);
      expect((error as Error).message).toMatch(message);
    }
  });
});

test('SIGTERM mid-run (the real CLI process) deletes the ephemeral test user from the local Cognito before exiting', async () => {
  const stack = await startTestStack(PETS);
  // Every API answer held 2 s on its way from the real gateway, so the run is surely under way when the signal comes.
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
      {
        cwd: ROOT,
        env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const stdout: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
    const stderr: string[] = [];
    const lines = readline.createInterface({ input: child.stderr! });
    const created = new Promise<void>((resolve) =>
      lines.on('line', (line) => {
        stderr.push(line);
        if (line.startsWith('created test user')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await created;
    const during = await listUsers(stack.outputs);
    expect(during.map((u) => u.email)).toEqual([
      expect.stringMatching(/^gatehouse-contract-[0-9a-f]{12}@example\.com$/),
    ]);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(stderr.join('\n')).toMatch(/SIGTERM, deleting test users[\s\S]*deleted test user gatehouse-contract-/);
    // Killed mid-run: no check had finished, so no report was printed.
    expect(stderr.filter((l) => /^(PASS|FAIL) /.test(l))).toEqual([]);
    expect(stdout.join('')).not.toMatch(/passed, .* failed/);
    expect(await listUsers(stack.outputs)).toEqual([]);
  } finally {
    await slow.stop();
    await stack.stop();
  }
});

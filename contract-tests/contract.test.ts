// The contract checks as a jest suite: one test per operation and check, requests sent with supertest.
// Runs against GATEHOUSE_SPEC + GATEHOUSE_OUTPUTS (a deployed stack's outputs) when both are set; else
// against the local stack (local/stack.ts) of each example document, started by testing/serve-stack.ts —
// the local stack or nothing: if it cannot start, the suite fails. Jest collects tests synchronously, so the
// stacks are started and the plans' check names read in child processes before the tests are defined; the
// checks themselves run in this process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { createHarness, type Harness } from './harness';

const ROOT = path.join(__dirname, '..');
const TSX = require.resolve('tsx/cli');
const EXAMPLES = ['openapi/pets.yaml', 'openapi/hello-http.yaml'];
const STACK_START_TIMEOUT_MS = 60_000;

interface Target {
  spec: string;
  outputsFile: string;
  stackName: 'local' | 'given';
}

interface PlannedCheck {
  name: string;
  operation: string;
  case: string;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Starts the local stacks of `specs` in one child process and waits (synchronously) until all are up. */
function startLocalStacksSync(specs: string[]): { child: ChildProcess; targets: Target[] } {
  const ready = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-suite-')), 'ready.json');
  const child = spawn(process.execPath, [TSX, path.join(__dirname, 'testing', 'serve-stack.ts'), ready, ...specs], {
    cwd: ROOT,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + STACK_START_TIMEOUT_MS;
  while (!fs.existsSync(ready)) {
    // exitCode is not updated while this thread blocks; signal 0 asks the OS whether the child still lives.
    let alive = true;
    try {
      process.kill(child.pid!, 0);
    } catch {
      alive = false;
    }
    if (!alive || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the local stack for ${specs.join(', ')} did not start (see serve-stack output above)`);
    }
    sleepSync(100);
  }
  const started = JSON.parse(fs.readFileSync(ready, 'utf8')) as { spec: string; outputsFile: string }[];
  fs.rmSync(path.dirname(ready), { recursive: true, force: true });
  return { child, targets: started.map((s) => ({ ...s, stackName: 'local' })) };
}

function targets(): { child?: ChildProcess; targets: Target[] } {
  const { GATEHOUSE_SPEC: spec, GATEHOUSE_OUTPUTS: outputsFile } = process.env;
  if (spec && outputsFile) return { targets: [{ spec, outputsFile, stackName: 'given' }] };
  if (spec || outputsFile)
    throw new Error(
      'set both GATEHOUSE_SPEC and GATEHOUSE_OUTPUTS, or neither (to run against local stacks the suite starts)',
    );
  return startLocalStacksSync(EXAMPLES.map((example) => path.join(ROOT, example)));
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];
// Every planned check of these kinds reaches the authorizer: enough to tell a plan that tests an operation
// from one that lists it. Read from the document itself, so the expectation does not come from buildPlan.
const SECURED_CASES = ['no-token', 'malformed', 'valid-token', 'valid-token-bearer', 'alg-none', 'tampered-payload'];
const PUBLIC_CASES = ['public-no-token'];

/** Operation id -> the cases the plan must hold for it, from the raw document (YAML or JSON). */
function requiredCases(spec: string): Record<string, string[]> {
  type Op = { operationId?: string; security?: unknown[] };
  const doc = parseYaml(fs.readFileSync(spec, 'utf8')) as {
    security?: unknown[];
    paths?: Record<string, Record<string, Op>>;
  };
  const required: Record<string, string[]> = {};
  for (const item of Object.values(doc.paths ?? {}))
    for (const [method, op] of Object.entries(item))
      if (METHODS.includes(method) && op.operationId)
        required[op.operationId] = (op.security ?? doc.security ?? []).length === 0 ? PUBLIC_CASES : SECURED_CASES;
  return required;
}

function plannedChecks(all: Target[]): PlannedCheck[][] {
  const text = execFileSync(
    process.execPath,
    [TSX, path.join(__dirname, 'testing', 'plan-names.ts'), ...all.flatMap((t) => [t.spec, t.outputsFile])],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(text) as PlannedCheck[][];
}

const running = targets();
const plans = plannedChecks(running.targets);

afterAll(async () => {
  const child = running.child;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin?.end();
  await exited;
});

for (const [index, target] of running.targets.entries()) {
  const planned = plans[index];
  describe(`${path.relative(ROOT, target.spec)} (${target.stackName} stack)`, () => {
    let harness: Harness;

    beforeAll(async () => {
      harness = await createHarness({ spec: target.spec, outputsFile: target.outputsFile });
    });

    afterAll(async () => {
      await harness?.close();
    });

    test("the harness plans the document's every operation, each with its authorizer checks, and the suite runs exactly those", () => {
      const required = requiredCases(target.spec);
      expect(Object.keys(required).length).toBeGreaterThan(0);
      // On a given stack an operation the harness cannot check yet (IAM, a Lambda authorizer) may instead be
      // in plan.omitted, with the reason; the example stacks have every required check planned.
      const considered =
        target.stackName === 'given' ? [...harness.plan.checks, ...harness.plan.omitted] : harness.plan.checks;
      const covered = (operation: string) =>
        considered
          .filter((c) => (typeof c.operation === 'string' ? c.operation : c.operation.id) === operation)
          .map((c) => c.case);
      expect(Object.fromEntries(Object.keys(required).map((op) => [op, covered(op)]))).toEqual(
        Object.fromEntries(Object.entries(required).map(([op, cases]) => [op, expect.arrayContaining(cases)])),
      );
      expect(harness.plan.checks.map((c) => c.name)).toEqual(planned.map((c) => c.name));
    });

    const operations = [...new Set(planned.map((c) => c.operation))];
    for (const operation of operations) {
      describe(operation, () => {
        for (const { name, case: checkCase } of planned.filter((c) => c.operation === operation)) {
          test(checkCase, async () => {
            const check = harness.plan.checks.find((c) => c.name === name);
            if (!check) throw new Error(`the harness no longer plans ${name}`);
            const sent = await harness.requestFor(check);
            const url = new URL(sent.url);
            const method = sent.method.toLowerCase() as
              'get' | 'post' | 'put' | 'delete' | 'patch' | 'head' | 'options';
            const agent = request(url.origin);
            // No retries: a local stack that answers 5xx or drops a connection is a failure to see.
            let call = agent[method](url.pathname + url.search);
            for (const [header, value] of Object.entries(sent.headers)) call = call.set(header, value);
            const response = await (sent.body === undefined ? call : call.send(sent.body)).ok(() => true);
            const headers = Object.fromEntries(
              Object.entries(response.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), String(v)]),
            );
            const problems = harness.judge(check, { status: response.status, headers, bodyText: response.text ?? '' });
            // Problems are redacted: a failure message never carries a token.
            expect({ check: name, sent: check.description, problems }).toEqual({
              check: name,
              sent: check.description,
              problems: [],
            });
          });
        }
      });
    }
  });
}

// The contract checks as a jest suite: one test per operation and check, requests sent with supertest.
// Runs against GATEHOUSE_SPEC + GATEHOUSE_OUTPUTS (a deployed stack's outputs) when both are set; else it
// starts a stack per example document (testing/serve-stack.ts: the local stack, or the fixture stack until
// local/stack.ts loads). Jest collects tests synchronously, so the stack is started and the plan's check
// names read in child processes before the tests are defined; the checks themselves run in this process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { createHarness, type Harness } from './harness';

const ROOT = path.join(__dirname, '..');
const TSX = require.resolve('tsx/cli');
const EXAMPLES = ['openapi/pets.yaml', 'openapi/hello-http.yaml'];
const STACK_START_TIMEOUT_MS = 90_000;

interface Target {
  spec: string;
  outputsFile: string;
  /** The stack child, when the suite started one. */
  child?: ChildProcess;
  stackName: string;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isAlive(pid: number | undefined): boolean {
  try {
    return pid !== undefined && process.kill(pid, 0);
  } catch {
    return false;
  }
}

function startStackSync(spec: string): Target {
  const ready = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-suite-')), 'ready.json');
  const child = spawn(process.execPath, [TSX, path.join(__dirname, 'testing', 'serve-stack.ts'), spec, ready], { cwd: ROOT, stdio: ['pipe', 'inherit', 'inherit'] });
  const deadline = Date.now() + STACK_START_TIMEOUT_MS;
  while (!fs.existsSync(ready)) {
    if (!isAlive(child.pid) || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the stack for ${spec} did not start (see serve-stack output above)`);
    }
    sleepSync(100);
  }
  const { outputsFile, stack } = JSON.parse(fs.readFileSync(ready, 'utf8')) as { outputsFile: string; stack: string };
  return { spec, outputsFile, child, stackName: stack };
}

function targets(): Target[] {
  const { GATEHOUSE_SPEC: spec, GATEHOUSE_OUTPUTS: outputsFile } = process.env;
  if (spec && outputsFile) return [{ spec, outputsFile, stackName: 'given' }];
  if (spec || outputsFile) throw new Error('set both GATEHOUSE_SPEC and GATEHOUSE_OUTPUTS, or neither (to run against a stack the suite starts)');
  return EXAMPLES.map((example) => startStackSync(path.join(ROOT, example)));
}

function plannedChecks(target: Target): { name: string; operation: string; case: string }[] {
  const text = execFileSync(process.execPath, [TSX, path.join(__dirname, 'testing', 'plan-names.ts'), target.spec, target.outputsFile], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(text) as { name: string; operation: string; case: string }[];
}

for (const target of targets()) {
  const planned = plannedChecks(target);
  describe(`${path.relative(ROOT, target.spec)} (${target.stackName} stack)`, () => {
    let harness: Harness;

    beforeAll(async () => {
      harness = await createHarness({ spec: target.spec, outputsFile: target.outputsFile });
    });

    afterAll(async () => {
      await harness?.close();
      if (target.child) {
        const exited = new Promise((resolve) => target.child!.once('exit', resolve));
        target.child.stdin?.end();
        await exited;
      }
    });

    test('the harness plans exactly the checks this suite was built with', () => {
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
            const method = sent.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete' | 'patch' | 'head' | 'options';
            let call = request(url.origin)[method](url.pathname + url.search).retry(2);
            for (const [header, value] of Object.entries(sent.headers)) call = call.set(header, value);
            const response = await (sent.body === undefined ? call : call.send(sent.body)).ok(() => true);
            const headers = Object.fromEntries(Object.entries(response.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), String(v)]));
            const problems = harness.judge(check, { status: response.status, headers, bodyText: response.text ?? '' });
            // Problems are redacted: a failure message never carries a token.
            expect({ check: name, sent: check.description, problems }).toEqual({ check: name, sent: check.description, problems: [] });
          });
        }
      });
    }
  });
}

// gatehouse start (`npm start`) in process, end to end on the real local stack: every step runs, and each
// document is read from disk exactly once, its model handed to synth, the local stack and the harness.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as read from '../openapi/model/read';
import { runCommand } from './program';

const run = (argv: string[], env: NodeJS.ProcessEnv = process.env) => runCommand('start', argv, env);

const ROOT = path.join(__dirname, '..');
const SPECS = ['openapi/hello-http.yaml', 'openapi/pets.yaml'];

let dir: string;
let previousOutdir: string | undefined;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-start-'));
  previousOutdir = process.env.CDKTF_OUTDIR;
  process.env.CDKTF_OUTDIR = path.join(dir, 'cdktf.out');
});
afterAll(() => {
  if (previousOutdir === undefined) delete process.env.CDKTF_OUTDIR;
  else process.env.CDKTF_OUTDIR = previousOutdir;
  fs.rmSync(dir, { recursive: true, force: true });
});

test('each document is read once: lint, synth, local stack and contract share one model, and every check passes', async () => {
  const reads = jest.spyOn(read, 'readDocument');
  const printed: string[] = [];
  const print = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  const log = jest.spyOn(console, 'log').mockImplementation(print);
  const error = jest.spyOn(console, 'error').mockImplementation(print);
  let exitCode: number;
  try {
    exitCode = await run([...SPECS.flatMap((spec) => ['--spec', spec]), '--reports', path.join(dir, 'reports')]);
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  const readFiles = reads.mock.calls.map(([file]) => path.relative(ROOT, file));
  reads.mockRestore();

  expect(readFiles).toEqual(SPECS);
  // The steps really ran on that one model: synth wrote each stack, the harness reported on each document.
  const summary = printed.join('\n');
  expect(exitCode).toBe(0);
  for (const stack of ['gatehouse-hello', 'gatehouse-pets'])
    expect(fs.existsSync(path.join(dir, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'))).toBe(true);
  expect(summary).toMatch(/PASS openapi\/hello-http\.yaml: [1-9]\d* passed, 0 failed/);
  expect(summary).toMatch(/PASS openapi\/pets\.yaml: [1-9]\d* passed, 0 failed/);
  // One report of each kind per document, the HTML one a page of its own.
  for (const stack of ['gatehouse-hello', 'gatehouse-pets'])
    for (const ext of ['junit.xml', 'json', 'html'])
      expect(fs.existsSync(path.join(dir, 'reports', `${stack}.${ext}`))).toBe(true);
  expect(fs.readFileSync(path.join(dir, 'reports', 'gatehouse-pets.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
}, 240_000);

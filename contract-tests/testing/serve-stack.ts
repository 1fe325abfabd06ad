// Test support, run as a child process by contract.test.ts: starts a stack for one document and keeps it
// up until its stdin closes (the test ended or died) or it gets SIGTERM. Writes
// {"outputsFile", "stack"} to the ready file once the stack is up.
//   tsx contract-tests/testing/serve-stack.ts <spec> <ready file>
// The stack is the local stack (local/stack.ts, startLocalStack) when it loads, else the fixture stack;
// GATEHOUSE_CONTRACT_STACK=local|fixture forces one.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFixtureStack } from './fixture-stack';

interface RunningStack {
  outputsFile?: string;
  outputs: unknown;
  stop(): Promise<void>;
}
type StartStack = (options: { spec: string; outputsFile?: string }) => Promise<RunningStack>;

function chooseStack(): { name: 'local' | 'fixture'; start: StartStack } {
  const wanted = process.env.GATEHOUSE_CONTRACT_STACK;
  if (wanted !== 'fixture') {
    try {
      // Loaded by path so the harness's own type check does not depend on local/ (tests may import it; the harness may not).
      const local = require(path.join(__dirname, '..', '..', 'local', 'stack')) as { startLocalStack?: StartStack };
      if (local.startLocalStack) return { name: 'local', start: local.startLocalStack };
      throw new Error('local/stack.ts exports no startLocalStack');
    } catch (error) {
      if (wanted === 'local') throw error;
      process.stderr.write(`serve-stack: local stack not loadable (${(error as Error).message.split('\n')[0]}); using the fixture stack\n`);
    }
  }
  // With a second pool, so the other-pool check runs with real tokens.
  return { name: 'fixture', start: (options) => startFixtureStack({ spec: options.spec, extraPool: true }) };
}

async function main(): Promise<void> {
  const [spec, readyFile] = process.argv.slice(2);
  if (!spec || !readyFile) throw new Error('usage: serve-stack.ts <spec> <ready file>');
  const { name, start } = chooseStack();
  const outputsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-contract-')), 'outputs.json');
  const stack = await start({ spec, outputsFile });
  const written = stack.outputsFile ?? outputsFile;
  if (!fs.existsSync(written)) fs.writeFileSync(written, JSON.stringify(stack.outputs, null, 2));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    stack.stop().finally(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  fs.writeFileSync(`${readyFile}.tmp`, JSON.stringify({ outputsFile: written, stack: name }));
  fs.renameSync(`${readyFile}.tmp`, readyFile);
}

main().catch((error: unknown) => {
  process.stderr.write(`serve-stack: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

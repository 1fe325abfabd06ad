// Test support, run as a child process by contract.test.ts (jest defines tests synchronously, so the stack
// must be up before they are): starts the local stack (local/stack.ts) for each document given and keeps
// them up until stdin closes (the test ended or died) or SIGTERM. Writes
// [{"spec", "outputsFile"}, ...] to the ready file once every stack is up; exits 1 if one cannot start.
//   tsx contract-tests/testing/serve-stack.ts <ready file> <spec>...
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalStack, type LocalStack } from '../../local/stack';

async function main(): Promise<void> {
  const [readyFile, ...specs] = process.argv.slice(2);
  if (!readyFile || specs.length === 0) throw new Error('usage: serve-stack.ts <ready file> <spec>...');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-contract-'));
  const stacks: LocalStack[] = [];
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    Promise.allSettled(stacks.map((s) => s.stop())).finally(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  const ready: { spec: string; outputsFile: string }[] = [];
  try {
    for (const [index, spec] of specs.entries()) {
      const outputsFile = path.join(dir, `outputs-${index}.json`);
      stacks.push(await startLocalStack({ spec, outputsFile }));
      ready.push({ spec, outputsFile });
    }
  } catch (error) {
    await Promise.allSettled(stacks.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  fs.writeFileSync(`${readyFile}.tmp`, JSON.stringify(ready));
  fs.renameSync(`${readyFile}.tmp`, readyFile);
}

main().catch((error: unknown) => {
  process.stderr.write(`serve-stack: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

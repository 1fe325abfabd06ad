// Child processes for the storage tests: one node process each (tsx registered in it, not a tsx CLI in
// between), so a `kill -9` of the child is a kill of the writer itself.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

export interface Child {
  process: ChildProcessWithoutNullStreams;
  /** Resolves with the first line of output that `predicate` accepts; rejects if the child exits first. */
  line(predicate: (line: string) => boolean): Promise<string>;
  /** Lines printed so far. */
  readonly lines: number;
  /** SIGKILL, then waits for the exit. */
  kill9(): Promise<void>;
}

export function startChild(script: string, args: string[]): Child {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(__dirname, script), ...args], {
    cwd: join(__dirname, '..', '..', '..', '..'),
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let buffered = '';
  let stderr = '';
  let lines = 0;
  const waiters: { predicate: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      lines++;
      for (const waiter of [...waiters])
        if (waiter.predicate(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    get lines() {
      return lines;
    },
    line: (predicate) =>
      new Promise((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void exited.then(() => reject(new Error(`${script} exited before the line awaited:\n${stderr.slice(-2000)}`)));
      }),
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

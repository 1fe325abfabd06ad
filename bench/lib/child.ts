// Child processes for the benchmarks: timed cold runs (wall time and peak RSS) and long-running servers
// that are stopped by process group, since `npx tsx` puts two processes between us and the server.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface CommandMeasurement {
  wallMs: number;
  /** Peak resident set size of the largest process of the command, in MiB; null when it cannot be read. */
  peakRssMiB: number | null;
  /**
   * CPU time (user + system) of the command and its children, in ms; null when it cannot be read. On a loaded
   * machine wall time grows with the queue for the cores, CPU time much less: the two together say which.
   */
  cpuMs: number | null;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Runs a command to completion. Peak RSS comes from GNU time's -v report (getrusage of the children): Node
 * cannot read another process's peak, and sampling /proc would miss short peaks.
 */
export function measureCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CommandMeasurement> {
  const timed = fs.existsSync(GNU_TIME);
  const started = performance.now();
  const child = spawn(timed ? GNU_TIME : command, timed ? ['-v', command, ...args] : args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => {
      const wallMs = performance.now() - started;
      const rss = timed ? /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr) : null;
      const user = timed ? /User time \(seconds\): ([\d.]+)/.exec(stderr) : null;
      const system = timed ? /System time \(seconds\): ([\d.]+)/.exec(stderr) : null;
      resolve({
        wallMs,
        peakRssMiB: rss ? Number(rss[1]) / 1024 : null,
        cpuMs: user && system ? (Number(user[1]) + Number(system[1])) * 1000 : null,
        exitCode,
        stdout,
        stderr: timed ? stderr.replace(/\n\s*Command being timed:[\s\S]*$/, '\n') : stderr,
      });
    });
  });
}

export interface Server {
  child: ChildProcess;
  /** Stops the whole process group and waits for the group leader to exit. */
  stop(): Promise<void>;
}

/** Starts a long-running command in its own process group, so stop() reaches the grandchildren too. */
export function startServer(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; onOutput?: (text: string) => void } = {},
): Server {
  const child = spawn(command, args, {
    cwd: options.cwd ?? REPO_ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => options.onOutput?.(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => options.onOutput?.(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, name);
        } catch {
          // The group is already gone.
        }
      };
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves once `predicate` holds, polling every `intervalMs`; rejects after `timeoutMs`. */
export async function waitFor(
  what: string,
  predicate: () => boolean,
  timeoutMs = 30000,
  intervalMs = 5,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

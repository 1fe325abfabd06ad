// `gatehouse local` in a child process (its own event loop and core, as in a pipeline), ready once it has
// printed its ready line and written the outputs file.
import * as fs from 'node:fs';
import type { StackOutputs } from '../../stack/outputs';
import { startServer, waitFor, type Server } from './child';

/** The first line `gatehouse local` prints once everything listens (cli/local.ts). */
export const READY_LINE = /local stack up in \d+ ms/;

export interface StackChild {
  outputs: StackOutputs;
  /** performance.now() when the command was spawned. */
  spawnedAt: number;
  /** From spawning the command to the ready line. */
  readyLineMs: number;
  /** From spawning the command to the outputs file existing. */
  outputsFileMs: number;
  server: Server;
  stop(): Promise<void>;
}

/** The command: the same as `npx gatehouse local`, minus npx's own package lookup. */
export const LOCAL_COMMAND = (spec: string, outputsFile: string, nodeArgs: string[] = []): [string, string[]] => [
  'node',
  [...nodeArgs, 'bin/gatehouse.js', 'local', '--spec', spec, '--outputs', outputsFile],
];

export interface StackChildOptions {
  /** Options for node itself, e.g. --cpu-prof. */
  nodeArgs?: string[];
  timeoutMs?: number;
}

export async function startStackChild(
  spec: string,
  outputsFile: string,
  options: StackChildOptions = {},
): Promise<StackChild> {
  const timeoutMs = options.timeoutMs ?? 60000;
  fs.rmSync(outputsFile, { force: true });
  let output = '';
  let readyLineMs: number | undefined;
  let outputsFileMs: number | undefined;
  const started = performance.now();
  const [command, args] = LOCAL_COMMAND(spec, outputsFile, options.nodeArgs);
  const server = startServer(command, args, {
    onOutput: (text) => {
      output += text;
      if (readyLineMs === undefined && READY_LINE.test(output)) readyLineMs = performance.now() - started;
    },
  });
  try {
    await waitFor(
      'gatehouse local to start',
      () => {
        if (outputsFileMs === undefined && fs.existsSync(outputsFile)) outputsFileMs = performance.now() - started;
        if (server.child.exitCode !== null)
          throw new Error(`gatehouse local exited with ${server.child.exitCode}:\n${output.slice(-2000)}`);
        return readyLineMs !== undefined && outputsFileMs !== undefined;
      },
      timeoutMs,
      2,
    );
  } catch (error) {
    await server.stop();
    throw error;
  }
  const outputs = JSON.parse(fs.readFileSync(outputsFile, 'utf8')) as StackOutputs;
  return {
    outputs,
    spawnedAt: started,
    readyLineMs: readyLineMs!,
    outputsFileMs: outputsFileMs!,
    server,
    stop: () => server.stop(),
  };
}

// `gatehouse local` in a child process (its own event loop and core, as in a pipeline), ready once it has
// printed its ready line and written the outputs file.
import * as fs from 'node:fs';
import type { StackOutputs } from '../../stack/outputs';
import { startServer, waitFor, type Server } from './child';

/** The first line `gatehouse local` prints once everything listens (cli/local.ts), read once it is whole. */
export const READY_LINE = /local stack up in (\d+) ms \((REST API|HTTP API): (.*)\)\r?\n/;

export interface ReadyLine {
  /** The stack's own startLocalStack time, as printed: from the call to everything listening. */
  coldStartMs: number;
  apiKind: 'rest' | 'http';
  title: string;
}

/** The ready line in what `gatehouse local` has printed so far; undefined until it has printed it whole. */
export function parseReadyLine(output: string): ReadyLine | undefined {
  const match = READY_LINE.exec(output);
  if (!match) return undefined;
  return { coldStartMs: Number(match[1]), apiKind: match[2] === 'REST API' ? 'rest' : 'http', title: match[3] };
}

export interface StackChild {
  outputs: StackOutputs;
  /** performance.now() when the command was spawned. */
  spawnedAt: number;
  /** From spawning the command to the ready line. */
  readyLineMs: number;
  /** From spawning the command to the outputs file existing. */
  outputsFileMs: number;
  readyLine: ReadyLine;
  server: Server;
  stop(): Promise<void>;
}

/** The development CLI (tsx at run time); the built one is dist/cli/gatehouse.js. */
export const DEV_CLI = 'bin/gatehouse.js';

/** The command: the same as `npx gatehouse local`, minus npx's own package lookup. */
export const LOCAL_COMMAND = (
  spec: string,
  outputsFile: string,
  nodeArgs: string[] = [],
  entry = DEV_CLI,
): [string, string[]] => ['node', [...nodeArgs, entry, 'local', '--spec', spec, '--outputs', outputsFile]];

export interface StackChildOptions {
  /** Options for node itself, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** The CLI script node runs (default: the development CLI). */
  entry?: string;
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
  let readyLine: ReadyLine | undefined;
  let outputsFileMs: number | undefined;
  const started = performance.now();
  const [command, args] = LOCAL_COMMAND(spec, outputsFile, options.nodeArgs, options.entry);
  const server = startServer(command, args, {
    onOutput: (text) => {
      output += text;
      if (readyLineMs !== undefined) return;
      readyLine = parseReadyLine(output);
      if (!readyLine) return;
      readyLineMs = performance.now() - started;
      // Looked at now as well as by the poll below, so a file written before the line is never timed after it.
      if (outputsFileMs === undefined && fs.existsSync(outputsFile)) outputsFileMs = readyLineMs;
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
    readyLine: readyLine!,
    server,
    stop: () => server.stop(),
  };
}

// Runs a function's handler in this process, the way the Node.js Lambda runtime calls it: async handlers
// and callback handlers, with a context object and the function's timeout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LambdaFunctionOptions } from '../../../stack/props';

type Handler = (
  event: unknown,
  context: LambdaContext,
  callback: (error?: unknown, result?: unknown) => void,
) => unknown;

export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

/** A failure keeps the errorType and errorMessage the Node.js runtime reports, which non-proxy integrations select on. */
export type Invocation =
  { ok: true; result: unknown } | { ok: false; error: string; errorType: string; errorMessage: string };

export class FunctionNotLoadable extends Error {}

export class LocalFunction {
  private handler?: Handler;
  readonly timeoutMs: number;

  constructor(
    readonly name: string,
    private readonly options: LambdaFunctionOptions,
    private readonly region: string,
  ) {
    this.timeoutMs = (options.timeoutSeconds ?? 10) * 1000;
  }

  /** Loads the handler now, so that a wrong sourceDir or handler fails at start, not on the first request. */
  load(): void {
    if (this.handler) return;
    const spec = this.options.handler ?? 'index.handler';
    const dot = spec.lastIndexOf('.');
    if (dot <= 0) throw new FunctionNotLoadable(`function "${this.name}": handler "${spec}" is not <file>.<export>`);
    const base = path.resolve(this.options.sourceDir, spec.slice(0, dot));
    const file = ['', '.js', '.cjs', '.mjs']
      .map((ext) => base + ext)
      .find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    if (!file)
      throw new FunctionNotLoadable(
        `function "${this.name}": no file ${base}.js (from sourceDir "${this.options.sourceDir}" and handler "${spec}")`,
      );
    // Node 20.19+ loads ES modules through require too.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(file) as Record<string, unknown>;
    const handler = loaded[spec.slice(dot + 1)];
    if (typeof handler !== 'function')
      throw new FunctionNotLoadable(`function "${this.name}": ${file} exports no function "${spec.slice(dot + 1)}"`);
    this.handler = handler as Handler;
  }

  async invoke(event: unknown, requestId: string): Promise<Invocation> {
    this.load();
    const handler = this.handler as Handler;
    const deadline = Date.now() + this.timeoutMs;
    const context: LambdaContext = {
      functionName: this.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${this.region}:000000000000:function:${this.name}`,
      memoryLimitInMB: String(this.options.memoryMb ?? 256),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${this.name}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<Invocation>((resolve) => {
      timer = setTimeout(() => {
        const message = `Task timed out after ${(this.timeoutMs / 1000).toFixed(2)} seconds`;
        resolve({ ok: false, error: message, errorType: 'Sandbox.Timedout', errorMessage: message });
      }, this.timeoutMs);
    });
    const run = new Promise<Invocation>((resolve) => {
      const done = (error?: unknown, result?: unknown) =>
        resolve(error === undefined || error === null ? { ok: true, result } : failure(error));
      try {
        const returned = handler(event, context, done);
        if (returned && typeof (returned as Promise<unknown>).then === 'function')
          (returned as Promise<unknown>).then(
            (result) => done(undefined, result),
            (error: unknown) => done(error ?? new Error('rejected')),
          );
        else if (handler.length < 3) done(undefined, returned);
      } catch (error) {
        done(error);
      }
    });
    try {
      return await Promise.race([run, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function failure(error: unknown): Invocation {
  if (error instanceof Error)
    return { ok: false, error: `${error.name}: ${error.message}`, errorType: error.name, errorMessage: error.message };
  // The runtime names a thrown non-Error by its type: callback('Not found') is {"errorType":"string",...}.
  return { ok: false, error: String(error), errorType: typeof error, errorMessage: String(error) };
}

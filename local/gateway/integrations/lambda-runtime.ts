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
  readonly arn: string;
  readonly memoryLimitInMB: string;

  constructor(
    readonly name: string,
    private readonly options: LambdaFunctionOptions,
    region: string,
  ) {
    this.timeoutMs = (options.timeoutSeconds ?? 10) * 1000;
    this.arn = `arn:aws:lambda:${region}:000000000000:function:${name}`;
    this.memoryLimitInMB = String(options.memoryMb ?? 256);
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

  invoke(event: unknown, requestId: string): Promise<Invocation> {
    this.load();
    const handler = this.handler as Handler;
    const deadline = Date.now() + this.timeoutMs;
    const context = new InvocationContext(this, requestId, deadline);
    // One promise settled by whichever comes first, the handler or its timeout: a Promise.race of two per
    // invocation cost two more promises and their reactions on every Lambda request.
    return new Promise<Invocation>((resolve) => {
      const pending = new PendingInvocation(resolve, deadline, this.timeoutMs);
      try {
        const returned = handler(event, context, (error?: unknown, result?: unknown) => pending.done(error, result));
        if (returned && typeof (returned as Promise<unknown>).then === 'function')
          (returned as Promise<unknown>).then(
            (result) => pending.done(undefined, result),
            (error: unknown) => pending.done(error ?? new Error('rejected')),
          );
        else if (handler.length < 3) pending.done(undefined, returned);
      } catch (error) {
        pending.done(error);
      }
    });
  }
}

/**
 * One invocation until the handler or its timeout settles it. A class, not named closures: run through tsx
 * (the development CLI the benchmarks start), each named closure costs an Object.defineProperty of its name
 * per call, 3 % of a Lambda request's CPU.
 */
class PendingInvocation {
  private settled = false;

  constructor(
    private readonly resolve: (invocation: Invocation) => void,
    readonly deadline: number,
    readonly timeoutMs: number,
  ) {
    unsettled.add(this);
    watchUntil(deadline);
  }

  done(error?: unknown, result?: unknown): void {
    this.finish(error === undefined || error === null ? { ok: true, result } : failure(error));
  }

  finish(invocation: Invocation): void {
    if (this.settled) return;
    this.settled = true;
    unsettled.delete(this);
    this.resolve(invocation);
  }
}

/**
 * Timeouts: one timer for every unsettled invocation, armed for the earliest deadline, rather than a
 * setTimeout and clearTimeout per invocation (1.4 % of a Lambda request's CPU, with a ref toggle of the
 * event loop each time). Unref'd: the server keeps the process alive, a never-settling handler does not.
 */
const unsettled = new Set<PendingInvocation>();
let watchdog: NodeJS.Timeout | undefined;
let watchdogAt = Infinity;

function watchUntil(deadline: number): void {
  if (watchdog !== undefined && watchdogAt <= deadline) return;
  if (watchdog !== undefined) clearTimeout(watchdog);
  watchdogAt = deadline;
  watchdog = setTimeout(checkDeadlines, Math.max(0, deadline - Date.now()));
  watchdog.unref();
}

function checkDeadlines(): void {
  watchdog = undefined;
  watchdogAt = Infinity;
  const now = Date.now();
  let next = Infinity;
  for (const pending of unsettled) {
    if (pending.deadline <= now) {
      const message = `Task timed out after ${(pending.timeoutMs / 1000).toFixed(2)} seconds`;
      pending.finish({ ok: false, error: message, errorType: 'Sandbox.Timedout', errorMessage: message });
    } else next = Math.min(next, pending.deadline);
  }
  if (next !== Infinity) watchUntil(next);
}

/**
 * The context object a handler gets. A class, so that its method is not a new closure per invocation (and,
 * run through tsx, no per-request __name() of one).
 */
class InvocationContext implements LambdaContext {
  readonly functionName: string;
  readonly functionVersion = '$LATEST';
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName = 'local';
  callbackWaitsForEmptyEventLoop = true;

  // An ES private field: a handler that lists its context's keys sees only the runtime's.
  readonly #deadline: number;

  constructor(
    fn: LocalFunction,
    readonly awsRequestId: string,
    deadline: number,
  ) {
    this.#deadline = deadline;
    this.functionName = fn.name;
    this.invokedFunctionArn = fn.arn;
    this.memoryLimitInMB = fn.memoryLimitInMB;
    this.logGroupName = `/aws/lambda/${fn.name}`;
  }

  getRemainingTimeInMillis(): number {
    return Math.max(0, this.#deadline - Date.now());
  }
}

function failure(error: unknown): Invocation {
  if (error instanceof Error)
    return { ok: false, error: `${error.name}: ${error.message}`, errorType: error.name, errorMessage: error.message };
  // The runtime names a thrown non-Error by its type: callback('Not found') is {"errorType":"string",...}.
  return { ok: false, error: String(error), errorType: typeof error, errorMessage: String(error) };
}

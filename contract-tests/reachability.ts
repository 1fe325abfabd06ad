// Is anything answering at the API and at Cognito? One TCP connection to each host and port, before the run
// and after a check that got no answer: a refused connection or an unknown host is a verdict at once
// (retrying it only delays the same answer), a timeout or reset is tried again a few times. A connection is
// "reachable": the checks judge the answers, this only says whether anyone listens. No HTTP request is sent,
// so the probe is never mistaken for a check (nor counted by a proxy in front of the API).
import * as net from 'node:net';

export type ReachTarget = 'API' | 'Cognito' | 'token endpoint';

/** Error codes that mean nothing listens there or the name does not resolve: no retry changes them. */
const FINAL_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** Nothing answers at a URL the run needs: the CLI exits 3 with this message alone. */
export class UnreachableError extends Error {
  constructor(
    readonly target: ReachTarget,
    readonly url: string,
    /** The network error code (ECONNREFUSED, ENOTFOUND, ...) or "timeout". */
    readonly code: string,
  ) {
    super(
      `${target} unreachable: nothing answers at ${url} (${code}). Start the stack (gatehouse local) or deploy it, and check the outputs file and --api-url.`,
    );
    this.name = 'UnreachableError';
  }
}

export interface ProbeTarget {
  target: ReachTarget;
  url: string;
}

export interface ProbeOptions {
  /** Per attempt. Default 5000. */
  timeoutMs?: number;
  /** Attempts for a transient failure (timeout, reset). Default 3. */
  attempts?: number;
}

/** The first network error code in an error's chain (fetch wraps the socket's error as `cause`). */
export function networkCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const { code, cause, errors, name } = current as {
      code?: unknown;
      cause?: unknown;
      errors?: unknown;
      name?: unknown;
    };
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    if (name === 'TimeoutError') return 'timeout';
    queue.push(cause, ...(Array.isArray(errors) ? (errors as unknown[]) : []));
  }
  return undefined;
}

/** Does the error say that nothing will ever answer there (refused, unknown host)? */
export function isFinalNetworkError(error: unknown): boolean {
  const code = networkCode(error);
  return code !== undefined && FINAL_CODES.has(code);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Undefined when something accepts a connection at `url`'s host and port; otherwise the error code. */
function connectOnce(url: string, timeoutMs: number): Promise<string | undefined> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve('not a URL');
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs);
    const done = (code: string | undefined) => {
      socket.destroy();
      resolve(code);
    };
    socket.once('connect', () => done(undefined));
    socket.once('timeout', () => done('timeout'));
    socket.once('error', (error) => done(networkCode(error) ?? error.message));
  });
}

async function probeOne(url: string, options: ProbeOptions): Promise<string | undefined> {
  const attempts = options.attempts ?? 3;
  let code: string | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    code = await connectOnce(url, options.timeoutMs ?? 5000);
    if (code === undefined || FINAL_CODES.has(code)) return code;
    if (attempt < attempts) await sleep(200 * attempt);
  }
  return code;
}

/** Throws UnreachableError for the first target (in the order given) that does not answer. */
export async function assertReachable(targets: ProbeTarget[], options: ProbeOptions = {}): Promise<void> {
  const unique = targets.filter((t, i) => targets.findIndex((o) => o.url === t.url) === i);
  const codes = await Promise.all(unique.map((t) => probeOne(t.url, options)));
  const index = codes.findIndex((c) => c !== undefined);
  if (index >= 0) throw new UnreachableError(unique[index].target, unique[index].url, codes[index]!);
}

// HTTP for the harness: retries only what is transient (network errors, 429, 5xx) with exponential
// backoff; a 2xx/401/403 is an answer, never retried, so a mismatch is reported as it happened.

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 4000 };

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  bodyText: string;
  /** How many attempts it took. */
  attempts: number;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

function delayFor(attempt: number, policy: RetryPolicy, retryAfter?: string | null): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, policy.maxDelayMs);
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  // Full jitter keeps parallel checks from retrying in lockstep.
  return Math.min(policy.maxDelayMs, exponential / 2 + Math.random() * (exponential / 2));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function sendWithRetry(
  request: HttpRequest,
  policy: RetryPolicy = DEFAULT_RETRY,
  timeoutMs = 30000,
): Promise<HttpResponse> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const bodyText = await response.text();
      if (isRetryableStatus(response.status) && attempt < policy.attempts) {
        await sleep(delayFor(attempt, policy, response.headers.get('retry-after')));
        continue;
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      return { status: response.status, headers, bodyText, attempts: attempt };
    } catch (error) {
      lastError = error;
      if (attempt < policy.attempts) await sleep(delayFor(attempt, policy));
    }
  }
  const cause =
    lastError instanceof Error
      ? lastError.cause instanceof Error
        ? lastError.cause.message
        : lastError.message
      : String(lastError);
  throw new Error(`${request.method} ${request.url}: no answer after ${policy.attempts} attempts (${cause})`);
}

// HTTP for the harness, the one place its requests go out (the Cognito SDK client sends through here too:
// sdk-http-handler.ts). Retries only what is transient, with capped, jittered exponential backoff: network
// errors, 5xx, and throttling — HTTP 429 (API Gateway's throttling, "429 Too Many Requests" or "Limit
// Exceeded": https://repost.aws/knowledge-center/api-gateway-429-limit; the token endpoint's, unverified) and
// Cognito's TooManyRequestsException, which its JSON API answers with HTTP 400 (the Errors of every action in
// the Cognito user pools API reference, e.g. InitiateAuth: "TooManyRequestsException ... HTTP Status Code: 400",
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html), named in
// the x-amzn-ErrorType header and the body's __type. Any other 2xx/4xx is an answer, never retried, so a
// mismatch is reported as it happened. Each attempt and each throttled retry is counted (traffic.ts). The
// exchange itself is transport.ts's (node:http/https with keep-alive).
import type { Traffic } from './traffic';
import { exchange, type Exchange } from './transport';

export interface RetryPolicy {
  /** Attempts in all, the first included, for network errors and 5xx. */
  attempts: number;
  /** Attempts in all for throttled answers: throttling passes, so it is given longer. Default 8. */
  throttledAttempts?: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, throttledAttempts: 8, baseDelayMs: 250, maxDelayMs: 4000 };

/** One request: what transport.ts sends. */
export type HttpRequest = Exchange;

export interface HttpResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  bodyText: string;
  /** The body as received (the SDK's deserializers want bytes). */
  bodyBytes: Uint8Array;
  /** How many attempts it took. */
  attempts: number;
  /** How many of those were answered with throttling. */
  throttled: number;
}

export interface SendOptions {
  /** Where attempts and throttled retries are counted. */
  traffic?: Traffic;
  /** The action counted; default from the request (actionOf). */
  action?: string;
  timeoutMs?: number;
}

/** Cognito's throttling codes: TooManyRequestsException (every action's Errors) and the common ThrottlingException. */
const THROTTLING_CODES = new Set(['TooManyRequestsException', 'ThrottlingException']);

/**
 * The counted action of a request: the Cognito operation its X-Amz-Target names, the token endpoint, the
 * JWKS, else its method and path.
 */
export function actionOf(request: Pick<HttpRequest, 'method' | 'url' | 'headers'>): string {
  const target = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1];
  if (target) return target.slice(target.lastIndexOf('.') + 1);
  const { pathname } = new URL(request.url);
  if (pathname.endsWith('/oauth2/token')) return 'token endpoint';
  if (pathname.endsWith('/.well-known/jwks.json')) return 'JWKS';
  return `${request.method} ${pathname}`;
}

/** An AWS error code without the namespace or the URL some services add (`ns#Code`, `Code:http://...`). */
function errorCode(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  return raw.split(':')[0].split('#').pop()?.trim();
}

/** A 429, or a 400 whose error code is Cognito's throttling. */
export function isThrottled(status: number, headers: Record<string, string>, bodyText: string): boolean {
  if (status === 429) return true;
  if (status !== 400) return false;
  let code = errorCode(headers['x-amzn-errortype']);
  if (!code)
    try {
      code = errorCode((JSON.parse(bodyText) as { __type?: string }).__type);
    } catch {
      return false;
    }
  return code !== undefined && THROTTLING_CODES.has(code);
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Exponential from the base, capped, with half of it jittered so parallel retries do not come in lockstep. */
export function delayFor(attempt: number, policy: RetryPolicy, retryAfter?: string | null): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, policy.maxDelayMs);
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return exponential / 2 + Math.random() * (exponential / 2);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function sendWithRetry(
  request: HttpRequest,
  policy: RetryPolicy = DEFAULT_RETRY,
  options: SendOptions = {},
): Promise<HttpResponse> {
  const action = options.action ?? actionOf(request);
  const throttledAttempts = Math.max(policy.attempts, policy.throttledAttempts ?? policy.attempts);
  let lastError: unknown;
  let failures = 0;
  let throttled = 0;
  for (let attempt = 1; ; attempt++) {
    options.traffic?.sent(action);
    try {
      const response = await exchange(request, options.timeoutMs ?? 30000);
      const bodyBytes = response.body;
      const bodyText = bodyBytes.toString('utf8');
      const headers = response.headers;
      if (isThrottled(response.status, headers, bodyText) && attempt < throttledAttempts) {
        throttled++;
        options.traffic?.throttledRetry(action);
        await sleep(delayFor(throttled, policy, headers['retry-after']));
        continue;
      }
      if (response.status >= 500 && ++failures < policy.attempts) {
        await sleep(delayFor(failures, policy, headers['retry-after']));
        continue;
      }
      return { status: response.status, headers, bodyText, bodyBytes, attempts: attempt, throttled };
    } catch (error) {
      lastError = error;
      if (++failures >= policy.attempts) break;
      await sleep(delayFor(failures, policy));
    }
  }
  const cause =
    lastError instanceof Error
      ? lastError.cause instanceof Error
        ? lastError.cause.message
        : lastError.message
      : String(lastError);
  throw new Error(`${request.method} ${request.url}: no answer after ${failures} attempts (${cause})`);
}

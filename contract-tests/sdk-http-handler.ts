// The Cognito SDK client's requests go out through http.ts like every other request of the harness, so they
// are counted by operation (its X-Amz-Target) and retried on throttling in that one place; the client itself
// is made with maxAttempts 1 (tokens.ts), so nothing retries twice. The SDK accepts any object with a
// `handle` method as its request handler; the shapes below are the parts of its HttpRequest/HttpResponse
// used here, written out rather than imported from the SDK's internal @smithy packages.
import { sendWithRetry, type RetryPolicy } from './http';
import type { Traffic } from './traffic';

interface SdkRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | (string | null)[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

interface SdkResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Set by the SDK and by node:http itself (transport.ts): sending them again is refused or wrong. */
const FETCH_OWNS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'expect']);

function urlOf(request: SdkRequest): string {
  const url = new URL(`${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}`);
  url.pathname = request.path;
  for (const [name, value] of Object.entries(request.query ?? {}))
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, item ?? '');
  return url.toString();
}

/** Cognito's JSON API sends JSON text; bytes are that text encoded. */
function bodyOf(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error(`the harness's Cognito client sends only string or byte bodies (got ${typeof body})`);
}

export class CountingSdkHandler {
  constructor(
    private readonly traffic: Traffic | undefined,
    private readonly policy?: RetryPolicy,
  ) {}

  async handle(request: SdkRequest): Promise<{ response: SdkResponse }> {
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !FETCH_OWNS.has(name.toLowerCase())),
    );
    const answer = await sendWithRetry(
      { method: request.method, url: urlOf(request), headers, body: bodyOf(request.body) },
      this.policy,
      { traffic: this.traffic },
    );
    return { response: { statusCode: answer.status, headers: answer.headers, body: answer.bodyBytes } };
  }

  // The SDK's handler interface; there is nothing to configure or release here (transport.ts pools connections).
  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
  destroy(): void {}
}

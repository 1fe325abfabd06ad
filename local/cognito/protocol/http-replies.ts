// Small HTTP helpers shared by the local Cognito's endpoints.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyWithin } from '../../http/request-body';

const MAX_BODY_BYTES = 1024 * 1024;

/** The body as text; rejects with BodyTooLarge (local/http/request-body.ts) past 1 MB. */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyWithin(req, MAX_BODY_BYTES)).toString('utf8');
}

/** A form body, or undefined when the request is not application/x-www-form-urlencoded. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) return undefined;
  return new URLSearchParams(await readBody(req));
}

/** OAuth2 responses carrying tokens must not be cached (RFC 6749, 5.1). */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function sendJson(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/html;charset=UTF-8',
    'content-length': Buffer.byteLength(html),
    ...NO_STORE,
    ...headers,
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(302, { location, 'content-length': 0, ...NO_STORE, ...headers });
  res.end();
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** One cookie's value from the Cookie header. */
export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

// One HTTP exchange over node:http / node:https with keep-alive agents: what http.ts sends every request
// through. Hand-written rather than undici's fetch, for speed: on a 1,000-operation matrix (11,725 checks)
// fetch was ~30 % of the harness's CPU (Request/Headers/stream objects, an AbortSignal per request, headers
// and body written separately), and the garbage it left another ~15 %. What fetch did that a check's meaning
// depends on is kept: `accept: */*` unless the request sets one (the gateway picks a response template by
// it), redirects are answers (never followed), a compressed answer is decoded, repeated response headers are
// joined with ", ", and a deadline covers the whole exchange. TLS verifies certificates (the https agent's
// default; NODE_EXTRA_CA_CERTS is honoured as by fetch).
import * as http from 'node:http';
import * as https from 'node:https';
import * as zlib from 'node:zlib';

export interface Exchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RawResponse {
  status: number;
  /** Lower-cased names; a repeated header's values joined with ", " (as fetch's Headers does). */
  headers: Record<string, string>;
  body: Buffer;
}

// Free sockets are unreferenced by the agent, so a pooled connection never keeps the process alive.
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/** The error a missed deadline rejects with: named as fetch's is, so reachability.ts reads it as a timeout. */
function timeoutError(ms: number): Error {
  const error = new Error(`The operation was aborted due to timeout (${ms} ms)`);
  error.name = 'TimeoutError';
  return error;
}

function headersOf(raw: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const previous = headers[name];
    headers[name] = previous === undefined ? raw[i + 1] : `${previous}, ${raw[i + 1]}`;
  }
  return headers;
}

function decoded(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return body;
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body);
    case 'deflate':
      return zlib.inflateSync(body);
    case 'br':
      return zlib.brotliDecompressSync(body);
    default:
      // An encoding fetch would not decode either: the bytes as they came.
      return body;
  }
}

/** Sends one request and reads the whole answer; rejects on a network error or after `timeoutMs`. */
export function exchange(request: Exchange, timeoutMs: number): Promise<RawResponse> {
  const url = new URL(request.url);
  const secure = url.protocol === 'https:';
  if (!secure && url.protocol !== 'http:') return Promise.reject(new Error(`not an http(s) URL: ${request.url}`));
  // The request's own Accept, whatever its case, replaces the default: node:http's header names are case-insensitive.
  const headers = { accept: '*/*', ...request.headers };
  return new Promise<RawResponse>((resolve, reject) => {
    const options: http.RequestOptions = {
      method: request.method,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (secure ? 443 : 80),
      path: url.pathname + url.search,
      headers,
      agent: agents[secure ? 'https:' : 'http:'],
    };
    const req = (secure ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        const responseHeaders = headersOf(res.rawHeaders);
        let body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        try {
          body = decoded(body, responseHeaders['content-encoding']);
        } catch (error) {
          return reject(error instanceof Error ? error : new Error(String(error)));
        }
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body });
      });
    });
    const timer = setTimeout(() => req.destroy(timeoutError(timeoutMs)), timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    req.on('error', fail);
    req.end(request.body);
  });
}

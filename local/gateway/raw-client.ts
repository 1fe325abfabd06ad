// For the gateway's hardening tests: requests fetch() would not send. fetch merges repeated headers into
// one, resolves dot segments in the path and refuses some bytes in header values; a hostile client does
// none of that, so these send exactly what they are given, over a plain socket or node:http.
import * as http from 'node:http';
import * as net from 'node:net';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request with the path and the header list exactly as given (repeated names kept, in order).
 * @param base `http://127.0.0.1:<port>`; `path` goes on the request line unchanged.
 */
export function send(
  base: string,
  path: string,
  options: { method?: string; headers?: [string, string][]; body?: string | Buffer } = {},
): Promise<RawAnswer> {
  const url = new URL(base);
  const headers = [...(options.headers ?? [])];
  // With headers given as a list node:http adds no Host of its own, and HTTP/1.1 needs one.
  if (!headers.some(([name]) => name.toLowerCase() === 'host')) headers.unshift(['host', url.host]);
  if (options.body !== undefined) headers.push(['content-length', String(Buffer.byteLength(options.body))]);
  return new Promise((resolve, reject) => {
    const outgoing = http.request({
      host: url.hostname,
      port: url.port,
      method: options.method ?? 'GET',
      path,
      headers: headers.flat(),
      agent: false,
    });
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (c: Buffer) => chunks.push(c));
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      incoming.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/**
 * Writes `text` to a fresh connection and returns everything the server sent until it closed the
 * connection (empty when it closed without a word). For request lines node:http will not build (CONNECT).
 */
export function sendBytes(base: string, text: string): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      // A reset after the server wrote its answer still leaves that answer to read.
      error.code === 'ECONNRESET' ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(error),
    );
    socket.write(text);
  });
}

/** The status code of a raw HTTP/1.1 answer, or undefined when there was none. */
export function statusOf(answer: string): number | undefined {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
  return m ? Number(m[1]) : undefined;
}

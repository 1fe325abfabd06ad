// Test support: a reverse proxy in front of the real local gateway that adds network-level faults — answers
// that come late, 503s before the real answer, or real answers wrapped around the request's headers (an API
// that echoes what it was sent). The gateway behind it still makes every decision. Hand-written because no
// proxy library is installed and ~40 lines of node:http do what is needed, body rewriting included.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyFaults {
  /** Answer 503 to the first N requests, then pass requests through (to prove retries). */
  unavailableFirst?: number;
  /** Hold every request this long before passing it on (to catch the harness mid-run). */
  delayMs?: number;
  /** Answer with {"answer": <the gateway's body>, "received": <every request header>}. */
  echoHeaders?: boolean;
  /**
   * Answer every Nth request 429, as API Gateway throttles ("429 Too Many Requests",
   * https://repost.aws/knowledge-center/api-gateway-429-limit; the body is unverified).
   */
  tooManyRequestsEvery?: number;
}

export interface FaultProxy {
  /** The target's URL (stage path included) with the proxy's origin. */
  url: string;
  /** Headers of every request received, in order. */
  readonly requests: http.IncomingHttpHeaders[];
  /** `arrived <name>` and `answered <name>` in the order they happened; name: x-amz-target, else method and path. */
  readonly events: string[];
  stop(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'content-length'];

export async function startFaultProxy(targetUrl: string, faults: ProxyFaults = {}): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const requests: http.IncomingHttpHeaders[] = [];
  const events: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    const name =
      typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : `${req.method} ${req.url}`;
    res.on('finish', () => events.push(`answered ${name}`));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push(req.headers);
      events.push(`arrived ${name}`);
      const fail = (error: Error) =>
        res
          .writeHead(502, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: `proxy: ${error.message}` }));
      const pass = () => {
        if (faults.unavailableFirst && requests.length <= faults.unavailableFirst) {
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"Service Unavailable"}');
          return;
        }
        if (faults.tooManyRequestsEvery && requests.length % faults.tooManyRequestsEvery === 0) {
          res.writeHead(429, { 'content-type': 'application/json' }).end('{"message":"Too Many Requests"}');
          return;
        }
        const body = Buffer.concat(chunks);
        const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
        const forwarded = http.request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (c: Buffer) => parts.push(c));
            answer.on('error', fail);
            answer.on('end', () => {
              const text = Buffer.concat(parts).toString('utf8');
              const out = faults.echoHeaders ? JSON.stringify({ answer: text, received: req.headers }) : text;
              const kept = Object.fromEntries(
                Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.includes(name)),
              );
              res.writeHead(answer.statusCode ?? 502, { ...kept, 'content-length': Buffer.byteLength(out) });
              res.end(out);
            });
          },
        );
        forwarded.on('error', fail);
        forwarded.end(body);
      };
      if (faults.delayMs) setTimeout(pass, faults.delayMs);
      else pass();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/+$/, '')}`,
    requests,
    events,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The exchange under http.ts: what it sends beside the request's own headers, what it makes of the answer,
// its deadline, and TLS that verifies certificates (a self-signed one is refused unless trusted).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { exchange } from './transport';

const CERT = path.join(__dirname, 'fixtures', 'tls', 'loopback-cert.pem');
const KEY = path.join(__dirname, 'fixtures', 'tls', 'loopback-key.pem');

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

async function listen(
  server: http.Server | https.Server,
  scheme: 'http' | 'https',
): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `${scheme}://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

function recording(answer: (res: http.ServerResponse, seen: Seen) => void): {
  handler: http.RequestListener;
  seen: Seen[];
} {
  const seen: Seen[] = [];
  return {
    seen,
    handler: (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        seen.push(entry);
        answer(res, entry);
      });
    },
  };
}

test('sends the method, path, query, headers and body; accept */* only when the request sets none', async () => {
  const { handler, seen } = recording((res) => res.end('ok'));
  const server = await listen(http.createServer(handler), 'http');
  try {
    const body = JSON.stringify({ name: 'ünïcode' });
    const answer = await exchange(
      {
        method: 'POST',
        url: `${server.url}/g1/items?x=1&y=%20`,
        headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
        body,
      },
      5000,
    );
    await exchange({ method: 'GET', url: `${server.url}/a`, headers: { accept: 'text/plain' } }, 5000);
    await exchange({ method: 'GET', url: `${server.url}/b`, headers: { Accept: 'application/xml' } }, 5000);
    expect(answer.status).toBe(200);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/g1/items?x=1&y=%20', body });
    expect(seen[0].headers).toMatchObject({
      accept: '*/*',
      authorization: 'Bearer t',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    });
    expect(seen[1].headers.accept).toBe('text/plain');
    expect(seen[2].headers.accept).toBe('application/xml');
  } finally {
    await server.close();
  }
});

test('answers as they came: a redirect is not followed, repeated headers are joined, bodies are bytes', async () => {
  const { handler, seen } = recording((res, entry) => {
    if (entry.url === '/moved') {
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
      return;
    }
    res.writeHead(401, [
      ['X-Twice', 'a'],
      ['x-twice', 'b'],
      ['Content-Type', 'application/json'],
    ]);
    res.end('{"message":"Unauthorized"}');
  });
  const server = await listen(http.createServer(handler), 'http');
  try {
    const moved = await exchange({ method: 'GET', url: `${server.url}/moved`, headers: {} }, 5000);
    expect([moved.status, moved.headers.location, seen.length]).toEqual([302, '/elsewhere', 1]);
    const refused = await exchange({ method: 'GET', url: `${server.url}/x`, headers: {} }, 5000);
    expect(refused.status).toBe(401);
    expect(refused.headers['x-twice']).toBe('a, b');
    expect(refused.headers['content-type']).toBe('application/json');
    expect(refused.body.toString('utf8')).toBe('{"message":"Unauthorized"}');
  } finally {
    await server.close();
  }
});

test.each(['gzip', 'deflate', 'br'] as const)('a %s-encoded answer is decoded', async (encoding) => {
  const text = JSON.stringify({ message: 'compressed '.repeat(20) });
  const encode = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, br: zlib.brotliCompressSync }[encoding];
  const { handler } = recording((res) => {
    res.writeHead(200, { 'content-encoding': encoding });
    res.end(encode(Buffer.from(text)));
  });
  const server = await listen(http.createServer(handler), 'http');
  try {
    const answer = await exchange({ method: 'GET', url: server.url, headers: {} }, 5000);
    expect(answer.body.toString('utf8')).toBe(text);
  } finally {
    await server.close();
  }
});

test('an answer later than the deadline is a TimeoutError; a dropped connection is a network error', async () => {
  const server = await listen(
    http.createServer((req, res) => {
      if (req.url === '/drop') {
        req.socket.destroy();
        return;
      }
      if (req.url === '/stall') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('part of it');
        return;
      }
      setTimeout(() => res.end('late'), 1000);
    }),
    'http',
  );
  try {
    await expect(exchange({ method: 'GET', url: `${server.url}/slow`, headers: {} }, 100)).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    // The deadline covers the body too, not only the wait for the status line.
    await expect(exchange({ method: 'GET', url: `${server.url}/stall`, headers: {} }, 100)).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    await expect(exchange({ method: 'GET', url: `${server.url}/drop`, headers: {} }, 5000)).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
  } finally {
    await server.close();
  }
});

test('connections are kept alive between exchanges', async () => {
  const sockets = new Set<unknown>();
  const server = await listen(
    http.createServer((req, res) => {
      sockets.add(req.socket);
      res.end('ok');
    }),
    'http',
  );
  try {
    for (let i = 0; i < 5; i++) await exchange({ method: 'GET', url: server.url, headers: {} }, 5000);
    expect(sockets.size).toBe(1);
  } finally {
    await server.close();
  }
});

test('https: a certificate nobody vouches for is refused; the same one trusted through NODE_EXTRA_CA_CERTS is not', async () => {
  const server = await listen(
    https.createServer({ cert: fs.readFileSync(CERT), key: fs.readFileSync(KEY) }, (_req, res) => res.end('secure')),
    'https',
  );
  try {
    await expect(exchange({ method: 'GET', url: server.url, headers: {} }, 5000)).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    // The trusted case in a child: extra CAs are read once, at start-up.
    const script = `require(${JSON.stringify(path.join(__dirname, 'transport'))}).exchange({ method: 'GET', url: ${JSON.stringify(server.url)}, headers: {} }, 5000).then((r) => process.stdout.write(r.status + ' ' + r.body.toString()), (e) => process.stdout.write('error ' + e.code))`;
    const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
    const out = await new Promise<string>((resolve, reject) =>
      execFile(tsx, ['-e', script], { env: { ...process.env, NODE_EXTRA_CA_CERTS: CERT } }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    );
    expect(out).toBe('200 secure');
  } finally {
    await server.close();
  }
});

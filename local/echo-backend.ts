// Stands in for the document's `{{backend:<name>}}` URLs locally (there is no network to reach the real
// ones): answers every request 200 with what it received, so an http_proxy route proves it forwarded.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoBackend {
  url: string;
  stop(): Promise<void>;
}

export async function startEchoBackend(host = '127.0.0.1'): Promise<EchoBackend> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.stringify({
        echo: true,
        method: req.method,
        url: req.url,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

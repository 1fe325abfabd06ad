// The baseline for the throughput bench: a bare node:http server answering every request with the same
// status, content type and body as the gateway's authorized GET /pets. Its own process, like the gateway.
// Run: BARE_BODY=... BARE_CONTENT_TYPE=... node --require tsx/cjs bench/lib/bare-server.ts
import * as http from 'node:http';

const body = process.env.BARE_BODY ?? '';
const contentType = process.env.BARE_CONTENT_TYPE ?? 'application/json';
const status = Number(process.env.BARE_STATUS || 200);

const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object')
    process.stdout.write(`bare server listening on http://127.0.0.1:${address.port}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

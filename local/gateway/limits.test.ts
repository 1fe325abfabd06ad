// AWS's limits, from AWS's quota pages (issue 14, item 5), each with the answer the local gateway gives, and
// the CONNECT method, which the gateway answered by closing the socket.
//
// HTTP API quotas, https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html:
//   "Total combined size of request line and header values 10240 bytes", "Payload size 10 MB",
//   "Timeout for JSON Web Key Set endpoint 1500 ms", "Response size from JSON Web Key Set endpoint 150000
//   bytes", "Timeout for OpenID Connect discovery endpoint 1500 ms".
// REST API quotas, https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html:
//   "Total combined size of all header values, including header names, values, any line terminators, and
//   white space 10240 bytes", "Payload size 10 MB".
// The answers: a payload over the limit is REST's REQUEST_TOO_LARGE gateway response, 413
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html); headers
// over the limit get 431 from API Gateway in one report (backbencher.dev, "431 Status Code With Request Header
// Fields Too Large"), so likely; the bodies, and every answer to a slow or oversized JWKS, are unverified:
// only statuses are asserted.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiKind } from '../../openapi/model/types';
import { startLocalGateway, type LocalGateway } from './index';
import type { PoolDirectory } from './bind';
import { send, sendBytes, statusOf } from './raw-client';
import { MAX_BODY_BYTES } from './request';
import {
  modelOf,
  startEchoServer,
  startTestIssuer,
  testPlaceholders,
  type EchoServer,
  type TestIssuer,
} from './test-support';

const REST_DOC = `
openapi: 3.0.3
info: { title: Limits, version: 1.0.0 }
paths:
  /things:
    x-amazon-apigateway-any-method:
      security: []
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: "200" } }
`;

const HTTP_DOC = `
openapi: 3.0.1
info: { title: Limits, version: 1.0.0 }
x-amazon-apigateway-importexport-version: "1.0"
paths:
  /things:
    x-amazon-apigateway-any-method:
      security: []
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: ANY, uri: "{{backend:echo}}/things", payloadFormatVersion: "1.0" }
  /secured:
    get:
      security: [{ Jwt: [] }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: ANY, uri: "{{backend:echo}}/secured", payloadFormatVersion: "1.0" }
components:
  securitySchemes:
    Jwt:
      type: oauth2
      flows: {}
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration: { issuer: "{{issuer}}", audience: ["{{clientId:web}}"] }
`;

let pool: TestIssuer;
let echo: EchoServer;
let keys: KeySource;
const gateways = {} as Record<ApiKind, LocalGateway>;

beforeAll(async () => {
  [pool, echo] = await Promise.all([startTestIssuer(), startEchoServer()]);
  keys = await startKeySource(pool);
  for (const kind of ['rest', 'http'] as const) gateways[kind] = await gatewayFor(kind, pool.issuer, {});
});

afterAll(async () => {
  await Promise.all(Object.values(gateways).map((g) => g.stop()));
  await Promise.all([pool?.stop(), echo?.stop(), keys?.stop()]);
});

async function gatewayFor(kind: ApiKind, issuer: string, pools: PoolDirectory, log: string[] = []) {
  return startLocalGateway({
    model: await modelOf(kind === 'rest' ? REST_DOC : HTTP_DOC),
    placeholders: testPlaceholders({ issuer, clients: ['web'], backends: { echo: echo.url } }),
    pools,
    functions: {},
    stage: 'prod',
    log: (line) => log.push(line),
  });
}

function at(gateway: LocalGateway, path: string) {
  const url = new URL(gateway.url);
  return { origin: url.origin, path: `${url.pathname}${path}` };
}

/** Headers whose `name: value\r\n` lines, with the request line, come to about `bytes`. */
function headersOf(bytes: number): [string, string][] {
  const headers: [string, string][] = [];
  for (let left = bytes, i = 0; left > 0; i++) {
    const value = 'v'.repeat(Math.max(1, Math.min(4000, left - 16)));
    headers.push([`x-pad-${i}`, value]);
    left -= `x-pad-${i}: ${value}\r\n`.length;
  }
  return headers;
}

describe('request line and headers: 10,240 bytes', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
  test.each(['rest', 'http'] as const)('%s: a request just under the limit passes', async (kind) => {
    const { origin, path } = at(gateways[kind], '/things');
    expect((await send(origin, path, { headers: headersOf(9_800) })).status).toBe(200);
  });
  test.each(['rest', 'http'] as const)('%s: 10.5, 12 and 15 KB are refused with 431', async (kind) => {
    const { origin, path } = at(gateways[kind], '/things');
    for (const bytes of [10_500, 12_000, 15_000]) {
      const r = await send(origin, path, { headers: headersOf(bytes) });
      expect({ bytes, status: r.status }).toEqual({ bytes, status: 431 });
    }
  });
  test('REST: a URL over 10,240 characters is refused with 414 (its own quota; headers are counted apart)', async () => {
    // REST quotas: "Length, in characters, of the URL for a regional API 10240"; 414 is the status the
    // quotas page (docs.aws.amazon.com/apigateway/latest/developerguide/limits.html) names for a URI too
    // long, in its note on method ARNs: likely, the body unverified.
    const long = at(gateways.rest, `/things?q=${'a'.repeat(10_300)}`);
    expect((await send(long.origin, long.path)).status).toBe(414);
    const under = at(gateways.rest, `/things?q=${'a'.repeat(9_000)}`);
    expect((await send(under.origin, under.path, { headers: headersOf(5_000) })).status).toBe(200);
  });
  test('HTTP API: the request line counts too (a long query with headers under the limit)', async () => {
    const { origin, path } = at(gateways.http, `/things?q=${'a'.repeat(6_000)}`);
    const r = await send(origin, path, { headers: headersOf(5_000) });
    expect(r.status).toBe(431);
  });
});

describe('payload: 10 MB', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html
  test.each(['rest', 'http'] as const)(
    '%s: a body over the limit is refused with 413, whatever the route reads',
    async (kind) => {
      // REST's /things is a mock, which never reads the body: the limit held only where a body was read.
      const { origin, path } = at(gateways[kind], '/things');
      const r = await send(origin, path, { method: 'POST', body: Buffer.alloc(MAX_BODY_BYTES + 1, 0x61) });
      expect(r.status).toBe(413);
    },
  );
  test.each(['rest', 'http'] as const)('%s: a body of exactly the limit passes', async (kind) => {
    const { origin, path } = at(gateways[kind], '/things');
    const r = await send(origin, path, { method: 'POST', body: Buffer.alloc(MAX_BODY_BYTES, 0x61) });
    expect(r.status).toBe(200);
  });
});

describe('HTTP API jwt authorizer: the JWKS within 1,500 ms and 150,000 bytes, discovery within 1,500 ms', () => {
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
  async function secured(pools: PoolDirectory, issuer = pool.issuer, claims = {}) {
    const log: string[] = [];
    const gateway = await gatewayFor('http', issuer, pools, log);
    try {
      const { origin, path } = at(gateway, '/secured');
      const token = await pool.idToken(claims);
      return { status: (await send(origin, path, { headers: [['Authorization', token]] })).status, log };
    } finally {
      await gateway.stop();
    }
  }
  const jwksAt = (url: string): PoolDirectory => ({ [pool.arn]: { issuer: pool.issuer, jwksUrl: url } });

  test('a JWKS answering at once passes (the key source itself is sound)', async () => {
    expect((await secured(jwksAt(`${keys.url}/jwks?delay=0`))).status).toBe(200);
  });
  test('a JWKS answering after 2 s is a failure of the key source (500, unverified), not a pass', async () => {
    const r = await secured(jwksAt(`${keys.url}/jwks?delay=2000`));
    expect(r.status).toBe(500);
    expect(r.log.join('\n')).toMatch(/within 1500 ms/);
  });
  test('a JWKS of 149,000 bytes passes; one of 190,000 bytes is refused (500, unverified)', async () => {
    expect((await secured(jwksAt(`${keys.url}/jwks?bytes=149000`))).status).toBe(200);
    const r = await secured(jwksAt(`${keys.url}/jwks?bytes=190000`));
    expect(r.status).toBe(500);
    expect(r.log.join('\n')).toMatch(/more than 150000 bytes/);
  });
  test('OIDC discovery answering at once passes; after 2 s it is a failure (500, unverified)', async () => {
    // An issuer that is no local pool: its keys are found by discovery, as API Gateway finds them.
    const fast = `${keys.url}/issuer-fast`;
    expect((await secured({}, fast, { iss: fast })).status).toBe(200);
    const slow = `${keys.url}/issuer-slow`;
    expect((await secured({}, slow, { iss: slow })).status).toBe(500);
  });
});

describe('CONNECT', () => {
  // AWS's answer is unverified. A CONNECT names a host and port, not a path, so it names no stage of the
  // API: the local gateway answers as it does any request outside its stages (REST 403, HTTP API 404).
  test.each([
    ['rest', 403],
    ['http', 404],
  ] as const)('%s: answered with %i, not a closed socket', async (kind, status) => {
    const { origin } = at(gateways[kind], '/');
    const answer = await sendBytes(origin, 'CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n');
    expect(statusOf(answer)).toBe(status);
  });
});

interface KeySource {
  url: string;
  stop(): Promise<void>;
}

/**
 * The pool's keys served the way a hostile or failing issuer would: `/jwks?delay=ms` after a delay,
 * `/jwks?bytes=n` padded to n bytes; `/issuer-fast` and `/issuer-slow` as OIDC issuers whose discovery
 * documents (the latter after 2 s) point at the pool's JWKS.
 */
async function startKeySource(issuer: TestIssuer): Promise<KeySource> {
  const jwks = await (await fetch(issuer.jwksUrl)).text();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  let base = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (body: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    if (url.pathname === '/jwks') {
      const bytes = Number(url.searchParams.get('bytes') ?? 0);
      const padded =
        bytes > jwks.length ? `${jwks.slice(0, -1)},"padding":"${'p'.repeat(bytes - jwks.length - 13)}"}` : jwks;
      later(Number(url.searchParams.get('delay') ?? 0), () => json(padded));
    } else if (/^\/issuer-(fast|slow)\/\.well-known\/openid-configuration$/.test(url.pathname)) {
      const name = url.pathname.split('/')[1];
      const document = JSON.stringify({ issuer: `${base}/${name}`, jwks_uri: issuer.jwksUrl });
      later(name === 'issuer-slow' ? 2000 : 0, () => json(document));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

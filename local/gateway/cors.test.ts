// x-amazon-apigateway-cors on an HTTP API, over real HTTP (developer guide, "Configure CORS for HTTP
// APIs"): the gateway answers preflights itself, before any route or authorizer, unless a route takes
// OPTIONS (an OPTIONS or ANY route); it puts the configured headers on replies to allowed origins and drops
// the backend's own CORS headers. A REST API with the extension does only what its methods say.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLocalGateway, type LocalGateway } from './index';
import { modelOf, startTestIssuer, testPlaceholders, type TestIssuer } from './test-support';

const APP = 'https://app.example.com';
/** A backend that sets CORS headers of its own, which the gateway must not pass on. */
let backend: { url: string; hits: string[]; stop(): Promise<void> };
let pool: TestIssuer;
let gateway: LocalGateway;

async function startCorsMindedBackend(): Promise<typeof backend> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, {
      'content-type': 'application/json',
      'access-control-allow-origin': 'https://evil.example',
      'access-control-allow-methods': 'DELETE',
      'x-request-id': 'backend-1',
    });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const proxy = (path: string) => `
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: ANY
        uri: "{{backend:app}}${path}"
        payloadFormatVersion: "1.0"`;

const HTTP_API = `
openapi: 3.0.3
info: { title: Cors, version: 1.0.0 }
x-amazon-apigateway-importexport-version: "1.0"
x-amazon-apigateway-cors:
  allowOrigins: ["${APP}", "http://*"]
  allowMethods: [GET, POST]
  allowHeaders: [authorization, content-type]
  exposeHeaders: [x-request-id]
  maxAge: 300
  allowCredentials: true
paths:
  /items:
    get:
      security: [{ Jwt: [] }]
      responses: { "200": { description: ok } }${proxy('/items')}
  /any/{proxy+}:
    x-amazon-apigateway-any-method:
      security: [{ Jwt: [] }]
      responses: { "200": { description: ok } }${proxy('/any')}
  /explicit:
    options:
      security: []
      responses: { "200": { description: ok } }${proxy('/explicit')}
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

beforeAll(async () => {
  [pool, backend] = await Promise.all([startTestIssuer(), startCorsMindedBackend()]);
  gateway = await startLocalGateway({
    model: await modelOf(HTTP_API),
    placeholders: testPlaceholders({ issuer: pool.issuer, clients: ['web'], backends: { app: backend.url } }),
    pools: {},
    functions: {},
    stage: 'prod',
  });
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([pool?.stop(), backend?.stop()]);
});

function preflight(path: string, origin: string, method: string, requestHeaders = 'authorization') {
  return fetch(`${gateway.url}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': requestHeaders,
    },
  });
}

function corsHeadersOf(response: Response): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of [
    'allow-origin',
    'allow-methods',
    'allow-headers',
    'expose-headers',
    'max-age',
    'allow-credentials',
  ]) {
    const value = response.headers.get(`access-control-${name}`);
    if (value !== null) found[name] = value;
  }
  return found;
}

describe('preflights', () => {
  test('the gateway answers one for a secured route itself: no token, no authorizer, no backend call', async () => {
    const before = backend.hits.length;
    const response = await preflight('/items', APP, 'GET');
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(corsHeadersOf(response)).toEqual({
      'allow-origin': APP,
      'allow-methods': 'GET,POST',
      'allow-headers': 'authorization,content-type',
      'expose-headers': 'x-request-id',
      'max-age': '300',
      'allow-credentials': 'true',
    });
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
    expect(backend.hits.length).toBe(before);
  });

  test('"http://*" allows any http origin and answers with that origin', async () => {
    const response = await preflight('/items', 'http://localhost:5173', 'POST');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  test('an origin or method the configuration does not allow gets no CORS headers, so the browser refuses', async () => {
    for (const [origin, method] of [
      ['https://other.example', 'GET'],
      ['https://app.example.com.evil.example', 'GET'],
      [APP, 'DELETE'],
    ]) {
      const response = await preflight('/items', origin, method);
      expect(response.status).toBe(204);
      expect(corsHeadersOf(response)).toEqual({});
    }
  });

  test('a path no route serves is answered too: there need not be an OPTIONS route', async () => {
    const response = await preflight('/nowhere/at/all', APP, 'GET');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });

  test('OPTIONS without Access-Control-Request-Method is no preflight: routed, and no route takes it', async () => {
    const response = await fetch(`${gateway.url}/items`, { method: 'OPTIONS', headers: { origin: APP } });
    expect(response.status).toBe(404);
  });

  test('an ANY route catches the preflight, authorizer included, as the guide warns for $default', async () => {
    const response = await preflight('/any/thing', APP, 'GET');
    expect(response.status).toBe(401);
  });

  test('an OPTIONS route catches it too: its integration answers, with the configured CORS headers', async () => {
    const response = await preflight('/explicit', APP, 'GET');
    expect(response.status).toBe(200);
    expect(backend.hits.at(-1)).toBe('OPTIONS /explicit');
    expect(corsHeadersOf(response)).toEqual({
      'allow-origin': APP,
      'expose-headers': 'x-request-id',
      'allow-credentials': 'true',
    });
  });
});

describe('replies', () => {
  test("an allowed origin gets the configured headers; the backend's CORS headers are dropped", async () => {
    const response = await fetch(`${gateway.url}/items`, {
      headers: { origin: APP, authorization: await pool.accessToken() },
    });
    expect(response.status).toBe(200);
    expect(corsHeadersOf(response)).toEqual({
      'allow-origin': APP,
      'expose-headers': 'x-request-id',
      'allow-credentials': 'true',
    });
    expect(response.headers.get('x-request-id')).toBe('backend-1');
  });

  test("another origin, or no Origin header, gets no CORS headers at all, not even the backend's", async () => {
    const token = await pool.accessToken();
    for (const headers of [{ origin: 'https://other.example' }, {}] as Record<string, string>[]) {
      const response = await fetch(`${gateway.url}/items`, { headers: { ...headers, authorization: token } });
      expect(response.status).toBe(200);
      expect(corsHeadersOf(response)).toEqual({});
    }
  });

  test("the authorizer's refusal keeps its status (whether AWS adds CORS headers to it is unverified)", async () => {
    const response = await fetch(`${gateway.url}/items`, { headers: { origin: APP } });
    expect(response.status).toBe(401);
  });
});

describe('a REST API with the extension', () => {
  let rest: LocalGateway;
  beforeAll(async () => {
    const model = await modelOf(`
openapi: 3.0.3
info: { title: Rest, version: 1.0.0 }
x-amazon-apigateway-cors: { allowOrigins: ["*"], allowMethods: [GET] }
paths:
  /things:
    get:
      security: []
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: "200" } }
`);
    expect(model.cors).toBeUndefined();
    rest = await startLocalGateway({
      model,
      placeholders: testPlaceholders({}),
      pools: {},
      functions: {},
      stage: 'prod',
    });
  });
  afterAll(() => rest?.stop());

  test('answers a preflight as its methods say (none for OPTIONS) and adds no CORS headers', async () => {
    const response = await fetch(`${rest.url}/things`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'GET' },
    });
    expect(response.status).toBe(403);
    const get = await fetch(`${rest.url}/things`, { headers: { origin: APP } });
    expect(get.status).toBe(200);
    expect(corsHeadersOf(get)).toEqual({});
  });
});

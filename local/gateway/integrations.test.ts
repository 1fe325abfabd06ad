// Integrations over real HTTP: mock and http_proxy with openapi/pets.yaml (an echo server standing in for
// the pet store), Lambda with hello-http.yaml, and what API Gateway answers when a backend fails.
import * as path from 'node:path';
import { loadApiModel } from '../../openapi/model/load';
import type { ApiModel } from '../../openapi/model/types';
import { startLocalGateway, type LocalGateway } from './index';
import {
  closedPort,
  modelOf,
  startEchoServer,
  startTestIssuer,
  testPlaceholders,
  type EchoServer,
  type TestIssuer,
} from './test-support';

const PETS = path.resolve(__dirname, '../../openapi/pets.yaml');

let pool: TestIssuer;
let echo: EchoServer;
let pets: ApiModel;
let gateway: LocalGateway;

const petsPlaceholders = (backend: string) =>
  testPlaceholders({ userPoolArn: pool.arn, clients: ['web'], backends: { petstore: backend } });

beforeAll(async () => {
  [pool, echo] = await Promise.all([startTestIssuer(), startEchoServer()]);
  pets = await loadApiModel(PETS);
  gateway = await startLocalGateway({
    model: pets,
    placeholders: petsPlaceholders(echo.url),
    pools: { [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl } },
    functions: {},
    stage: 'prod',
  });
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([pool?.stop(), echo?.stop()]);
});

async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe('mock integrations (pets.yaml)', () => {
  test('GET /pets: status and body from the integration response', async () => {
    const r = await call(`${gateway.url}/pets`, { headers: { Authorization: await pool.idToken() } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual([
      { id: 1, type: 'dog', price: 249.99 },
      { id: 2, type: 'cat', price: 124.99 },
    ]);
  });
  test('POST /pets: 201 from the request template, $context.requestId substituted', async () => {
    const r = await call(`${gateway.url}/pets`, {
      method: 'POST',
      headers: { Authorization: await pool.idToken(), 'content-type': 'application/json' },
      body: '{"type":"dog","price":99.5}',
    });
    expect(r.status).toBe(201);
    expect(JSON.parse(r.body)).toEqual({ message: 'created', requestId: r.headers.get('x-amzn-requestid') });
  });
  test('POST /purchase with an access token holding pets/purchase', async () => {
    const r = await call(`${gateway.url}/purchase`, {
      method: 'POST',
      headers: { Authorization: await pool.accessToken({ scope: 'pets/purchase' }) },
      body: '{"petId":1}',
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ message: 'purchased' });
  });
  test("GET /pets/{petId} with the web client's ID token in X-Pets-Token", async () => {
    const r = await call(`${gateway.url}/pets/1`, {
      headers: { 'X-Pets-Token': await pool.idToken({ aud: 'web-client-id' }) },
    });
    expect(r.status).toBe(200);
  });
  test('GET /health is public', async () => {
    const r = await call(`${gateway.url}/health`);
    expect([r.status, JSON.parse(r.body)]).toEqual([200, { message: 'ok' }]);
  });
});

describe('gateway responses (pets.yaml overrides UNAUTHORIZED)', () => {
  test('status, headers and body come from the override', async () => {
    const r = await call(`${gateway.url}/pets`);
    expect(r.status).toBe(401);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('www-authenticate')).toBe('Bearer realm="pets"');
    expect(JSON.parse(r.body)).toEqual({ message: 'Unauthorized' });
  });
  test('$context.error.messageString carries the expiry message, quoted', async () => {
    const past = Math.floor(Date.now() / 1000) - 10;
    const r = await call(`${gateway.url}/pets`, { headers: { Authorization: await pool.idToken({ exp: past }) } });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toEqual({ message: 'The incoming token has expired' });
  });
  test("a type the document does not define keeps API Gateway's default", async () => {
    const r = await call(`${gateway.url}/nowhere`);
    expect(r.status).toBe(403);
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect(JSON.parse(r.body)).toEqual({ message: 'Missing Authentication Token' });
  });
});

describe('gateway responses: overrides and DEFAULT_4XX fallback', () => {
  let local: LocalGateway;
  beforeAll(async () => {
    const model = await modelOf(`
openapi: 3.0.3
info: { title: Responses, version: 1.0.0 }
paths:
  /things:
    get:
      security: [{ CognitoAuth: [] }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: "200" } }
components:
  securitySchemes:
    CognitoAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer: { type: cognito_user_pools, providerARNs: ["{{userPoolArn}}"] }
x-amazon-apigateway-gateway-responses:
  MISSING_AUTHENTICATION_TOKEN:
    statusCode: 404
    responseTemplates:
      application/json: '{"error":"no such route","type":"$context.error.responseType","path":"$context.path"}'
  DEFAULT_4XX:
    responseParameters:
      gatewayresponse.header.X-Fallback: "'yes'"
      gatewayresponse.header.X-Request: "context.requestId"
    responseTemplates:
      application/json: '{"fallback":$context.error.messageString,"raw":"$context.error.message","id":"$context.requestId"}'
`);
    local = await startLocalGateway({
      model,
      placeholders: petsPlaceholders(echo.url),
      pools: { [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl } },
      functions: {},
      stage: 'v1',
    });
  });
  afterAll(() => local?.stop());

  test('MISSING_AUTHENTICATION_TOKEN overridden to 404 with its own template', async () => {
    const r = await call(`${local.url}/nope`);
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toEqual({
      error: 'no such route',
      type: 'MISSING_AUTHENTICATION_TOKEN',
      path: '/v1/nope',
    });
  });
  test('UNAUTHORIZED, not defined, falls back to DEFAULT_4XX (headers, body, $context substituted)', async () => {
    const r = await call(`${local.url}/things`);
    expect(r.status).toBe(401);
    expect(r.headers.get('x-fallback')).toBe('yes');
    expect(r.headers.get('x-request')).toBe(r.headers.get('x-amzn-requestid'));
    expect(JSON.parse(r.body)).toEqual({
      fallback: 'Unauthorized',
      raw: 'Unauthorized',
      id: r.headers.get('x-amzn-requestid'),
    });
  });
  test('a 5xx never falls back to DEFAULT_4XX', async () => {
    const down = await startTestIssuer();
    down.setAvailable(false);
    try {
      const isolated = await startLocalGateway({
        model: await modelOfResponses(),
        placeholders: testPlaceholders({ userPoolArn: down.arn }),
        pools: { [down.arn]: { issuer: down.issuer, jwksUrl: down.jwksUrl } },
        functions: {},
        stage: 'v1',
        log: () => undefined,
      });
      try {
        const r = await call(`${isolated.url}/things`, { headers: { Authorization: await down.idToken() } });
        expect(r.status).toBe(500);
        expect(r.headers.get('x-fallback')).toBeNull();
      } finally {
        await isolated.stop();
      }
    } finally {
      await down.stop();
    }
  });

  async function modelOfResponses(): Promise<ApiModel> {
    return modelOf(`
openapi: 3.0.3
info: { title: Responses, version: 1.0.0 }
paths:
  /things:
    get:
      security: [{ CognitoAuth: [] }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: "200" } }
components:
  securitySchemes:
    CognitoAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer: { type: cognito_user_pools, providerARNs: ["{{userPoolArn}}"] }
x-amazon-apigateway-gateway-responses:
  DEFAULT_4XX:
    responseParameters:
      gatewayresponse.header.X-Fallback: "'yes'"
`);
  }
});

describe('http_proxy (pets.yaml /proxy/{proxy+}, ANY)', () => {
  test('greedy path, query, method, headers and body are forwarded; the backend answer comes back', async () => {
    const token = await pool.idToken();
    const before = echo.requests.length;
    const r = await call(`${gateway.url}/proxy/pets/7/toys%20box?sort=asc&tag=a&tag=b`, {
      method: 'PUT',
      headers: { Authorization: token, 'content-type': 'application/json', 'X-Custom': 'kept' },
      body: '{"name":"rex"}',
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-backend')).toBe('echo');
    expect(echo.requests.length).toBe(before + 1);
    const seen = echo.requests[before];
    expect(seen.method).toBe('PUT');
    expect(seen.url).toBe('/pets/7/toys%20box?sort=asc&tag=a&tag=b');
    expect(seen.headers['x-custom']).toBe('kept');
    expect(seen.headers.authorization).toBe(token);
    expect(seen.headers.host).toBe(new URL(echo.url).host);
    expect(seen.body).toBe('{"name":"rex"}');
  });
  test("replies carry a Content-Length, as API Gateway's do, even where the backend answered chunked; a 204 none", async () => {
    const token = await pool.idToken();
    const proxied = await call(`${gateway.url}/proxy/framing`, { headers: { Authorization: token } });
    expect(proxied.headers.get('transfer-encoding')).toBeNull();
    expect(proxied.headers.get('content-length')).toBe(String(Buffer.byteLength(proxied.body)));
    const mocked = await call(`${gateway.url}/pets`, { headers: { Authorization: token } });
    expect([mocked.headers.get('transfer-encoding'), mocked.headers.get('content-length')]).toEqual([
      null,
      String(Buffer.byteLength(mocked.body)),
    ]);
    const empty = await call(`${gateway.url}/proxy/status/204`, { headers: { Authorization: token } });
    expect([empty.status, empty.headers.get('content-length'), empty.body]).toEqual([204, null, '']);
  });
  test('ANY takes every method, and the backend status is passed through', async () => {
    const r = await call(`${gateway.url}/proxy/status/418`, {
      method: 'DELETE',
      headers: { Authorization: await pool.idToken() },
    });
    expect(r.status).toBe(418);
  });
  test('the authorizer still guards the proxy', async () => {
    const before = echo.requests.length;
    expect((await call(`${gateway.url}/proxy/pets`)).status).toBe(401);
    expect(echo.requests.length).toBe(before);
  });
  test('{proxy+} needs at least one segment: /proxy alone is an unknown route', async () => {
    expect((await call(`${gateway.url}/proxy`, { headers: { 'x-any': '1' } })).status).toBe(403);
  });
});

describe('http_proxy failures', () => {
  test('REST: unreachable backend is 504 INTEGRATION_FAILURE; a timeout is 504 INTEGRATION_TIMEOUT', async () => {
    const port = await closedPort();
    const local = await startLocalGateway({
      model: pets,
      placeholders: petsPlaceholders(`http://127.0.0.1:${port}`),
      pools: { [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl } },
      functions: {},
      stage: 'prod',
    });
    const slow = await startLocalGateway({
      model: pets,
      placeholders: petsPlaceholders(echo.url),
      pools: { [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl } },
      functions: {},
      stage: 'prod',
      integrationTimeoutMs: 300,
    });
    try {
      // Default statuses of INTEGRATION_FAILURE and INTEGRATION_TIMEOUT:
      // docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
      const unreachable = await call(`${local.url}/proxy/pets`, { headers: { Authorization: await pool.idToken() } });
      expect(unreachable.status).toBe(504);
      expect(JSON.parse(unreachable.body)).toEqual({ message: 'Network error communicating with endpoint' });
      const timedOut = await call(`${slow.url}/proxy/slow`, { headers: { Authorization: await pool.idToken() } });
      expect(timedOut.status).toBe(504);
      expect(JSON.parse(timedOut.body)).toEqual({ message: 'Endpoint request timed out' });
    } finally {
      await Promise.all([local.stop(), slow.stop()]);
    }
  });

  test('HTTP API: http_proxy forwards; unreachable backend is 503', async () => {
    const httpApi = await modelOf(`
openapi: 3.0.1
info: { title: Proxy, version: 1.0.0 }
x-amazon-apigateway-importexport-version: "1.0"
paths:
  /files/{proxy+}:
    x-amazon-apigateway-any-method:
      security: []
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: ANY, uri: "{{backend:files}}/store/{proxy}", payloadFormatVersion: "1.0" }
`);
    const port = await closedPort();
    const up = await startLocalGateway({
      model: httpApi,
      placeholders: testPlaceholders({ backends: { files: echo.url } }),
      pools: {},
      functions: {},
      stage: 'prod',
    });
    const down = await startLocalGateway({
      model: httpApi,
      placeholders: testPlaceholders({ backends: { files: `http://127.0.0.1:${port}` } }),
      pools: {},
      functions: {},
      stage: 'prod',
    });
    try {
      const ok = await call(`${up.url}/files/a/b.txt?v=2`, { method: 'POST', body: 'content' });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toMatchObject({ method: 'POST', url: '/store/a/b.txt?v=2', body: 'content' });
      expect(ok.headers.get('apigw-requestid')).toBeTruthy();
      const failed = await call(`${down.url}/files/a`);
      expect(failed.status).toBe(503);
      expect(JSON.parse(failed.body)).toEqual({ message: 'Service Unavailable' });
    } finally {
      await Promise.all([up.stop(), down.stop()]);
    }
  });
});

describe('start-up refuses what it cannot serve, naming the file, pointer and fix', () => {
  test('a providerARN with no local pool', async () => {
    await expect(
      startLocalGateway({
        model: pets,
        placeholders: petsPlaceholders(echo.url),
        pools: {},
        functions: {},
        stage: 'prod',
      }),
    ).rejects.toThrow(
      /pets\.yaml#\/components\/securitySchemes\/CognitoAuth\/x-amazon-apigateway-authorizer\/providerARNs\/0[\s\S]*fix: Pass that pool/,
    );
  });
});

test('a Lambda integration with no function starts as a stand-in, named with why', async () => {
  const hello = await loadApiModel(path.resolve(__dirname, '../../openapi/hello-http.yaml'));
  const local = await startLocalGateway({
    model: hello,
    placeholders: testPlaceholders({ clients: ['web', 'spa', 'machine'], functions: ['hello'] }),
    pools: {},
    functions: {},
    stage: 'prod',
  });
  try {
    expect(local.standIns.map((s) => [s.operation, s.reason])).toEqual(
      ['sayHello', 'listReports', 'ping'].map((op) => [op, 'no function `hello` in the project file']),
    );
    const r = await call(`${local.url}/ping`);
    expect([r.status, r.headers.get('x-gatehouse-stand-in')]).toEqual([200, 'no function `hello` in the project file']);
  } finally {
    await local.stop();
  }
});

describe('mock integrations answered from their constant reply (templates that read nothing)', () => {
  let local: LocalGateway;
  beforeAll(async () => {
    const model = await modelOf(`
openapi: 3.0.3
info: { title: Mocks, version: 1.0.0 }
paths:
  /fixed:
    get:
      security: []
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses:
          default:
            statusCode: "200"
            responseParameters: { method.response.header.X-Fixed: "'yes'" }
            responseTemplates: { application/json: '{"fixed": true}' }
  /echoed:
    get:
      security: []
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses:
          default:
            statusCode: "200"
            responseParameters: { method.response.header.X-Echo: method.request.header.x-in }
  /typed:
    get:
      security: []
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses:
          default:
            statusCode: "200"
            responseTemplates: { application/json: '{"as": "json"}', text/plain: as text }
  /strict:
    post:
      security: []
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        passthroughBehavior: never
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: "200", responseTemplates: { application/json: '{"ok": 1}' } } }
`);
    local = await startLocalGateway({
      model,
      placeholders: testPlaceholders({}),
      pools: {},
      functions: {},
      stage: 's',
    });
  });
  afterAll(() => local?.stop());

  test('each request gets its own reply: its own request ids, the same headers and body', async () => {
    const [a, b] = [await call(`${local.url}/fixed`), await call(`${local.url}/fixed`)];
    for (const r of [a, b])
      expect([r.status, r.headers.get('x-fixed'), r.body]).toEqual([200, 'yes', '{"fixed": true}']);
    expect(a.headers.get('x-amzn-requestid')).not.toBe(b.headers.get('x-amzn-requestid'));
    expect(a.headers.get('x-amz-apigw-id')).not.toBe(b.headers.get('x-amz-apigw-id'));
  });
  test('a response parameter read from the request follows each request', async () => {
    const first = await call(`${local.url}/echoed`, { headers: { 'x-in': 'one' } });
    const second = await call(`${local.url}/echoed`, { headers: { 'x-in': 'two' } });
    expect([first.headers.get('x-echo'), second.headers.get('x-echo')]).toEqual(['one', 'two']);
  });
  test('with two response templates the Accept header of each request chooses', async () => {
    const json = await call(`${local.url}/typed`, { headers: { accept: 'application/json' } });
    const text = await call(`${local.url}/typed`, { headers: { accept: 'text/plain' } });
    expect([json.headers.get('content-type'), json.body]).toEqual(['application/json', '{"as": "json"}']);
    expect([text.headers.get('content-type'), text.body]).toEqual(['text/plain', 'as text']);
  });
  test('passthroughBehavior never still refuses a content type without a template, request after request', async () => {
    const post = (type: string) =>
      call(`${local.url}/strict`, { method: 'POST', headers: { 'content-type': type }, body: '{}' });
    const statuses = [];
    for (const type of ['text/plain', 'application/json', 'text/plain', 'application/json'])
      statuses.push((await post(type)).status);
    expect(statuses).toEqual([415, 200, 415, 200]);
  });
});

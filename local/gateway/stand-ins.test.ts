// Stand-ins over real HTTP: every integration nothing real can run here answers its operation's documented
// success after the authorizer decided, and is listed with why; a backend off this machine gets no request
// (every outgoing http/https request and DNS lookup of this process is recorded, through Node's diagnostics
// channels) unless local.urls maps it or local.forward opts in.
import * as diagnostics from 'node:diagnostics_channel';
import type * as http from 'node:http';
import type * as net from 'node:net';
import type { ApiModel } from '../../openapi/model/types';
import { startLocalGateway, type LocalGateway } from './index';
import { STAND_IN_HEADER } from './integrations/stand-in';
import { standInLines } from './listing';
import { isLoopbackHost, outbound } from './outbound';
import {
  modelOf,
  startEchoServer,
  startTestIssuer,
  testPlaceholders,
  type EchoServer,
  type TestIssuer,
} from './test-support';

/** Hosts this process sent http(s) requests to, and names it looked up in DNS to open a socket. */
const requestedHosts: string[] = [];
const lookedUp: string[] = [];
const onRequest = (message: unknown) => requestedHosts.push((message as { request: http.ClientRequest }).request.host);
const onSocket = (message: unknown) =>
  (message as { socket: net.Socket }).socket.on('lookup', (_error, _address, _family, host: string) =>
    lookedUp.push(host),
  );
diagnostics.subscribe('http.client.request.start', onRequest);
diagnostics.subscribe('net.client.socket', onSocket);
afterAll(() => {
  diagnostics.unsubscribe('http.client.request.start', onRequest);
  diagnostics.unsubscribe('net.client.socket', onSocket);
});

const rest = (echoPort: number) => `
openapi: 3.0.3
info: { title: StandIns, version: 1.0.0 }
paths:
  /orders:
    post:
      operationId: putOrder
      security: [{ CognitoAuth: [] }]
      responses:
        "201":
          description: stored
          headers:
            Location: { schema: { type: string }, example: /orders/o-1 }
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Order" }
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: "arn:aws:apigateway:{{region}}:dynamodb:action/PutItem"
        requestTemplates:
          application/json: '{"TableName": "orders", "Item": {"id": {"S": "$context.requestId"}}}'
        responses: { default: { statusCode: "201" } }
  /orders/{id}:
    delete:
      operationId: deleteOrder
      security: [{ CognitoAuth: [] }]
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses: { "204": { description: gone } }
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations
  /files/{key}:
    get:
      operationId: getFile
      security: [{ CognitoAuth: [] }]
      parameters: [{ name: key, in: path, required: true, schema: { type: string } }]
      responses:
        "200":
          description: the file
          content: { text/plain: { example: "file contents" } }
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: GET
        uri: "arn:aws:apigateway:us-east-1:s3:path/bucket/{key}"
        requestParameters: { integration.request.path.key: method.request.path.key }
  /partner/{proxy+}:
    x-amazon-apigateway-any-method:
      operationId: partnerProxy
      security: [{ CognitoAuth: [] }]
      responses: { "200": { description: ok, content: { application/json: { schema: { type: object, properties: { ok: { type: boolean } } } } } } }
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: ANY
        uri: "https://api.example.com/v1/{proxy}"
  /legacy:
    get:
      operationId: legacy
      security: [{ CognitoAuth: [] }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: "https://legacy.example.com/v2/items" }
  /forwarded:
    get:
      operationId: forwarded
      security: [{ CognitoAuth: [] }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: "http://0.0.0.0:${echoPort}/really" }
  /unnamed:
    get:
      operationId: unnamedBackend
      security: []
      responses: { "202": { description: accepted, content: { application/json: { example: { queued: true } } } } }
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: "{{backend:billing}}/queue" }
  /macro:
    get:
      operationId: macro
      security: []
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '#macro(status)200#end{"statusCode": #status()}' }
        responses: { default: { statusCode: "200" } }
components:
  schemas:
    Order:
      type: object
      properties:
        id: { type: string, format: uuid }
        total: { type: number, minimum: 0 }
        lines: { type: array, items: { $ref: "#/components/schemas/Line" } }
    Line:
      type: object
      properties: { sku: { type: string, enum: [kibble, leash] }, qty: { type: integer, minimum: 1 } }
  securitySchemes:
    CognitoAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer: { type: cognito_user_pools, providerARNs: ["{{userPoolArn}}"] }
`;

let pool: TestIssuer;
let echo: EchoServer;
let model: ApiModel;
let gateway: LocalGateway;

beforeAll(async () => {
  [pool, echo] = await Promise.all([startTestIssuer(), startEchoServer()]);
  model = await modelOf(rest(Number(new URL(echo.url).port)));
  gateway = await startLocalGateway({
    model,
    placeholders: testPlaceholders({ userPoolArn: pool.arn }),
    pools: { [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl } },
    functions: {},
    stage: 'prod',
    outbound: {
      urls: { 'https://legacy.example.com/v2': `${echo.url}/local-legacy` },
      forward: [`http://0.0.0.0:${new URL(echo.url).port}`],
    },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([pool?.stop(), echo?.stop()]);
});

async function call(route: string, init: RequestInit = {}) {
  const response = await fetch(`${gateway.url}${route}`, init);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

const authorized = async (init: RequestInit = {}): Promise<RequestInit> => ({
  ...init,
  headers: { Authorization: await pool.idToken() },
});

test('start-up lists every stand-in with why, and the forwarded backend', () => {
  expect(gateway.standIns.map((s) => [s.operation, s.reason])).toEqual([
    ['putOrder', 'AWS service integration dynamodb:PutItem'],
    ['deleteOrder', 'no function `orders` in the project file'],
    ['getFile', 'AWS service integration s3 (path /bucket/{key})'],
    [
      'partnerProxy',
      'backend https://api.example.com is not on this machine (map it to a local URL in local.urls, or send it there with local.forward)',
    ],
    ['unnamedBackend', 'no backend `billing` in the project file'],
    ['macro', expect.stringMatching(/^a mapping template beyond the local gateway's VTL: #macro is not supported/)],
  ]);
  expect(gateway.forwarded).toEqual([
    {
      operation: 'forwarded',
      method: 'GET',
      path: '/forwarded',
      uri: `http://0.0.0.0:${new URL(echo.url).port}/really`,
    },
  ]);
});

test('gatehouse local prints one line per stand-in and per forwarded backend', () => {
  const lines = standInLines(gateway.standIns, gateway.forwarded);
  expect(lines[0]).toBe('  stand-in         POST /orders (putOrder): AWS service integration dynamodb:PutItem');
  expect(lines).toHaveLength(gateway.standIns.length + 1);
  expect(lines[lines.length - 1]).toMatch(
    /^ {2}forwarded {8}GET \/forwarded \(forwarded\) -> http:\/\/0\.0\.0\.0:\d+\/really \(local\.forward: requests carry tokens there\)$/,
  );
});

describe('a stand-in answers the documented success, after the authorizer', () => {
  test('DynamoDB: 201, the documented header, a body made from the schema ($refs followed)', async () => {
    expect((await call('/orders', { method: 'POST' })).status).toBe(401);
    const r = await call('/orders', await authorized({ method: 'POST' }));
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe('/orders/o-1');
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get(STAND_IN_HEADER)).toBe('AWS service integration dynamodb:PutItem');
    expect(JSON.parse(r.body)).toEqual({
      id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      total: 0,
      lines: [{ sku: 'kibble', qty: 1 }],
    });
  });
  test('a Lambda the project file does not give: the documented 204, not a 200 from another function', async () => {
    const r = await call('/orders/o-1', await authorized({ method: 'DELETE' }));
    expect([r.status, r.body]).toEqual([204, '']);
  });
  test("S3: the document's text example as it is", async () => {
    const r = await call('/files/a.txt', await authorized());
    expect([r.status, r.headers.get('content-type'), r.body]).toEqual([200, 'text/plain', 'file contents']);
  });
  test('a public operation needs no token; a refused token is still refused', async () => {
    const r = await call('/unnamed');
    expect([r.status, JSON.parse(r.body)]).toEqual([202, { queued: true }]);
    expect((await call('/partner/x', { headers: { Authorization: 'not-a-jwt' } })).status).toBe(401);
  });
});

describe('no token leaves this machine', () => {
  test('an internet http_proxy is answered by the stand-in, and no request for that host is ever made', async () => {
    const before = echo.requests.length;
    const started = Date.now();
    const r = await call('/partner/orders/1', await authorized());
    expect(Date.now() - started).toBeLessThan(2000);
    expect([r.status, JSON.parse(r.body)]).toEqual([200, { ok: true }]);
    expect(r.headers.get(STAND_IN_HEADER)).toMatch(/api\.example\.com is not on this machine/);
    expect(echo.requests.length).toBe(before);
    expect(requestedHosts.filter((h) => !isLoopbackHost(h) && h !== '0.0.0.0')).toEqual([]);
    expect(lookedUp.filter((h) => h !== 'localhost')).toEqual([]);
  });
  test('local.urls maps a document URL prefix to a local URL: the request goes there instead', async () => {
    const r = await call('/legacy?page=2', await authorized());
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ method: 'GET', url: '/local-legacy/items?page=2' });
    expect(requestedHosts).not.toContain('legacy.example.com');
  });
  test('local.forward opts a host that is not loopback in: it is really called, token and all', async () => {
    const token = await pool.idToken();
    const r = await call('/forwarded', { headers: { Authorization: token } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ url: '/really', headers: { authorization: token } });
    expect(requestedHosts).toContain('0.0.0.0');
  });
});

describe('where a backend may go', () => {
  const none = { urls: {}, forward: [] };
  test('loopback hosts only: 127.0.0.0/8, ::1, localhost', () => {
    for (const uri of ['http://127.0.0.1:9/x', 'http://127.8.9.10/x', 'http://[::1]:8080/', 'http://localhost/{proxy}'])
      expect(outbound(uri, none)).toMatchObject({ allowed: true, forwarded: false });
    for (const uri of ['https://example.com/', 'http://0.0.0.0/', 'http://127.0.0.1.nip.io/', 'http://10.0.0.1/'])
      expect(outbound(uri, none)).toMatchObject({ allowed: false });
  });
  test('a host smuggled in through userinfo or a path variable next to the port is not loopback', () => {
    expect(outbound('http://127.0.0.1@example.com/', none)).toMatchObject({ allowed: false });
    expect(outbound('http://127.0.0.1:8080{suffix}', none)).toMatchObject({ allowed: false });
  });
  test('forward and urls prefixes match at a boundary, never a longer host', () => {
    const policy = { urls: { 'https://a.example.com': 'http://127.0.0.1:1' }, forward: ['https://b.example.com'] };
    expect(outbound('https://a.example.com/x', policy)).toMatchObject({ allowed: true, uri: 'http://127.0.0.1:1/x' });
    expect(outbound('https://a.example.com.evil.example/x', policy)).toMatchObject({ allowed: false });
    expect(outbound('https://b.example.com/y', policy)).toMatchObject({ allowed: true, forwarded: true });
    expect(outbound('https://b.example.com:8443/y', policy)).toMatchObject({ allowed: false });
  });
});

test('Swagger 2.0: the stand-in reads examples by MIME type and produces', async () => {
  const swagger = await modelOf(`
swagger: "2.0"
info: { title: Swagger, version: 1.0.0 }
produces: [application/json]
paths:
  /queue:
    post:
      operationId: enqueue
      security: []
      responses:
        "202":
          description: queued
          headers: { X-Queue: { type: string, x-example: jobs } }
          examples: { application/json: { position: 3 } }
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:sqs:path/123456789012/jobs
`);
  const local = await startLocalGateway({
    model: swagger,
    placeholders: testPlaceholders({}),
    pools: {},
    functions: {},
    stage: 'v1',
  });
  try {
    const r = await fetch(`${local.url}/queue`, { method: 'POST' });
    expect([r.status, r.headers.get('x-queue'), await r.json()]).toEqual([202, 'jobs', { position: 3 }]);
    expect(local.standIns).toEqual([
      {
        operation: 'enqueue',
        method: 'POST',
        path: '/queue',
        reason: 'AWS service integration sqs (path /123456789012/jobs)',
      },
    ]);
  } finally {
    await local.stop();
  }
});

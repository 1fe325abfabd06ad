// Non-proxy integrations over real HTTP: a Lambda (type aws) with request and response templates around the
// handler and errors selected by errorMessage, an http backend that gets only what the document maps, and
// mocks whose templates branch, loop and override the status.
import * as path from 'node:path';
import type { ApiModel } from '../../openapi/model/types';
import { startLocalGateway, type LocalGateway } from './index';
import {
  modelOf,
  startEchoServer,
  startTestIssuer,
  testPlaceholders,
  type EchoServer,
  type TestIssuer,
} from './test-support';

const LAMBDAS = path.resolve(__dirname, 'fixtures/lambdas');

const DOCUMENT = `
openapi: 3.0.3
info: { title: NonProxy, version: 1.0.0 }
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      security: [{ CognitoAuth: [] }]
      parameters: [{ name: petId, in: path, required: true, schema: { type: string } }]
      responses: { "200": { description: ok }, "404": { description: missing } }
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: "{{lambda:pets}}"
        passthroughBehavior: never
        requestTemplates:
          application/json: '{"petId": "$input.params(''petId'')", "caller": "$context.authorizer.claims.sub", "verbose": $input.params(''verbose'').equals("true")}'
        responses:
          default:
            statusCode: "200"
            responseParameters: { method.response.header.X-Pet: integration.response.body.received.petId }
            responseTemplates:
              application/json: |
                #set($r = $input.path('$.received'))
                {"id": "$r.petId", "by": "$r.caller", "verbose": $r.verbose, "handler": "$input.path('$.handledBy')"}
          ".*NotFound.*":
            statusCode: "404"
            responseTemplates:
              application/json: '{"error": "$util.escapeJavaScript($input.path(''$.errorMessage''))"}'
  /missing/{petId}:
    get:
      operationId: missingPet
      security: [{ CognitoAuth: [] }]
      parameters: [{ name: petId, in: path, required: true, schema: { type: string } }]
      responses: { "404": { description: missing } }
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: "{{lambda:missing}}"
        requestTemplates: { application/json: '{"petId": "$input.params(''petId'')"}' }
        responses:
          default: { statusCode: "200" }
          ".*NotFound.*": { statusCode: "404", responseTemplates: { application/json: "$input.json('$.errorMessage')" } }
  /pets-by-arn/{petId}:
    get:
      operationId: getPetByArn
      security: [{ CognitoAuth: [] }]
      parameters: [{ name: petId, in: path, required: true, schema: { type: string } }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:pets/invocations
        requestTemplates: { application/json: '{"petId": "$input.params(''petId'')"}' }
        responses: { default: { statusCode: "200" } }
  /orders:
    post:
      operationId: createOrder
      security: [{ CognitoAuth: [] }]
      parameters: [{ name: x-tenant, in: header, required: true, schema: { type: string } }]
      responses: { "201": { description: stored } }
      x-amazon-apigateway-integration:
        type: http
        httpMethod: PUT
        uri: "{{backend:orders}}/store/{tenant}/orders"
        requestParameters:
          integration.request.path.tenant: method.request.header.x-tenant
          integration.request.querystring.source: "'gateway'"
          integration.request.header.X-Caller: context.authorizer.claims.sub
        requestTemplates:
          application/json: '{"order": $input.json(''$''), "email": "$context.authorizer.claims.email"}'
        responses:
          "2\\\\d{2}":
            statusCode: "201"
            responseParameters: { method.response.header.X-Backend: integration.response.header.x-backend }
            responseTemplates:
              application/json: |
                #set($b = $util.parseJson($input.body))
                {"stored": "$b.method $b.url", "sent": $b.body}
          "5\\\\d{2}": { statusCode: "502", responseTemplates: { application/json: '{"message": "backend down"}' } }
          default: { statusCode: "500" }
  /status/{code}:
    get:
      operationId: backendStatus
      security: []
      parameters: [{ name: code, in: path, required: true, schema: { type: string } }]
      responses: { "200": { description: passed through } }
      x-amazon-apigateway-integration:
        type: http
        httpMethod: GET
        uri: "{{backend:orders}}/status/{code}"
        requestParameters: { integration.request.path.code: method.request.path.code }
        responses:
          "5\\\\d{2}": { statusCode: "502", responseTemplates: { application/json: '{"message": "backend down"}' } }
          default: { statusCode: "200" }
  /reports:
    get:
      operationId: listReports
      security: [{ CognitoAuth: [] }]
      parameters: [{ name: limit, in: query, schema: { type: integer } }]
      responses: { "200": { description: reports }, "400": { description: bad limit } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '#if($input.params("limit") == "0"){"statusCode": 400}#else{"statusCode": 200}#end'
        responses:
          default:
            statusCode: "200"
            responseTemplates:
              application/json: '{"reports": [#foreach($i in [1..3])"r$i"#if($foreach.hasNext),#end#end], "for": "$context.authorizer.claims.email"}'
          "400":
            statusCode: "400"
            responseTemplates:
              application/json: '#set($context.responseOverride.status = 422)#set($context.responseOverride.header.X-Why = "limit")
                {"message": "limit must be positive"}'
components:
  securitySchemes:
    CognitoAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer:
        type: cognito_user_pools
        providerARNs: ["{{userPoolArn}}"]
`;

let pool: TestIssuer;
let echo: EchoServer;
let model: ApiModel;
let gateway: LocalGateway;

beforeAll(async () => {
  [pool, echo] = await Promise.all([startTestIssuer(), startEchoServer()]);
  model = await modelOf(DOCUMENT);
  gateway = await startLocalGateway({
    model,
    placeholders: testPlaceholders({
      userPoolArn: pool.arn,
      functions: ['pets', 'missing'],
      backends: { orders: echo.url },
    }),
    pools: { [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl } },
    functions: {
      pets: { sourceDir: LAMBDAS, handler: 'index.templateEvent' },
      missing: { sourceDir: LAMBDAS, handler: 'index.notFound' },
    },
    stage: 'prod',
    log: () => undefined,
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

test('nothing here is a stand-in: every integration of the document runs', () => {
  expect(gateway.standIns).toEqual([]);
});

describe('non-proxy Lambda (type aws)', () => {
  test('the request template makes the event; the response template and parameters read the result', async () => {
    const r = await call('/pets/7?verbose=true', { headers: { Authorization: await pool.idToken() } });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-pet')).toBe('7');
    expect(JSON.parse(r.body)).toEqual({
      id: '7',
      by: 'a1b2c3d4-0000-4000-8000-000000000001',
      verbose: true,
      handler: 'templateEvent',
    });
  });
  test("a function error is selected by its errorMessage: the NotFound pattern's 404", async () => {
    const r = await call('/missing/9', { headers: { Authorization: await pool.idToken() } });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toBe('NotFound: no pet 9');
  });
  test("an invoke ARN of another account runs the project file's function of that name", async () => {
    const r = await call('/pets-by-arn/3', { headers: { Authorization: await pool.idToken() } });
    expect([r.status, JSON.parse(r.body)]).toEqual([200, { received: { petId: '3' }, handledBy: 'templateEvent' }]);
  });
  test('passthroughBehavior never: a content type without a template is 415 before the function runs', async () => {
    const r = await call('/pets/7', { headers: { Authorization: await pool.idToken(), 'content-type': 'text/plain' } });
    expect(r.status).toBe(415);
  });
  test('the authorizer decides first: no token, no invocation', async () => {
    expect((await call('/pets/7')).status).toBe(401);
  });
});

describe('non-proxy http', () => {
  test('only what requestParameters map reaches the backend, never the Authorization header', async () => {
    const before = echo.requests.length;
    const r = await call('/orders', {
      method: 'POST',
      headers: { Authorization: await pool.idToken(), 'x-tenant': 'acme', 'content-type': 'application/json' },
      body: '{"item":"kibble","qty":2}',
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('x-backend')).toBe('echo');
    const sent = { order: { item: 'kibble', qty: 2 }, email: 'alice@example.com' };
    expect(JSON.parse(r.body)).toEqual({ stored: 'PUT /store/acme/orders?source=gateway', sent });
    const seen = echo.requests.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0].headers['x-caller']).toBe('a1b2c3d4-0000-4000-8000-000000000001');
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].headers['x-tenant']).toBeUndefined();
    expect(JSON.parse(seen[0].body)).toEqual(sent);
  });
  test("the backend's status selects the integration response: 503 matches 5\\d{2}, 204 falls to default", async () => {
    const down = await call('/status/503');
    expect([down.status, JSON.parse(down.body)]).toEqual([502, { message: 'backend down' }]);
    expect((await call('/status/204')).status).toBe(200);
  });
});

describe('mock with VTL templates', () => {
  test('the response template loops and reads the claims', async () => {
    const r = await call('/reports', { headers: { Authorization: await pool.idToken() } });
    expect([r.status, JSON.parse(r.body)]).toEqual([200, { reports: ['r1', 'r2', 'r3'], for: 'alice@example.com' }]);
  });
  test('the request template picks the status; $context.responseOverride changes it and adds a header', async () => {
    const r = await call('/reports?limit=0', { headers: { Authorization: await pool.idToken() } });
    expect(r.status).toBe(422);
    expect(r.headers.get('x-why')).toBe('limit');
    expect(JSON.parse(r.body)).toEqual({ message: 'limit must be positive' });
  });
});

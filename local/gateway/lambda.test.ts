// Lambda proxy integrations run in-process: the REST (1.0) and HTTP (2.0 and 1.0) events, claims where AWS
// puts them and how, and each shape of function result mapped back.
import * as path from 'node:path';
import type { ApiModel } from '../../openapi/model/types';
import type { LambdaFunctionOptions } from '../../stack/props';
import { javaDate } from './claims';
import { startLocalGateway, type LocalGateway } from './index';
import { send } from './raw-client';
import { modelOf, startTestIssuer, testPlaceholders, type TestIssuer } from './test-support';

const FIXTURES = path.resolve(__dirname, 'fixtures/lambdas');
const HANDLERS = [
  'echoEvent',
  'plainString',
  'plainObject',
  'withCookies',
  'binary',
  'throws',
  'malformed',
  'callbackStyle',
  'slow',
  'environment',
  'badHeader',
  'mutateClaims',
  'slower',
];
const functions: Record<string, LambdaFunctionOptions> = Object.fromEntries(
  HANDLERS.map((h) => [
    h,
    {
      sourceDir: FIXTURES,
      handler: `index.${h}`,
      timeoutSeconds: h === 'slow' ? 0.3 : h === 'slower' ? 1.5 : 5,
      ...(h === 'environment' ? { environment: { GATEWAY_TEST_GREETING: 'hello from env' } } : {}),
    },
  ]),
);

const lambdaOp = (name: string, security: string, extra = '') => `
      security: ${security}
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: "{{lambda:${name}}}"${extra} }`;

let pool: TestIssuer;
let rest: LocalGateway;
let httpApi: LocalGateway;
const logs: string[] = [];

beforeAll(async () => {
  pool = await startTestIssuer();
  const restModel: ApiModel = await modelOf(`
openapi: 3.0.3
info: { title: RestLambda, version: 1.0.0 }
paths:
  /users/{userId}/items:
    post:${lambdaOp('echoEvent', '[{ CognitoAuth: [] }]')}
  /fail:
    get:${lambdaOp('throws', '[]')}
  /malformed:
    get:${lambdaOp('malformed', '[]')}
  /callback:
    get:${lambdaOp('callbackStyle', '[]')}
  /slow:
    get:${lambdaOp('slow', '[]')}
  /slower:
    get:${lambdaOp('slower', '[]')}
  /binary:
    get:${lambdaOp('binary', '[]')}
  /env:
    get:${lambdaOp('environment', '[]')}
components:
  securitySchemes:
    CognitoAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer: { type: cognito_user_pools, providerARNs: ["{{userPoolArn}}"] }
`);
  const httpModel: ApiModel = await modelOf(`
openapi: 3.0.1
info: { title: HttpLambda, version: 1.0.0 }
paths:
  /echo/{id}:
    post:${lambdaOp('echoEvent', '[{ Jwt: [] }]', ', payloadFormatVersion: "2.0"')}
  /scoped:
    get:${lambdaOp('echoEvent', '[{ Jwt: [hello/read] }]', ', payloadFormatVersion: "2.0"')}
  /v1:
    get:${lambdaOp('echoEvent', '[{ Jwt: [hello/read] }]', ', payloadFormatVersion: "1.0"')}
  /string:
    get:${lambdaOp('plainString', '[]', ', payloadFormatVersion: "2.0"')}
  /object:
    get:${lambdaOp('plainObject', '[]', ', payloadFormatVersion: "2.0"')}
  /cookies:
    get:${lambdaOp('withCookies', '[]', ', payloadFormatVersion: "2.0"')}
  /fail:
    get:${lambdaOp('throws', '[]', ', payloadFormatVersion: "2.0"')}
  /public:
    post:${lambdaOp('echoEvent', '[]', ', payloadFormatVersion: "2.0"')}
  /mutate:
    get:${lambdaOp('mutateClaims', '[{ Jwt: [] }]', ', payloadFormatVersion: "2.0"')}
  /bad-header:
    get:${lambdaOp('badHeader', '[]', ', payloadFormatVersion: "2.0"')}
components:
  securitySchemes:
    Jwt:
      type: oauth2
      flows: {}
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration: { issuer: "{{issuer}}", audience: ["{{clientId:web}}"] }
`);
  const pools = { [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl } };
  const log = (line: string) => logs.push(line);
  const placeholders = testPlaceholders({
    userPoolArn: pool.arn,
    issuer: pool.issuer,
    clients: ['web'],
    functions: Object.keys(functions),
  });
  rest = await startLocalGateway({ model: restModel, placeholders, pools, functions, stage: 'prod', log });
  httpApi = await startLocalGateway({ model: httpModel, placeholders, pools, functions, stage: 'live', log });
});

afterAll(async () => {
  await Promise.all([rest?.stop(), httpApi?.stop()]);
  await pool?.stop();
});

async function call(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

describe('REST event (1.0)', () => {
  test('claims at requestContext.authorizer.claims: flat strings, exp/iat as dates', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const token = await pool.idToken({
      iat,
      exp: iat + 3600,
      auth_time: iat,
      'cognito:groups': ['admins', 'staff'],
      email_verified: true,
    });
    const r = await call(`${rest.url}/users/u%201/items?tag=a&tag=b&single=x`, {
      method: 'POST',
      headers: { Authorization: token, 'content-type': 'application/json', 'X-Mixed-Case': 'v' },
      body: '{"a":1}',
    });
    expect(r.status).toBe(200);
    const event = JSON.parse(r.body.toString());
    const claims = event.requestContext.authorizer.claims;
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
    expect(claims.exp).toBe(javaDate(iat + 3600));
    expect(claims.iat).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    expect(claims.auth_time).toBe(String(iat));
    expect(claims.email_verified).toBe('true');
    expect(claims['cognito:groups']).toBe('[admins staff]');
    expect(claims['cognito:username']).toBe('alice');
    expect(event).toMatchObject({
      resource: '/users/{userId}/items',
      path: '/users/u 1/items',
      httpMethod: 'POST',
      pathParameters: { userId: 'u 1' },
      queryStringParameters: { tag: 'b', single: 'x' },
      multiValueQueryStringParameters: { tag: ['a', 'b'], single: ['x'] },
      body: '{"a":1}',
      isBase64Encoded: false,
      stageVariables: null,
    });
    expect(event.headers['X-Mixed-Case']).toBe('v');
    expect(event.multiValueHeaders['X-Mixed-Case']).toEqual(['v']);
    expect(event.requestContext).toMatchObject({
      stage: 'prod',
      path: '/prod/users/u%201/items',
      resourcePath: '/users/{userId}/items',
      httpMethod: 'POST',
    });
    expect(event.requestContext.requestId).toBe(r.headers.get('x-amzn-requestid'));
  });

  test('exp/iat dates are Java Date strings in UTC', () => {
    expect(javaDate(1563170302)).toBe('Mon Jul 15 05:58:22 UTC 2019');
  });

  test('a function error or a malformed result is 502 {"message":"Internal server error"}', async () => {
    // docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
    for (const route of ['/fail', '/malformed']) {
      const r = await call(`${rest.url}${route}`);
      expect(r.status).toBe(502);
      expect(JSON.parse(r.body.toString())).toEqual({ message: 'Internal server error' });
    }
    expect(logs.join('\n')).toMatch(/"throws" failed: Error: boom/);
  });

  test('a function past its timeout is a function error', async () => {
    expect((await call(`${rest.url}/slow`)).status).toBe(502);
    expect(logs.join('\n')).toMatch(/Task timed out/);
  });

  test('each invocation times out at its own deadline, a shorter one started after a longer one first', async () => {
    const started = Date.now();
    const elapsed = (r: Promise<{ status: number }>) => r.then((answer) => [answer.status, Date.now() - started]);
    const longer = elapsed(call(`${rest.url}/slower`));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [shortStatus, shortMs] = await elapsed(call(`${rest.url}/slow`));
    const [longStatus, longMs] = await longer;
    expect([shortStatus, longStatus]).toEqual([502, 502]);
    expect(shortMs).toBeGreaterThanOrEqual(300);
    expect(shortMs).toBeLessThan(1200);
    expect(longMs).toBeGreaterThanOrEqual(1500);
    expect(logs.join('\n')).toMatch(/Task timed out after 1\.50 seconds/);
  });

  test('callback-style handlers are supported', async () => {
    const r = await call(`${rest.url}/callback`);
    expect([r.status, r.body.toString()]).toEqual([202, 'callback true']);
  });

  test('isBase64Encoded results are decoded', async () => {
    const r = await call(`${rest.url}/binary`);
    expect(r.headers.get('content-type')).toBe('image/png');
    expect([...r.body]).toEqual([0, 1, 2, 255]);
  });

  test('the function environment is set while the gateway runs', async () => {
    expect((await call(`${rest.url}/env`)).body.toString()).toBe('hello from env');
  });
});

describe('HTTP API event (2.0)', () => {
  test('claims at requestContext.authorizer.jwt.claims, all strings; scopes null on a route without scopes', async () => {
    const token = await pool.accessToken({
      client_id: 'web-client-id',
      scope: 'aws.cognito.signin.user.admin hello/read',
      'cognito:groups': ['g1', 'g2'],
    });
    const r = await call(`${httpApi.url}/echo/42?a=1&a=2`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        Cookie: 'c1=v1; c2=v2',
        'X-Mixed-Case': 'v',
        'content-type': 'text/plain',
      },
      body: 'hello',
    });
    expect(r.status).toBe(200);
    const event = JSON.parse(r.body.toString());
    const { claims, scopes } = event.requestContext.authorizer.jwt;
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
    expect(claims.exp).toMatch(/^\d{10}$/);
    expect(claims['cognito:groups']).toBe('[g1 g2]');
    expect(claims.client_id).toBe('web-client-id');
    expect(scopes).toBeNull();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /echo/{id}',
      rawPath: '/live/echo/42',
      rawQueryString: 'a=1&a=2',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,2' },
      pathParameters: { id: '42' },
      body: 'hello',
      isBase64Encoded: false,
    });
    expect(event.headers['x-mixed-case']).toBe('v');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext).toMatchObject({
      stage: 'live',
      routeKey: 'POST /echo/{id}',
      http: { method: 'POST', path: '/live/echo/42' },
    });
    expect(event.requestContext.requestId).toBe(r.headers.get('apigw-requestid'));
  });

  test('a header sent twice is one comma-joined value, sent once it is as sent; domainName is the Host without its port', async () => {
    const base = new URL(httpApi.url).origin;
    const eventOf = async (headers: [string, string][]) => {
      const answer = await send(base, '/live/public', { method: 'POST', headers, body: '' });
      expect(answer.status).toBe(200);
      return JSON.parse(answer.body);
    };
    const twice = await eventOf([
      ['host', 'api.example.test:8443'],
      ['X-Twice', 'a'],
      ['x-twice', 'b'],
      ['Cookie', 'c1=v1'],
      ['cookie', 'c2=v2'],
    ]);
    expect(twice.headers['x-twice']).toBe('a,b');
    expect(twice.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(twice.requestContext).toMatchObject({ domainName: 'api.example.test', domainPrefix: 'api' });
    const once = await eventOf([
      ['host', 'other.example.test'],
      ['X-Once', 'a'],
      ['Cookie', 'c1=v1; c2=v2'],
    ]);
    expect(once.headers).toMatchObject({ 'x-once': 'a', host: 'other.example.test' });
    expect(once.headers.cookie).toBeUndefined();
    expect(once.cookies).toEqual(['c1=v1', 'c2=v2']);
    expect(once.requestContext).toMatchObject({ domainName: 'other.example.test', domainPrefix: 'other' });
    expect(once.requestContext.http.sourceIp).toBe('127.0.0.1');
  });

  test('each event gets its own claims: what a handler changes in them, the next request with that token does not see', async () => {
    const token = await pool.idToken({ sub: 'the-sub', client_id: 'web-client-id' });
    const seen = [];
    for (let i = 0; i < 2; i++)
      seen.push(
        JSON.parse((await call(`${httpApi.url}/mutate`, { headers: { Authorization: token } })).body.toString()),
      );
    expect(seen).toEqual([{ seen: 'the-sub' }, { seen: 'the-sub' }]);
  });

  test('a result header node:http cannot send closes that connection; the gateway keeps serving', async () => {
    await expect(fetch(`${httpApi.url}/bad-header`)).rejects.toThrow();
    expect(logs.some((line) => line.startsWith('reply failed:'))).toBe(true);
    expect((await call(`${httpApi.url}/string`)).status).toBe(200);
  });

  test("jwt.scopes is the token's scope list on a route with scopes", async () => {
    const token = await pool.accessToken({ scope: 'hello/read aws.cognito.signin.user.admin' });
    const event = JSON.parse(
      (await call(`${httpApi.url}/scoped`, { headers: { Authorization: token } })).body.toString(),
    );
    expect(event.requestContext.authorizer.jwt.scopes).toEqual(['hello/read', 'aws.cognito.signin.user.admin']);
  });

  test('payloadFormatVersion 1.0 on an HTTP API: claims and scopes at requestContext.authorizer', async () => {
    const token = await pool.accessToken({ scope: 'hello/read' });
    const event = JSON.parse((await call(`${httpApi.url}/v1`, { headers: { Authorization: token } })).body.toString());
    expect(event.version).toBe('1.0');
    expect(event.requestContext.authorizer.claims.scope).toBe('hello/read');
    expect(event.requestContext.authorizer.scopes).toEqual(['hello/read']);
  });

  test('no authorizer on a public route; a binary body is base64-encoded', async () => {
    const bytes = Buffer.from([0, 159, 146, 150]);
    const event = JSON.parse(
      (
        await call(`${httpApi.url}/public`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: bytes,
        })
      ).body.toString(),
    );
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, 'base64')).toEqual(bytes);
  });

  test('a plain string result is the body: 200, application/json', async () => {
    // docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html (response format)
    const r = await call(`${httpApi.url}/string`);
    expect([r.status, r.headers.get('content-type'), r.body.toString()]).toEqual([
      200,
      'application/json',
      'just a string',
    ]);
  });

  test('an object without statusCode is serialised as the body', async () => {
    const r = await call(`${httpApi.url}/object`);
    expect([r.status, JSON.parse(r.body.toString())]).toEqual([200, { greeting: 'hi', n: 1 }]);
  });

  test('statusCode, headers, multiValueHeaders and cookies are mapped back', async () => {
    const r = await call(`${httpApi.url}/cookies`);
    expect(r.status).toBe(201);
    expect(r.headers.get('x-one')).toBe('one');
    expect(r.headers.get('x-many')).toBe('a, b');
    expect(r.headers.getSetCookie()).toEqual(['c1=v1', 'c2=v2']);
    expect(r.body.toString()).toBe('made');
  });

  test('a function error is 500 {"message":"Internal Server Error"}', async () => {
    const r = await call(`${httpApi.url}/fail`);
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body.toString())).toEqual({ message: 'Internal Server Error' });
  });
});

describe('function environments', () => {
  const minimal = () =>
    modelOf(`
openapi: 3.0.3
info: { title: Env, version: 1.0.0 }
paths:
  /env:
    get:${lambdaOp('environment', '[]')}
`);
  const placeholders = testPlaceholders({ functions: ['environment'] });

  test('are removed again when the gateway stops', async () => {
    const local = await startLocalGateway({
      model: await minimal(),
      placeholders,
      pools: {},
      functions: {
        environment: {
          sourceDir: FIXTURES,
          handler: 'index.environment',
          environment: { GATEWAY_TEST_ONLY_WHILE_UP: 'up' },
        },
      },
      stage: 'prod',
    });
    expect(process.env.GATEWAY_TEST_ONLY_WHILE_UP).toBe('up');
    await local.stop();
    expect(process.env.GATEWAY_TEST_ONLY_WHILE_UP).toBeUndefined();
  });

  test('two functions setting one variable differently are refused at start', async () => {
    await expect(
      startLocalGateway({
        model: await minimal(),
        placeholders,
        pools: {},
        functions: {
          environment: { sourceDir: FIXTURES, handler: 'index.environment', environment: { SHARED: 'a' } },
          other: { sourceDir: FIXTURES, handler: 'index.plainString', environment: { SHARED: 'b' } },
        },
        stage: 'prod',
      }),
    ).rejects.toThrow(/"environment" and "other" set SHARED differently/);
  });
});

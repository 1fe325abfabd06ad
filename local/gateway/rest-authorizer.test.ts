// REST API cognito_user_pools authorizer, over real HTTP: one test per row of the REST table in
// docs/aws-authorizer-semantics.md, plus fail-closed behaviour when the pool's keys are out of reach.
import type { ApiModel } from '../../openapi/model/types';
import { compileIdentityValidation } from '../../stack/bound-authorizers';
import { authorize, type LocalCognitoAuthorizer } from './authorizer';
import { startLocalGateway, type LocalGateway } from './index';
import { KeyStore } from './key-store';
import { modelOf, startTestIssuer, testPlaceholders, type TestIssuer } from './test-support';

const mock = (status: number, body: string) => `
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": ${status}}' }
        responses:
          default:
            statusCode: "${status}"
            responseTemplates:
              application/json: |-
                ${body}`;

function shopDocument(otherPoolArn: string): string {
  return `
openapi: 3.0.3
info: { title: Shop, version: 1.0.0 }
paths:
  /items:
    get:
      security: [{ CognitoAuth: [] }]
      responses: { "200": { description: ok } }${mock(200, `{"user":"$context.authorizer.claims['cognito:username']"}`)}
  /orders:
    post:
      security: [{ CognitoAuth: [shop/order, shop/admin] }]
      responses: { "200": { description: ok } }${mock(200, '{"ordered":true}')}
  /web-only:
    get:
      security: [{ WebOnly: [] }]
      responses: { "200": { description: ok } }${mock(200, '{"web":true}')}
  /other-pool:
    get:
      security: [{ OtherPool: [] }]
      responses: { "200": { description: ok } }${mock(200, '{"other":true}')}
  /public:
    get:
      security: []
      responses: { "200": { description: ok } }${mock(200, '{"public":true}')}
components:
  securitySchemes:
    CognitoAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer: { type: cognito_user_pools, providerARNs: ["{{userPoolArn}}"] }
    WebOnly:
      type: apiKey
      name: X-Web-Token
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer:
        type: cognito_user_pools
        identityValidationExpression: "^{{clientId:web}}$"
        providerARNs: ["{{userPoolArn}}"]
    OtherPool:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer: { type: cognito_user_pools, providerARNs: ["${otherPoolArn}"] }
`;
}

let pool: TestIssuer;
let otherPool: TestIssuer;
let model: ApiModel;
let gateway: LocalGateway;

beforeAll(async () => {
  [pool, otherPool] = await Promise.all([startTestIssuer(), startTestIssuer()]);
  model = await modelOf(shopDocument(otherPool.arn));
  gateway = await startLocalGateway({
    model,
    placeholders: testPlaceholders({ userPoolArn: pool.arn, clients: ['web'] }),
    pools: {
      [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl },
      [otherPool.arn]: { issuer: otherPool.issuer, jwksUrl: otherPool.jwksUrl },
    },
    functions: {},
    stage: 'prod',
  });
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([pool?.stop(), otherPool?.stop()]);
});

async function call(path: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await fetch(`${gateway.url}${path}`, { method, headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

async function expectUnauthorized(
  path: string,
  headers: Record<string, string>,
  message = 'Unauthorized',
  method = 'GET',
) {
  const r = await call(path, headers, method);
  expect(r.status).toBe(401);
  expect(JSON.parse(r.body)).toEqual({ message });
  expect(r.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
}

describe('REST cognito_user_pools: refused tokens get 401 {"message":"Unauthorized"}', () => {
  test('header missing', () => expectUnauthorized('/items', {}));
  test('header empty', () => expectUnauthorized('/items', { Authorization: '' }));
  test('header holds only "Bearer "', () => expectUnauthorized('/items', { Authorization: 'Bearer ' }));
  test('not a JWT', () => expectUnauthorized('/items', { Authorization: 'not-a-jwt' }));
  test('bad signature (right kid, another key)', async () => {
    const { generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('RS256');
    await expectUnauthorized('/items', { Authorization: await pool.idToken({}, { foreignKey: privateKey }) });
  });
  test('tampered payload', async () => {
    const [h, , s] = (await pool.idToken()).split('.');
    const forged = Buffer.from(
      JSON.stringify({ iss: pool.issuer, token_use: 'id', exp: 9999999999, 'cognito:username': 'mallory' }),
    ).toString('base64url');
    await expectUnauthorized('/items', { Authorization: `${h}.${forged}.${s}` });
  });
  test('unknown kid', async () =>
    expectUnauthorized('/items', { Authorization: await pool.idToken({}, { kid: 'no-such-kid' }) }));
  test('alg none', async () =>
    expectUnauthorized('/items', { Authorization: await pool.idToken({}, { alg: 'none' }) }));
  test('alg HS256', async () =>
    expectUnauthorized('/items', { Authorization: await pool.idToken({}, { alg: 'HS256' }) }));
  test('token from a pool not in providerARNs', async () =>
    expectUnauthorized('/items', { Authorization: await otherPool.idToken() }));
  test('method without scopes + access token (treated as an ID token)', async () =>
    expectUnauthorized('/items', { Authorization: await pool.accessToken() }));
  test('method with scopes + access token holding none of them: 401, not 403', async () =>
    expectUnauthorized(
      '/orders',
      { Authorization: await pool.accessToken({ scope: 'aws.cognito.signin.user.admin shop/browse' }) },
      'Unauthorized',
      'POST',
    ));
  test('method with scopes + ID token', async () =>
    expectUnauthorized('/orders', { Authorization: await pool.idToken() }, 'Unauthorized', 'POST'));
  test('identityValidationExpression set, aud does not match', async () =>
    expectUnauthorized('/web-only', { 'X-Web-Token': await pool.idToken({ aud: 'machine-client-id' }) }));
  test('identityValidationExpression matches the whole aud, not a part of it', async () =>
    expectUnauthorized('/web-only', { 'X-Web-Token': await pool.idToken({ aud: 'web-client-id-2' }) }));
  test('token sent in Authorization when the authorizer reads another header', async () =>
    expectUnauthorized('/web-only', { Authorization: await pool.idToken({ aud: 'web-client-id' }) }));
});

describe('REST cognito_user_pools: expiry', () => {
  test('expired token: 401 {"message":"The incoming token has expired"}', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    await expectUnauthorized(
      '/items',
      { Authorization: await pool.idToken({ exp: past, iat: past - 3600 }) },
      'The incoming token has expired',
    );
  });

  test('a verified token remembered by the cache still expires', async () => {
    const keys = new KeyStore();
    const authorizer: LocalCognitoAuthorizer = {
      kind: 'cognito_user_pools',
      name: 'A',
      pointer: '/components/securitySchemes/A',
      tokenHeader: 'authorization',
      providerArns: [pool.arn],
      pools: [{ arn: pool.arn, issuer: pool.issuer, jwksUrl: pool.jwksUrl }],
    };
    const token = await pool.idToken({ exp: Math.floor(Date.now() / 1000) + 60 });
    const first = await authorize({ authorization: token }, authorizer, [], keys);
    expect(first.allow).toBe(true);
    const later = await authorize({ authorization: token }, authorizer, [], keys, Date.now() + 120_000);
    expect(later).toMatchObject({ allow: false, status: 401, message: 'The incoming token has expired' });
  });
});

describe('REST cognito_user_pools: the verified-token cache', () => {
  test("a token remembered as verified with one pool's keys is checked again against another key set", async () => {
    const keys = new KeyStore();
    const trusting = (jwksUrl: string): LocalCognitoAuthorizer => ({
      kind: 'cognito_user_pools',
      name: 'A',
      pointer: '/components/securitySchemes/A',
      tokenHeader: 'authorization',
      providerArns: [pool.arn],
      pools: [{ arn: pool.arn, issuer: pool.issuer, jwksUrl }],
    });
    const token = await pool.idToken();
    expect(await authorize({ authorization: token }, trusting(pool.jwksUrl), [], keys)).toMatchObject({ allow: true });
    // Same issuer, keys of another pool: the remembered verification does not carry over.
    expect(await authorize({ authorization: token }, trusting(otherPool.jwksUrl), [], keys)).toMatchObject({
      allow: false,
      status: 401,
    });
  });
});

describe('REST cognito_user_pools: accepted tokens', () => {
  test('method without scopes + valid ID token passes; claims reach the integration', async () => {
    const r = await call('/items', { Authorization: await pool.idToken() });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ user: 'alice' });
  });
  test('"Bearer <token>" is accepted like the raw token', async () => {
    expect((await call('/items', { Authorization: `Bearer ${await pool.idToken()}` })).status).toBe(200);
  });
  test('method with scopes + access token holding at least one of them passes', async () => {
    const r = await call('/orders', { Authorization: await pool.accessToken({ scope: 'shop/admin' }) }, 'POST');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ordered: true });
  });
  test('ID token from another app client of the same pool passes (no audience setting)', async () => {
    expect((await call('/items', { Authorization: await pool.idToken({ aud: 'some-other-client' }) })).status).toBe(
      200,
    );
  });
  test('identityValidationExpression set, aud matches: passes', async () => {
    expect((await call('/web-only', { 'X-Web-Token': await pool.idToken({ aud: 'web-client-id' }) })).status).toBe(200);
  });
  test('an authorizer naming a pool by hard-coded ARN trusts that pool only', async () => {
    expect((await call('/other-pool', { Authorization: await otherPool.idToken() })).status).toBe(200);
    await expectUnauthorized('/other-pool', { Authorization: await pool.idToken() });
  });
  test('a public method needs no token', async () => {
    expect((await call('/public')).status).toBe(200);
  });
});

describe('REST cognito_user_pools: identityValidationExpression and access tokens', () => {
  // Such a method fails lint (it can never be called), so it is checked on the authorizer itself.
  test('any access token fails the expression, even one holding the scopes', async () => {
    const authorizer: LocalCognitoAuthorizer = {
      kind: 'cognito_user_pools',
      name: 'WebOnly',
      pointer: '/components/securitySchemes/WebOnly',
      tokenHeader: 'authorization',
      providerArns: [pool.arn],
      identityValidation: compileIdentityValidation('web-client-id'),
      pools: [{ arn: pool.arn, issuer: pool.issuer, jwksUrl: pool.jwksUrl }],
    };
    const token = await pool.accessToken({ scope: 'shop/order', client_id: 'web-client-id' });
    expect(await authorize({ authorization: token }, authorizer, ['shop/order'], new KeyStore())).toMatchObject({
      allow: false,
      status: 401,
      message: 'Unauthorized',
    });
  });
});

describe('REST: routes that do not exist', () => {
  test('no Authorization header: 403 Missing Authentication Token', async () => {
    const r = await call('/nowhere');
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toEqual({ message: 'Missing Authentication Token' });
    expect(r.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
  test('with an Authorization header: 403 IncompleteSignatureException, token not echoed', async () => {
    const token = await pool.idToken();
    const r = await call('/nowhere', { Authorization: `Bearer ${token}` });
    expect(r.status).toBe(403);
    expect(r.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(r.body).not.toContain(token.slice(0, 20));
  });
  test('a method the resource does not have is an unknown route too', async () => {
    const r = await call('/items', { 'X-Anything': '1' }, 'DELETE');
    expect(r.status).toBe(403);
    expect(r.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
  test('a stage that does not exist: 403 Forbidden', async () => {
    const r = await fetch(gateway.url.replace(/\/prod$/, '/staging/items'));
    expect(r.status).toBe(403);
    expect(await r.json()).toEqual({ message: 'Forbidden' });
  });
});

describe('REST: the pool keys cannot be fetched', () => {
  test('fails closed with 500 AUTHORIZER_CONFIGURATION_ERROR, never 2xx', async () => {
    const down = await startTestIssuer();
    const lines: string[] = [];
    const local = await startLocalGateway({
      model,
      placeholders: testPlaceholders({ userPoolArn: down.arn, clients: ['web'] }),
      pools: {
        [down.arn]: { issuer: down.issuer, jwksUrl: down.jwksUrl },
        [otherPool.arn]: { issuer: otherPool.issuer, jwksUrl: otherPool.jwksUrl },
      },
      functions: {},
      stage: 'prod',
      log: (line) => lines.push(line),
    });
    try {
      down.setAvailable(false);
      const r = await fetch(`${local.url}/items`, { headers: { Authorization: await down.idToken() } });
      // docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html:
      // AUTHORIZER_CONFIGURATION_ERROR (500) is the response for failing to connect to a Cognito authorizer.
      expect(r.status).toBe(500);
      expect(r.headers.get('x-amzn-errortype')).toBe('AuthorizerConfigurationException');
      expect(await r.json()).toEqual({ message: null });
      expect(lines.join('\n')).toMatch(/failed closed/);
      down.setAvailable(true);
      expect((await fetch(`${local.url}/items`, { headers: { Authorization: await down.idToken() } })).status).toBe(
        200,
      );
    } finally {
      await local.stop();
      await down.stop();
    }
  });

  test('the JWKS is fetched once and verified tokens are remembered', async () => {
    const fresh = await startTestIssuer();
    const local = await startLocalGateway({
      model,
      placeholders: testPlaceholders({ userPoolArn: fresh.arn, clients: ['web'] }),
      pools: {
        [fresh.arn]: { issuer: fresh.issuer, jwksUrl: fresh.jwksUrl },
        [otherPool.arn]: { issuer: otherPool.issuer, jwksUrl: otherPool.jwksUrl },
      },
      functions: {},
      stage: 'prod',
    });
    try {
      const tokens = [await fresh.idToken(), await fresh.idToken({ aud: 'x' })];
      for (let i = 0; i < 10; i++)
        expect((await fetch(`${local.url}/items`, { headers: { Authorization: tokens[i % 2] } })).status).toBe(200);
      expect(fresh.jwksRequests()).toBe(1);
    } finally {
      await local.stop();
    }
    // The gateway's KeyStore is its own; the same class, asked directly, shows a token verified twice
    // remembered (its claims, the key set and alg it passed with; the first time only marks it seen) and one
    // never verified not.
    try {
      const keys = new KeyStore();
      const token = await fresh.idToken();
      const unseen = await fresh.idToken({ aud: 'x' });
      expect(keys.remembered(token)).toBeUndefined();
      expect((await keys.verify(token, fresh.jwksUrl, ['RS256'])).ok).toBe(true);
      expect(keys.remembered(token)).toBeUndefined();
      const verified = await keys.verify(token, fresh.jwksUrl, ['RS256']);
      expect(verified.ok).toBe(true);
      expect(keys.remembered(token)).toMatchObject({
        jwksUrl: fresh.jwksUrl,
        alg: 'RS256',
        payload: (verified as { payload: unknown }).payload,
      });
      expect(keys.remembered(unseen)).toBeUndefined();
    } finally {
      await fresh.stop();
    }
  });
});

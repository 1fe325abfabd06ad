// HTTP API jwt authorizer, over real HTTP with openapi/hello-http.yaml and its Lambda: one test per row of
// the HTTP table in docs/aws-authorizer-semantics.md, in AWS's validation order.
import * as path from 'node:path';
import { loadApiModel } from '../../openapi/model/load';
import type { ApiModel } from '../../openapi/model/types';
import { startLocalGateway, type LocalGateway } from './index';
import { startTestIssuer, testPlaceholders, type TestIssuer } from './test-support';

const HELLO = path.resolve(__dirname, '../../openapi/hello-http.yaml');
const now = () => Math.floor(Date.now() / 1000);

let pool: TestIssuer;
let stranger: TestIssuer;
let model: ApiModel;
let gateway: LocalGateway;

const placeholdersFor = (issuer: TestIssuer) =>
  testPlaceholders({ issuer: issuer.issuer, clients: ['web', 'spa', 'machine'], functions: ['hello'] });
const functions = { hello: { sourceDir: path.resolve(__dirname, '../../lambda/hello'), handler: 'index.handler' } };

beforeAll(async () => {
  [pool, stranger] = await Promise.all([startTestIssuer(), startTestIssuer()]);
  model = await loadApiModel(HELLO);
  gateway = await startLocalGateway({
    model,
    placeholders: placeholdersFor(pool),
    pools: { [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl } },
    functions,
    stage: 'prod',
  });
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all([pool?.stop(), stranger?.stop()]);
});

async function call(route: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await fetch(`${gateway.url}${route}`, { method, headers });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

// What each refusal's www-authenticate names. Only the audience text is AWS's own
// (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html); the others are the
// local gateway's wording, *unverified* against AWS, asserted here because they tell which check refused.
const REFUSED = {
  noToken: undefined,
  malformed: 'the token is malformed',
  signature: 'the token signature is invalid',
  alg: (alg: string) => `signing method ${alg} is invalid`,
  issuer: 'the token has an invalid issuer',
  audience: 'the token does not have a valid audience',
  expired: 'the token has expired',
  notYetValid: 'the token is not valid yet',
  issuedInFuture: 'the token was issued in the future',
};

/** 401 {"message":"Unauthorized"}, its www-authenticate naming `description` (or the bare scheme without one). */
async function expectUnauthorized(headers: Record<string, string>, description: string | undefined, route = '/hello') {
  const r = await call(route, headers);
  expect({ status: r.status, body: JSON.parse(r.body), wwwAuthenticate: r.headers.get('www-authenticate') }).toEqual({
    status: 401,
    body: { message: 'Unauthorized' },
    wwwAuthenticate:
      description === undefined ? 'Bearer' : `Bearer scope="" error="invalid_token" error_description="${description}"`,
  });
  return r;
}

const foreignKey = async () => (await (await import('jose')).generateKeyPair('RS256')).privateKey;

describe('HTTP jwt: 401 {"message":"Unauthorized"} with a www-authenticate header', () => {
  test('header missing', () => expectUnauthorized({}, REFUSED.noToken));
  test('malformed token', () => expectUnauthorized({ Authorization: 'Bearer not.a.jwt' }, REFUSED.malformed));
  test('bad signature', async () =>
    expectUnauthorized(
      { Authorization: await pool.idToken({ aud: 'web-client-id' }, { foreignKey: await foreignKey() }) },
      REFUSED.signature,
    ));
  test('alg not RSA: none and HS256', async () => {
    await expectUnauthorized(
      { Authorization: await pool.idToken({ aud: 'web-client-id' }, { alg: 'none' }) },
      REFUSED.alg('none'),
    );
    await expectUnauthorized(
      { Authorization: await pool.idToken({ aud: 'web-client-id' }, { alg: 'HS256' }) },
      REFUSED.alg('HS256'),
    );
  });
  test('unknown kid', async () =>
    expectUnauthorized(
      { Authorization: await pool.idToken({ aud: 'web-client-id' }, { kid: 'rotated-away' }) },
      REFUSED.signature,
    ));
  test("token of another issuer (its keys are not the issuer's)", async () =>
    expectUnauthorized({ Authorization: await stranger.accessToken() }, REFUSED.signature));
  test("iss differs from the issuer, though signed with the issuer's key", async () =>
    expectUnauthorized({ Authorization: await pool.accessToken({ iss: stranger.issuer }) }, REFUSED.issuer));
  test('exp in the past', async () =>
    expectUnauthorized(
      { Authorization: await pool.accessToken({ exp: now() - 5, iat: now() - 3600 }) },
      REFUSED.expired,
    ));
  test('nbf in the future', async () =>
    expectUnauthorized({ Authorization: await pool.accessToken({ nbf: now() + 600 }) }, REFUSED.notYetValid));
  test('iat in the future', async () =>
    expectUnauthorized({ Authorization: await pool.accessToken({ iat: now() + 600 }) }, REFUSED.issuedInFuture));
  test("neither aud nor client_id in the audience, with AWS's www-authenticate text", async () =>
    expectUnauthorized({ Authorization: await pool.accessToken({ client_id: 'unknown-client' }) }, REFUSED.audience));
  test('aud decides when present: a foreign aud is refused even with a trusted client_id', async () =>
    expectUnauthorized(
      { Authorization: await pool.idToken({ aud: 'unknown-client', client_id: 'web-client-id' }) },
      REFUSED.audience,
    ));
});

// docs/aws-authorizer-semantics.md, HTTP API: signature -> iss -> aud -> exp, nbf, iat -> the route's scopes.
// Each token below fails several checks; the refusal names the first of them in that order.
describe("HTTP jwt: a token failing several checks is refused by the first, in AWS's validation order", () => {
  const expired = { exp: now() - 5, iat: now() - 3600 };
  test('signature before issuer, audience and expiry', async () =>
    expectUnauthorized(
      {
        Authorization: await pool.accessToken(
          { ...expired, iss: stranger.issuer, client_id: 'unknown-client' },
          { foreignKey: await foreignKey() },
        ),
      },
      REFUSED.signature,
    ));
  test('issuer before audience and expiry', async () =>
    expectUnauthorized(
      { Authorization: await pool.accessToken({ ...expired, iss: stranger.issuer, client_id: 'unknown-client' }) },
      REFUSED.issuer,
    ));
  test('audience before expiry', async () =>
    expectUnauthorized(
      { Authorization: await pool.accessToken({ ...expired, client_id: 'unknown-client' }) },
      REFUSED.audience,
    ));
  test('expiry before nbf and iat', async () =>
    expectUnauthorized(
      { Authorization: await pool.accessToken({ exp: now() - 5, nbf: now() + 600, iat: now() + 600 }) },
      REFUSED.expired,
    ));
  test('nbf before iat', async () =>
    expectUnauthorized(
      { Authorization: await pool.accessToken({ nbf: now() + 600, iat: now() + 600 }) },
      REFUSED.notYetValid,
    ));
  test('every token check before the scopes: an expired token without the route scope is 401, not 403', async () =>
    expectUnauthorized(
      { Authorization: await pool.accessToken({ ...expired, scope: 'aws.cognito.signin.user.admin' }) },
      REFUSED.expired,
      '/reports',
    ));
});

describe('HTTP jwt: accepted tokens', () => {
  test('ID token on a route without scopes, aud in the audience (token_use is not checked)', async () => {
    const r = await call('/hello', { Authorization: await pool.idToken({ aud: 'web-client-id' }) });
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello, World! I am alice!');
  });
  test('Cognito access token passes through client_id', async () => {
    const r = await call('/hello', { Authorization: `Bearer ${await pool.accessToken({ username: 'bob' })}` });
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello, World! I am bob!');
  });
  test('raw token without "Bearer " is accepted', async () => {
    expect((await call('/hello', { Authorization: await pool.accessToken() })).status).toBe(200);
  });
  test('client_credentials token holding the route scope', async () => {
    const machine = await pool.accessToken({
      sub: 'machine-client-id',
      client_id: 'machine-client-id',
      scope: 'hello/read',
      username: undefined,
    });
    const r = await call('/reports', { Authorization: machine });
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello, World! I am machine-client-id!');
  });
  test('a public route needs no token', async () => {
    const r = await call('/ping');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello, World! I am anonymous!');
  });
});

describe('HTTP jwt: scopes', () => {
  test('route with scopes, token holding none of them: 403 {"message":"Forbidden"}', async () => {
    const r = await call('/reports', {
      Authorization: await pool.accessToken({ scope: 'aws.cognito.signin.user.admin' }),
    });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toEqual({ message: 'Forbidden' });
  });
  test('an ID token on a route with scopes: 403', async () => {
    expect((await call('/reports', { Authorization: await pool.idToken({ aud: 'web-client-id' }) })).status).toBe(403);
  });
});

describe('HTTP API routes that do not exist', () => {
  // 404 {"message":"Not Found"} is marked likely in the semantics doc (one captured response).
  test('unknown path: 404 {"message":"Not Found"}', async () => {
    const r = await call('/nowhere', { Authorization: await pool.accessToken() });
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toEqual({ message: 'Not Found' });
  });
  test('unknown method on a known path: 404', async () => {
    expect((await call('/hello', {}, 'DELETE')).status).toBe(404);
  });
  test('unknown stage: 404', async () => {
    expect((await fetch(gateway.url.replace(/\/prod$/, '/dev/hello'))).status).toBe(404);
  });
});

describe('HTTP jwt: keys', () => {
  test('keys found by OIDC discovery when the issuer is not a local pool', async () => {
    const local = await startLocalGateway({
      model,
      placeholders: placeholdersFor(stranger),
      pools: {},
      functions,
      stage: 'prod',
    });
    try {
      const r = await fetch(`${local.url}/hello`, { headers: { Authorization: await stranger.accessToken() } });
      expect(r.status).toBe(200);
    } finally {
      await local.stop();
    }
  });

  test('JWKS unreachable: fails closed with 500, never 2xx', async () => {
    const down = await startTestIssuer();
    const lines: string[] = [];
    const local = await startLocalGateway({
      model,
      placeholders: placeholdersFor(down),
      pools: { [down.arn]: { issuer: down.issuer, jwksUrl: down.jwksUrl } },
      functions,
      stage: 'prod',
      log: (line) => lines.push(line),
    });
    try {
      down.setAvailable(false);
      const r = await fetch(`${local.url}/hello`, { headers: { Authorization: await down.accessToken() } });
      // AWS documents no response for this; a 5xx keeps an outage from looking like a bad token.
      expect(r.status).toBe(500);
      expect(await r.json()).toEqual({ message: 'Internal Server Error' });
      expect(lines.join('\n')).toMatch(/failed closed/);
    } finally {
      await local.stop();
      await down.stop();
    }
  });
});

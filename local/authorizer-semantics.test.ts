// Every row of docs/aws-authorizer-semantics.md, decided by the local gateway for tokens the local
// Cognito issued over HTTP (users created and signed in through its API; machine tokens from its token
// endpoint). Bad tokens are real ones altered in exactly one way by the harness's forger; an expired token
// is a real one presented after its expiry, by moving the gateway's clock.
import { startLocalStack, type LocalStack } from './stack';
import { Redactor } from '../contract-tests/redact';
import { Attacker } from '../contract-tests/forge';
import { MAIN_POOL, TokenProvider, type UserTokens } from '../contract-tests/tokens';

const PETS = 'openapi/pets.yaml';
const HELLO = 'openapi/hello-http.yaml';
const HOUR_MS = 3600_000;

interface Running {
  stack: LocalStack;
  tokens: TokenProvider;
  web: UserTokens;
  partner: UserTokens;
  /** Added to the gateway's clock. */
  skewMs: number;
}

async function start(spec: string): Promise<Running> {
  const running = { skewMs: 0 } as Running;
  running.stack = await startLocalStack({ spec, gatewayClock: () => Date.now() + running.skewMs });
  running.tokens = new TokenProvider({
    outputs: running.stack.outputs,
    redactor: new Redactor(),
    log: () => undefined,
  });
  running.web = await running.tokens.userTokens(MAIN_POOL, 'web');
  running.partner = await running.tokens.userTokens(MAIN_POOL, 'partner');
  return running;
}

async function stop(running: Running | undefined): Promise<void> {
  await running?.tokens.close();
  await running?.stack.stop();
}

async function call(
  running: Running,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
) {
  const response = await fetch(`${running.stack.outputs.api_url}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

let attacker: Attacker;
beforeAll(async () => {
  attacker = await Attacker.start();
});
afterAll(() => attacker.stop());

describe('REST API, cognito_user_pools authorizer (pets.yaml)', () => {
  let pets: Running;
  let other: Running;
  let machine: string;
  beforeAll(async () => {
    [pets, other] = await Promise.all([start(PETS), start(PETS)]);
    machine = await pets.tokens.machineToken(MAIN_POOL, 'machine', ['pets/purchase']);
  });
  afterAll(async () => {
    await Promise.all([stop(pets), stop(other)]);
  });
  afterEach(() => {
    pets.skewMs = 0;
  });
  const unauthorized = '{"message":"Unauthorized"}';

  test("header missing or empty: 401 Unauthorized, with the document's UNAUTHORIZED gateway response headers", async () => {
    for (const headers of [{}, { authorization: '' }] as Record<string, string>[]) {
      const r = await call(pets, 'GET', '/pets', headers);
      expect([r.status, r.text]).toEqual([401, unauthorized]);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  test.each([
    'alg-none',
    'hs256-with-public-key',
    'unknown-kid',
    'tampered-payload',
    'jku-attacker-key',
    'embedded-jwk-attacker-key',
  ] as const)('a real ID token altered (%s): 401 Unauthorized', async (forgery) => {
    const forged = await attacker.forge(forgery, pets.web.idToken, await pets.tokens.jwks(MAIN_POOL));
    const r = await call(pets, 'GET', '/pets', { authorization: forged });
    expect([r.status, r.text]).toEqual([401, unauthorized]);
  });

  test('not a JWT: 401 Unauthorized', async () => {
    const r = await call(pets, 'GET', '/pets', { authorization: 'not-a-jwt' });
    expect([r.status, r.text]).toEqual([401, unauthorized]);
  });

  test('a real ID token presented after it expired: 401 "The incoming token has expired"', async () => {
    expect((await call(pets, 'GET', '/pets', { authorization: pets.web.idToken })).status).toBe(200);
    pets.skewMs = 2 * HOUR_MS; // the pool's ID tokens live 60 minutes (stack/props.ts DEFAULT_TOKEN_VALIDITY)
    const r = await call(pets, 'GET', '/pets', { authorization: pets.web.idToken });
    expect([r.status, r.text]).toEqual([401, '{"message":"The incoming token has expired"}']);
  });

  test("an ID token from a pool not in providerARNs (another stack's pool): 401", async () => {
    const r = await call(pets, 'GET', '/pets', { authorization: other.web.idToken });
    expect([r.status, r.text]).toEqual([401, unauthorized]);
    // ... while that pool's own API takes it: the refusal is about the pool, not the token.
    expect((await call(other, 'GET', '/pets', { authorization: other.web.idToken })).status).toBe(200);
  });

  test('method without scopes + valid ID token: passes (raw and with a Bearer prefix)', async () => {
    expect((await call(pets, 'GET', '/pets', { authorization: pets.web.idToken })).status).toBe(200);
    expect((await call(pets, 'GET', '/pets', { authorization: `Bearer ${pets.web.idToken}` })).status).toBe(200);
    expect(
      (await call(pets, 'POST', '/pets', { authorization: pets.web.idToken }, { type: 'dog', price: 1 })).status,
    ).toBe(201);
  });

  test('method without scopes + access token (user or machine): 401, it is treated as an ID token', async () => {
    for (const token of [pets.web.accessToken, machine]) {
      const r = await call(pets, 'GET', '/pets', { authorization: token });
      expect([r.status, r.text]).toEqual([401, unauthorized]);
    }
  });

  test('method with scopes + access token holding one of them (client_credentials): passes', async () => {
    expect((await call(pets, 'POST', '/purchase', { authorization: machine }, { petId: 1 })).status).toBe(200);
  });

  test('method with scopes + access token holding none of them (InitiateAuth gives aws.cognito.signin.user.admin only): 401, not 403', async () => {
    const r = await call(pets, 'POST', '/purchase', { authorization: pets.web.accessToken }, { petId: 1 });
    expect([r.status, r.text]).toEqual([401, unauthorized]);
  });

  test('method with scopes + ID token: 401', async () => {
    const r = await call(pets, 'POST', '/purchase', { authorization: pets.web.idToken }, { petId: 1 });
    expect([r.status, r.text]).toEqual([401, unauthorized]);
  });

  test("identityValidationExpression: the matching client's ID token passes in the configured header; another client's ID token gets 401", async () => {
    expect((await call(pets, 'GET', '/pets/1', { 'x-pets-token': pets.web.idToken })).status).toBe(200);
    const r = await call(pets, 'GET', '/pets/1', { 'x-pets-token': pets.partner.idToken });
    expect([r.status, r.text]).toEqual([401, unauthorized]);
  });

  test("identityValidationExpression + any access token (it has no aud): 401, even the matching client's", async () => {
    const r = await call(pets, 'GET', '/pets/1', { 'x-pets-token': pets.web.accessToken });
    expect([r.status, r.text]).toEqual([401, unauthorized]);
  });

  test('the token in Authorization when the authorizer reads X-Pets-Token: 401', async () => {
    const r = await call(pets, 'GET', '/pets/1', { authorization: pets.web.idToken });
    expect(r.status).toBe(401);
  });

  test('an ID token from another app client of the same pool passes where no identityValidationExpression excludes it', async () => {
    expect((await call(pets, 'GET', '/pets', { authorization: pets.partner.idToken })).status).toBe(200);
  });

  test('route not in the API, no Authorization header: 403 Missing Authentication Token', async () => {
    for (const [method, path] of [
      ['GET', '/nowhere'],
      ['DELETE', '/pets'],
    ]) {
      const r = await call(pets, method, path);
      expect([r.status, r.text]).toEqual([403, '{"message":"Missing Authentication Token"}']);
      expect(r.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    }
  });

  test('route not in the API, with an Authorization header: 403 IncompleteSignatureException (status and header only)', async () => {
    const r = await call(pets, 'GET', '/nowhere', { authorization: pets.web.idToken });
    expect(r.status).toBe(403);
    expect(r.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(r.text).not.toContain(pets.web.idToken);
  });

  test('public operation: success without a token', async () => {
    expect((await call(pets, 'GET', '/health')).status).toBe(200);
  });
});

describe('HTTP API, jwt authorizer (hello-http.yaml)', () => {
  let hello: Running;
  let other: Running;
  let machine: string;
  beforeAll(async () => {
    [hello, other] = await Promise.all([start(HELLO), start(HELLO)]);
    machine = await hello.tokens.machineToken(MAIN_POOL, 'machine', ['hello/read']);
  });
  afterAll(async () => {
    await Promise.all([stop(hello), stop(other)]);
  });
  afterEach(() => {
    hello.skewMs = 0;
  });

  async function expectUnauthorized(headers: Record<string, string>, path = '/hello') {
    const r = await call(hello, 'GET', path, headers);
    expect([r.status, r.text]).toEqual([401, '{"message":"Unauthorized"}']);
    expect(r.headers.get('www-authenticate')).toBeTruthy();
    return r;
  }

  test('header missing or malformed: 401 with a www-authenticate header', async () => {
    await expectUnauthorized({});
    await expectUnauthorized({ authorization: 'not-a-jwt' });
  });

  test.each([
    'alg-none',
    'hs256-with-public-key',
    'unknown-kid',
    'tampered-payload',
    'jku-attacker-key',
    'embedded-jwk-attacker-key',
  ] as const)('a real ID token altered (%s): 401', async (forgery) => {
    await expectUnauthorized({
      authorization: await attacker.forge(forgery, hello.web.idToken, await hello.tokens.jwks(MAIN_POOL)),
    });
  });

  test("iss is not the issuer (another stack's pool): 401", async () => {
    await expectUnauthorized({ authorization: `Bearer ${other.web.idToken}` });
  });

  test('a real token after its exp, and before its iat: 401', async () => {
    hello.skewMs = 2 * HOUR_MS;
    await expectUnauthorized({ authorization: `Bearer ${hello.web.idToken}` });
    hello.skewMs = -HOUR_MS;
    await expectUnauthorized({ authorization: `Bearer ${hello.web.idToken}` });
  });

  test("aud not in the audience (partner client's ID token): 401 with AWS's invalid audience text", async () => {
    const r = await expectUnauthorized({ authorization: `Bearer ${hello.partner.idToken}` });
    expect(r.headers.get('www-authenticate')).toBe(
      'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"',
    );
  });

  test('ID token on a route without scopes, aud in the audience: passes (token_use is not checked), raw or with Bearer', async () => {
    for (const value of [hello.web.idToken, `Bearer ${hello.web.idToken}`]) {
      const r = await call(hello, 'GET', '/hello', { authorization: value });
      expect(r.status).toBe(200);
      expect(r.text).toMatch(/^Hello, World! I am [^!]+!$/);
      expect(r.text).not.toBe('Hello, World! I am anonymous!');
    }
  });

  test('Cognito access token passes through client_id (no aud): user and machine', async () => {
    expect((await call(hello, 'GET', '/hello', { authorization: `Bearer ${hello.web.accessToken}` })).status).toBe(200);
    const r = await call(hello, 'GET', '/reports', { authorization: `Bearer ${machine}` });
    expect([r.status, r.text]).toEqual([200, `Hello, World! I am ${hello.stack.outputs.clients.machine.id}!`]);
  });

  test('route with scopes, token holding none of them (ID token, user access token): 403 Forbidden', async () => {
    for (const token of [hello.web.idToken, hello.web.accessToken]) {
      const r = await call(hello, 'GET', '/reports', { authorization: `Bearer ${token}` });
      expect([r.status, r.text]).toEqual([403, '{"message":"Forbidden"}']);
    }
  });

  test('route not in the API: 404 Not Found', async () => {
    const r = await call(hello, 'GET', '/nowhere', { authorization: `Bearer ${hello.web.idToken}` });
    expect([r.status, r.text]).toEqual([404, '{"message":"Not Found"}']);
  });
});

describe('two stacks side by side', () => {
  test('share neither ports, pools, clients nor users', async () => {
    const [a, b] = await Promise.all([start(PETS), start(PETS)]);
    try {
      const [oa, ob] = [a.stack.outputs, b.stack.outputs];
      expect(new URL(oa.api_url).port).not.toBe(new URL(ob.api_url).port);
      expect(new URL(oa.cognito_endpoint).port).not.toBe(new URL(ob.cognito_endpoint).port);
      expect(oa.issuer).not.toBe(ob.issuer);
      expect(oa.clients.web.id).not.toBe(ob.clients.web.id);
      // One stack's pool and its clients are unknown to the other's Cognito: ResourceNotFoundException, the error
      // the Cognito API reference lists for ListUsers and InitiateAuth when the pool or app client does not exist.
      const cognitoB = async (operation: string, body: object) => {
        const response = await fetch(ob.cognito_endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
          },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as { __type?: string; message?: string } };
      };
      expect(await cognitoB('ListUsers', { UserPoolId: oa.user_pool_id })).toMatchObject({
        status: 400,
        body: { __type: 'ResourceNotFoundException' },
      });
      expect(
        await cognitoB('InitiateAuth', {
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: oa.clients.web.id,
          AuthParameters: { USERNAME: 'nobody@example.com', PASSWORD: 'Correct-Horse-9-Battery' },
        }),
      ).toMatchObject({ status: 400, body: { __type: 'ResourceNotFoundException' } });
      expect((await call(b, 'GET', '/pets', { authorization: a.web.idToken })).status).toBe(401);
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
  });
});

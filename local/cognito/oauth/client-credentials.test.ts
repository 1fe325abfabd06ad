import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  createClient,
  createPool,
  createResourceServer,
  decodeJwtParts,
  startTestCognito,
  type TestCognito,
} from '../test-support';

let t: TestCognito;
let poolId: string;
let machine: { id: string; secret: string };

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk);
  await createResourceServer(t.sdk, poolId, 'pets', ['read', 'purchase', 'admin']);
  const client = await createClient(t.sdk, poolId, {
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: ['pets/read', 'pets/purchase'],
    AccessTokenValidity: 15,
    TokenValidityUnits: { AccessToken: 'minutes' },
  });
  machine = { id: client.ClientId!, secret: client.ClientSecret! };
});
afterAll(() => t.stop());

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

async function token(
  form: Record<string, string>,
  authorization?: string,
): Promise<{ status: number; contentType: string | null; body: Record<string, unknown> }> {
  const response = await fetch(t.cognito.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(form).toString(),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

test('client_credentials with HTTP Basic issues an access token with Cognito claims, verifiable with the pool JWKS', async () => {
  const reply = await token({ grant_type: 'client_credentials' }, basic(machine.id, machine.secret));
  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
  const accessToken = reply.body.access_token as string;

  const jwks = createRemoteJWKSet(new URL(t.cognito.jwksUrlOf(poolId)));
  const { payload, protectedHeader } = await jwtVerify(accessToken, jwks, {
    issuer: t.cognito.issuerOf(poolId),
    algorithms: ['RS256'],
  });
  expect(protectedHeader.alg).toBe('RS256');
  expect(payload).toMatchObject({ token_use: 'access', client_id: machine.id, sub: machine.id, version: 2 });
  // Default: every custom scope the client is allowed.
  expect((payload.scope as string).split(' ').sort()).toEqual(['pets/purchase', 'pets/read']);
  expect(payload.exp! - payload.iat!).toBe(900);
  expect(typeof payload.jti).toBe('string');
  expect(payload).not.toHaveProperty('aud');
  expect(payload).not.toHaveProperty('username');
  expect(payload).not.toHaveProperty('cognito:groups');
});

test('client_credentials with id and secret in the form grants exactly the requested scopes', async () => {
  const reply = await token({
    grant_type: 'client_credentials',
    client_id: machine.id,
    client_secret: machine.secret,
    scope: 'pets/read',
  });
  expect(reply.status).toBe(200);
  expect(decodeJwtParts(reply.body.access_token as string).payload.scope).toBe('pets/read');
});

test('unknown client, wrong secret and missing secret are invalid_client', async () => {
  for (const attempt of [
    token({ grant_type: 'client_credentials' }, basic('no-such-client', machine.secret)),
    token({ grant_type: 'client_credentials' }, basic(machine.id, `${machine.secret}x`)),
    token({ grant_type: 'client_credentials', client_id: machine.id }),
    token({ grant_type: 'client_credentials' }),
  ]) {
    const reply = await attempt;
    expect(reply.status).toBe(400);
    expect(reply.contentType).toMatch(/^application\/json/);
    expect(reply.body).toEqual({ error: 'invalid_client' });
  }
});

test('a client whose grant is not enabled is unauthorized_client', async () => {
  const noGrant = await createClient(t.sdk, poolId, {
    GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const reply = await token({ grant_type: 'client_credentials' }, basic(noGrant.ClientId!, noGrant.ClientSecret!));
  expect(reply).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
});

test('a scope the client is not allowed, or a non-custom scope, is invalid_scope', async () => {
  for (const scope of ['pets/admin', 'openid', 'pets/read other/thing']) {
    const reply = await token({ grant_type: 'client_credentials', scope }, basic(machine.id, machine.secret));
    expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  }
});

test('other grants are unsupported_grant_type, a missing grant is invalid_request', async () => {
  expect(
    await token({ grant_type: 'password', username: 'u', password: 'p' }, basic(machine.id, machine.secret)),
  ).toMatchObject({
    status: 400,
    body: { error: 'unsupported_grant_type' },
  });
  expect(await token({}, basic(machine.id, machine.secret))).toMatchObject({
    status: 400,
    body: { error: 'invalid_request' },
  });
});

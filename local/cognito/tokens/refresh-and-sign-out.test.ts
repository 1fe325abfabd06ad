// Refresh tokens: REFRESH_TOKEN_AUTH and grant_type=refresh_token, bound to their client, refused after
// RevokeToken, GlobalSignOut and AdminUserGlobalSignOut.
import {
  AdminUserGlobalSignOutCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHashOf } from '../guards/secret-hash';
import {
  createClient,
  createPool,
  createUser,
  decodeJwtParts,
  failureOf,
  startTestCognito,
  STRONG_PASSWORD,
  type TestCognito,
} from '../test-support';

let t: TestCognito;
let poolId: string;
let publicClient: string;
let confidential: { id: string; secret: string };
const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk);
  publicClient = (await createClient(t.sdk, poolId, { ExplicitAuthFlows: [...flows] })).ClientId!;
  const client = await createClient(t.sdk, poolId, { ExplicitAuthFlows: [...flows], GenerateSecret: true });
  confidential = { id: client.ClientId!, secret: client.ClientSecret! };
});
afterAll(() => t.stop());

async function signIn(username: string, client = publicClient, secret?: string): Promise<AuthenticationResultType> {
  const hash: Record<string, string> = secret ? { SECRET_HASH: secretHashOf(username, client, secret) } : {};
  const result = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client,
      AuthParameters: { USERNAME: username, PASSWORD: STRONG_PASSWORD, ...hash },
    }),
  );
  return result.AuthenticationResult!;
}

const refresh = (refreshToken: string, client = publicClient, extra: Record<string, string> = {}) =>
  t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: client,
      AuthParameters: { REFRESH_TOKEN: refreshToken, ...extra },
    }),
  );

function tokenEndpoint(form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(t.cognito.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
}
const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
});

test('REFRESH_TOKEN_AUTH gives new ID and access tokens of the same sign-in, and no new refresh token', async () => {
  await createUser(t.sdk, poolId, 'refresher');
  const first = await signIn('refresher');
  const refreshed = (await refresh(first.RefreshToken!)).AuthenticationResult!;
  expect(refreshed).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
  expect(refreshed.RefreshToken).toBeUndefined();
  const before = decodeJwtParts(first.AccessToken!).payload;
  const after = decodeJwtParts(refreshed.AccessToken!).payload;
  expect(after).toMatchObject({
    origin_jti: before.origin_jti,
    auth_time: before.auth_time,
    scope: 'aws.cognito.signin.user.admin',
    username: 'refresher',
  });
  expect(after.jti).not.toEqual(before.jti);
});

test('a refresh token works only with the client it was issued to', async () => {
  await createUser(t.sdk, poolId, 'one-client');
  const tokens = await signIn('one-client');
  const other = (await createClient(t.sdk, poolId, { ExplicitAuthFlows: [...flows] })).ClientId!;
  expect(await failureOf(refresh(tokens.RefreshToken!, other))).toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Invalid Refresh Token',
    status: 400,
  });
});

test('after RevokeToken the refresh token is refused: "Refresh Token has been revoked", invalid_grant at the token endpoint', async () => {
  await createUser(t.sdk, poolId, 'revoked');
  const tokens = await signIn('revoked');
  await t.sdk.send(new RevokeTokenCommand({ ClientId: publicClient, Token: tokens.RefreshToken! }));
  expect(await failureOf(refresh(tokens.RefreshToken!))).toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Refresh Token has been revoked',
  });
  const response = await tokenEndpoint({
    grant_type: 'refresh_token',
    client_id: publicClient,
    refresh_token: tokens.RefreshToken!,
  });
  expect([response.status, await response.json()]).toEqual([400, { error: 'invalid_grant' }]);
});

test('RevokeToken for a client with a secret needs the secret; the token stays valid when it is wrong', async () => {
  await createUser(t.sdk, poolId, 'confidential-revoke');
  const tokens = await signIn('confidential-revoke', confidential.id, confidential.secret);
  const revoke = (secret?: string) =>
    t.sdk.send(
      new RevokeTokenCommand({ ClientId: confidential.id, ClientSecret: secret, Token: tokens.RefreshToken! }),
    );
  // The API reference does not say which error a wrong secret gets; what is asserted is the refusal and
  // that the token survives it.
  expect(await failureOf(revoke('wrong-secret'))).toMatchObject({ status: 400 });
  expect(await failureOf(revoke())).toMatchObject({ status: 400 });
  const hash = { SECRET_HASH: secretHashOf('confidential-revoke', confidential.id, confidential.secret) };
  await expect(refresh(tokens.RefreshToken!, confidential.id, hash)).resolves.toBeDefined();
  await revoke(confidential.secret);
  expect((await failureOf(refresh(tokens.RefreshToken!, confidential.id, hash))).message).toBe(
    'Refresh Token has been revoked',
  );
});

test('GlobalSignOut revokes every refresh token of the user, in every client, and only theirs', async () => {
  await createUser(t.sdk, poolId, 'global');
  await createUser(t.sdk, poolId, 'bystander');
  const mine = [await signIn('global'), await signIn('global', confidential.id, confidential.secret)];
  const theirs = await signIn('bystander');
  await t.sdk.send(new GlobalSignOutCommand({ AccessToken: mine[0].AccessToken! }));
  expect((await failureOf(refresh(mine[0].RefreshToken!))).message).toBe('Refresh Token has been revoked');
  const hash = { SECRET_HASH: secretHashOf('global', confidential.id, confidential.secret) };
  expect((await failureOf(refresh(mine[1].RefreshToken!, confidential.id, hash))).message).toBe(
    'Refresh Token has been revoked',
  );
  await expect(refresh(theirs.RefreshToken!)).resolves.toBeDefined();
  // The signed-out access token no longer authorizes Cognito's own user operations.
  expect(await failureOf(t.sdk.send(new GlobalSignOutCommand({ AccessToken: mine[0].AccessToken! })))).toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Access Token has been revoked',
  });
});

test("AdminUserGlobalSignOut revokes the user's refresh tokens", async () => {
  await createUser(t.sdk, poolId, 'admin-signed-out');
  const tokens = await signIn('admin-signed-out');
  await t.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'admin-signed-out' }));
  expect((await failureOf(refresh(tokens.RefreshToken!))).message).toBe('Refresh Token has been revoked');
  expect(
    (await failureOf(t.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'nobody' })))).name,
  ).toBe('UserNotFoundException');
});

describe('grant_type=refresh_token at /oauth2/token', () => {
  test('a public client names itself; the answer has new ID and access tokens', async () => {
    await createUser(t.sdk, poolId, 'endpoint-refresh');
    const tokens = await signIn('endpoint-refresh');
    const response = await tokenEndpoint({
      grant_type: 'refresh_token',
      client_id: publicClient,
      refresh_token: tokens.RefreshToken!,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(decodeJwtParts(body.id_token as string).payload).toMatchObject({
      aud: publicClient,
      'cognito:username': 'endpoint-refresh',
    });
    expect(body).not.toHaveProperty('refresh_token');
  });

  test('a confidential client must authenticate with its secret (invalid_client otherwise)', async () => {
    await createUser(t.sdk, poolId, 'endpoint-confidential');
    const tokens = await signIn('endpoint-confidential', confidential.id, confidential.secret);
    const form = { grant_type: 'refresh_token', refresh_token: tokens.RefreshToken! };
    for (const attempt of [
      tokenEndpoint({ ...form, client_id: confidential.id }),
      tokenEndpoint(form, basic(confidential.id, 'wrong')),
    ]) {
      const response = await attempt;
      expect([response.status, await response.json()]).toEqual([400, { error: 'invalid_client' }]);
    }
    expect((await tokenEndpoint(form, basic(confidential.id, confidential.secret))).status).toBe(200);
    expect(
      (await tokenEndpoint({ ...form, client_id: confidential.id, client_secret: confidential.secret })).status,
    ).toBe(200);
  });

  test('an unknown or missing refresh token', async () => {
    const unknown = await tokenEndpoint({
      grant_type: 'refresh_token',
      client_id: publicClient,
      refresh_token: 'not-a-token',
    });
    expect([unknown.status, await unknown.json()]).toEqual([400, { error: 'invalid_grant' }]);
    const missing = await tokenEndpoint({ grant_type: 'refresh_token', client_id: publicClient });
    expect([missing.status, await missing.json()]).toEqual([400, { error: 'invalid_request' }]);
  });

  test('POST /oauth2/revoke revokes like RevokeToken', async () => {
    await createUser(t.sdk, poolId, 'endpoint-revoke');
    const tokens = await signIn('endpoint-revoke');
    const response = await fetch(`${t.cognito.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.RefreshToken!, client_id: publicClient }),
    });
    expect(response.status).toBe(200);
    expect((await failureOf(refresh(tokens.RefreshToken!))).message).toBe('Refresh Token has been revoked');
  });
});

describe('bad input gets Cognito error types with status 400', () => {
  test('REFRESH_TOKEN_AUTH without a token, or with one nobody issued', async () => {
    expect(
      await failureOf(
        t.sdk.send(
          new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: publicClient, AuthParameters: {} }),
        ),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
    });
    expect(await failureOf(refresh('forged'))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Refresh Token',
      status: 400,
    });
  });

  test('GlobalSignOut with a token that is not one of ours', async () => {
    expect(await failureOf(t.sdk.send(new GlobalSignOutCommand({ AccessToken: 'a.b.c' })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
      status: 400,
    });
  });

  test('RevokeToken for an unknown client', async () => {
    expect(await failureOf(t.sdk.send(new RevokeTokenCommand({ ClientId: 'nope', Token: 'x' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 400,
    });
  });
});

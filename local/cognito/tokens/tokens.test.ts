import {
  AdminAddUserToGroupCommand,
  AdminInitiateAuthCommand,
  CreateGroupCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { USER_API_SCOPE } from './cognito-tokens';
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
let clientId: string;
let cognitoUsername: string;
const email = 'token-user@example.com';
const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk, { UsernameAttributes: ['email'] });
  clientId = (await createClient(t.sdk, poolId, { ExplicitAuthFlows: [...flows] })).ClientId!;
  cognitoUsername = await createUser(t.sdk, poolId, email, STRONG_PASSWORD, { email_verified: 'true' });
  await t.sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
  await t.sdk.send(
    new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: cognitoUsername, GroupName: 'admins' }),
  );
});
afterAll(() => t.stop());

async function signIn(client = clientId): Promise<AuthenticationResultType> {
  const result = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client,
      AuthParameters: { USERNAME: email, PASSWORD: STRONG_PASSWORD },
    }),
  );
  return result.AuthenticationResult!;
}

test('ID and access tokens are signed with different keys, both in the pool JWKS, and verify against it', async () => {
  const tokens = await signIn();
  const idKid = decodeJwtParts(tokens.IdToken!).header.kid;
  const accessKid = decodeJwtParts(tokens.AccessToken!).header.kid;
  expect(idKid).not.toEqual(accessKid);
  const jwks = (await (await fetch(t.cognito.jwksUrlOf(poolId))).json()) as {
    keys: { kid: string; alg: string; use: string; kty: string }[];
  };
  expect(jwks.keys.map((k) => k.kid).sort()).toEqual([idKid, accessKid].sort());
  for (const key of jwks.keys) expect(key).toMatchObject({ alg: 'RS256', use: 'sig', kty: 'RSA' });

  const keySet = createRemoteJWKSet(new URL(t.cognito.jwksUrlOf(poolId)));
  for (const token of [tokens.IdToken!, tokens.AccessToken!])
    await expect(
      jwtVerify(token, keySet, { issuer: t.cognito.issuerOf(poolId), algorithms: ['RS256'] }),
    ).resolves.toBeDefined();
});

test('the ID token carries aud, token_use id, cognito:username, email, email_verified and groups', async () => {
  const { payload } = decodeJwtParts((await signIn()).IdToken!);
  expect(payload).toMatchObject({
    aud: clientId,
    token_use: 'id',
    'cognito:username': cognitoUsername,
    sub: cognitoUsername,
    email,
    email_verified: true,
    'cognito:groups': ['admins'],
    iss: t.cognito.issuerOf(poolId),
  });
  for (const claim of ['exp', 'iat', 'auth_time', 'jti', 'origin_jti', 'event_id'])
    expect(payload).toHaveProperty(claim);
  expect(payload).not.toHaveProperty('client_id');
  expect(payload).not.toHaveProperty('scope');
});

test('the access token from InitiateAuth and AdminInitiateAuth has client_id, username, no aud and exactly the user-API scope', async () => {
  const admin = await t.sdk.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: STRONG_PASSWORD },
    }),
  );
  for (const accessToken of [(await signIn()).AccessToken!, admin.AuthenticationResult!.AccessToken!]) {
    const { payload } = decodeJwtParts(accessToken);
    expect(payload).toMatchObject({
      token_use: 'access',
      client_id: clientId,
      username: cognitoUsername,
      sub: cognitoUsername,
      scope: USER_API_SCOPE,
      'cognito:groups': ['admins'],
    });
    expect(USER_API_SCOPE).toBe('aws.cognito.signin.user.admin');
    expect(payload).not.toHaveProperty('aud');
  }
});

test('issuer, JWKS URL and openid-configuration agree with the tokens', async () => {
  const issuer = t.cognito.issuerOf(poolId);
  expect(issuer).toBe(`${t.cognito.url}/${poolId}`);
  expect(t.cognito.jwksUrlOf(poolId)).toBe(`${issuer}/.well-known/jwks.json`);
  const config = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  expect(config).toMatchObject({
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    token_endpoint: t.cognito.tokenEndpoint,
    id_token_signing_alg_values_supported: ['RS256'],
  });
  expect(decodeJwtParts((await signIn()).IdToken!).payload.iss).toBe(issuer);
  const unknown = await fetch(`${t.cognito.url}/us-east-1_NoSuchPool/.well-known/jwks.json`);
  expect(unknown.status).toBe(404);
});

test('token lifetimes follow each validity in its unit, and ExpiresIn is the access token lifetime', async () => {
  const client = await createClient(t.sdk, poolId, {
    ExplicitAuthFlows: [...flows],
    AccessTokenValidity: 30,
    IdTokenValidity: 2,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours' },
  });
  const tokens = await signIn(client.ClientId!);
  const id = decodeJwtParts(tokens.IdToken!).payload as { exp: number; iat: number };
  const access = decodeJwtParts(tokens.AccessToken!).payload as { exp: number; iat: number };
  expect(id.exp - id.iat).toBe(7200);
  expect(access.exp - access.iat).toBe(1800);
  expect(tokens).toMatchObject({ ExpiresIn: 1800, TokenType: 'Bearer' });
});

test("a validity without a unit is in Cognito's default unit (hours for ID tokens, not minutes)", async () => {
  const client = await createClient(t.sdk, poolId, { ExplicitAuthFlows: [...flows], IdTokenValidity: 1 });
  const id = decodeJwtParts((await signIn(client.ClientId!)).IdToken!).payload as { exp: number; iat: number };
  expect(id.exp - id.iat).toBe(3600);
  const described = await t.sdk.send(
    new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId! }),
  );
  expect(described.UserPoolClient?.TokenValidityUnits).toEqual({
    AccessToken: 'hours',
    IdToken: 'hours',
    RefreshToken: 'days',
  });
});

test("a validity outside Cognito's range is refused", async () => {
  expect(
    (
      await failureOf(
        createClient(t.sdk, poolId, { AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } }),
      )
    ).name,
  ).toBe('InvalidParameterException');
  expect(
    (await failureOf(createClient(t.sdk, poolId, { IdTokenValidity: 1, TokenValidityUnits: { IdToken: 'minutes' } })))
      .name,
  ).toBe('InvalidParameterException');
});

test('a refresh token past RefreshTokenValidity is refused', async () => {
  const client = await createClient(t.sdk, poolId, {
    ExplicitAuthFlows: [...flows],
    RefreshTokenValidity: 60,
    TokenValidityUnits: { RefreshToken: 'minutes' },
  });
  const tokens = await signIn(client.ClientId!);
  const refresh = () =>
    t.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: client.ClientId!,
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
      }),
    );
  await expect(refresh()).resolves.toBeDefined();
  const realNow = Date.now;
  const later = realNow() + 61 * 60 * 1000;
  const clock = jest.spyOn(Date, 'now').mockImplementation(() => later);
  try {
    expect(await failureOf(refresh())).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has expired',
    });
  } finally {
    clock.mockRestore();
  }
});

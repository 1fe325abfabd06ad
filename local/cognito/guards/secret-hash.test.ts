import { AdminInitiateAuthCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { secretHashOf } from './secret-hash';
import {
  createClient,
  createPool,
  createUser,
  failureOf,
  startTestCognito,
  STRONG_PASSWORD,
  type TestCognito,
} from '../test-support';

let t: TestCognito;
let poolId: string;
let confidential: { id: string; secret: string };
let publicClientId: string;
let cognitoUsername: string;
const email = 'hash-user@example.com';

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk, { UsernameAttributes: ['email'] });
  const client = await createClient(t.sdk, poolId, {
    GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  confidential = { id: client.ClientId!, secret: client.ClientSecret! };
  publicClientId = (await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] })).ClientId!;
  cognitoUsername = await createUser(t.sdk, poolId, email);
});
afterAll(() => t.stop());

const signIn = (clientId: string, extra: Record<string, string> = {}) =>
  t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: email, PASSWORD: STRONG_PASSWORD, ...extra },
    }),
  );

test('InitiateAuth without SECRET_HASH on a client with a secret is NotAuthorizedException', async () => {
  expect(await failureOf(signIn(confidential.id))).toMatchObject({
    name: 'NotAuthorizedException',
    message: `Client ${confidential.id} is configured with secret but SECRET_HASH was not received`,
    status: 400,
  });
});

test('InitiateAuth with a wrong SECRET_HASH is NotAuthorizedException', async () => {
  const wrong = secretHashOf(email, confidential.id, 'not-the-secret');
  expect(await failureOf(signIn(confidential.id, { SECRET_HASH: wrong }))).toMatchObject({
    name: 'NotAuthorizedException',
    message: `Unable to verify secret hash for client ${confidential.id}`,
  });
});

test('InitiateAuth with the right SECRET_HASH signs in', async () => {
  const result = await signIn(confidential.id, {
    SECRET_HASH: secretHashOf(email, confidential.id, confidential.secret),
  });
  expect(result.AuthenticationResult?.AccessToken).toBeDefined();
});

test('AdminInitiateAuth enforces SECRET_HASH the same way', async () => {
  const adminSignIn = (extra: Record<string, string>) =>
    t.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: confidential.id,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: STRONG_PASSWORD, ...extra },
      }),
    );
  expect((await failureOf(adminSignIn({}))).message).toBe(
    `Client ${confidential.id} is configured with secret but SECRET_HASH was not received`,
  );
  expect((await failureOf(adminSignIn({ SECRET_HASH: 'AAAA' }))).message).toBe(
    `Unable to verify secret hash for client ${confidential.id}`,
  );
  const result = await adminSignIn({ SECRET_HASH: secretHashOf(email, confidential.id, confidential.secret) });
  expect(result.AuthenticationResult?.IdToken).toBeDefined();
});

test('REFRESH_TOKEN_AUTH needs the hash over the Cognito username, not the sign-in email', async () => {
  const signedIn = await signIn(confidential.id, {
    SECRET_HASH: secretHashOf(email, confidential.id, confidential.secret),
  });
  const refresh = (hashOver: string) =>
    t.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: confidential.id,
        AuthParameters: {
          REFRESH_TOKEN: signedIn.AuthenticationResult!.RefreshToken!,
          SECRET_HASH: secretHashOf(hashOver, confidential.id, confidential.secret),
        },
      }),
    );
  expect((await failureOf(refresh(email))).name).toBe('NotAuthorizedException');
  const refreshed = await refresh(cognitoUsername);
  expect(refreshed.AuthenticationResult?.AccessToken).toBeDefined();
});

test('a client without a secret needs no SECRET_HASH', async () => {
  const result = await signIn(publicClientId);
  expect(result.AuthenticationResult?.AccessToken).toBeDefined();
});

// The user operations authorized by an access token refuse it as Cognito does: after GlobalSignOut,
// AdminUserGlobalSignOut or RevokeToken ("Access Token has been revoked"; docs/aws-authorizer-semantics.md,
// Import/transport/Cognito table), when it is not one of ours, and when it is an ID token. ChangePassword
// with a wrong old password is NotAuthorizedException.
import {
  AdminUserGlobalSignOutCommand,
  ChangePasswordCommand,
  DeleteUserCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  UpdateUserAttributesCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { SignJWT, generateKeyPair } from 'jose';
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
let clientId: string;
let poolId: string;

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk);
  clientId = (
    await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })
  ).ClientId!;
});
afterAll(() => t.stop());

async function signIn(username: string, password = STRONG_PASSWORD): Promise<AuthenticationResultType> {
  const result = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  return result.AuthenticationResult!;
}

/** Every operation the test tries with a token, none of which may succeed with a refused one. */
const userOperations = (accessToken: string) => [
  new GetUserCommand({ AccessToken: accessToken }),
  new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'name', Value: 'x' }] }),
  new ChangePasswordCommand({
    AccessToken: accessToken,
    PreviousPassword: STRONG_PASSWORD,
    ProposedPassword: 'Another-Horse-4-Battery',
  }),
  new DeleteUserCommand({ AccessToken: accessToken }),
];

async function expectRevoked(accessToken: string): Promise<void> {
  for (const command of userOperations(accessToken))
    expect(await failureOf(t.sdk.send(command as GetUserCommand))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token has been revoked',
      status: 400,
    });
}

test('GetUser answers with a valid access token', async () => {
  await createUser(t.sdk, poolId, 'reader', STRONG_PASSWORD, { name: 'Reader' });
  const user = await t.sdk.send(new GetUserCommand({ AccessToken: (await signIn('reader')).AccessToken! }));
  expect(user.Username).toBe('reader');
  expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: 'name', Value: 'Reader' }]));
});

test('after GlobalSignOut every user operation refuses the old access token; a new sign-in works', async () => {
  await createUser(t.sdk, poolId, 'global-out');
  const before = await signIn('global-out');
  const other = await signIn('global-out');
  await t.sdk.send(new GlobalSignOutCommand({ AccessToken: before.AccessToken! }));
  await expectRevoked(before.AccessToken!);
  await expectRevoked(other.AccessToken!);
  const after = await signIn('global-out');
  expect((await t.sdk.send(new GetUserCommand({ AccessToken: after.AccessToken! }))).Username).toBe('global-out');
});

test('after AdminUserGlobalSignOut the same', async () => {
  await createUser(t.sdk, poolId, 'admin-out');
  const before = await signIn('admin-out');
  await t.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'admin-out' }));
  await expectRevoked(before.AccessToken!);
});

test("after RevokeToken the access tokens of that refresh token's sign-in are refused, and only those", async () => {
  await createUser(t.sdk, poolId, 'revoker');
  const revoked = await signIn('revoker');
  const kept = await signIn('revoker');
  await t.sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: revoked.RefreshToken! }));
  await expectRevoked(revoked.AccessToken!);
  expect((await t.sdk.send(new GetUserCommand({ AccessToken: kept.AccessToken! }))).Username).toBe('revoker');
});

test('an ID token is not an access token: GetUser refuses it', async () => {
  await createUser(t.sdk, poolId, 'id-holder');
  const tokens = await signIn('id-holder');
  // NotAuthorizedException as AWS answers; its message for an ID token was not found in any source, so
  // only the error is asserted.
  expect(await failureOf(t.sdk.send(new GetUserCommand({ AccessToken: tokens.IdToken! })))).toMatchObject({
    name: 'NotAuthorizedException',
    status: 400,
  });
});

test('a token this Cognito did not sign, or that is no JWT, is "Invalid Access Token"', async () => {
  await createUser(t.sdk, poolId, 'forged');
  const real = decodeJwtParts((await signIn('forged')).AccessToken!);
  const { privateKey } = await generateKeyPair('RS256');
  const forged = await new SignJWT(real.payload).setProtectedHeader(real.header as { alg: string }).sign(privateKey);
  for (const token of [forged, 'not-a-jwt'])
    expect(await failureOf(t.sdk.send(new GetUserCommand({ AccessToken: token })))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
});

test('ChangePassword with a wrong old password is NotAuthorizedException and changes nothing', async () => {
  await createUser(t.sdk, poolId, 'changer');
  const { AccessToken } = await signIn('changer');
  const change = (previous: string) =>
    t.sdk.send(
      new ChangePasswordCommand({
        AccessToken,
        PreviousPassword: previous,
        ProposedPassword: 'Changed-Horse-8-Battery',
      }),
    );
  expect((await failureOf(change('Wrong-Horse-1-Battery'))).name).toBe('NotAuthorizedException');
  await expect(signIn('changer')).resolves.toBeDefined();
  await change(STRONG_PASSWORD);
  await expect(signIn('changer', 'Changed-Horse-8-Battery')).resolves.toBeDefined();
});

import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
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
let clientId: string;
let legacyClientId: string;

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk);
  const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
  clientId = (
    await createClient(t.sdk, poolId, { ExplicitAuthFlows: [...flows], PreventUserExistenceErrors: 'ENABLED' })
  ).ClientId!;
  legacyClientId = (
    await createClient(t.sdk, poolId, { ExplicitAuthFlows: [...flows], PreventUserExistenceErrors: 'LEGACY' })
  ).ClientId!;
});
afterAll(() => t.stop());

const signIn = (username: string, password = STRONG_PASSWORD, client = clientId) =>
  t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

test('a disabled user is refused on InitiateAuth, AdminInitiateAuth and refresh, and signs in again once enabled', async () => {
  await createUser(t.sdk, poolId, 'to-disable');
  const before = await signIn('to-disable');
  await t.sdk.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'to-disable' }));

  const disabled = { name: 'NotAuthorizedException', message: 'User is disabled.', status: 400 };
  expect(await failureOf(signIn('to-disable'))).toMatchObject(disabled);
  const admin = t.sdk.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'to-disable', PASSWORD: STRONG_PASSWORD },
    }),
  );
  expect(await failureOf(admin)).toMatchObject(disabled);
  const refresh = t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: before.AuthenticationResult!.RefreshToken! },
    }),
  );
  expect(await failureOf(refresh)).toMatchObject(disabled);

  await t.sdk.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'to-disable' }));
  expect((await signIn('to-disable')).AuthenticationResult?.AccessToken).toBeDefined();
});

test('a wrong password on a disabled user does not reveal that the user is disabled', async () => {
  await createUser(t.sdk, poolId, 'disabled-guess');
  await t.sdk.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'disabled-guess' }));
  expect(await failureOf(signIn('disabled-guess', 'Wrong-Password-1'))).toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
});

test('a wrong password or an unknown user is "Incorrect username or password."; LEGACY clients reveal unknown users', async () => {
  await createUser(t.sdk, poolId, 'known-user');
  const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };
  expect(await failureOf(signIn('known-user', 'Wrong-Password-1'))).toMatchObject(incorrect);
  expect(await failureOf(signIn('nobody-here'))).toMatchObject(incorrect);
  expect(await failureOf(signIn('nobody-here', STRONG_PASSWORD, legacyClientId))).toMatchObject({
    name: 'UserNotFoundException',
    message: 'User does not exist.',
  });
});

import { AdminInitiateAuthCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
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
const username = 'flow-user';

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk);
  await createUser(t.sdk, poolId, username);
});
afterAll(() => t.stop());

const userPassword = (clientId: string) =>
  t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: STRONG_PASSWORD },
    }),
  );
const adminPassword = (
  clientId: string,
  flow: 'ADMIN_USER_PASSWORD_AUTH' | 'ADMIN_NO_SRP_AUTH' = 'ADMIN_USER_PASSWORD_AUTH',
) =>
  t.sdk.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      AuthFlow: flow,
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: STRONG_PASSWORD },
    }),
  );

test('USER_PASSWORD_AUTH on a client that does not allow it is InvalidParameterException', async () => {
  const srpOnly = await createClient(t.sdk, poolId, {
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  expect(await failureOf(userPassword(srpOnly.ClientId!))).toMatchObject({
    name: 'InvalidParameterException',
    message: 'USER_PASSWORD_AUTH flow not enabled for this client',
    status: 400,
  });
});

test('a client created without ExplicitAuthFlows gets Cognito defaults, which exclude USER_PASSWORD_AUTH', async () => {
  const defaults = await createClient(t.sdk, poolId);
  expect((await failureOf(userPassword(defaults.ClientId!))).message).toBe(
    'USER_PASSWORD_AUTH flow not enabled for this client',
  );
});

test('USER_PASSWORD_AUTH on a client that allows it signs in, and refresh is always allowed', async () => {
  const client = await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
  const signedIn = await userPassword(client.ClientId!);
  const refreshed = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: client.ClientId!,
      AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult!.RefreshToken! },
    }),
  );
  expect(refreshed.AuthenticationResult?.AccessToken).toBeDefined();
});

test('ADMIN_USER_PASSWORD_AUTH needs ALLOW_ADMIN_USER_PASSWORD_AUTH; the legacy name ADMIN_NO_SRP_AUTH works when allowed', async () => {
  const userOnly = await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] });
  expect(await failureOf(adminPassword(userOnly.ClientId!))).toMatchObject({
    name: 'InvalidParameterException',
    message: 'Auth flow not enabled for this client',
  });
  const admin = await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] });
  expect((await adminPassword(admin.ClientId!)).AuthenticationResult?.IdToken).toBeDefined();
  expect((await adminPassword(admin.ClientId!, 'ADMIN_NO_SRP_AUTH')).AuthenticationResult?.IdToken).toBeDefined();
});

test('InitiateAuth refuses the admin flow', async () => {
  const admin = await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] });
  const call = t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      ClientId: admin.ClientId!,
      AuthParameters: { USERNAME: username, PASSWORD: STRONG_PASSWORD },
    }),
  );
  expect(await failureOf(call)).toMatchObject({
    name: 'InvalidParameterException',
    message: 'Initiate Auth method not supported.',
  });
});

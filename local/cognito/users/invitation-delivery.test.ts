// AdminCreateUser with an invitation the user has nowhere to receive fails and leaves no user behind.
import { AdminCreateUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createPool, failureOf, startTestCognito, type TestCognito } from '../test-support';

let t: TestCognito;
let poolId: string;

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk);
});
afterAll(() => t.stop());

const email = (address: string) => [{ Name: 'email', Value: address }];

test('an invitation by SMS (the default) to a user without a phone number is refused, and no user is created', async () => {
  const create = t.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'no-phone',
      UserAttributes: email('no-phone@example.com'),
    }),
  );
  expect(await failureOf(create)).toMatchObject({
    name: 'InvalidParameterException',
    message: 'User has no attribute matching desired delivery mediums',
    status: 400,
  });
  expect(
    await failureOf(t.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'no-phone' }))),
  ).toMatchObject({ name: 'UserNotFoundException' });
});

test('the same user invited by EMAIL is created, and the invitation is captured', async () => {
  const created = await t.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'by-email',
      UserAttributes: email('by-email@example.com'),
      DesiredDeliveryMediums: ['EMAIL'],
    }),
  );
  expect(created.User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  expect(await t.cognito.codesFor(poolId, 'by-email')).toEqual([
    expect.objectContaining({ purpose: 'AdminCreateUser', deliveryMedium: 'EMAIL' }),
  ]);
});

test('with MessageAction SUPPRESS nothing is sent, so no delivery attribute is needed', async () => {
  const created = await t.sdk.send(
    new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'suppressed', MessageAction: 'SUPPRESS' }),
  );
  expect(created.User).toMatchObject({ Username: 'suppressed', UserStatus: 'FORCE_CHANGE_PASSWORD' });
  // The mailbox captures every code the pool sends (the EMAIL test above reads its invitation there).
  expect(await t.cognito.codesFor(poolId, 'suppressed')).toEqual([]);
});

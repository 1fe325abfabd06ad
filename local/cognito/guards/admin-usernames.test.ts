// The Admin* operations name a user by any of their names, as Cognito takes them: "typically your user's
// username, but it can be any of their alias attributes. If username isn't an alias attribute in your user
// pool, this value must be the sub of a local user" (API reference, AdminListGroupsForUser and the other
// Admin* operations, Username: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListGroupsForUser.html).
// An e-mail or phone number is an alias once verified (developer guide, "User pool attributes", aliases:
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-attributes.html); an unknown
// name is UserNotFoundException.
import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CreateGroupCommand,
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
beforeAll(async () => {
  t = await startTestCognito();
});
afterAll(() => t.stop());

async function groupsOf(poolId: string, name: string): Promise<string[]> {
  const listed = await t.sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: name }));
  return (listed.Groups ?? []).map((g) => g.GroupName!).sort();
}

test('a pool that signs in by e-mail: the e-mail, the sub and the username name the same user in every Admin* operation', async () => {
  const poolId = await createPool(t.sdk, { UsernameAttributes: ['email'] });
  const email = 'grouped@example.com';
  const username = await createUser(t.sdk, poolId, email, STRONG_PASSWORD, { email_verified: 'true' });
  expect(username).not.toBe(email);
  await t.sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }));
  await t.sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'readers' }));

  await t.sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: 'editors' }));
  await t.sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: 'readers' }));
  const user = await t.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
  expect(user.Username).toBe(username);
  const sub = user.UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
  for (const name of [email, username, sub]) expect(await groupsOf(poolId, name)).toEqual(['editors', 'readers']);

  await t.sdk.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: email, GroupName: 'editors' }));
  expect(await groupsOf(poolId, username)).toEqual(['readers']);
  expect(
    await failureOf(
      t.sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'nobody@example.com' })),
    ),
  ).toMatchObject({ name: 'UserNotFoundException' });
});

describe('a pool with alias attributes (AliasAttributes email, preferred_username)', () => {
  let poolId: string;
  let clientId: string;
  beforeAll(async () => {
    poolId = await createPool(t.sdk, { AliasAttributes: ['email', 'preferred_username'] });
    clientId = (await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] })).ClientId!;
    await t.sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
    await createUser(t.sdk, poolId, 'jane', STRONG_PASSWORD, {
      email: 'jane@example.com',
      email_verified: 'true',
      preferred_username: 'janie',
    });
    await createUser(t.sdk, poolId, 'joe', STRONG_PASSWORD, { email: 'joe@example.com', email_verified: 'false' });
  });

  test('a verified e-mail and a preferred_username name the user; Admin* operations act on that user', async () => {
    await t.sdk.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'jane@example.com', GroupName: 'staff' }),
    );
    expect(await groupsOf(poolId, 'janie')).toEqual(['staff']);
    expect(await groupsOf(poolId, 'jane')).toEqual(['staff']);

    await t.sdk.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'janie' }));
    expect((await t.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'jane' }))).Enabled).toBe(false);
    await t.sdk.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'jane@example.com' }));
    await t.sdk.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'jane@example.com',
        UserAttributes: [{ Name: 'name', Value: 'Jane' }],
      }),
    );
    const jane = await t.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'jane' }));
    expect(jane.Enabled).toBe(true);
    expect(jane.UserAttributes).toContainEqual({ Name: 'name', Value: 'Jane' });
  });

  test('the verified e-mail signs in; an unverified one is no alias (UserNotFoundException, for the API and at sign-in with a LEGACY client)', async () => {
    const signedIn = await t.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: 'jane@example.com', PASSWORD: STRONG_PASSWORD },
      }),
    );
    expect(signedIn.AuthenticationResult?.AccessToken).toBeDefined();

    expect(
      await failureOf(t.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'joe@example.com' }))),
    ).toMatchObject({ name: 'UserNotFoundException' });
    expect(
      await failureOf(
        t.sdk.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: clientId,
            AuthParameters: { USERNAME: 'joe@example.com', PASSWORD: STRONG_PASSWORD },
          }),
        ),
      ),
    ).toMatchObject({ name: 'UserNotFoundException' });
  });
});

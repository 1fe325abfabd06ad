// The AWS SDK v3 against the local stack, for the flows the local Cognito serves that local/cognito's own
// tests leave out: an invited user's first sign-in to the end, a password change that takes, a person's own
// profile (attributes, a changed e-mail verified with the code sent, deleting the account), groups from
// creation to the token claim and back, and an administrator's directory (filtered listing, attribute
// edits, confirming a person who signed up, deleting a user).
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  DeleteGroupCommand,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  GetGroupCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateGroupCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { appProps } from '../../stack/app-props';
import { startLocalStack, type LocalStack } from '../stack';
import { createUser } from './test-support';

const PASSWORD = 'Sdk-Flows-Passw0rd!';
const NEW_PASSWORD = 'Sdk-Flows-N3w-Passw0rd!';

let stack: LocalStack;
let sdk: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  // People may sign themselves up here, so an administrator has someone to confirm.
  const props = appProps('openapi/pets.yaml');
  stack = await startLocalStack({
    spec: 'openapi/pets.yaml',
    props: { ...props, userPool: { adminOnlySignUp: false } },
  });
  sdk = new CognitoIdentityProviderClient({
    endpoint: stack.outputs.cognito_endpoint,
    region: stack.outputs.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  poolId = stack.outputs.user_pool_id;
  clientId = stack.outputs.clients.web.id;
});

afterAll(async () => {
  sdk?.destroy();
  await stack?.stop();
});

const signIn = (username: string, password: string) =>
  sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

async function accessTokenOf(username: string, password = PASSWORD): Promise<string> {
  return (await signIn(username, password)).AuthenticationResult!.AccessToken!;
}

/** The codes the local Cognito "sent" the user, newest first, over its local-only endpoint. */
async function codesSent(username: string): Promise<{ code: string; purpose: string }[]> {
  const query = new URLSearchParams({ poolId, username });
  const reply = await fetch(`${stack.cognitoUrl}/_local/codes?${query}`);
  return ((await reply.json()) as { codes: { code: string; purpose: string }[] }).codes;
}

async function failureOf(call: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('the call succeeded, but Cognito would refuse it');
}

/** The module's clients hide unknown users (PreventUserExistenceErrors ENABLED): a wrong password's answer. */
const UNKNOWN_USER = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

const attributesOf = (list: AttributeType[] | undefined) =>
  Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));

test('an invited user signs in with the temporary password, answers NEW_PASSWORD_REQUIRED, and from then on only the new password works', async () => {
  const email = 'invited@example.com';
  await sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: email,
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  const [invitation] = await codesSent(email);
  expect(invitation.purpose).toBe('AdminCreateUser');
  const statusOf = async () =>
    (await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserStatus;
  expect(await statusOf()).toBe('FORCE_CHANGE_PASSWORD');

  const challenged = await signIn(email, invitation.code);
  expect(challenged.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  expect(challenged.AuthenticationResult).toBeUndefined();
  const answered = await sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenged.Session,
      ChallengeResponses: { USERNAME: challenged.ChallengeParameters!.USER_ID_FOR_SRP, NEW_PASSWORD: PASSWORD },
    }),
  );
  expect(decodeJwt(answered.AuthenticationResult!.IdToken!)).toMatchObject({ email, aud: clientId });
  expect(await statusOf()).toBe('CONFIRMED');
  expect(await failureOf(signIn(email, invitation.code))).toMatchObject({ name: 'NotAuthorizedException' });
  expect((await signIn(email, PASSWORD)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
});

test('ChangePassword: the new password signs in and the old one is refused', async () => {
  const email = 'changer@example.com';
  await createUser(stack.outputs, { username: email, password: PASSWORD });
  await sdk.send(
    new ChangePasswordCommand({
      AccessToken: await accessTokenOf(email),
      PreviousPassword: PASSWORD,
      ProposedPassword: NEW_PASSWORD,
    }),
  );
  expect(await failureOf(signIn(email, PASSWORD))).toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
  expect((await signIn(email, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
});

test("a person's own profile: attributes updated, a new e-mail verified with the code sent, an attribute deleted, the account deleted", async () => {
  const email = 'profile@example.com';
  await createUser(stack.outputs, { username: email, password: PASSWORD });
  const accessToken = await accessTokenOf(email);

  await sdk.send(
    new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'name', Value: 'Pat' }] }),
  );
  expect(attributesOf((await sdk.send(new GetUserCommand({ AccessToken: accessToken }))).UserAttributes)).toMatchObject(
    {
      name: 'Pat',
      email,
      email_verified: 'true',
    },
  );

  // A new e-mail is unverified until the person proves it with the code Cognito sends there.
  const newEmail = 'profile-new@example.com';
  const changed = await sdk.send(
    new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email', Value: newEmail }] }),
  );
  expect(changed.CodeDeliveryDetailsList).toEqual([
    expect.objectContaining({ AttributeName: 'email', DeliveryMedium: 'EMAIL' }),
  ]);
  const user = await sdk.send(new GetUserCommand({ AccessToken: accessToken }));
  expect(attributesOf(user.UserAttributes)).toMatchObject({ email: newEmail, email_verified: 'false' });

  // The person asks for the code again; only the newest one is kept.
  await sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }));
  const [sent] = await codesSent(user.Username!);
  expect(sent.purpose).toBe('VerifyUserAttribute');
  expect(
    await failureOf(
      sdk.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: '000000' })),
    ),
  ).toMatchObject({ name: 'CodeMismatchException' });
  await sdk.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: sent.code }));
  expect(attributesOf((await sdk.send(new GetUserCommand({ AccessToken: accessToken }))).UserAttributes)).toMatchObject(
    {
      email: newEmail,
      email_verified: 'true',
    },
  );
  // The new address signs in.
  const fresh = await accessTokenOf(newEmail);

  await sdk.send(new DeleteUserAttributesCommand({ AccessToken: fresh, UserAttributeNames: ['name'] }));
  expect(attributesOf((await sdk.send(new GetUserCommand({ AccessToken: fresh }))).UserAttributes)).not.toHaveProperty(
    'name',
  );

  await sdk.send(new DeleteUserCommand({ AccessToken: fresh }));
  expect(await failureOf(sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: newEmail })))).toMatchObject({
    name: 'UserNotFoundException',
  });
  expect(await failureOf(signIn(newEmail, PASSWORD))).toMatchObject(UNKNOWN_USER);
});

test('groups: created, a member added and listed both ways, the groups claim in a new sign-in, then removed', async () => {
  const email = 'grouped@example.com';
  await createUser(stack.outputs, { username: email, password: PASSWORD });
  const username = (await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).Username!;
  await sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Precedence: 2 }));
  await sdk.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'readers', Precedence: 5 }));
  await sdk.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'readers', Description: 'People who read' }));
  expect((await sdk.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'readers' }))).Group).toMatchObject({
    GroupName: 'readers',
    Description: 'People who read',
    Precedence: 5,
  });
  expect(
    (await sdk.send(new ListGroupsCommand({ UserPoolId: poolId }))).Groups?.map((g) => g.GroupName).sort(),
  ).toEqual(['editors', 'readers']);

  for (const GroupName of ['editors', 'readers'])
    await sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName }));
  const groupsOf = async () =>
    ((await sdk.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username }))).Groups ?? [])
      .map((g) => g.GroupName)
      .sort();
  expect(await groupsOf()).toEqual(['editors', 'readers']);
  expect(
    (await sdk.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }))).Users?.map(
      (u) => u.Username,
    ),
  ).toEqual([username]);
  const idTokenOf = async () => decodeJwt((await signIn(email, PASSWORD)).AuthenticationResult!.IdToken!);
  expect((await idTokenOf())['cognito:groups']).toEqual(expect.arrayContaining(['editors', 'readers']));

  await sdk.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: email, GroupName: 'editors' }));
  await sdk.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'readers' }));
  expect(await groupsOf()).toEqual([]);
  expect((await idTokenOf())['cognito:groups']).toBeUndefined();
  expect(await failureOf(sdk.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'readers' })))).toMatchObject({
    name: 'ResourceNotFoundException',
  });
});

test("an administrator's directory: a filtered listing, attributes edited and deleted, a sign-up confirmed, a user deleted", async () => {
  const email = 'directory@example.com';
  await createUser(stack.outputs, { username: email, password: PASSWORD });
  await createUser(stack.outputs, { username: 'someone-else@example.com', password: PASSWORD });
  const listed = await sdk.send(new ListUsersCommand({ UserPoolId: poolId, Filter: `email = "${email}"` }));
  expect(listed.Users?.map((u) => attributesOf(u.Attributes).email)).toEqual([email]);

  await sdk.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: poolId,
      Username: email,
      UserAttributes: [
        { Name: 'name', Value: 'Dana' },
        { Name: 'family_name', Value: 'Doe' },
      ],
    }),
  );
  await sdk.send(
    new AdminDeleteUserAttributesCommand({ UserPoolId: poolId, Username: email, UserAttributeNames: ['family_name'] }),
  );
  const user = await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
  expect(attributesOf(user.UserAttributes)).toMatchObject({ name: 'Dana', email });
  expect(attributesOf(user.UserAttributes)).not.toHaveProperty('family_name');
  // The ID token of a new sign-in carries what the administrator set.
  expect(decodeJwt((await signIn(email, PASSWORD)).AuthenticationResult!.IdToken!)).toMatchObject({ name: 'Dana' });

  const signedUp = 'signed-up@example.com';
  await sdk.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: signedUp,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: signedUp }],
    }),
  );
  expect(await failureOf(signIn(signedUp, PASSWORD))).toMatchObject({ name: 'UserNotConfirmedException' });
  await sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: signedUp }));
  expect((await sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: signedUp }))).UserStatus).toBe(
    'CONFIRMED',
  );
  expect((await signIn(signedUp, PASSWORD)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));

  await sdk.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: signedUp }));
  expect(await failureOf(sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: signedUp })))).toMatchObject({
    name: 'UserNotFoundException',
  });
  expect(await failureOf(signIn(signedUp, PASSWORD))).toMatchObject(UNKNOWN_USER);
});

// Operations on one pool's users do not undo each other: cognito-local reads a whole user record and saves it
// back later (InitiateAuth stores the refresh token that way), so without serialization a sign-in racing a
// delete wrote the deleted user back. On AWS a deleted user stays deleted.
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  UpdateUserAttributesCommand,
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

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk);
  clientId = (
    await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })
  ).ClientId!;
});
afterAll(() => t.stop());

const signIn = (username: string) =>
  t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: STRONG_PASSWORD },
    }),
  );

const usernamesIn = async (pool: string): Promise<string[]> =>
  ((await t.sdk.send(new ListUsersCommand({ UserPoolId: pool }))).Users ?? []).map((u) => u.Username!);

// One round rarely loses the race; twenty in a row (each a fresh user) lost it every time without serialization.
const ROUNDS = 20;

test('a user deleted while signing in stays deleted, whichever of the two runs first', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const username = `racer-${round}`;
    await createUser(t.sdk, poolId, username);
    const [signedIn, deleted] = await Promise.allSettled([
      signIn(username),
      t.sdk.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: username })),
    ]);

    expect(deleted.status).toBe('fulfilled');
    // Either the sign-in ran first (tokens) or the delete did (the user no longer exists).
    if (signedIn.status === 'rejected')
      expect((signedIn.reason as Error).name).toMatch(/^(NotAuthorizedException|UserNotFoundException)$/);
    else expect(signedIn.value.AuthenticationResult?.IdToken).toBeDefined();

    expect(await usernamesIn(poolId)).not.toContain(username);
    expect(
      await failureOf(t.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))),
    ).toMatchObject({ name: 'UserNotFoundException' });
  }
});

test('an attribute update racing a sign-in is kept', async () => {
  await createUser(t.sdk, poolId, 'renamed', STRONG_PASSWORD, { name: 'Before' });
  for (let round = 0; round < ROUNDS; round++) {
    const name = `After ${round}`;
    await Promise.all([
      signIn('renamed'),
      t.sdk.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: 'renamed',
          UserAttributes: [{ Name: 'name', Value: name }],
        }),
      ),
    ]);
    const user = await t.sdk.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'renamed' }));
    expect(user.UserAttributes?.find((a) => a.Name === 'name')?.Value).toBe(name);
  }
});

test('an operation that names its pool only through an access token is queued with that pool', async () => {
  // UpdateUserAttributes carries no UserPoolId and no ClientId: the pool is found from the token's client_id.
  await createUser(t.sdk, poolId, 'self-service', STRONG_PASSWORD, { name: 'Before' });
  for (let round = 0; round < ROUNDS; round++) {
    const accessToken = (await signIn('self-service')).AuthenticationResult!.AccessToken!;
    const name = `Self ${round}`;
    await Promise.all([
      signIn('self-service'),
      t.sdk.send(
        new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'name', Value: name }] }),
      ),
    ]);
    const user = await t.sdk.send(new GetUserCommand({ AccessToken: accessToken }));
    expect(user.UserAttributes?.find((a) => a.Name === 'name')?.Value).toBe(name);
  }
});

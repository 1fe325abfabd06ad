import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
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
  poolId = await createPool(t.sdk, {
    Policies: {
      PasswordPolicy: {
        MinimumLength: 12,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
      },
    },
  });
  clientId = (await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] })).ClientId!;
});
afterAll(() => t.stop());

const refusal = (reason: string) => ({
  name: 'InvalidPasswordException',
  message: `Password did not conform with policy: ${reason}`,
  status: 400,
});

test('AdminCreateUser refuses a TemporaryPassword shorter than the policy allows', async () => {
  const call = t.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'short-temp',
      TemporaryPassword: 'Aa1!short',
      MessageAction: 'SUPPRESS',
    }),
  );
  expect(await failureOf(call)).toMatchObject(refusal('Password not long enough'));
});

test("AdminSetUserPassword refuses each missing character class with Cognito's message", async () => {
  const username = await createUser(t.sdk, poolId, 'set-password-user');
  const set = (password: string) =>
    t.sdk.send(
      new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }),
    );
  expect(await failureOf(set('ALLUPPERCASE-123'))).toMatchObject(refusal('Password must have lowercase characters'));
  expect(await failureOf(set('alllowercase-123'))).toMatchObject(refusal('Password must have uppercase characters'));
  expect(await failureOf(set('NoNumbers-Here!!'))).toMatchObject(refusal('Password must have numeric characters'));
  expect(await failureOf(set('NoSymbols123Here'))).toMatchObject(refusal('Password must have symbol characters'));
  // A space counts as a symbol (Cognito's password requirements page).
  await expect(set('With Space 123abc')).resolves.toBeDefined();
});

test('SignUp refuses a weak password and accepts a strong one', async () => {
  expect(
    await failureOf(
      t.sdk.send(new SignUpCommand({ ClientId: clientId, Username: 'signup-weak', Password: 'weakpassword' })),
    ),
  ).toMatchObject(refusal('Password must have uppercase characters'));
  const created = await t.sdk.send(
    new SignUpCommand({ ClientId: clientId, Username: 'signup-strong', Password: STRONG_PASSWORD }),
  );
  expect(created.UserSub).toBeDefined();
});

test('ChangePassword refuses a proposed password that breaks the policy', async () => {
  await createUser(t.sdk, poolId, 'change-user');
  const signedIn = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: 'change-user', PASSWORD: STRONG_PASSWORD },
    }),
  );
  const change = (proposed: string) =>
    t.sdk.send(
      new ChangePasswordCommand({
        AccessToken: signedIn.AuthenticationResult!.AccessToken!,
        PreviousPassword: STRONG_PASSWORD,
        ProposedPassword: proposed,
      }),
    );
  expect(await failureOf(change('Short-1a'))).toMatchObject(refusal('Password not long enough'));
  await expect(change('Another-Strong-Pass-7')).resolves.toBeDefined();
});

test('answering NEW_PASSWORD_REQUIRED with a weak password is refused', async () => {
  await t.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'new-password-user',
      TemporaryPassword: 'Temporary-Pass-1',
      MessageAction: 'SUPPRESS',
    }),
  );
  const challenged = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: 'new-password-user', PASSWORD: 'Temporary-Pass-1' },
    }),
  );
  expect(challenged.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  const answer = t.sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: challenged.Session,
      ChallengeResponses: { USERNAME: 'new-password-user', NEW_PASSWORD: 'nouppercase-123!' },
    }),
  );
  expect(await failureOf(answer)).toMatchObject(refusal('Password must have uppercase characters'));
});

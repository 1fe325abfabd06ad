// Self-service sign-up, confirmation codes (captured, readable over HTTP), resending and password reset.
import {
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHashOf } from '../guards/secret-hash';
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
const flows = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
  clientId = (await createClient(t.sdk, poolId, { ExplicitAuthFlows: [...flows] })).ClientId!;
});
afterAll(() => t.stop());

const signUp = (email: string, client = clientId, extra: { SecretHash?: string } = {}) =>
  t.sdk.send(new SignUpCommand({ ClientId: client, Username: email, Password: STRONG_PASSWORD, ...extra }));
const confirm = (email: string, code: string) =>
  t.sdk.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: code }));
const signIn = (email: string, password = STRONG_PASSWORD) =>
  t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );

/** The documented local-only endpoint, over real HTTP. */
async function codesOverHttp(
  email: string,
): Promise<{ status: number; body: { codes?: { code: string; purpose: string }[]; message?: string } }> {
  const response = await fetch(`${t.cognito.url}/_local/codes?${new URLSearchParams({ poolId, username: email })}`);
  return { status: response.status, body: (await response.json()) as { codes?: { code: string; purpose: string }[] } };
}

test('SignUp on a pool that allows administrators only is NotAuthorizedException', async () => {
  const adminOnly = await createPool(t.sdk, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
  const client = (await createClient(t.sdk, adminOnly)).ClientId!;
  expect(await failureOf(signUp('someone', client))).toMatchObject({
    name: 'NotAuthorizedException',
    message: 'SignUp is not permitted for this user pool',
    status: 400,
  });
});

test('the sign-up code is captured, readable at GET /_local/codes, and confirms the user (verifying the e-mail)', async () => {
  const email = 'new-user@example.com';
  const result = await signUp(email);
  expect(result).toMatchObject({
    UserConfirmed: false,
    CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: email },
  });

  const listed = await codesOverHttp(email);
  expect(listed.status).toBe(200);
  const [latest] = listed.body.codes!;
  expect(latest).toMatchObject({ purpose: 'SignUp', username: result.UserSub, poolId });
  expect(latest.code).toMatch(/^\d{6}$/);

  expect(await failureOf(signIn(email))).toMatchObject({
    name: 'UserNotConfirmedException',
    message: 'User is not confirmed.',
  });
  await confirm(email, latest.code);
  const signedIn = await signIn(email);
  const idClaims = JSON.parse(
    Buffer.from(signedIn.AuthenticationResult!.IdToken!.split('.')[1], 'base64url').toString(),
  ) as Record<string, unknown>;
  expect(idClaims).toMatchObject({ email, email_verified: true });
});

test('a wrong code is CodeMismatchException; confirming twice is NotAuthorizedException', async () => {
  const email = 'twice@example.com';
  await signUp(email);
  const [{ code }] = await t.cognito.codesFor(poolId, email);
  const wrong = code === '000000' ? '000001' : '000000';
  expect(await failureOf(confirm(email, wrong))).toMatchObject({ name: 'CodeMismatchException', status: 400 });
  await confirm(email, code);
  expect(await failureOf(confirm(email, code))).toMatchObject({
    name: 'NotAuthorizedException',
    message: 'User cannot be confirmed. Current status is CONFIRMED',
  });
});

test('ResendConfirmationCode sends a new code, and only the newest one confirms', async () => {
  const email = 'resend@example.com';
  await signUp(email);
  const [first] = await t.cognito.codesFor(poolId, email);
  const resent = await t.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email }));
  expect(resent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', Destination: email });
  const [second] = await t.cognito.codesFor(poolId, email);
  expect(second.purpose).toBe('ResendCode');
  // Codes are six random digits: one time in a million a fresh code repeats the first, and this fails.
  expect(second.code).not.toBe(first.code);
  expect(await failureOf(confirm(email, first.code))).toMatchObject({ name: 'CodeMismatchException', status: 400 });
  await confirm(email, second.code);
  expect(
    await failureOf(t.sdk.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: email }))),
  ).toMatchObject({
    name: 'InvalidParameterException',
    message: 'User is already confirmed.',
  });
});

test('ForgotPassword sends a reset code; ConfirmForgotPassword sets the new password once, and the code is single-use', async () => {
  const email = 'forgetful@example.com';
  await createUser(t.sdk, poolId, email, STRONG_PASSWORD, { email_verified: 'true' });
  const sent = await t.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email }));
  expect(sent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL' });
  const [reset] = await t.cognito.codesFor(poolId, email);
  expect(reset.purpose).toBe('ForgotPassword');

  const newPassword = 'Another-Horse-7-Battery';
  const confirmReset = (code: string, password = newPassword) =>
    t.sdk.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: email,
        ConfirmationCode: code,
        Password: password,
      }),
    );
  expect((await failureOf(confirmReset(reset.code, 'weak'))).name).toBe('InvalidPasswordException');
  await confirmReset(reset.code);
  expect(await failureOf(signIn(email))).toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
  await expect(signIn(email, newPassword)).resolves.toBeDefined();
  expect((await failureOf(confirmReset(reset.code, 'Third-Horse-5-Battery'))).name).toBe('CodeMismatchException');
});

test('a sign-up code is not a reset code, and ConfirmForgotPassword needs a code at all', async () => {
  const email = 'mixed-codes@example.com';
  await signUp(email);
  const [signUpCode] = await t.cognito.codesFor(poolId, email);
  const attempt = (code: string | undefined) =>
    t.sdk.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: email,
        ConfirmationCode: code,
        Password: 'Hijacked-Horse-1-Battery',
      }),
    );
  expect((await failureOf(attempt(signUpCode.code))).name).toBe('CodeMismatchException');
  expect(await failureOf(attempt(undefined))).toMatchObject({ name: 'InvalidParameterException', status: 400 });
});

test('ForgotPassword for a user without a verified address is refused, and for an unknown user is UserNotFoundException', async () => {
  await createUser(t.sdk, poolId, 'unverified@example.com');
  expect(
    await failureOf(t.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'unverified@example.com' }))),
  ).toMatchObject({
    name: 'InvalidParameterException',
    message: 'Cannot reset password for the user as there is no registered/verified email or phone_number',
  });
  expect(
    (await failureOf(t.sdk.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ghost@example.com' }))))
      .name,
  ).toBe('UserNotFoundException');
});

test('SignUp and ConfirmSignUp through a client with a secret need SecretHash', async () => {
  const confidential = await createClient(t.sdk, poolId, { GenerateSecret: true, ExplicitAuthFlows: [...flows] });
  const email = 'secret-signup@example.com';
  expect((await failureOf(signUp(email, confidential.ClientId!))).name).toBe('NotAuthorizedException');
  await signUp(email, confidential.ClientId!, {
    SecretHash: secretHashOf(email, confidential.ClientId!, confidential.ClientSecret!),
  });
  const [{ code }] = await t.cognito.codesFor(poolId, email);
  const confirmWith = (hash?: string) =>
    t.sdk.send(
      new ConfirmSignUpCommand({
        ClientId: confidential.ClientId!,
        Username: email,
        ConfirmationCode: code,
        SecretHash: hash,
      }),
    );
  expect((await failureOf(confirmWith())).name).toBe('NotAuthorizedException');
  await confirmWith(secretHashOf(email, confidential.ClientId!, confidential.ClientSecret!));
});

describe('bad input gets Cognito error types with status 400', () => {
  test('missing members', async () => {
    expect(
      await failureOf(
        t.sdk.send(
          new SignUpCommand({
            ClientId: clientId,
            Username: 'x@example.com',
            Password: undefined as unknown as string,
          }),
        ),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
    });
    expect(
      await failureOf(
        t.sdk.send(
          new ConfirmSignUpCommand({
            ClientId: clientId,
            Username: 'new-user@example.com',
            ConfirmationCode: undefined as unknown as string,
          }),
        ),
      ),
    ).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
    });
  });

  test('an unknown client', async () => {
    for (const call of [
      t.sdk.send(new SignUpCommand({ ClientId: 'nope', Username: 'x@example.com', Password: STRONG_PASSWORD })),
      t.sdk.send(new ConfirmSignUpCommand({ ClientId: 'nope', Username: 'x@example.com', ConfirmationCode: '123456' })),
      t.sdk.send(new ResendConfirmationCodeCommand({ ClientId: 'nope', Username: 'x@example.com' })),
      t.sdk.send(new ForgotPasswordCommand({ ClientId: 'nope', Username: 'x@example.com' })),
    ])
      expect(await failureOf(call)).toMatchObject({
        name: 'ResourceNotFoundException',
        message: 'User pool client nope does not exist.',
        status: 400,
      });
  });

  test('GET /_local/codes without its parameters, or for an unknown pool', async () => {
    expect((await fetch(`${t.cognito.url}/_local/codes`)).status).toBe(400);
    expect((await fetch(`${t.cognito.url}/_local/codes?poolId=us-east-1_nothere&username=x`)).status).toBe(404);
  });
});

// Cognito refuses SignUp without a required attribute, or with one the schema lacks ("When a standard attribute
// is marked as required, a user cannot register unless a value for the attribute is provided", user pool
// attributes, Cognito Developer Guide); the exception is InvalidParameterException. The wording of each line
// is as users report it (aws-amplify/amplify-flutter#509), unverified against AWS: asserted on its parts.
describe('SignUp checks UserAttributes against the pool schema', () => {
  let schemaPool: string;
  let schemaClient: string;
  beforeAll(async () => {
    schemaPool = await createPool(t.sdk, {
      UsernameAttributes: ['email'],
      Schema: [
        { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
        { Name: 'given_name', AttributeDataType: 'String', Required: true, Mutable: true },
        { Name: 'team', AttributeDataType: 'String', Mutable: true },
      ],
    });
    schemaClient = (await createClient(t.sdk, schemaPool)).ClientId!;
  });
  const signUpWith = (email: string, attributes: Record<string, string>) =>
    t.sdk.send(
      new SignUpCommand({
        ClientId: schemaClient,
        Username: email,
        Password: STRONG_PASSWORD,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );

  test('a required attribute left out or empty, and one the schema lacks, are refused together', async () => {
    const failure = await failureOf(signUpWith('someone@example.com', { given_name: '', favorite_flavor: 'mint' }));
    expect(failure).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    expect(failure.message).toMatch(/^Attributes did not conform to the schema: /);
    expect(failure.message).toContain('favorite_flavor: Attribute does not exist in the schema.');
    expect(failure.message).toContain('given_name: The attribute is required');
    expect(failure.message).not.toContain('email:');
  });

  test('the e-mail username stands for the required email; custom attributes go by custom:', async () => {
    await expect(
      signUpWith('complete@example.com', { given_name: 'Ada', 'custom:team': 'core' }),
    ).resolves.toMatchObject({ UserConfirmed: false });
    const failure = await failureOf(signUpWith('other@example.com', { given_name: 'Bo', team: 'core' }));
    expect(failure.message).toContain('team: Attribute does not exist in the schema.');
  });
});

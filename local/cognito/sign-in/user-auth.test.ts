// Choice-based sign-in (AuthFlow USER_AUTH) through the real AWS SDK: PREFERRED_CHALLENGE PASSWORD,
// PASSWORD_SRP, EMAIL_OTP and SMS_OTP, SELECT_CHALLENGE with AvailableChallenges, the pool's sign-in policy,
// the client's ALLOW_USER_AUTH, the feature plan, AdminInitiateAuth with AdminRespondToAuthChallenge, and
// passkeys refused with Cognito's errors.
import { createHmac } from 'node:crypto';
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  StartWebAuthnRegistrationCommand,
  type AuthFactorType,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  createClient,
  createPool,
  createUser,
  decodeJwtParts,
  failureOf,
  startTestCognito,
  STRONG_PASSWORD,
  type TestCognito,
  library,
  LibraryBigInt,
  type LibraryBigInteger,
} from '../test-support';

const EMAIL = 'choice@example.com';
const PHONE = '+15555550100';
const ALL_FACTORS: AuthFactorType[] = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];

let t: TestCognito;
let poolId: string;
let clientId: string;
let username: string;

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk, {
    UsernameAttributes: ['email'],
    Policies: { SignInPolicy: { AllowedFirstAuthFactors: ALL_FACTORS } },
  });
  clientId = (
    await createClient(t.sdk, poolId, {
      ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    })
  ).ClientId!;
  username = await createUser(t.sdk, poolId, EMAIL, STRONG_PASSWORD, { phone_number: PHONE });
});
afterAll(() => t.stop());

const userAuth = (parameters: Record<string, string>, client = clientId) =>
  t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: client,
      AuthParameters: { USERNAME: EMAIL, ...parameters },
    }),
  );

const respond = (started: { Session?: string }, name: string, responses: Record<string, string>) =>
  t.sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: name as never,
      Session: started.Session,
      ChallengeResponses: { USERNAME: EMAIL, ...responses },
    }),
  );

async function newestCode(): Promise<string> {
  const [code] = await t.cognito.codesFor(poolId, EMAIL);
  expect(code.purpose).toBe('Authentication');
  return code.code;
}

function expectTokens(result: { AuthenticationResult?: { IdToken?: string; ExpiresIn?: number } }): void {
  expect(result.AuthenticationResult?.ExpiresIn).toBe(3600);
  expect(decodeJwtParts(result.AuthenticationResult!.IdToken!).payload['cognito:username']).toBe(username);
}

test('PREFERRED_CHALLENGE PASSWORD with the password signs the user in at once', async () => {
  expectTokens(await userAuth({ PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD }));
  expect(await failureOf(userAuth({ PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong-Password-1' }))).toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
});

test('without a preference: SELECT_CHALLENGE lists what this user can use, and ANSWER PASSWORD completes it', async () => {
  const started = await userAuth({});
  expect(started).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', Session: expect.any(String) });
  // No passkey can be registered locally, so WEB_AUTHN, allowed by the policy, is not available to anyone.
  expect(started.AvailableChallenges).toEqual(['PASSWORD_SRP', 'PASSWORD', 'EMAIL_OTP', 'SMS_OTP']);
  expectTokens(await respond(started, 'SELECT_CHALLENGE', { ANSWER: 'PASSWORD', PASSWORD: STRONG_PASSWORD }));
  // A session answers once.
  expect(
    await failureOf(respond(started, 'SELECT_CHALLENGE', { ANSWER: 'PASSWORD', PASSWORD: STRONG_PASSWORD })),
  ).toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Invalid session for the user, session is expired.',
  });
});

test('EMAIL_OTP: the code goes to the mailbox; a wrong code is CodeMismatchException and the session still takes the right one', async () => {
  const started = await userAuth({ PREFERRED_CHALLENGE: 'EMAIL_OTP' });
  expect(started).toMatchObject({
    ChallengeName: 'EMAIL_OTP',
    ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: EMAIL },
  });
  const code = await newestCode();
  const wrong = code === '000000' ? '111111' : '000000';
  expect(await failureOf(respond(started, 'EMAIL_OTP', { EMAIL_OTP_CODE: wrong }))).toMatchObject({
    name: 'CodeMismatchException',
  });
  expectTokens(await respond(started, 'EMAIL_OTP', { EMAIL_OTP_CODE: code }));
});

test('SMS_OTP chosen at SELECT_CHALLENGE: the code goes to the phone number', async () => {
  const started = await userAuth({});
  const chosen = await respond(started, 'SELECT_CHALLENGE', { ANSWER: 'SMS_OTP' });
  expect(chosen).toMatchObject({
    ChallengeName: 'SMS_OTP',
    ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: PHONE },
  });
  expect(chosen.Session).not.toBe(started.Session);
  expectTokens(await respond(chosen, 'SMS_OTP', { SMS_OTP_CODE: await newestCode() }));
});

test('PASSWORD_SRP with SRP_A answers PASSWORD_VERIFIER, and the proof signs the user in', async () => {
  const helper = new library.AuthenticationHelper(poolId.split('_')[1]);
  const A = await new Promise<LibraryBigInteger>((resolve, reject) =>
    helper.getLargeAValue((error, value) => (error ? reject(error) : resolve(value))),
  );
  const started: InitiateAuthCommandOutput = await userAuth({
    PREFERRED_CHALLENGE: 'PASSWORD_SRP',
    SRP_A: A.toString(16),
  });
  expect(started.ChallengeName).toBe('PASSWORD_VERIFIER');
  const challenge = started.ChallengeParameters!;
  const key = await new Promise<number[]>((resolve, reject) =>
    helper.getPasswordAuthenticationKey(
      challenge.USER_ID_FOR_SRP,
      STRONG_PASSWORD,
      new LibraryBigInt(challenge.SRP_B, 16),
      new LibraryBigInt(challenge.SALT, 16),
      (error, value) => (error ? reject(error) : resolve(value)),
    ),
  );
  const timestamp = new library.DateHelper().getNowString();
  const signature = createHmac('sha256', Buffer.from(key))
    .update(
      Buffer.concat([
        Buffer.from(poolId.split('_')[1]),
        Buffer.from(challenge.USER_ID_FOR_SRP),
        Buffer.from(challenge.SECRET_BLOCK, 'base64'),
        Buffer.from(timestamp),
      ]),
    )
    .digest('base64');
  const signedIn = await t.sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: {
        USERNAME: challenge.USER_ID_FOR_SRP,
        PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK,
        PASSWORD_CLAIM_SIGNATURE: signature,
        TIMESTAMP: timestamp,
      },
    }),
  );
  expectTokens(signedIn);
});

test('AdminInitiateAuth USER_AUTH, answered with AdminRespondToAuthChallenge', async () => {
  const started = await t.sdk.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: EMAIL, PREFERRED_CHALLENGE: 'EMAIL_OTP' },
    }),
  );
  expect(started.ChallengeName).toBe('EMAIL_OTP');
  const signedIn = await t.sdk.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      ChallengeName: 'EMAIL_OTP',
      Session: started.Session,
      ChallengeResponses: { USERNAME: EMAIL, EMAIL_OTP_CODE: await newestCode() },
    }),
  );
  expectTokens(signedIn);
});

test("a preferred challenge the user or the pool's policy does not offer gets SELECT_CHALLENGE instead", async () => {
  const passwordOnly = await createPool(t.sdk, { UsernameAttributes: ['email'] });
  const client = (await createClient(t.sdk, passwordOnly, { ExplicitAuthFlows: ['ALLOW_USER_AUTH'] })).ClientId!;
  await createUser(t.sdk, passwordOnly, EMAIL);
  const started = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: client,
      AuthParameters: { USERNAME: EMAIL, PREFERRED_CHALLENGE: 'EMAIL_OTP' },
    }),
  );
  expect(started).toMatchObject({
    ChallengeName: 'SELECT_CHALLENGE',
    AvailableChallenges: ['PASSWORD_SRP', 'PASSWORD'],
  });
  const passkey = await userAuth({ PREFERRED_CHALLENGE: 'WEB_AUTHN' });
  expect(passkey.ChallengeName).toBe('SELECT_CHALLENGE');
  expect(passkey.AvailableChallenges).not.toContain('WEB_AUTHN');
  expect(await failureOf(respond(passkey, 'SELECT_CHALLENGE', { ANSWER: 'WEB_AUTHN' }))).toMatchObject({
    name: 'InvalidParameterException',
  });
});

test('a client without ALLOW_USER_AUTH is refused as for any flow it lacks', async () => {
  const other = (await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] })).ClientId!;
  expect(
    await failureOf(userAuth({ PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD }, other)),
  ).toMatchObject({
    name: 'InvalidParameterException',
    message: 'Auth flow not enabled for this client',
  });
});

test('on the Lite feature plan: passwordless factors and USER_AUTH are FeatureUnavailableInTierException', async () => {
  expect(
    await failureOf(
      t.sdk.send(
        new CreateUserPoolCommand({
          PoolName: 'lite-passwordless',
          UserPoolTier: 'LITE',
          Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
        }),
      ),
    ),
  ).toMatchObject({ name: 'FeatureUnavailableInTierException' });
  const lite = await createPool(t.sdk, { UsernameAttributes: ['email'], UserPoolTier: 'LITE' });
  expect((await t.sdk.send(new DescribeUserPoolCommand({ UserPoolId: lite }))).UserPool?.UserPoolTier).toBe('LITE');
  expect((await t.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool?.UserPoolTier).toBe(
    'ESSENTIALS',
  );
  const client = (await createClient(t.sdk, lite, { ExplicitAuthFlows: ['ALLOW_USER_AUTH'] })).ClientId!;
  await createUser(t.sdk, lite, EMAIL);
  expect(
    await failureOf(
      t.sdk.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_AUTH',
          ClientId: client,
          AuthParameters: { USERNAME: EMAIL, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD },
        }),
      ),
    ),
  ).toMatchObject({ name: 'FeatureUnavailableInTierException' });
});

test('passkey registration is refused: WebAuthnNotEnabledException without WEB_AUTHN, else WebAuthnConfigurationMissingException', async () => {
  const signedIn = await userAuth({ PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD });
  expect(
    await failureOf(
      t.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: signedIn.AuthenticationResult!.AccessToken! })),
    ),
  ).toMatchObject({ name: 'WebAuthnConfigurationMissingException' });

  const passwordOnly = await createPool(t.sdk, { UsernameAttributes: ['email'] });
  const client = (await createClient(t.sdk, passwordOnly, { ExplicitAuthFlows: ['ALLOW_USER_AUTH'] })).ClientId!;
  await createUser(t.sdk, passwordOnly, EMAIL);
  const other = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: client,
      AuthParameters: { USERNAME: EMAIL, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: STRONG_PASSWORD },
    }),
  );
  expect(
    await failureOf(
      t.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: other.AuthenticationResult!.AccessToken! })),
    ),
  ).toMatchObject({ name: 'WebAuthnNotEnabledException' });
});

test('an unknown user gets SELECT_CHALLENGE like anyone (the client hides user existence), then the password is refused', async () => {
  const started = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: 'nobody@example.com' },
    }),
  );
  expect(started.ChallengeName).toBe('SELECT_CHALLENGE');
  expect(
    await failureOf(
      t.sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'SELECT_CHALLENGE',
          Session: started.Session,
          ChallengeResponses: { USERNAME: 'nobody@example.com', ANSWER: 'PASSWORD', PASSWORD: STRONG_PASSWORD },
        }),
      ),
    ),
  ).toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
});

// MFA through the real AWS SDK: OFF, OPTIONAL and ON; TOTP set up at sign-in (MFA_SETUP with the Session) and
// with an access token (AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference), SMS and e-mail
// codes from the mailbox, SELECT_MFA_TYPE, AdminSetUserMFAPreference and the admin flow, with the errors AWS
// gives a wrong, reused or undeliverable code.
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  GetUserCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { totpCodeOf } from './totp';
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

const SMS = { SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/cognito-sms' } };

async function pool(mfa: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>) {
  const poolId = await createPool(t.sdk, { UsernameAttributes: ['email'] });
  await t.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...mfa }));
  const clientId = (
    await createClient(t.sdk, poolId, {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    })
  ).ClientId!;
  return { poolId, clientId };
}

const signIn = (clientId: string, email: string) =>
  t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: email, PASSWORD: STRONG_PASSWORD },
    }),
  );

const answer = (
  clientId: string,
  email: string,
  started: { Session?: string },
  name: string,
  responses: Record<string, string>,
) =>
  t.sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: name as never,
      Session: started.Session,
      ChallengeResponses: { USERNAME: email, ...responses },
    }),
  );

async function newestCode(poolId: string, email: string): Promise<string> {
  const [code] = await t.cognito.codesFor(poolId, email);
  expect(code.purpose).toBe('Authentication');
  return code.code;
}

test('MFA ON: the first sign-in sets up TOTP with the Session; later sign-ins answer SOFTWARE_TOKEN_MFA, each code once', async () => {
  const { poolId, clientId } = await pool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
  const email = 'totp-required@example.com';
  await createUser(t.sdk, poolId, email);
  const started = await signIn(clientId, email);
  expect(started).toMatchObject({
    ChallengeName: 'MFA_SETUP',
    ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
  });

  const associated = await t.sdk.send(new AssociateSoftwareTokenCommand({ Session: started.Session }));
  expect(associated.SecretCode).toMatch(/^[A-Z2-7]{52}$/);
  const secret = associated.SecretCode!;
  const now = Date.now();
  const current = totpCodeOf(secret, now);
  const wrong = current === '123456' ? '654321' : '123456';
  expect(
    await failureOf(t.sdk.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: wrong }))),
  ).toMatchObject({
    name: 'EnableSoftwareTokenMFAException',
    message: 'Code mismatch and fail enable Software Token MFA',
  });
  const verified = await t.sdk.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: current }));
  expect(verified.Status).toBe('SUCCESS');
  const done = await answer(clientId, email, verified, 'MFA_SETUP', {});
  expect(done.AuthenticationResult?.AccessToken).toBeDefined();
  const user = await t.sdk.send(new GetUserCommand({ AccessToken: done.AuthenticationResult!.AccessToken! }));
  expect(user).toMatchObject({ UserMFASettingList: ['SOFTWARE_TOKEN_MFA'], PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' });

  const again = await signIn(clientId, email);
  expect(again.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  expect(
    await failureOf(answer(clientId, email, again, 'SOFTWARE_TOKEN_MFA', { SOFTWARE_TOKEN_MFA_CODE: wrong })),
  ).toMatchObject({
    name: 'CodeMismatchException',
  });
  // The code that verified the authenticator cannot sign in: Cognito takes each code once.
  expect(
    await failureOf(answer(clientId, email, again, 'SOFTWARE_TOKEN_MFA', { SOFTWARE_TOKEN_MFA_CODE: current })),
  ).toMatchObject({ name: 'ExpiredCodeException' });
  // The next step's code is within the drift Cognito allows.
  const next = totpCodeOf(secret, now + 30_000);
  const signedIn = await answer(clientId, email, again, 'SOFTWARE_TOKEN_MFA', { SOFTWARE_TOKEN_MFA_CODE: next });
  expect(signedIn.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
});

test('MFA OPTIONAL: no challenge until the user enables a factor; TOTP set up with an access token', async () => {
  const { poolId, clientId } = await pool({
    MfaConfiguration: 'OPTIONAL',
    SoftwareTokenMfaConfiguration: { Enabled: true },
  });
  const email = 'totp-optional@example.com';
  await createUser(t.sdk, poolId, email);
  const plain = await signIn(clientId, email);
  const accessToken = plain.AuthenticationResult!.AccessToken!;
  expect(
    await failureOf(
      t.sdk.send(
        new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true } }),
      ),
    ),
  ).toMatchObject({
    name: 'InvalidParameterException',
    message: 'User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA',
  });
  expect(
    await failureOf(
      t.sdk.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SMSMfaSettings: { Enabled: true } })),
    ),
  ).toMatchObject({
    name: 'InvalidParameterException',
    message: 'User does not have delivery config set to turn on SMS_MFA',
  });

  const { SecretCode } = await t.sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  await t.sdk.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCodeOf(SecretCode!) }));
  // Verified but not enabled: still no challenge.
  expect((await signIn(clientId, email)).AuthenticationResult).toBeDefined();
  await t.sdk.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  const challenged = await signIn(clientId, email);
  expect(challenged.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  const signedIn = await answer(clientId, email, challenged, 'SOFTWARE_TOKEN_MFA', {
    SOFTWARE_TOKEN_MFA_CODE: totpCodeOf(SecretCode!, Date.now() + 30_000),
  });
  expect(signedIn.AuthenticationResult?.IdToken).toBeDefined();
});

test('SMS and e-mail MFA with captured codes; both enabled without a preference ask SELECT_MFA_TYPE', async () => {
  const { poolId, clientId } = await pool({
    MfaConfiguration: 'OPTIONAL',
    SmsMfaConfiguration: SMS,
    EmailMfaConfiguration: { Subject: 'Your code', Message: 'Code: {####}' },
  });
  expect((await t.sdk.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }))).EmailMfaConfiguration).toEqual({
    Subject: 'Your code',
    Message: 'Code: {####}',
  });
  const email = 'codes@example.com';
  const phone = '+15555550199';
  const username = await createUser(t.sdk, poolId, email, STRONG_PASSWORD, { phone_number: phone });
  await t.sdk.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: poolId,
      Username: username,
      SMSMfaSettings: { Enabled: true },
      EmailMfaSettings: { Enabled: true },
    }),
  );
  const started = await signIn(clientId, email);
  expect(started).toMatchObject({
    ChallengeName: 'SELECT_MFA_TYPE',
    ChallengeParameters: { MFAS_CAN_CHOOSE: '["SMS_MFA","EMAIL_OTP"]' },
  });
  const sms = await answer(clientId, email, started, 'SELECT_MFA_TYPE', { ANSWER: 'SMS_MFA' });
  expect(sms).toMatchObject({
    ChallengeName: 'SMS_MFA',
    ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: phone },
  });
  const code = await newestCode(poolId, email);
  expect(
    await failureOf(answer(clientId, email, sms, 'SMS_MFA', { SMS_MFA_CODE: code === '000000' ? '111111' : '000000' })),
  ).toMatchObject({
    name: 'CodeMismatchException',
  });
  expect((await answer(clientId, email, sms, 'SMS_MFA', { SMS_MFA_CODE: code })).AuthenticationResult).toBeDefined();

  await t.sdk.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: poolId,
      Username: username,
      EmailMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  // The admin flow, answered with AdminRespondToAuthChallenge.
  const admin = await t.sdk.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: STRONG_PASSWORD },
    }),
  );
  expect(admin).toMatchObject({
    ChallengeName: 'EMAIL_OTP',
    ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: email },
  });
  const signedIn = await t.sdk.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      ChallengeName: 'EMAIL_OTP',
      Session: admin.Session,
      ChallengeResponses: { USERNAME: email, EMAIL_OTP_CODE: await newestCode(poolId, email) },
    }),
  );
  expect(signedIn.AuthenticationResult?.IdToken).toBeDefined();
});

test('MFA ON and a user with a phone number: SMS MFA without any setup', async () => {
  const { poolId, clientId } = await pool({ MfaConfiguration: 'ON', SmsMfaConfiguration: SMS });
  const email = 'sms-required@example.com';
  await createUser(t.sdk, poolId, email, STRONG_PASSWORD, { phone_number: '+15555550142' });
  const started = await signIn(clientId, email);
  expect(started.ChallengeName).toBe('SMS_MFA');
  expect(
    (await answer(clientId, email, started, 'SMS_MFA', { SMS_MFA_CODE: await newestCode(poolId, email) }))
      .AuthenticationResult,
  ).toBeDefined();
});

test('MFA OFF: no challenge whatever the user enabled', async () => {
  const { poolId, clientId } = await pool({ MfaConfiguration: 'OFF', SmsMfaConfiguration: SMS });
  const email = 'mfa-off@example.com';
  const username = await createUser(t.sdk, poolId, email, STRONG_PASSWORD, { phone_number: '+15555550143' });
  await t.sdk.send(
    new AdminSetUserMFAPreferenceCommand({ UserPoolId: poolId, Username: username, SMSMfaSettings: { Enabled: true } }),
  );
  expect((await signIn(clientId, email)).AuthenticationResult).toBeDefined();
});

test('e-mail MFA needs the Essentials plan: FeatureUnavailableInTierException on Lite', async () => {
  const lite = await createPool(t.sdk, { UserPoolTier: 'LITE' });
  expect(
    await failureOf(
      t.sdk.send(
        new SetUserPoolMfaConfigCommand({ UserPoolId: lite, MfaConfiguration: 'OPTIONAL', EmailMfaConfiguration: {} }),
      ),
    ),
  ).toMatchObject({ name: 'FeatureUnavailableInTierException' });
});

// The local hosted UI's steps after the password, over real HTTP as a browser submits them: a temporary
// password changed (NEW_PASSWORD_REQUIRED, the pool's policy applied), an authenticator-app code, an e-mail or
// SMS code from the mailbox, a choice of factor (SELECT_MFA_TYPE) and an authenticator set up when the pool
// requires MFA (MFA_SETUP, the secret shown as text). Plain HTML without script, values escaped; the session
// cookie is set once the last step is done and then skips the form and the steps. The challenge names and
// answers are those of RespondToAuthChallenge (API reference:
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html),
// and the error messages the ones the API gives for the same answers.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
  type SetUserPoolMfaConfigCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { parse } from 'node-html-parser';
import { totpCodeOf } from '../sign-in/totp';
import {
  createClient,
  createPool,
  createUser,
  startTestCognito,
  STRONG_PASSWORD,
  type TestCognito,
} from '../test-support';

let t: TestCognito;
beforeAll(async () => {
  t = await startTestCognito();
});
afterAll(() => t.stop());

const CALLBACK = 'https://app.example.com/callback';
const STEP_MS = 30_000;

interface Pool {
  poolId: string;
  clientId: string;
}

async function pool(mfa: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>): Promise<Pool> {
  const poolId = await createPool(t.sdk, {
    PoolName: 'Orders <staff>',
    Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true } },
  });
  await t.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...mfa }));
  const clientId = (
    await createClient(t.sdk, poolId, {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    })
  ).ClientId!;
  return { poolId, clientId };
}

const OPTIONAL_MFA = {
  MfaConfiguration: 'OPTIONAL',
  SoftwareTokenMfaConfiguration: { Enabled: true },
  SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/cognito-sms' } },
  EmailMfaConfiguration: { Subject: 'Your code', Message: 'Your code is {####}' },
} as const;

/** Where a hosted-UI request led: a page (its HTML), or the redirect to the callback. */
interface Reached {
  status: number;
  html?: string;
  callback?: URL;
  cookie?: string;
}

async function reach(url: string, init: RequestInit = {}): Promise<Reached> {
  const response = await fetch(new URL(url, t.cognito.url), { redirect: 'manual', ...init });
  const location = response.headers.get('location');
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] || undefined;
  if (response.status === 302 && location?.startsWith(CALLBACK))
    return { status: 302, callback: new URL(location), cookie };
  if (response.status === 302 && location) return reach(location, { headers: init.headers });
  return { status: response.status, html: await response.text(), cookie };
}

const authorizeUrl = (p: Pool) =>
  `/oauth2/authorize?${new URLSearchParams({ client_id: p.clientId, redirect_uri: CALLBACK, response_type: 'code', scope: 'openid' }).toString()}`;

/** Submits the page's form with its hidden fields and `fields`. */
function submit(html: string, fields: Record<string, string>, cookie?: string): Promise<Reached> {
  const form = parse(html).querySelector('form');
  if (!form) throw new Error(`no form in the page: ${html}`);
  const body = new URLSearchParams();
  for (const input of form.querySelectorAll('input[type="hidden"]'))
    body.set(input.getAttribute('name')!, input.getAttribute('value') ?? '');
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return reach(form.getAttribute('action')!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: body.toString(),
  });
}

async function signInAt(p: Pool, username: string, password = STRONG_PASSWORD): Promise<Reached> {
  const login = await reach(authorizeUrl(p));
  return submit(login.html!, { username, password });
}

const textOf = (html: string | undefined, selector: string) =>
  parse(html ?? '')
    .querySelector(selector)
    ?.text.trim();
const hiddenOf = (html: string | undefined, name: string) =>
  parse(html ?? '')
    .querySelector(`input[name="${name}"]`)
    ?.getAttribute('value');

function expectPlainHtml(html: string | undefined): void {
  expect(html).toBeDefined();
  expect(html).not.toMatch(/<script|<img|<iframe|\son[a-z]+=/i);
}

/** A user whose authenticator app the test holds (set up with an access token, as an app would). */
async function withAuthenticator(p: Pool, username: string): Promise<string> {
  const signedIn = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: p.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: STRONG_PASSWORD },
    }),
  );
  const token = signedIn.AuthenticationResult!.AccessToken!;
  const { SecretCode } = await t.sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: token }));
  await t.sdk.send(
    new VerifySoftwareTokenCommand({
      AccessToken: token,
      UserCode: totpCodeOf(SecretCode!),
      FriendlyDeviceName: 'phone <1>',
    }),
  );
  await t.sdk.send(
    new SetUserMFAPreferenceCommand({ AccessToken: token, SoftwareTokenMfaSettings: { Enabled: true } }),
  );
  return SecretCode!;
}

test('a temporary password: the new-password page applies the pool policy, then the sign-in completes and the user is CONFIRMED', async () => {
  const p = await pool({ MfaConfiguration: 'OFF' });
  await t.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: p.poolId,
      Username: 'invitee',
      TemporaryPassword: 'Temporary-Pass-1',
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: 'in<b>vitee</b>@example.com' }],
    }),
  );
  const page = await signInAt(p, 'invitee', 'Temporary-Pass-1');
  expectPlainHtml(page.html);
  expect(page.cookie).toBeUndefined();
  expect(hiddenOf(page.html, 'challenge')).toBe('NEW_PASSWORD_REQUIRED');
  expect(page.html).toContain('in&lt;b&gt;vitee&lt;/b&gt;@example.com');
  expect(page.html).not.toContain('<b>');

  const mismatch = await submit(page.html!, { new_password: 'Brand-New-Pass-1', confirm_password: 'Brand-New-Pass-2' });
  expect(textOf(mismatch.html, '#error')).toBe('The passwords do not match.');
  const weak = await submit(mismatch.html!, { new_password: 'short1', confirm_password: 'short1' });
  expect(textOf(weak.html, '#error')).toBe('Password did not conform with policy: Password not long enough');
  expect((await t.sdk.send(new AdminGetUserCommand({ UserPoolId: p.poolId, Username: 'invitee' }))).UserStatus).toBe(
    'FORCE_CHANGE_PASSWORD',
  );

  const done = await submit(weak.html!, { new_password: 'Brand-New-Pass-1', confirm_password: 'Brand-New-Pass-1' });
  expect(done.callback?.searchParams.get('code')).toEqual(expect.any(String));
  expect(done.cookie).toMatch(/^cognito=/);
  expect((await t.sdk.send(new AdminGetUserCommand({ UserPoolId: p.poolId, Username: 'invitee' }))).UserStatus).toBe(
    'CONFIRMED',
  );
  // The session cookie skips the form; the temporary password no longer signs in.
  expect((await reach(authorizeUrl(p), { headers: { cookie: done.cookie! } })).callback).toBeDefined();
  expect(textOf((await signInAt(p, 'invitee', 'Temporary-Pass-1')).html, '#error')).toBe(
    'Incorrect username or password.',
  );
  expect((await signInAt(p, 'invitee', 'Brand-New-Pass-1')).callback).toBeDefined();
});

test('an authenticator app: the code page takes its code (a wrong one shows the error and keeps the page), and the cookie then skips it', async () => {
  const p = await pool(OPTIONAL_MFA);
  await createUser(t.sdk, p.poolId, 'totp-user');
  const secret = await withAuthenticator(p, 'totp-user');

  const page = await signInAt(p, 'totp-user');
  expectPlainHtml(page.html);
  expect(page.cookie).toBeUndefined();
  expect(hiddenOf(page.html, 'challenge')).toBe('SOFTWARE_TOKEN_MFA');
  expect(textOf(page.html, '#instruction')).toBe('Enter the code from your authenticator app (phone <1>).');
  expect(page.html).toContain('phone &lt;1&gt;');
  expect(parse(page.html!).querySelector('input[name="code"]')?.getAttribute('autocomplete')).toBe('one-time-code');

  const next = totpCodeOf(secret, Date.now() + STEP_MS);
  const wrong = await submit(page.html!, { code: next === '123456' ? '654321' : '123456' });
  expect(textOf(wrong.html, '#error')).toBe('Invalid code received for user');
  expect(hiddenOf(wrong.html, 'session')).toBe(hiddenOf(page.html, 'session'));

  // The code that set the authenticator up was taken already: the next step's is within the drift allowed.
  const done = await submit(wrong.html!, { code: next });
  expect(done.callback?.searchParams.get('code')).toEqual(expect.any(String));
  expect(done.cookie).toMatch(/^cognito=/);
  expect((await reach(authorizeUrl(p), { headers: { cookie: done.cookie! } })).callback).toBeDefined();
});

test('an e-mail code: the page says where it went, and the code from the mailbox signs in', async () => {
  const p = await pool(OPTIONAL_MFA);
  await createUser(t.sdk, p.poolId, 'mail-user', STRONG_PASSWORD, {
    email: 'mail-user@example.com',
    email_verified: 'true',
  });
  await t.sdk.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: p.poolId,
      Username: 'mail-user',
      EmailMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  const page = await signInAt(p, 'mail-user');
  expect(hiddenOf(page.html, 'challenge')).toBe('EMAIL_OTP');
  expect(textOf(page.html, '#instruction')).toBe('We sent a code by e-mail to mail-user@example.com.');
  const [sent] = await t.cognito.codesFor(p.poolId, 'mail-user');
  expect(sent).toMatchObject({ purpose: 'Authentication', deliveryMedium: 'EMAIL' });
  const wrong = await submit(page.html!, { code: sent.code === '000000' ? '111111' : '000000' });
  expect(textOf(wrong.html, '#error')).toBe('Invalid code or auth state for the user.');
  expect((await submit(wrong.html!, { code: sent.code })).callback).toBeDefined();
});

test('several factors and no preference: the user chooses one (SMS here), then answers its code', async () => {
  const p = await pool(OPTIONAL_MFA);
  await createUser(t.sdk, p.poolId, 'chooser', STRONG_PASSWORD, { phone_number: '+15555550100' });
  await withAuthenticator(p, 'chooser');
  await t.sdk.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: p.poolId,
      Username: 'chooser',
      SMSMfaSettings: { Enabled: true },
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
    }),
  );
  const page = await signInAt(p, 'chooser');
  expectPlainHtml(page.html);
  expect(hiddenOf(page.html, 'challenge')).toBe('SELECT_MFA_TYPE');
  const options = parse(page.html!)
    .querySelectorAll('input[name="answer"]')
    .map((i) => i.getAttribute('value'));
  expect(options.sort()).toEqual(['SMS_MFA', 'SOFTWARE_TOKEN_MFA']);

  // An answer the page did not offer is refused with the API's message, escaped.
  const forged = await submit(page.html!, { answer: '<script>x</script>' });
  expect(textOf(forged.html, '#error')).toContain('(received: <script>x</script>)');
  expect(forged.html).toContain('&lt;script&gt;x&lt;/script&gt;');
  expectPlainHtml(forged.html);

  const code = await submit(forged.html!, { answer: 'SMS_MFA' });
  expect(hiddenOf(code.html, 'challenge')).toBe('SMS_MFA');
  expect(textOf(code.html, '#instruction')).toBe('We sent a code by text message to +15555550100.');
  const [sent] = await t.cognito.codesFor(p.poolId, 'chooser');
  expect(sent).toMatchObject({ purpose: 'Authentication', deliveryMedium: 'SMS', destination: '+15555550100' });
  expect((await submit(code.html!, { code: sent.code })).callback).toBeDefined();
});

test('MFA required and none set up: the set-up page shows the secret as text, takes the first code, and the authenticator is the user’s from then on', async () => {
  const p = await pool({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
  await createUser(t.sdk, p.poolId, 'new-to-mfa');
  const page = await signInAt(p, 'new-to-mfa');
  expectPlainHtml(page.html);
  expect(hiddenOf(page.html, 'challenge')).toBe('MFA_SETUP');
  const secret = textOf(page.html, '#secret')!;
  expect(secret).toMatch(/^[A-Z2-7]{52}$/);
  const uri = new URL(textOf(page.html, '#otpauth')!.replace(/&amp;/g, '&'));
  expect(uri.protocol).toBe('otpauth:');
  expect(uri.searchParams.get('secret')).toBe(secret);
  expect(uri.searchParams.get('issuer')).toBe('Orders <staff>');
  expect(page.html).toContain('Orders%20%3Cstaff%3E');

  const now = totpCodeOf(secret);
  const wrong = await submit(page.html!, { code: now === '123456' ? '654321' : '123456' });
  expect(textOf(wrong.html, '#error')).toBe('Code mismatch and fail enable Software Token MFA');
  expect(textOf(wrong.html, '#secret')).toBe(secret);
  const done = await submit(wrong.html!, { code: now });
  expect(done.callback?.searchParams.get('code')).toEqual(expect.any(String));
  expect(await t.sdk.send(new AdminGetUserCommand({ UserPoolId: p.poolId, Username: 'new-to-mfa' }))).toMatchObject({
    UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
  });

  // The next sign-in asks for the app's code, and takes the next step's.
  const again = await signInAt(p, 'new-to-mfa');
  expect(hiddenOf(again.html, 'challenge')).toBe('SOFTWARE_TOKEN_MFA');
  expect((await submit(again.html!, { code: totpCodeOf(secret, Date.now() + STEP_MS) })).callback).toBeDefined();
});

test('a forged or used Session is answered with the sign-in form and the API’s expired-session message', async () => {
  const p = await pool(OPTIONAL_MFA);
  await createUser(t.sdk, p.poolId, 'session-user');
  const secret = await withAuthenticator(p, 'session-user');
  const page = await signInAt(p, 'session-user');
  const forged = page.html!.replace(/name="session" value="[^"]*"/, 'name="session" value="forged"');
  const refused = await submit(forged, { code: totpCodeOf(secret, Date.now() + STEP_MS) });
  expect(textOf(refused.html, '#error')).toBe('Invalid session for the user, session is expired. Sign in again.');
  expect(parse(refused.html!).querySelector('input[name="password"]')).not.toBeNull();

  const done = await submit(page.html!, { code: totpCodeOf(secret, Date.now() + STEP_MS) });
  expect(done.callback).toBeDefined();
  const replayed = await submit(page.html!, { code: totpCodeOf(secret, Date.now() + STEP_MS) });
  expect(textOf(replayed.html, '#error')).toBe('Invalid session for the user, session is expired. Sign in again.');
});

// The hosted UI's sign-up over real HTTP, driven as a browser would (redirects followed by hand, cookies
// carried): /signup, /confirm and /resendcode. The paths and how each is reached are the developer guide's,
// "User-interactive managed login and classic hosted UI endpoints"
// (https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-endpoints.html): /signup "with the
// same parameters as /oauth2/authorize", /confirm "redirect only from /signup", /resendcode from /confirm's
// "Send a new code". The messages are the API's own (SignUp, ConfirmSignUp: the API reference). Unverified,
// so only local behaviour is asserted: the status of a refused form, the page of an admin-only pool and of
// a pool that sends no code, and signing in straight after /confirm.
import {
  ConfirmSignUpCommand,
  type OAuthFlowType,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { parse } from 'node-html-parser';
import {
  createClient,
  createPool,
  createUser,
  decodeJwtParts,
  failureOf,
  startTestCognito,
  STRONG_PASSWORD,
  type TestCognito,
} from '../test-support';

let t: TestCognito;
let poolId: string;
let spa: string;
const CALLBACK = 'https://app.example.com/callback';
/** A client that signs people in at the hosted UI with `flows`. */
const oauth = (flows: OAuthFlowType[] = ['code']) => ({
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: flows,
  AllowedOAuthScopes: ['openid', 'email'],
  CallbackURLs: [CALLBACK],
  SupportedIdentityProviders: ['COGNITO'],
});

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk, {
    UsernameAttributes: ['email'],
    AutoVerifiedAttributes: ['email'],
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
  });
  spa = (await createClient(t.sdk, poolId, oauth(['code', 'implicit']))).ClientId!;
});
afterAll(() => t.stop());

/** A browser's cookies for the local Cognito's origin. */
class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly origin: string) {}

  async request(url: string, init: { form?: Record<string, string> } = {}): Promise<Response> {
    const response = await fetch(new URL(url, this.origin), {
      method: init.form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form) : undefined,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      if (attributes.some((a) => a.trim() === 'Max-Age=0')) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  has(name: string): boolean {
    return this.cookies.has(name);
  }
}

/** The page's form (the first, or the one posting to `path`): its action and its fields. */
function formOf(html: string, path?: string): { action: string; fields: Record<string, string> } {
  const forms = parse(html).querySelectorAll('form');
  const form = path ? forms.find((f) => (f.getAttribute('action') ?? '').startsWith(path)) : forms[0];
  if (!form) throw new Error(`no form${path ? ` posting to ${path}` : ''} in ${html}`);
  const fields: Record<string, string> = {};
  for (const input of form.querySelectorAll('input'))
    fields[input.getAttribute('name')!] = input.getAttribute('value') ?? '';
  return { action: form.getAttribute('action')!, fields };
}

function errorOf(html: string): string | undefined {
  return parse(html).querySelector('#error')?.text;
}

/** An authorization request, its parameters in the order the pages carry them (authorizeParamsOf). */
function query(params: Record<string, string> = {}, client = spa): string {
  return new URLSearchParams({
    client_id: client,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid email',
    ...params,
  }).toString();
}

async function codeOf(username: string, pool = poolId): Promise<string> {
  const response = await fetch(`${t.cognito.url}/_local/codes?${new URLSearchParams({ poolId: pool, username })}`);
  const { codes } = (await response.json()) as { codes: { code: string; purpose: string }[] };
  return codes.find((c) => c.purpose === 'SignUp' || c.purpose === 'ResendCode')!.code;
}

/** GET /signup, then its form posted with `values`; the answer to the POST. */
async function signUp(browser: Browser, q: string, values: Record<string, string>): Promise<Response> {
  const page = await browser.request(`/signup?${q}`);
  expect(page.status).toBe(200);
  const form = formOf(await page.text());
  return browser.request(form.action, { form: { ...form.fields, ...values } });
}

test('sign up, confirm with the mailed code, land on the callback with a code and state, signed in', async () => {
  const browser = new Browser(t.cognito.url);
  const email = 'signup-flow@example.com';
  // /login links to /signup with the same authorization request.
  const login = parse(await (await browser.request(`/login?${query({ state: 'st-1' })}`)).text());
  const link = login.querySelector('#sign-up')!.getAttribute('href')!;
  expect(link).toBe(`/signup?${query({ state: 'st-1' })}`);

  const created = await signUp(browser, query({ state: 'st-1' }), { username: email, password: STRONG_PASSWORD });
  expect(created.status).toBe(302);
  const confirmUrl = new URL(created.headers.get('location')!, t.cognito.url);
  expect(confirmUrl.pathname).toBe('/confirm');
  expect(confirmUrl.searchParams.get('username')).toBe(email);
  expect(confirmUrl.searchParams.get('state')).toBe('st-1');

  const confirmHtml = await (await browser.request(`${confirmUrl.pathname}${confirmUrl.search}`)).text();
  const page = parse(confirmHtml);
  expect(page.querySelector('#instruction')!.text).toBe(
    `We have sent a code by e-mail to ${email}. Enter it below to confirm your account.`,
  );
  // The page says where the local stack keeps the code: the mailbox's own endpoint.
  expect(page.querySelector('#mailbox a')!.getAttribute('href')).toBe(
    `/_local/codes?${new URLSearchParams({ poolId, username: email })}`,
  );

  const form = formOf(confirmHtml, '/confirm');
  const done = await browser.request(form.action, { form: { ...form.fields, code: await codeOf(email) } });
  expect(done.status).toBe(302);
  const location = new URL(done.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
  expect(location.searchParams.get('state')).toBe('st-1');
  expect(location.searchParams.get('code')).toBeTruthy();
  // The session cookie is set as after /login, and the sign-up's own cookie is gone.
  expect(browser.has('cognito')).toBe(true);
  expect(browser.has('cognito-signup')).toBe(false);
  const again = await browser.request(`/oauth2/authorize?${query({ state: 'st-2' })}`);
  expect(new URL(again.headers.get('location')!).searchParams.get('code')).toBeTruthy();

  // The code went to the address the user gave, which ConfirmSignUp verified.
  const tokens = (await (
    await fetch(t.cognito.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: spa,
        code: location.searchParams.get('code')!,
        redirect_uri: CALLBACK,
      }),
    })
  ).json()) as { id_token: string };
  expect(decodeJwtParts(tokens.id_token).payload).toMatchObject({ email, email_verified: true, aud: spa });
});

test('the implicit flow ends with the tokens in the fragment', async () => {
  const browser = new Browser(t.cognito.url);
  const email = 'signup-implicit@example.com';
  const q = query({ response_type: 'token', state: 'imp', nonce: 'n-1' });
  const created = await signUp(browser, q, { username: email, password: STRONG_PASSWORD });
  const confirmHtml = await (await browser.request(created.headers.get('location')!)).text();
  const form = formOf(confirmHtml, '/confirm');
  const done = await browser.request(form.action, { form: { ...form.fields, code: await codeOf(email) } });
  const fragment = new URLSearchParams(new URL(done.headers.get('location')!).hash.slice(1));
  expect(fragment.get('state')).toBe('imp');
  expect(decodeJwtParts(fragment.get('id_token')!).payload).toMatchObject({ nonce: 'n-1', email });
});

test('/signup checks the authorization request as /login does', async () => {
  const browser = new Browser(t.cognito.url);
  for (const bad of [query({ redirect_uri: 'https://evil.example.com/cb' }), query({ client_id: 'no-such-client' })]) {
    const response = await browser.request(`/signup?${bad}`);
    expect([response.status, response.headers.get('location')]).toEqual([400, null]);
  }
  const scope = await browser.request(`/signup?${query({ scope: 'openid phone', state: 's' })}`);
  expect(scope.status).toBe(302);
  expect(Object.fromEntries(new URL(scope.headers.get('location')!).searchParams)).toEqual({
    error: 'invalid_scope',
    state: 's',
  });
});

test("errors show the form again with the API's message: a taken username, a weak password", async () => {
  const browser = new Browser(t.cognito.url);
  await createUser(t.sdk, poolId, 'taken@example.com', STRONG_PASSWORD, { email: 'taken@example.com' });
  const apiRefusal = await failureOf(
    t.sdk.send(new SignUpCommand({ ClientId: spa, Username: 'taken@example.com', Password: STRONG_PASSWORD })),
  );
  expect(apiRefusal.name).toBe('UsernameExistsException');
  const taken = await signUp(browser, query(), { username: 'taken@example.com', password: STRONG_PASSWORD });
  expect(taken.status).toBe(400);
  const takenHtml = await taken.text();
  expect(errorOf(takenHtml)).toBe(apiRefusal.message);
  // What was typed stays, the password excepted.
  expect(formOf(takenHtml).fields).toEqual({ username: 'taken@example.com', password: '' });

  const weak = await signUp(browser, query(), { username: 'weak@example.com', password: 'short' });
  expect(weak.status).toBe(400);
  expect(errorOf(await weak.text())).toBe('Password did not conform with policy: Password not long enough');
  const noSymbol = await signUp(browser, query(), { username: 'weak@example.com', password: 'Abcdefgh1' });
  expect(errorOf(await noSymbol.text())).toBe(
    'Password did not conform with policy: Password must have symbol characters',
  );
});

test('a wrong code shows CodeMismatchException\'s message; "Send a new code" mails another that works', async () => {
  const browser = new Browser(t.cognito.url);
  const email = 'signup-resend@example.com';
  const created = await signUp(browser, query(), { username: email, password: STRONG_PASSWORD });
  const confirmHtml = await (await browser.request(created.headers.get('location')!)).text();
  const first = await codeOf(email);
  const form = formOf(confirmHtml, '/confirm');
  const wrong = await browser.request(form.action, {
    form: { ...form.fields, code: first === '000000' ? '111111' : '000000' },
  });
  expect(wrong.status).toBe(400);
  expect(errorOf(await wrong.text())).toBe('Invalid verification code provided, please try again.');

  const resend = formOf(confirmHtml, '/resendcode');
  const resent = await browser.request(resend.action, { form: resend.fields });
  expect(resent.status).toBe(200);
  const resentHtml = await resent.text();
  expect(parse(resentHtml).querySelector('#notice')!.text).toBe('We have sent you a new code.');
  const second = await codeOf(email);
  const retry = formOf(resentHtml, '/confirm');
  const done = await browser.request(retry.action, { form: { ...retry.fields, code: second } });
  expect(new URL(done.headers.get('location')!).searchParams.get('code')).toBeTruthy();
});

test('a pool where only administrators create users refuses sign-up, and /login offers none', async () => {
  const adminOnly = await createPool(t.sdk, {
    UsernameAttributes: ['email'],
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
  });
  const client = (await createClient(t.sdk, adminOnly, oauth())).ClientId!;
  const browser = new Browser(t.cognito.url);
  const page = await browser.request(`/signup?${query({}, client)}`);
  expect(page.status).toBe(400);
  const html = await page.text();
  expect(errorOf(html)).toBe('SignUp is not permitted for this user pool');
  expect(parse(html).querySelector('form')).toBeNull();
  const posted = await browser.request(`/signup?${query({}, client)}`, {
    form: { username: 'sneaky@example.com', password: STRONG_PASSWORD },
  });
  expect(posted.status).toBe(400);
  expect(
    await failureOf(
      t.sdk.send(new ConfirmSignUpCommand({ ClientId: client, Username: 'sneaky@example.com', ConfirmationCode: '1' })),
    ),
  ).toMatchObject({ name: 'UserNotFoundException' });
  const login = parse(await (await browser.request(`/login?${query({}, client)}`)).text());
  expect(login.querySelector('#sign-up')).toBeNull();
});

test("a username pool asks for the username and the pool's required and auto-verified attributes", async () => {
  const pool = await createPool(t.sdk, {
    AutoVerifiedAttributes: ['email'],
    Schema: [{ Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true }],
  });
  const client = (await createClient(t.sdk, pool, oauth())).ClientId!;
  const browser = new Browser(t.cognito.url);
  const page = parse(await (await browser.request(`/signup?${query({}, client)}`)).text());
  const labels = page
    .querySelectorAll('label')
    .map((l) => [l.text.trim(), l.querySelector('input')!.getAttribute('name')]);
  expect(labels).toEqual([
    ['Username', 'username'],
    ['Name', 'name'],
    ['Email', 'email'],
    ['Password', 'password'],
  ]);
  const missing = await signUp(browser, query({}, client), {
    username: 'jane',
    password: STRONG_PASSWORD,
    email: 'jane@example.com',
  });
  // The API's own refusal (self-sign-up.ts), its lines ending in a newline as Cognito's do.
  expect(errorOf(await missing.text())?.trim()).toBe(
    'Attributes did not conform to the schema: name: The attribute is required',
  );
  const created = await signUp(browser, query({}, client), {
    username: 'jane',
    password: STRONG_PASSWORD,
    email: 'jane@example.com',
    name: 'Jane',
  });
  expect(created.status).toBe(302);
  const confirmHtml = await (await browser.request(created.headers.get('location')!)).text();
  const form = formOf(confirmHtml, '/confirm');
  const done = await browser.request(form.action, { form: { ...form.fields, code: await codeOf('jane', pool) } });
  const code = new URL(done.headers.get('location')!).searchParams.get('code')!;
  const tokens = (await (
    await fetch(t.cognito.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: client, code, redirect_uri: CALLBACK }),
    })
  ).json()) as { id_token: string };
  expect(decodeJwtParts(tokens.id_token).payload).toMatchObject({
    'cognito:username': 'jane',
    name: 'Jane',
    email: 'jane@example.com',
  });
});

test('a confidential client signs up through the hosted UI, which computes the SecretHash itself', async () => {
  const client = await createClient(t.sdk, poolId, { ...oauth(), GenerateSecret: true });
  const browser = new Browser(t.cognito.url);
  const email = 'signup-secret@example.com';
  const created = await signUp(browser, query({}, client.ClientId!), { username: email, password: STRONG_PASSWORD });
  expect(created.status).toBe(302);
  const confirmHtml = await (await browser.request(created.headers.get('location')!)).text();
  const form = formOf(confirmHtml, '/confirm');
  const done = await browser.request(form.action, { form: { ...form.fields, code: await codeOf(email) } });
  expect(new URL(done.headers.get('location')!).searchParams.get('code')).toBeTruthy();
});

test('confirmed in another browser (no sign-up cookie): on to /login, where the new password signs in', async () => {
  const email = 'signup-elsewhere@example.com';
  const created = await signUp(new Browser(t.cognito.url), query(), { username: email, password: STRONG_PASSWORD });
  const other = new Browser(t.cognito.url);
  const confirmHtml = await (await other.request(created.headers.get('location')!)).text();
  // Without the sign-up's cookie the page knows nothing of the delivery but the username from the query.
  expect(parse(confirmHtml).querySelector('#instruction')!.text).toBe(
    'Enter the code we sent you to confirm your account.',
  );
  const form = formOf(confirmHtml, '/confirm');
  const done = await other.request(form.action, { form: { ...form.fields, code: await codeOf(email) } });
  expect(done.status).toBe(302);
  const login = new URL(done.headers.get('location')!, t.cognito.url);
  expect(`${login.pathname}?${login.searchParams}`).toBe(`/login?${query()}`);
  const signIn = formOf(await (await other.request(`${login.pathname}${login.search}`)).text());
  const signedIn = await other.request(signIn.action, { form: { username: email, password: STRONG_PASSWORD } });
  expect(new URL(signedIn.headers.get('location')!).searchParams.get('code')).toBeTruthy();
});

test('a pool that verifies nothing sends no code: the page says an administrator confirms the account', async () => {
  const pool = await createPool(t.sdk, { UsernameAttributes: ['email'] });
  const client = (await createClient(t.sdk, pool, oauth())).ClientId!;
  const created = await signUp(new Browser(t.cognito.url), query({}, client), {
    username: 'unverified@example.com',
    password: STRONG_PASSWORD,
  });
  expect(created.status).toBe(200);
  const page = parse(await created.text());
  expect(page.querySelector('#notice')!.text).toContain('an administrator must confirm it (AdminConfirmSignUp)');
  expect(page.querySelector('#next')!.getAttribute('href')).toBe(`/login?${query({}, client)}`);
});

test("a pool that requires MFA: after /confirm the new user sets up an authenticator, as /login's steps ask", async () => {
  const pool = await createPool(t.sdk, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
  await t.sdk.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: pool,
      MfaConfiguration: 'ON',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  const client = (await createClient(t.sdk, pool, oauth())).ClientId!;
  const browser = new Browser(t.cognito.url);
  const email = 'signup-mfa@example.com';
  const created = await signUp(browser, query({}, client), { username: email, password: STRONG_PASSWORD });
  const confirmHtml = await (await browser.request(created.headers.get('location')!)).text();
  const form = formOf(confirmHtml, '/confirm');
  const step = await browser.request(form.action, { form: { ...form.fields, code: await codeOf(email, pool) } });
  expect(step.status).toBe(200);
  const html = await step.text();
  expect(parse(html).querySelector('#secret')!.text).toMatch(/^[A-Z2-7]+$/);
  expect(formOf(html).fields.challenge).toBe('MFA_SETUP');
  expect(formOf(html).action).toBe(`/login?${query({}, client)}`);
});

test('every value echoed in the pages is escaped', async () => {
  const hostile = '"><script>alert(1)</script>';
  const browser = new Browser(t.cognito.url);
  const signUpHtml = await (await browser.request(`/signup?${query({ state: hostile })}`)).text();
  expect(signUpHtml).not.toContain('<script>');
  const refused = await signUp(browser, query({ state: hostile }), { username: hostile, password: STRONG_PASSWORD });
  const refusedHtml = await refused.text();
  expect(refused.status).toBe(400);
  expect(errorOf(refusedHtml)).toBe('Username should be an email.');
  expect(refusedHtml).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  expect(refusedHtml).not.toContain('<script>');
  const confirmHtml = await (await browser.request(`/confirm?${query({ state: hostile, username: hostile })}`)).text();
  expect(confirmHtml).not.toContain('<script>');
  expect(formOf(confirmHtml, '/confirm').fields.username).toBe(hostile);
});

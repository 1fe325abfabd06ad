// A user's tokens through the hosted UI's authorization-code flow with PKCE: the only way a *user* gets an
// access token with custom scopes (InitiateAuth gives aws.cognito.signin.user.admin only). Plain HTTP drives
// a server-rendered sign-in form (the local hosted UI, Cognito's classic hosted UI) and, for the harness's own
// test user, the MFA pages after it (an authenticator-app code, or setting one up when the pool requires MFA:
// mfa.ts); `browser` drives any page, the managed login included, in headless Chromium.
import { createHash, randomBytes } from 'node:crypto';
import { parse } from 'node-html-parser';
import { sendWithRetry } from './http';
import { catchRedirect, launchChromium } from './browser';
import { keepEnrolled, nextCode, type Authenticator, type AuthenticatorHolder } from './mfa';

export interface CodeFlowClient {
  id: string;
  /** Sent with HTTP Basic at the token endpoint when the client has one. */
  secret?: string;
  redirectUri: string;
  scopes: string[];
}

export interface CodeFlowUser {
  username: string;
  password: string;
  /** The test user's authenticator, so the form driver answers the hosted UI's TOTP pages (mfa.ts). */
  mfa?: AuthenticatorHolder;
}

export interface OAuthTokens {
  idToken?: string;
  accessToken: string;
  refreshToken?: string;
  expiresIn?: number;
}

export type SignInDriver = 'form' | 'browser';

const MAX_REDIRECTS = 8;

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: base64url(createHash('sha256').update(verifier).digest()) };
}

export function authorizeUrl(origin: string, client: CodeFlowClient, state: string, challenge: string): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.id,
    redirect_uri: client.redirectUri,
    scope: client.scopes.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${origin}/oauth2/authorize?${query.toString()}`;
}

/** Cookies the hosted UI sets (its CSRF cookie above all), sent back on every request. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** Where the redirect chain reached the client's redirect URI: the query of that URL. */
function callbackParams(location: string, redirectUri: string): URLSearchParams | undefined {
  return location.startsWith(redirectUri) ? new URL(location).searchParams : undefined;
}

async function followUntilPageOrCallback(
  url: string,
  jar: CookieJar,
  redirectUri: string,
  init: RequestInit = {},
): Promise<{ page?: { url: string; html: string }; callback?: URLSearchParams }> {
  let current = url;
  let request: RequestInit = init;
  for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
    const response = await fetch(current, {
      ...request,
      redirect: 'manual',
      headers: { ...(request.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, current).toString();
      const callback = callbackParams(next, redirectUri);
      if (callback) return { callback };
      current = next;
      request = {};
      continue;
    }
    const html = await response.text();
    if (response.status !== 200)
      throw new Error(
        `the hosted UI answered ${response.status} at ${new URL(current).pathname}: ${html.slice(0, 200)}`,
      );
    return { page: { url: current, html } };
  }
  throw new Error(`the hosted UI redirected more than ${MAX_REDIRECTS} times`);
}

type Reached = Awaited<ReturnType<typeof followUntilPageOrCallback>>;
type Form = ReturnType<typeof parse>;

/** Submits `form` of `page` with its hidden fields and `values`. */
function submitForm(
  page: { url: string; html: string },
  form: Form,
  values: Record<string, string>,
  jar: CookieJar,
  redirectUri: string,
): Promise<Reached> {
  const fields = new URLSearchParams();
  for (const input of form.querySelectorAll('input')) {
    const name = input.getAttribute('name');
    if (!name) continue;
    if (Object.hasOwn(values, name)) fields.set(name, values[name]);
    else if ((input.getAttribute('type') ?? 'text') === 'hidden') fields.set(name, input.getAttribute('value') ?? '');
  }
  for (const [name, value] of Object.entries(values)) if (!fields.has(name)) fields.set(name, value);
  const action = new URL(form.getAttribute('action') ?? page.url, page.url).toString();
  return followUntilPageOrCallback(action, jar, redirectUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
}

function errorOn(doc: Form): string | undefined {
  return doc.querySelector('.error, #error, [role="alert"]')?.text.trim() || undefined;
}

/** The authenticator secret a set-up page shows: as text (#secret) or in an otpauth URI. */
function secretOn(doc: Form): string | undefined {
  const shown = doc.querySelector('#secret')?.text.trim();
  if (shown && /^[A-Z2-7]+=*$/i.test(shown)) return shown.toUpperCase();
  const uri = /otpauth:\/\/totp\/[^\s"<]*/.exec(doc.text)?.[0];
  return uri ? (new URL(uri.replace(/&amp;/g, '&')).searchParams.get('secret') ?? undefined) : undefined;
}

/**
 * Answers one MFA page for the test user: chooses the authenticator app, sets one up (only with `enrol`, for
 * the harness's own user) or enters its code. Throws, naming the step, for anything else.
 */
async function answerMfaPage(
  page: { url: string; html: string },
  mfa: AuthenticatorHolder | undefined,
  jar: CookieJar,
  redirectUri: string,
): Promise<Reached> {
  const doc = parse(page.html);
  const form = doc
    .querySelectorAll('form')
    .find((f) => f.querySelector('input[name="code"], input[autocomplete="one-time-code"], input[name="answer"]'));
  const message = errorOn(doc);
  if (!form) throw new Error(`signing in at the hosted UI did not reach the callback${message ? `: ${message}` : ''}`);
  const step = form.querySelector('input[name="challenge"]')?.getAttribute('value') ?? 'an MFA step';
  // A step page showing an error is the hosted UI refusing the answer just sent.
  if (message) throw new Error(`the hosted UI refused the harness's answer to ${step}: ${message}`);
  const cannot = (why: string) =>
    new Error(
      `the hosted UI asks for ${step}, ${why} (the harness answers TOTP pages for its own test user only: use a user without a password change, SMS or e-mail MFA)`,
    );
  const codeField =
    form.querySelector('input[autocomplete="one-time-code"]')?.getAttribute('name') ??
    form.querySelector('input[name="code"]')?.getAttribute('name') ??
    'code';

  if (form.querySelector('input[name="answer"]')) {
    if (!mfa?.authenticator || !form.querySelector('input[name="answer"][value="SOFTWARE_TOKEN_MFA"]'))
      throw cannot('a choice of factor without an authenticator app the harness holds');
    return submitForm(page, form, { answer: 'SOFTWARE_TOKEN_MFA' }, jar, redirectUri);
  }
  const secret = secretOn(doc);
  if (secret) {
    if (!mfa?.enrol) throw cannot('setting up an authenticator app');
    mfa.redact(secret);
    const authenticator: Authenticator = { secret };
    const reached = await submitForm(page, form, { [codeField]: await nextCode(authenticator, mfa) }, jar, redirectUri);
    if (reached.callback) keepEnrolled(mfa, authenticator, ' at the hosted UI');
    return reached;
  }
  if (!mfa?.authenticator || (step !== 'SOFTWARE_TOKEN_MFA' && step !== 'an MFA step'))
    throw cannot('a code the harness has no way to know');
  const code = await nextCode(mfa.authenticator, mfa);
  mfa.log?.(
    `answered the hosted UI's SOFTWARE_TOKEN_MFA page for client "${mfa.clientName}" with a TOTP code the harness computed`,
  );
  return submitForm(page, form, { [codeField]: code }, jar, redirectUri);
}

/** Fills the page's sign-in form (the one with a password field), submits it, and answers the MFA pages after it. */
async function submitSignInForm(
  page: { url: string; html: string },
  user: CodeFlowUser,
  jar: CookieJar,
  redirectUri: string,
): Promise<URLSearchParams> {
  const signInForm = (html: string) =>
    parse(html)
      .querySelectorAll('form')
      .find((f) => f.querySelector('input[name="password"]'));
  const form = signInForm(page.html);
  if (!form)
    throw new Error(
      `no sign-in form with a password field at ${new URL(page.url).pathname} (a managed-login page needs --hosted-ui-browser)`,
    );
  let reached = await submitForm(page, form, { username: user.username, password: user.password }, jar, redirectUri);
  for (let round = 0; round < 3 && !reached.callback; round++) {
    const current = reached.page!;
    if (signInForm(current.html)) {
      const message = errorOn(parse(current.html));
      throw new Error(`signing in at the hosted UI did not reach the callback${message ? `: ${message}` : ''}`);
    }
    reached = await answerMfaPage(current, user.mfa, jar, redirectUri);
  }
  if (reached.callback) return reached.callback;
  throw new Error('signing in at the hosted UI did not reach the callback after three MFA pages');
}

/** Drives the sign-in page in headless Chromium (contract-tests/browser.ts finds one) and catches the callback. */
async function browserSignIn(authorize: string, user: CodeFlowUser, redirectUri: string): Promise<URLSearchParams> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const callbackSeen = await catchRedirect(page, new URL(authorize).origin, redirectUri);
    await page.goto(authorize);
    await page.locator('input[name="username"]:visible').first().fill(user.username);
    await page.locator('input[name="password"]:visible').first().fill(user.password);
    await page.locator('input[name="password"]:visible').first().press('Enter');
    const deadline = Date.now() + 30_000;
    while (!callbackSeen() && Date.now() < deadline) await page.waitForTimeout(50);
    const callback = callbackSeen();
    if (!callback) throw new Error('the browser did not reach the callback URL within 30 s');
    return callback.searchParams;
  } finally {
    await browser.close();
  }
}

/**
 * Signs `user` in through the hosted UI at `origin` (the token endpoint's origin) for `client`, with PKCE,
 * and exchanges the code at the token endpoint.
 */
export async function codeFlowTokens(
  origin: string,
  client: CodeFlowClient,
  user: CodeFlowUser,
  driver: SignInDriver = 'form',
): Promise<OAuthTokens> {
  const { verifier, challenge } = pkcePair();
  const state = base64url(randomBytes(16));
  const authorize = authorizeUrl(origin, client, state, challenge);
  let callback: URLSearchParams;
  if (driver === 'browser') callback = await browserSignIn(authorize, user, client.redirectUri);
  else {
    const jar = new CookieJar();
    const reached = await followUntilPageOrCallback(authorize, jar, client.redirectUri);
    callback = reached.callback ?? (await submitSignInForm(reached.page!, user, jar, client.redirectUri));
  }
  if (callback.get('error'))
    throw new Error(
      `the hosted UI refused the sign-in: ${callback.get('error')}${callback.get('error_description') ? ` (${callback.get('error_description')})` : ''}`,
    );
  if (callback.get('state') !== state) throw new Error('the hosted UI returned another state than it was sent');
  const code = callback.get('code');
  if (!code) throw new Error('the hosted UI returned to the callback without a code');

  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.secret) headers.authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  const response = await sendWithRetry({
    method: 'POST',
    url: `${origin}/oauth2/token`,
    headers,
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: client.id,
      code,
      redirect_uri: client.redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  let parsed: {
    access_token?: unknown;
    id_token?: unknown;
    refresh_token?: unknown;
    expires_in?: unknown;
    error?: unknown;
  } = {};
  try {
    parsed = JSON.parse(response.bodyText) as typeof parsed;
  } catch {
    // Reported below with the status.
  }
  if (response.status !== 200 || typeof parsed.access_token !== 'string')
    throw new Error(
      `the token endpoint refused the authorization code: ${response.status} ${typeof parsed.error === 'string' ? parsed.error : 'without an access token'}`,
    );
  return {
    accessToken: parsed.access_token,
    idToken: typeof parsed.id_token === 'string' ? parsed.id_token : undefined,
    refreshToken: typeof parsed.refresh_token === 'string' ? parsed.refresh_token : undefined,
    expiresIn: typeof parsed.expires_in === 'number' ? parsed.expires_in : undefined,
  };
}

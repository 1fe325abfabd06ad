// The local hosted UI over real HTTP, as a browser and an OIDC client drive it: /oauth2/authorize, /login,
// the code exchange at /oauth2/token with PKCE, the implicit flow, /oauth2/userInfo and /logout.
import { AdminDisableUserCommand, InitiateAuthCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  createClient,
  createPool,
  createResourceServer,
  createUser,
  decodeJwtParts,
  startTestCognito,
  STRONG_PASSWORD,
  type TestCognito,
} from '../test-support';

let t: TestCognito;
let poolId: string;
let spa: string;
let confidential: { id: string; secret: string };
let codeOnly: string;
const CALLBACK = 'https://app.example.com/callback';
const LOGOUT = 'https://app.example.com/bye';
const EMAIL = 'browser-user@example.com';

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
  await createResourceServer(t.sdk, poolId, 'pets', ['read', 'write']);
  const oauth = {
    AllowedOAuthFlowsUserPoolClient: true,
    CallbackURLs: [CALLBACK],
    LogoutURLs: [LOGOUT],
    SupportedIdentityProviders: ['COGNITO'],
  };
  spa = (
    await createClient(t.sdk, poolId, {
      ...oauth,
      AllowedOAuthFlows: ['code', 'implicit'],
      AllowedOAuthScopes: ['openid', 'email', 'pets/read'],
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    })
  ).ClientId!;
  const server = await createClient(t.sdk, poolId, {
    ...oauth,
    GenerateSecret: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'pets/write'],
  });
  confidential = { id: server.ClientId!, secret: server.ClientSecret! };
  codeOnly = (
    await createClient(t.sdk, poolId, { ...oauth, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'] })
  ).ClientId!;
  await createUser(t.sdk, poolId, EMAIL, STRONG_PASSWORD, { email_verified: 'true' });
});
afterAll(() => t.stop());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${t.cognito.url}${path}`, { redirect: 'manual', headers });

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeQuery(params: Record<string, string>): string {
  return new URLSearchParams({ client_id: spa, redirect_uri: CALLBACK, response_type: 'code', ...params }).toString();
}

/** Follows /oauth2/authorize to the login form and submits it; returns the final redirect and the session cookie. */
async function signInThroughBrowser(
  query: string,
  username = EMAIL,
  password = STRONG_PASSWORD,
): Promise<{ location: URL; cookie: string; response: Response }> {
  const authorize = await get(`/oauth2/authorize?${query}`);
  expect(authorize.status).toBe(302);
  const loginUrl = new URL(authorize.headers.get('location')!, t.cognito.url);
  expect(loginUrl.pathname).toBe('/login');
  const form = await fetch(loginUrl, { redirect: 'manual' });
  expect(form.status).toBe(200);
  const html = await form.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
  const response = await fetch(new URL(action, t.cognito.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }),
  });
  const location = response.headers.get('location');
  return {
    location: new URL(location ?? 'about:blank', t.cognito.url),
    cookie: (response.headers.get('set-cookie') ?? '').split(';')[0],
    response,
  };
}

function exchange(form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(t.cognito.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
}

test('code flow with PKCE: state echoed, code exchanged once for tokens carrying the requested custom scopes and the nonce', async () => {
  const { verifier, challenge } = pkce();
  const { location } = await signInThroughBrowser(
    authorizeQuery({
      scope: 'openid email pets/read',
      state: 'st-123',
      nonce: 'n-456',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }),
  );
  expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
  expect(location.searchParams.get('state')).toBe('st-123');
  const code = location.searchParams.get('code')!;

  const response = await exchange({
    grant_type: 'authorization_code',
    client_id: spa,
    code,
    redirect_uri: CALLBACK,
    code_verifier: verifier,
  });
  expect(response.status).toBe(200);
  const tokens = (await response.json()) as {
    id_token: string;
    access_token: string;
    refresh_token: string;
    expires_in: number;
    token_type: string;
  };
  expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
  const keys = createRemoteJWKSet(new URL(t.cognito.jwksUrlOf(poolId)));
  const id = await jwtVerify(tokens.id_token, keys, { issuer: t.cognito.issuerOf(poolId), audience: spa });
  expect(id.payload).toMatchObject({ nonce: 'n-456', email: EMAIL, token_use: 'id' });
  const access = await jwtVerify(tokens.access_token, keys, { issuer: t.cognito.issuerOf(poolId) });
  expect((access.payload.scope as string).split(' ').sort()).toEqual(['email', 'openid', 'pets/read']);

  // Refreshing keeps the sign-in's scopes.
  const refreshed = (await (
    await exchange({ grant_type: 'refresh_token', client_id: spa, refresh_token: tokens.refresh_token })
  ).json()) as { access_token: string };
  expect(decodeJwtParts(refreshed.access_token).payload.scope).toBe(access.payload.scope);

  const again = await exchange({
    grant_type: 'authorization_code',
    client_id: spa,
    code,
    redirect_uri: CALLBACK,
    code_verifier: verifier,
  });
  expect([again.status, await again.json()]).toEqual([400, { error: 'invalid_grant' }]);
});

test('a wrong code_verifier, another redirect_uri or another client is invalid_grant', async () => {
  for (const spoil of [
    { code_verifier: pkce().verifier },
    { redirect_uri: 'https://app.example.com/other' },
    { client_id: codeOnly },
  ]) {
    const { verifier, challenge } = pkce();
    const { location } = await signInThroughBrowser(
      authorizeQuery({ code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    const form = {
      grant_type: 'authorization_code',
      client_id: spa,
      code: location.searchParams.get('code')!,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
      ...spoil,
    };
    const response = await exchange(form);
    expect([response.status, await response.json()]).toEqual([400, { error: 'invalid_grant' }]);
  }
});

test('a code is short-lived: past five minutes it is invalid_grant', async () => {
  const { location } = await signInThroughBrowser(authorizeQuery({}));
  const later = Date.now() + 5 * 60 * 1000 + 1000;
  const clock = jest.spyOn(Date, 'now').mockImplementation(() => later);
  try {
    const response = await exchange({
      grant_type: 'authorization_code',
      client_id: spa,
      code: location.searchParams.get('code')!,
      redirect_uri: CALLBACK,
    });
    expect([response.status, await response.json()]).toEqual([400, { error: 'invalid_grant' }]);
  } finally {
    clock.mockRestore();
  }
});

test('a confidential client exchanges its code only with its secret', async () => {
  const query = new URLSearchParams({
    client_id: confidential.id,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid pets/write',
  }).toString();
  const code = async () => (await signInThroughBrowser(query)).location.searchParams.get('code')!;
  const withoutSecret = await exchange({
    grant_type: 'authorization_code',
    client_id: confidential.id,
    code: await code(),
    redirect_uri: CALLBACK,
  });
  expect([withoutSecret.status, await withoutSecret.json()]).toEqual([400, { error: 'invalid_client' }]);
  const basic = `Basic ${Buffer.from(`${confidential.id}:${confidential.secret}`).toString('base64')}`;
  const ok = await exchange(
    { grant_type: 'authorization_code', code: await code(), redirect_uri: CALLBACK },
    { authorization: basic },
  );
  expect(ok.status).toBe(200);
  expect(decodeJwtParts(((await ok.json()) as { access_token: string }).access_token).payload.scope).toBe(
    'openid pets/write',
  );
});

test('implicit flow: tokens in the fragment with state, no refresh token; no scope asked means all the client may have', async () => {
  const { location } = await signInThroughBrowser(
    authorizeQuery({ response_type: 'token', state: 'imp', nonce: 'n-imp' }),
  );
  expect(location.search).toBe('');
  const fragment = new URLSearchParams(location.hash.slice(1));
  expect(fragment.get('state')).toBe('imp');
  expect(fragment.get('token_type')).toBe('Bearer');
  expect(fragment.get('expires_in')).toBe('3600');
  expect(fragment.has('refresh_token')).toBe(false);
  expect(decodeJwtParts(fragment.get('id_token')!).payload.nonce).toBe('n-imp');
  expect((decodeJwtParts(fragment.get('access_token')!).payload.scope as string).split(' ').sort()).toEqual([
    'email',
    'openid',
    'pets/read',
  ]);
});

describe('authorization errors', () => {
  async function errorRedirect(params: Record<string, string>, client = spa): Promise<URLSearchParams> {
    const response = await get(
      `/oauth2/authorize?${new URLSearchParams({ client_id: client, redirect_uri: CALLBACK, response_type: 'code', state: 'keep-me', ...params })}`,
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    return params.response_type === 'token' ? new URLSearchParams(location.hash.slice(1)) : location.searchParams;
  }

  test('an unregistered redirect_uri or unknown client gets an error page, status 400, never a redirect', async () => {
    for (const query of [
      authorizeQuery({ redirect_uri: 'https://evil.example.com/cb' }),
      authorizeQuery({ client_id: 'no-such-client' }),
      authorizeQuery({ redirect_uri: `${CALLBACK}/` }),
    ]) {
      for (const path of ['/oauth2/authorize', '/login']) {
        const response = await get(`${path}?${query}`);
        expect(response.status).toBe(400);
        expect(response.headers.get('location')).toBeNull();
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      }
    }
  });

  test('a scope the client may not have is error=invalid_scope, with the state', async () => {
    const params = await errorRedirect({ scope: 'openid pets/write' });
    expect([params.get('error'), params.get('state')]).toEqual(['invalid_scope', 'keep-me']);
  });

  test('a flow the client does not allow is error=unauthorized_client (in the fragment for token)', async () => {
    const params = await errorRedirect({ response_type: 'token' }, codeOnly);
    expect([params.get('error'), params.get('state')]).toEqual(['unauthorized_client', 'keep-me']);
  });

  test('an unknown response_type is unsupported_response_type; a PKCE method other than S256 is invalid_request', async () => {
    expect((await errorRedirect({ response_type: 'id_token' })).get('error')).toBe('unsupported_response_type');
    expect(
      (await errorRedirect({ code_challenge: pkce().challenge, code_challenge_method: 'plain' })).get('error'),
    ).toBe('invalid_request');
  });
});

describe('the login form', () => {
  test("a wrong password shows the form again with Cognito's message, and no redirect", async () => {
    const { response } = await signInThroughBrowser(authorizeQuery({}), EMAIL, 'Wrong-Password-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Incorrect username or password.');
  });

  test('an unconfirmed or disabled user is refused', async () => {
    await t.sdk.send(new SignUpCommand({ ClientId: spa, Username: 'pending@example.com', Password: STRONG_PASSWORD }));
    const pending = await signInThroughBrowser(authorizeQuery({}), 'pending@example.com');
    expect(pending.response.headers.get('location')).toBeNull();
    expect(await pending.response.text()).toContain('User is not confirmed.');

    const disabled = await createUser(t.sdk, poolId, 'disabled-browser@example.com');
    await t.sdk.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: disabled }));
    const refused = await signInThroughBrowser(authorizeQuery({}), 'disabled-browser@example.com');
    expect(await refused.response.text()).toContain('User is disabled.');
  });

  test('values from the request are escaped in the page', async () => {
    const hostile = '"><script>alert(1)</script>';
    // The unknown client id is written into the error page as text, so only HTML escaping keeps it inert.
    const refused = await get(
      `/login?${new URLSearchParams({ client_id: hostile, redirect_uri: CALLBACK, response_type: 'code' })}`,
    );
    expect(refused.status).toBe(400);
    const errorHtml = await refused.text();
    expect(errorHtml).toContain('there is no app client &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;.');
    expect(errorHtml).not.toContain('<script>');
    // In the sign-in form the state travels in the form's action, URL-encoded and then attribute-escaped.
    const formHtml = await (await get(`/login?${authorizeQuery({ state: hostile })}`)).text();
    expect(formHtml).toContain(`action="${`/login?${authorizeQuery({ state: hostile })}`.replace(/&/g, '&amp;')}"`);
    expect(formHtml).not.toContain('<script>');
  });
});

test('the session cookie skips the form until /logout, which only goes to a registered sign-out URL', async () => {
  const { cookie } = await signInThroughBrowser(authorizeQuery({}));
  expect(cookie).toMatch(/^cognito=.+/);
  const silent = await get(`/oauth2/authorize?${authorizeQuery({ state: 's2' })}`, { cookie });
  const silentLocation = new URL(silent.headers.get('location')!);
  expect(`${silentLocation.origin}${silentLocation.pathname}`).toBe(CALLBACK);
  expect(silentLocation.searchParams.get('code')).toBeTruthy();

  const refused = await get(
    `/logout?${new URLSearchParams({ client_id: spa, logout_uri: 'https://evil.example.com/' })}`,
    { cookie },
  );
  expect([refused.status, refused.headers.get('location')]).toEqual([400, null]);

  const loggedOut = await get(`/logout?${new URLSearchParams({ client_id: spa, logout_uri: LOGOUT })}`, { cookie });
  expect([loggedOut.status, loggedOut.headers.get('location')]).toEqual([302, LOGOUT]);
  const afterwards = await get(`/oauth2/authorize?${authorizeQuery({})}`, { cookie });
  expect(new URL(afterwards.headers.get('location')!, t.cognito.url).pathname).toBe('/login');
});

describe('/oauth2/userInfo', () => {
  const userInfo = (token?: string) =>
    fetch(`${t.cognito.url}/oauth2/userInfo`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  test("answers an access token from the hosted UI with the user's attributes", async () => {
    const { location } = await signInThroughBrowser(authorizeQuery({ response_type: 'token', scope: 'openid email' }));
    const accessToken = new URLSearchParams(location.hash.slice(1)).get('access_token')!;
    const response = await userInfo(accessToken);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, string>;
    expect(body).toMatchObject({
      email: EMAIL,
      email_verified: 'true',
      username: decodeJwtParts(accessToken).payload.username,
    });
    expect(body.sub).toBeTruthy();
  });

  test('refuses an InitiateAuth access token (no openid scope), a forged one, and none at all', async () => {
    const signedIn = await t.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: spa,
        AuthParameters: { USERNAME: EMAIL, PASSWORD: STRONG_PASSWORD },
      }),
    );
    const apiToken = await userInfo(signedIn.AuthenticationResult!.AccessToken!);
    expect([apiToken.status, await apiToken.json()]).toEqual([
      401,
      { error: 'invalid_token', error_description: 'Access token does not contain openid scope' },
    ]);
    expect((await userInfo('a.b.c')).status).toBe(401);
    expect((await userInfo()).status).toBe(400);
  });
});

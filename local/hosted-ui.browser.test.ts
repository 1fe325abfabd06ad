// The local hosted UI in a real browser (Debian's Chromium, or the npm registry's, through playwright-core;
// nothing downloads a browser): a person signs in, lands on the callback with tokens (implicit) or a code (exchanged with PKCE),
// and calls an ID-token method of pets.yaml with the raw ID token, as the console guide does.
import type { Browser } from 'playwright-core';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { startLocalStack, type LocalStack } from './stack';
import { appProps, SPA_CALLBACK } from '../stack/app-props';
import { codeFlowTokens } from '../contract-tests/hosted-ui';
import { catchRedirect, launchChromium } from '../contract-tests/browser';

const USER = { username: 'browser-user@example.com', password: 'Browser-Test-Passw0rd!' };

let stack: LocalStack;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  stack = await startLocalStack({ spec: 'openapi/pets.yaml' });
  origin = new URL(stack.outputs.token_endpoint).origin;
  const cognito = new CognitoIdentityProviderClient({
    endpoint: stack.outputs.cognito_endpoint,
    region: stack.outputs.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const poolId = stack.outputs.user_pool_id;
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: USER.username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: USER.username },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: USER.username,
      Password: USER.password,
      Permanent: true,
    }),
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function callPets(idToken: string): Promise<number> {
  return (await fetch(`${stack.outputs.api_url}/pets`, { headers: { authorization: idToken } })).status;
}

test("implicit grant: the tokens arrive in the callback's fragment, and the ID token calls GET /pets", async () => {
  const page = await browser.newPage();
  try {
    // Nobody serves the callback here: the browser's request for it is answered by the test.
    const callbackSeen = await catchRedirect(page, origin, SPA_CALLBACK);
    const query = new URLSearchParams({
      response_type: 'token',
      client_id: stack.outputs.clients.spa.id,
      redirect_uri: SPA_CALLBACK,
      scope: 'openid email pets/purchase',
      state: 'implicit-state',
      nonce: 'n-0S6_WzA2Mj',
    });
    await page.goto(`${origin}/oauth2/authorize?${query}`);
    await page.locator('input[name="username"]:visible').first().fill(USER.username);
    await page.locator('input[name="password"]:visible').first().fill(USER.password);
    await page.locator('input[name="password"]:visible').first().press('Enter');
    const deadline = Date.now() + 30_000;
    while (!callbackSeen() && Date.now() < deadline) await page.waitForTimeout(50);
    const fragment = new URLSearchParams(callbackSeen()!.hash.slice(1));
    expect(fragment.get('state')).toBe('implicit-state');
    const idToken = fragment.get('id_token')!;
    expect(decodeJwt(idToken)).toMatchObject({
      token_use: 'id',
      aud: stack.outputs.clients.spa.id,
      email: USER.username,
      nonce: 'n-0S6_WzA2Mj',
    });
    expect(decodeJwt(fragment.get('access_token')!).scope).toContain('pets/purchase');
    expect(await callPets(idToken)).toBe(200);
  } finally {
    await page.close();
  }
});

test('authorization code + PKCE in the browser: the code is exchanged, the ID token calls GET /pets and the access token POST /purchase', async () => {
  const tokens = await codeFlowTokens(
    origin,
    { id: stack.outputs.clients.spa.id, redirectUri: SPA_CALLBACK, scopes: ['openid', 'pets/purchase'] },
    USER,
    'browser',
  );
  expect(await callPets(tokens.idToken!)).toBe(200);
  const purchase = await fetch(`${stack.outputs.api_url}/purchase`, {
    method: 'POST',
    headers: { authorization: tokens.accessToken, 'content-type': 'application/json' },
    body: '{"petId":1}',
  });
  expect(purchase.status).toBe(200);
});

test('an unregistered redirect_uri is refused with an error page, never a redirect', async () => {
  const page = await browser.newPage();
  try {
    let leftTheHostedUi = false;
    await page.route('http://attacker.example/**', (route) => {
      leftTheHostedUi = true;
      return route.abort();
    });
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: stack.outputs.clients.spa.id,
      redirect_uri: 'http://attacker.example/cb',
      scope: 'openid',
      state: 's',
    });
    const response = await page.goto(`${origin}/oauth2/authorize?${query}`);
    expect(response?.status()).toBe(400);
    expect(new URL(page.url()).origin).toBe(origin);
    expect(leftTheHostedUi).toBe(false);
    expect(await page.locator('input[name="password"]').count()).toBe(0);
  } finally {
    await page.close();
  }
});

test('sign-up in the browser: from /login\'s "Sign up" link through /confirm to the callback, the ID token calls GET /pets', async () => {
  // The module links to sign-up only for a pool that lets people sign up (hosted_ui_sign_up_urls).
  const open = await startLocalStack({
    spec: 'openapi/pets.yaml',
    props: { ...appProps('openapi/pets.yaml'), userPool: { adminOnlySignUp: false } },
  });
  const page = await browser.newPage();
  try {
    const openOrigin = new URL(open.outputs.token_endpoint).origin;
    const callbackSeen = await catchRedirect(page, openOrigin, SPA_CALLBACK);
    const email = 'browser-sign-up@example.com';
    await page.goto(open.outputs.hosted_ui_sign_in_url);
    await page.locator('#sign-up').click();
    await page.locator('input[name="username"]:visible').fill(email);
    await page.locator('input[name="password"]:visible').fill(USER.password);
    await page.locator('button[type="submit"]:visible').first().click();
    await page.waitForURL((url) => url.pathname === '/confirm');
    // The code a person would find in their mail, from the local mailbox.
    const mailbox = await fetch(
      `${openOrigin}/_local/codes?${new URLSearchParams({ poolId: open.outputs.user_pool_id, username: email })}`,
    );
    const { codes } = (await mailbox.json()) as { codes: { code: string }[] };
    await page.locator('input[name="code"]').fill(codes[0].code);
    await page.locator('input[name="code"]').press('Enter');
    const deadline = Date.now() + 30_000;
    while (!callbackSeen() && Date.now() < deadline) await page.waitForTimeout(50);
    const code = callbackSeen()!.searchParams.get('code')!;
    const exchanged = await fetch(open.outputs.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: open.outputs.clients.spa.id,
        code,
        redirect_uri: SPA_CALLBACK,
      }),
    });
    const { id_token: idToken } = (await exchanged.json()) as { id_token: string };
    expect(decodeJwt(idToken)).toMatchObject({ email, email_verified: true });
    expect((await fetch(`${open.outputs.api_url}/pets`, { headers: { authorization: idToken } })).status).toBe(200);
  } finally {
    await page.close();
    await open.stop();
  }
});

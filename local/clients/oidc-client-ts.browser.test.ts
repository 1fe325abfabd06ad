// oidc-client-ts, unmodified from npm, in a single-page app in Chromium with web security on: discovery from
// the pool's openid-configuration, the code flow with PKCE through the local hosted UI back to the app's own
// /callback page (served for real, registered on the spa client), signinSilent with the refresh token, and
// pets.yaml's routes called with the tokens; every call to Cognito and the API is cross-origin and the console
// shows no CORS error. With Cognito's CORS headers stripped, discovery is refused by the browser.
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { decodeJwt } from 'jose';
import { launchChromium } from '../../contract-tests/browser';
import { appProps } from '../../stack/app-props';
import { startLocalStack, type LocalStack } from '../stack';
import type { OidcSpa, OidcSpaConfig } from './fixtures/oidc-spa';
import {
  appPage,
  bundleApp,
  consoleOf,
  CORS_ERROR,
  createUser,
  SCRIPT,
  startCorsStrippingProxy,
  startPageServer,
  withCorsFor,
  type CorsStrippingProxy,
  type PageServer,
} from './test-support';

const USER = { username: 'oidc-user@example.com', password: 'Oidc-Client-Passw0rd!' };
const SCOPE = 'openid email pets/purchase';

let app: PageServer;
/** The same app whose settings name the local Cognito through a proxy that drops its CORS headers. */
let strippedApp: PageServer;
let proxy: CorsStrippingProxy;
let origin: string;
let stack: LocalStack;
let browser: Browser;
const cleanups: (() => unknown)[] = [];

const configScript = (config: OidcSpaConfig): [string, string] => [
  SCRIPT,
  `globalThis.appConfig = ${JSON.stringify(config)};`,
];

beforeAll(async () => {
  const bundle = await bundleApp(`${__dirname}/fixtures/oidc-spa.ts`);
  const files: Record<string, [string, string]> = {
    '/': appPage('/config.js', '/app.js'),
    '/callback': appPage('/config.js', '/app.js'),
    '/app.js': [SCRIPT, bundle],
  };
  [app, strippedApp] = await Promise.all([startPageServer(files), startPageServer(files)]);
  cleanups.push(
    () => app.stop(),
    () => strippedApp.stop(),
  );
  // Cognito allows plain http for localhost only, so the app is addressed by that name.
  origin = `http://localhost:${app.port}`;
  const spec = withCorsFor('openapi/pets.yaml', origin);
  cleanups.push(spec.remove);
  const example = appProps(spec.file);
  const spa = example.clients!.spa;
  const props = {
    ...example,
    clients: { ...example.clients, spa: { ...spa, callbackUrls: [...(spa.callbackUrls ?? []), `${origin}/callback`] } },
  };
  // Each is stopped at the end even when the other fails to start.
  const starting = [startLocalStack({ spec: spec.file, props }), launchChromium()] as const;
  cleanups.push(
    () => starting[0].then((s) => s.stop()),
    () => starting[1].then((b) => b.close()),
  );
  [stack, browser] = await Promise.all(starting);
  proxy = await startCorsStrippingProxy(stack.cognitoUrl);
  cleanups.push(() => proxy.stop());
  await createUser(stack.outputs, USER);

  const config = {
    authority: stack.outputs.issuer,
    client_id: stack.outputs.clients.spa.id,
    redirect_uri: `${origin}/callback`,
    scope: SCOPE,
  };
  app.put('/config.js', configScript(config));
  strippedApp.put('/config.js', configScript({ ...config, authority: `${proxy.url}/${stack.outputs.user_pool_id}` }));
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
});

interface OpenedApp {
  page: Page;
  context: BrowserContext;
  console: string[];
  requests: Request[];
  oidc<K extends Exclude<keyof OidcSpa, 'callback'>>(
    name: K,
    ...args: Parameters<OidcSpa[K]>
  ): Promise<Awaited<ReturnType<OidcSpa[K]>>>;
}

async function openApp(at: string): Promise<OpenedApp> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const lines = consoleOf(page);
  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  await page.goto(`${at}/`);
  return {
    page,
    context,
    console: lines,
    requests,
    oidc: (name, ...args) =>
      page.evaluate(
        ({ name, args }) => {
          const oidc = (globalThis as unknown as { oidc: Record<string, (...a: unknown[]) => unknown> }).oidc;
          return oidc[name](...args);
        },
        { name, args: args as unknown[] },
      ) as never,
  };
}

/** Token endpoint requests the page made, by grant type. */
function grantsSent(requests: Request[]): string[] {
  return requests
    .filter((r) => r.method() === 'POST' && r.url() === stack.outputs.token_endpoint)
    .map((r) => new URLSearchParams(r.postData() ?? '').get('grant_type') ?? '?');
}

const corsErrors = (lines: string[]) => lines.filter((line) => CORS_ERROR.test(line));

test('discovery, code + PKCE through the hosted UI to the app callback, signinSilent with the refresh token, and API calls', async () => {
  const opened = await openApp(origin);
  const { page } = opened;
  try {
    // signinRedirect discovers the endpoints, then leaves for the hosted UI (so nothing is awaited here).
    await page.evaluate(() => {
      void (globalThis as unknown as { oidc: OidcSpa }).oidc.signIn();
    });
    await page.waitForURL(`${stack.cognitoUrl}/login**`);
    const discovery = opened.requests.find((r) => r.url().endsWith('/.well-known/openid-configuration'));
    expect(discovery?.url()).toBe(`${stack.outputs.issuer}/.well-known/openid-configuration`);
    const authorize = new URL(opened.requests.find((r) => r.url().includes('/oauth2/authorize'))!.url());
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: stack.outputs.clients.spa.id,
      redirect_uri: `${origin}/callback`,
      scope: SCOPE,
      code_challenge_method: 'S256',
    });

    await page.locator('input[name="username"]:visible').first().fill(USER.username);
    await page.locator('input[name="password"]:visible').first().fill(USER.password);
    await page.locator('input[name="password"]:visible').first().press('Enter');
    await page.waitForURL(`${origin}/callback?**`);
    const signedIn = await page.evaluate(() => (globalThis as unknown as { oidc: OidcSpa }).oidc.callback);
    expect(grantsSent(opened.requests)).toEqual(['authorization_code']);
    expect(signedIn).not.toBeNull();
    expect(decodeJwt(signedIn!.idToken!)).toMatchObject({
      token_use: 'id',
      iss: stack.outputs.issuer,
      aud: stack.outputs.clients.spa.id,
      email: USER.username,
    });
    expect(signedIn!.scope?.split(' ').sort()).toEqual(SCOPE.split(' ').sort());
    expect(decodeJwt(signedIn!.accessToken).scope).toContain('pets/purchase');
    expect(signedIn!.refreshToken).toEqual(expect.any(String));
    // The user survives the page: the app's store has it.
    expect((await opened.oidc('user'))?.sub).toBe(signedIn!.sub);

    const refreshed = await opened.oidc('refresh');
    expect(grantsSent(opened.requests)).toEqual(['authorization_code', 'refresh_token']);
    expect(refreshed!.sub).toBe(signedIn!.sub);
    expect(refreshed!.idToken).not.toBe(signedIn!.idToken);
    expect(refreshed!.accessToken).not.toBe(signedIn!.accessToken);
    // Without rotation Cognito returns no new refresh token; the library keeps the one it has.
    expect(refreshed!.refreshToken).toBe(signedIn!.refreshToken);

    const pets = await opened.oidc('callApi', `${stack.outputs.api_url}/pets`, refreshed!.idToken!);
    expect(pets.status).toBe(200);
    const purchase = await opened.oidc('callApi', `${stack.outputs.api_url}/purchase`, refreshed!.accessToken, {
      method: 'POST',
      json: { petId: 1 },
    });
    expect(purchase).toMatchObject({ status: 200, body: expect.stringContaining('purchased') });
    expect(corsErrors(opened.console)).toEqual([]);
  } finally {
    await opened.context.close();
  }
});

test('with the CORS headers stripped from the local Cognito, the browser refuses discovery and sign-in cannot start', async () => {
  const opened = await openApp(`http://localhost:${strippedApp.port}`);
  try {
    await expect(opened.oidc('signIn')).rejects.toThrow();
    expect(proxy.seen).toContain(`GET /${stack.outputs.user_pool_id}/.well-known/openid-configuration`);
    expect(corsErrors(opened.console).join('\n')).toContain('/.well-known/openid-configuration');
    expect(opened.page.url()).toBe(`http://localhost:${strippedApp.port}/`);
  } finally {
    await opened.context.close();
  }
});

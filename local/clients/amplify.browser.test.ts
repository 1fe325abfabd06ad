// Amplify v6, unmodified from npm, in a single-page app in Chromium with web security on: the page is served
// from its own origin, so every call to the local Cognito and to the APIs is cross-origin and the browser
// enforces CORS. It signs in (SRP), reads and force-refreshes the session, and calls pets.yaml's GET /pets
// (REST, ID token) and hello-http.yaml's GET /hello (HTTP API, access token); the console shows no CORS
// error. With Cognito's CORS headers stripped by a proxy, or from an origin the API does not allow, the
// browser refuses the reply: the checks above could fail.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { decodeJwt } from 'jose';
import { launchChromium } from '../../contract-tests/browser';
import { startLocalStack, type LocalStack } from '../stack';
import type { Spa, SpaConfig } from './fixtures/amplify-spa';
import {
  appPage,
  bundleApp,
  consoleOf,
  CORS_ERROR,
  createUser,
  startCorsStrippingProxy,
  SCRIPT,
  startPageServer,
  withCorsFor,
  type PageServer,
} from './test-support';

const USER = { username: 'amplify-user@example.com', password: 'Amplify-Test-Passw0rd!' };
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

let pages: PageServer;
let origin: string;
let rest: LocalStack;
let httpApi: LocalStack;
let browser: Browser;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  const app = await bundleApp(`${__dirname}/fixtures/amplify-spa.ts`);
  pages = await startPageServer({ '/': appPage('/app.js'), '/app.js': [SCRIPT, app] });
  cleanups.push(() => pages.stop());
  origin = `http://127.0.0.1:${pages.port}`;
  const restSpec = withCorsFor('openapi/pets.yaml', origin);
  const httpSpec = withCorsFor('openapi/hello-http.yaml', origin);
  cleanups.push(restSpec.remove, httpSpec.remove);
  // Each is stopped at the end even when another fails to start.
  const starting = [
    startLocalStack({ spec: restSpec.file }),
    startLocalStack({ spec: httpSpec.file }),
    launchChromium(),
  ] as const;
  cleanups.push(
    () => starting[0].then((s) => s.stop()),
    () => starting[1].then((s) => s.stop()),
    () => starting[2].then((b) => b.close()),
  );
  [rest, httpApi, browser] = await Promise.all(starting);
  await Promise.all([createUser(rest.outputs, USER), createUser(httpApi.outputs, USER)]);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
});

function configOf(stack: LocalStack, endpoint = stack.outputs.cognito_endpoint): SpaConfig {
  return {
    userPoolId: stack.outputs.user_pool_id,
    userPoolClientId: stack.outputs.clients.spa.id,
    userPoolEndpoint: endpoint,
  };
}

interface OpenedApp {
  page: Page;
  context: BrowserContext;
  console: string[];
  /** The Cognito operations the page sent (X-Amz-Target without the service prefix), in order. */
  operations: string[];
  spa<K extends keyof Spa>(name: K, ...args: Parameters<Spa[K]>): Promise<Awaited<ReturnType<Spa[K]>>>;
}

/** Opens the app in a fresh browser context (its own storage) at `at`, an origin of the page server. */
async function openApp(at: string): Promise<OpenedApp> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const lines = consoleOf(page);
  const operations: string[] = [];
  page.on('request', (request) => {
    const target = request.headers()['x-amz-target'];
    if (target) operations.push(target.replace(TARGET_PREFIX, ''));
  });
  await page.goto(`${at}/`);
  return {
    page,
    context,
    console: lines,
    operations,
    spa: (name, ...args) =>
      page.evaluate(
        ({ name, args }) => {
          const app = (globalThis as unknown as { spa: Record<string, (...a: unknown[]) => unknown> }).spa;
          return app[name](...args);
        },
        { name, args: args as unknown[] },
      ) as never,
  };
}

const corsErrors = (lines: string[]) => lines.filter((line) => CORS_ERROR.test(line));

test('REST: signIn, fetchAuthSession, a forced refresh (GetTokensFromRefreshToken), and GET /pets with the ID token', async () => {
  const app = await openApp(origin);
  try {
    await app.spa('configure', configOf(rest));
    expect(await app.spa('signIn', USER.username, USER.password)).toEqual({ isSignedIn: true, nextStep: 'DONE' });
    // Amplify's default sign-in is SRP: two round trips to the JSON API.
    expect(app.operations).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);

    const session = await app.spa('session', false);
    expect(decodeJwt(session.idToken!)).toMatchObject({
      token_use: 'id',
      aud: rest.outputs.clients.spa.id,
      iss: rest.outputs.issuer,
      email: USER.username,
    });
    expect(decodeJwt(session.accessToken!)).toMatchObject({
      token_use: 'access',
      client_id: rest.outputs.clients.spa.id,
    });

    const refreshed = await app.spa('session', true);
    expect(app.operations).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'GetTokensFromRefreshToken']);
    expect(refreshed.idToken).not.toBe(session.idToken);
    expect(decodeJwt(refreshed.idToken!).sub).toBe(decodeJwt(session.idToken!).sub);

    for (const token of [session.idToken!, refreshed.idToken!]) {
      const pets = await app.spa('callApi', `${rest.outputs.api_url}/pets`, token);
      expect(pets.status).toBe(200);
      expect(JSON.parse(pets.body)).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'dog' })]));
    }
    // The method wants an ID token: the access token is refused, and the page can read the 401 (the
    // document's gateway response carries Access-Control-Allow-Origin).
    expect((await app.spa('callApi', `${rest.outputs.api_url}/pets`, refreshed.accessToken!)).status).toBe(401);
    expect(corsErrors(app.console)).toEqual([]);
  } finally {
    await app.context.close();
  }
});

test('HTTP API: the same app signs in to its pool and calls GET /hello with the access token', async () => {
  const app = await openApp(origin);
  try {
    await app.spa('configure', configOf(httpApi));
    expect(await app.spa('signIn', USER.username, USER.password)).toEqual({ isSignedIn: true, nextStep: 'DONE' });
    const session = await app.spa('session', false);
    const refreshed = await app.spa('session', true);
    expect(refreshed.accessToken).not.toBe(session.accessToken);
    const hello = await app.spa('callApi', `${httpApi.outputs.api_url}/hello`, `Bearer ${refreshed.accessToken}`);
    expect(hello).toMatchObject({ status: 200 });
    expect(hello.body).toContain(String(decodeJwt(refreshed.accessToken!).username));
    expect((await app.spa('callApi', `${httpApi.outputs.api_url}/hello`, 'Bearer not-a-token')).status).toBe(401);
    expect(corsErrors(app.console)).toEqual([]);
  } finally {
    await app.context.close();
  }
});

test('with the CORS headers stripped from the local Cognito, the browser refuses the reply and signIn fails', async () => {
  const proxy = await startCorsStrippingProxy(rest.outputs.cognito_endpoint);
  const app = await openApp(origin);
  try {
    await app.spa('configure', configOf(rest, proxy.url));
    await expect(app.spa('signIn', USER.username, USER.password)).rejects.toThrow(/NetworkError/);
    // The preflights reached the local Cognito through the proxy (Amplify retries a network error), and the
    // browser, refusing their answers, never sent the sign-in itself.
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(new Set(proxy.seen)).toEqual(new Set(['OPTIONS /']));
    expect(corsErrors(app.console)[0]).toContain(`Access to fetch at '${proxy.url}/' from origin '${origin}'`);
  } finally {
    await app.context.close();
    await proxy.stop();
  }
});

test('from an origin the API does not allow, signIn works (Cognito allows any origin) but GET /pets is refused', async () => {
  // Same server, another origin: the documents allow 127.0.0.1:<port> only.
  const app = await openApp(`http://localhost:${pages.port}`);
  try {
    await app.spa('configure', configOf(rest));
    expect(await app.spa('signIn', USER.username, USER.password)).toEqual({ isSignedIn: true, nextStep: 'DONE' });
    const session = await app.spa('session', false);
    await expect(app.spa('callApi', `${rest.outputs.api_url}/pets`, session.idToken!)).rejects.toThrow(
      /Failed to fetch/,
    );
    expect(corsErrors(app.console).join('\n')).toContain(`${rest.outputs.api_url}/pets`);
  } finally {
    await app.context.close();
  }
});

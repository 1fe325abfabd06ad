// The local stack writes the hosted UI's sign-up links as the module does: one per OAuth flow for people of
// each hosted-UI client, on the local Cognito's origin, with the query of the one builder the sign-in URL uses.
// The links lead to the local hosted UI's sign-up page (/signup, "a direct link with the same parameters as
// /oauth2/authorize": https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-endpoints.html),
// followed here as a browser would over real HTTP: sign up, read the code from the local mailbox
// (GET /_local/codes, what `gatehouse local` also prints), confirm at /confirm, land on the callback, and
// call the local gateway with the tokens.
import * as path from 'node:path';
import { parse } from 'node-html-parser';
import { appProps, SPA_CALLBACK } from '../stack/app-props';
import { startLocalStack, type LocalStack } from './stack';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');
const PASSWORD = 'Sign-Up-Passw0rd!';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ spec: PETS, props: { ...appProps(PETS), userPool: { adminOnlySignUp: false } } });
});
afterAll(() => stack.stop());

test('hosted_ui_sign_up_urls: code and implicit links for spa, none for clients the hosted UI does not sign in', () => {
  const { outputs } = stack;
  const links = outputs.hosted_ui_sign_up_urls ?? {};
  expect(Object.keys(links)).toEqual(['spa']);
  for (const [flow, responseType] of [
    ['code', 'code'],
    ['implicit', 'token'],
  ] as const) {
    const url = new URL(links.spa[flow] ?? '');
    expect(url.origin).toBe(new URL(stack.cognitoUrl).origin);
    expect(url.pathname).toBe('/signup');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: outputs.clients.spa.id,
      response_type: responseType,
      scope: outputs.clients.spa.oauth_scopes.join(' '),
      redirect_uri: SPA_CALLBACK,
    });
  }
  // The sign-in URL is the same builder's for the same client and flow: only the page differs.
  expect(outputs.hosted_ui_sign_in_url).toBe(links.spa.code?.replace('/signup?', '/login?'));
});

/** A browser on the local Cognito's origin: redirects followed by hand, its cookies carried. */
function browser() {
  const cookies = new Map<string, string>();
  return async (url: string, form?: Record<string, string>): Promise<Response> => {
    const response = await fetch(new URL(url, stack.cognitoUrl), {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form) : undefined,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      if (line.includes('Max-Age=0')) cookies.delete(pair.slice(0, eq));
      else cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  };
}

/** The page's form posting to `path`: its action, and its fields with `values` filled in. */
function filled(html: string, path: string, values: Record<string, string>): [string, Record<string, string>] {
  const form = parse(html)
    .querySelectorAll('form')
    .find((f) => (f.getAttribute('action') ?? '').startsWith(path));
  if (!form) throw new Error(`no form posting to ${path} in ${html}`);
  const fields: Record<string, string> = {};
  for (const input of form.querySelectorAll('input'))
    fields[input.getAttribute('name')!] = input.getAttribute('value') ?? '';
  return [form.getAttribute('action')!, { ...fields, ...values }];
}

/** Follows the link to the callback: the form, the mailbox's code, /confirm. Returns where it landed. */
async function signUpThrough(link: string, email: string): Promise<URL> {
  const go = browser();
  const form = await go(link);
  expect(form.status).toBe(200);
  const created = await go(...filled(await form.text(), '/signup', { username: email, password: PASSWORD }));
  expect(created.status).toBe(302);
  const confirmPage = await go(created.headers.get('location')!);
  expect(confirmPage.status).toBe(200);
  const mailbox = await fetch(
    `${stack.cognitoUrl}/_local/codes?${new URLSearchParams({ poolId: stack.outputs.user_pool_id, username: email })}`,
  );
  const { codes } = (await mailbox.json()) as { codes: { code: string; purpose: string; destination: string }[] };
  expect(codes[0]).toMatchObject({ purpose: 'SignUp', destination: email });
  const landed = await go(...filled(await confirmPage.text(), '/confirm', { code: codes[0].code }));
  expect(landed.status).toBe(302);
  const location = new URL(landed.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(SPA_CALLBACK);
  return location;
}

const callPets = async (idToken: string) =>
  (await fetch(`${stack.outputs.api_url}/pets`, { headers: { authorization: idToken } })).status;

test('the code link: sign up, confirm, exchange the code; the gateway takes the ID token and the access token', async () => {
  const location = await signUpThrough(stack.outputs.hosted_ui_sign_up_urls!.spa.code!, 'new-code@example.com');
  const exchanged = await fetch(stack.outputs.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: stack.outputs.clients.spa.id,
      code: location.searchParams.get('code')!,
      redirect_uri: SPA_CALLBACK,
    }),
  });
  expect(exchanged.status).toBe(200);
  const tokens = (await exchanged.json()) as { id_token: string; access_token: string };
  expect(await callPets(tokens.id_token)).toBe(200);
  const purchase = await fetch(`${stack.outputs.api_url}/purchase`, {
    method: 'POST',
    headers: { authorization: tokens.access_token, 'content-type': 'application/json' },
    body: '{"petId":1}',
  });
  expect(purchase.status).toBe(200);
  // Without a token the same route is refused: the 200s above are the tokens' doing.
  expect((await fetch(`${stack.outputs.api_url}/pets`)).status).toBe(401);
});

test('the implicit link: the tokens arrive in the fragment and the ID token calls GET /pets', async () => {
  const location = await signUpThrough(stack.outputs.hosted_ui_sign_up_urls!.spa.implicit!, 'new-implicit@example.com');
  const fragment = new URLSearchParams(location.hash.slice(1));
  expect(await callPets(fragment.get('id_token')!)).toBe(200);
});

test('no sign-up links while only administrators create users (the default), and /signup refuses', async () => {
  const adminOnly = await startLocalStack({ spec: PETS, props: appProps(PETS) });
  try {
    expect(adminOnly.outputs.hosted_ui_sign_up_urls).toEqual({});
    // The sign-in URL's query at /signup: the page the module would not link to refuses as the API does.
    const refused = await fetch(adminOnly.outputs.hosted_ui_sign_in_url.replace('/login?', '/signup?'));
    expect(refused.status).toBe(400);
    expect(parse(await refused.text()).querySelector('#error')!.text).toBe(
      'SignUp is not permitted for this user pool',
    );
  } finally {
    await adminOnly.stop();
  }
});

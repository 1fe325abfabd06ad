// The local stack writes the hosted UI's sign-up links as the module does: one per OAuth flow for people of
// each hosted-UI client, on the local Cognito's origin, with the query of the one builder the sign-in URL uses.
import * as path from 'node:path';
import { appProps, SPA_CALLBACK } from '../stack/app-props';
import { startLocalStack } from './stack';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');

test('hosted_ui_sign_up_urls: code and implicit links for spa, none for clients the hosted UI does not sign in', async () => {
  const stack = await startLocalStack({
    spec: PETS,
    props: { ...appProps(PETS), userPool: { adminOnlySignUp: false } },
  });
  try {
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
    // The local hosted UI takes that query at its sign-in page (it serves no sign-up page).
    expect((await fetch(outputs.hosted_ui_sign_in_url)).status).toBe(200);
  } finally {
    await stack.stop();
  }
});

test('no sign-up links while only administrators create users (the default)', async () => {
  const stack = await startLocalStack({ spec: PETS, props: appProps(PETS) });
  try {
    expect(stack.outputs.hosted_ui_sign_up_urls).toEqual({});
  } finally {
    await stack.stop();
  }
});

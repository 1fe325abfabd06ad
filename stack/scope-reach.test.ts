// A scoped route whose authorizer accepts no client that can obtain the scope is warned about, naming the
// real cause (no client may obtain it; the ones that may are outside the jwt audience); one a client can call is not.
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import type { ApiModel } from '../openapi/model/types';
import { appProps } from './app-props';
import type { SecuredApiProps } from './props';
import { propsWarnings, resolveProps } from './resolve';

const ROOT = path.join(__dirname, '..');
const USER_SCOPES = path.join(ROOT, 'contract-tests', 'fixtures', 'user-scopes-rest.yaml');
const NARROW_AUDIENCE = path.join(ROOT, 'contract-tests', 'fixtures', 'narrow-audience-http.yaml');
const CALLBACK = 'http://localhost:3000/callback';

function warningsOf(model: ApiModel, props: Omit<SecuredApiProps, 'spec'>) {
  return propsWarnings(model, resolveProps({ ...props, spec: model }, model, 'gatehouse-scopes'));
}

test('REST: a scope no client may obtain is warned about at its security requirement; the others are not', async () => {
  const model = await loadApiModel(USER_SCOPES);
  const warnings = warningsOf(model, {
    clients: {
      web: {},
      machine: { oauthFlows: ['client_credentials'], oauthScopes: ['api/orders'] },
      spa: { oauthFlows: ['code'], oauthScopes: ['openid', 'email', 'api/reports'], callbackUrls: [CALLBACK] },
    },
  });
  // aws.cognito.signin.user.admin comes with every password sign-in (web), so only phone is out of reach.
  expect(warnings).toEqual([
    {
      severity: 'warning',
      rule: 'scope-unobtainable',
      file: USER_SCOPES,
      pointer: '/paths/~1phone/get/security/0/CognitoAuth',
      message:
        'GET /phone needs phone, and no client its authorizer CognitoAuth accepts can obtain it: no client in the props may obtain phone, so no token can call it.',
      fix: "Give a client the scope: clients.<name>.oauthScopes with oauthFlows ['client_credentials'] (custom scopes) or ['code'] and callbackUrls (people).",
    },
  ]);
});

test('HTTP: clients that may obtain the scope but are outside the jwt audience are named, with the fix', async () => {
  const model = await loadApiModel(NARROW_AUDIENCE);
  const props = {
    backends: { echo: 'https://backend.example.com' },
    clients: {
      web: {},
      machine: { oauthFlows: ['client_credentials' as const] },
      spa: { oauthFlows: ['code' as const], callbackUrls: [CALLBACK] },
    },
  };
  expect(warningsOf(model, props)).toEqual([
    expect.objectContaining({
      rule: 'scope-unobtainable',
      pointer: '/paths/~1scope3/get/security/0/CognitoJwt',
      message:
        'GET /scope3 needs api/scope3, and no client its authorizer CognitoJwt accepts can obtain it: "machine", "spa" may obtain it, but the jwt audience of CognitoJwt does not name them, so no token can call it.',
      fix: 'Add "{{clientId:machine}}", "{{clientId:spa}}" to the audience of CognitoJwt (/components/securitySchemes/CognitoJwt).',
    }),
  ]);
});

test('the example documents with their default props get no such warning', async () => {
  for (const example of ['pets.yaml', 'hello-http.yaml']) {
    const model = await loadApiModel(path.join(ROOT, 'openapi', example));
    const props = appProps(model.file);
    expect(propsWarnings(model, resolveProps(props, model, 'gatehouse-example'))).toEqual([]);
  }
});

// The plan: which checks run, with which token, from the model and the clients in the outputs.
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import type { StackOutputs } from '../stack/outputs';
import { bindAuthorizers } from './binding';
import { buildPlan, type Check } from './plan';
import { addPartnerPoolOperation, PARTNER_POOL_ARN, writeDocumentVariant } from './testing/document-variant';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');
const HELLO = path.join(__dirname, '..', 'openapi', 'hello-http.yaml');

function outputs(kind: 'rest' | 'http', extraClients: StackOutputs['clients'] = {}): StackOutputs {
  return {
    api_url: 'https://api.example.com/prod',
    api_kind: kind,
    stage: 'prod',
    region: 'eu-west-1',
    user_pool_id: 'eu-west-1_AAA',
    user_pool_arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AAA',
    issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AAA',
    jwks_url: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AAA/.well-known/jwks.json',
    cognito_endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com',
    token_endpoint: 'https://auth.example.com/oauth2/token',
    hosted_ui_domain: '',
    hosted_ui_sign_in_url: '',
    clients: {
      web: {
        id: 'webid',
        has_secret: false,
        auth_flows: ['USER_PASSWORD_AUTH'],
        oauth_flows: [],
        oauth_scopes: [],
        callback_urls: [],
      },
      machine: {
        id: 'machineid',
        has_secret: true,
        auth_flows: [],
        oauth_flows: ['client_credentials'],
        oauth_scopes: ['hello/read', 'pets/purchase'],
        callback_urls: [],
      },
      // Signs people in only through the hosted UI (no USER_PASSWORD_AUTH).
      spa: {
        id: 'spaid',
        has_secret: false,
        auth_flows: [],
        oauth_flows: ['code'],
        oauth_scopes: ['openid', 'hello/read', 'pets/purchase'],
        callback_urls: ['http://localhost:3000/callback'],
      },
      ...extraClients,
    },
    client_secrets: { machine: 'machine-secret' },
  };
}

async function plan(spec: string, out: StackOutputs, preferredUserClientId?: string) {
  const model = await loadApiModel(spec);
  return buildPlan(model, out, bindAuthorizers(model, out), { preferredUserClientId });
}
const find = (checks: Check[], name: string) => checks.find((c) => c.name === name);

test('REST: ID tokens for unscoped methods, a client_credentials token for scoped ones, the header the scheme names', async () => {
  const { checks } = await plan(PETS, outputs('rest'));
  expect(find(checks, 'listPets valid-token')?.credential).toEqual({
    kind: 'token',
    source: { kind: 'user', pool: 'main', client: 'web', token: 'id' },
    prefix: 'raw',
  });
  expect(find(checks, 'purchasePet valid-token')?.credential).toEqual({
    kind: 'token',
    source: { kind: 'machine', pool: 'main', client: 'machine', scopes: ['pets/purchase'] },
    prefix: 'raw',
  });
  expect(find(checks, 'purchasePet missing-scope')?.credential).toMatchObject({
    source: { kind: 'user', token: 'access' },
  });
  expect(find(checks, 'getPet no-token')?.tokenHeader).toBe('x-pets-token');
  expect(checks.filter((c) => c.operation.id === 'health').map((c) => c.case)).toEqual(['public-no-token']);
});

test('REST identityValidationExpression: another user client is refused there and allowed elsewhere', async () => {
  const { checks, omitted } = await plan(
    PETS,
    outputs('rest', {
      mobile: {
        id: 'mobileid',
        has_secret: false,
        auth_flows: ['USER_PASSWORD_AUTH'],
        oauth_flows: [],
        oauth_scopes: [],
        callback_urls: [],
      },
    }),
  );
  expect(find(checks, 'getPet client-outside-validation')?.credential).toMatchObject({
    source: { client: 'mobile', token: 'id' },
  });
  expect(find(checks, 'getPet client-outside-validation')?.expected.status).toBe(401);
  expect(find(checks, 'listPets other-client-id-token')?.expected).toMatchObject({ outcome: 'success', status: 200 });
  expect(omitted.find((o) => o.case === 'client-outside-validation')).toBeUndefined();
});

test('HTTP jwt: a user client outside the audience gives a wrong-audience check; --client-id picks the user client', async () => {
  const out = outputs('http', {
    partner: {
      id: 'partnerid',
      has_secret: false,
      auth_flows: ['USER_PASSWORD_AUTH'],
      oauth_flows: [],
      oauth_scopes: [],
      callback_urls: [],
    },
  });
  const { checks } = await plan(HELLO, out);
  expect(find(checks, 'sayHello wrong-audience')).toMatchObject({
    credential: { source: { client: 'partner' } },
    expected: { status: 401 },
  });
  expect(find(checks, 'sayHello valid-token')?.credential).toMatchObject({ source: { client: 'web' } });
  expect(find(checks, 'listReports missing-scope')?.expected.status).toBe(403);
  expect(find(checks, 'listReports user-access-token-scoped')).toMatchObject({
    credential: { source: { kind: 'user-code', client: 'spa', scopes: ['hello/read'] } },
    expected: { status: 200 },
  });
  const preferred = await plan(
    HELLO,
    outputs('http', {
      admin: {
        id: 'adminid',
        has_secret: false,
        auth_flows: ['USER_PASSWORD_AUTH'],
        oauth_flows: [],
        oauth_scopes: [],
        callback_urls: [],
      },
    }),
    'adminid',
  );
  // adminid is not in the audience, so it cannot be the valid token, but it is used first where any client will do.
  expect(find(preferred.checks, 'sayHello valid-token')?.credential).toMatchObject({ source: { client: 'web' } });
  expect(find(preferred.checks, 'sayHello wrong-audience')?.credential).toMatchObject({ source: { client: 'admin' } });
});

test('without a machine client the hosted-UI user token is the valid one; without either, both causes are named', async () => {
  const out = outputs('rest');
  delete out.clients.machine;
  const userOnly = await plan(PETS, out);
  expect(find(userOnly.checks, 'purchasePet valid-token')?.credential).toMatchObject({
    source: { kind: 'user-code', client: 'spa', scopes: ['pets/purchase'] },
  });
  delete out.clients.spa;
  const { checks, omitted } = await plan(PETS, out);
  expect(find(checks, 'purchasePet valid-token')).toBeUndefined();
  expect(find(checks, 'purchasePet no-token')).toBeDefined();
  expect(omitted.filter((o) => o.operation === 'purchasePet').slice(0, 2)).toEqual([
    {
      operation: 'purchasePet',
      case: 'valid-token',
      reason:
        'no client_credentials client in the outputs may request pets/purchase; no client in the outputs has the code flow with a callback URL, the hosted-UI sign-in that gives a user pets/purchase',
    },
    {
      operation: 'purchasePet',
      case: 'user-access-token-scoped',
      reason:
        'no client in the outputs has the code flow with a callback URL, the hosted-UI sign-in that gives a user pets/purchase',
    },
  ]);
});

test('a machine client the outputs hold no secret for, and a user client outside the audience, are named', async () => {
  const out = outputs('http');
  out.client_secrets = {};
  out.clients.spa.callback_urls = [];
  const { omitted } = await plan(HELLO, out);
  expect(omitted.find((o) => o.operation === 'listReports' && o.case === 'valid-token')?.reason).toBe(
    'the outputs hold no secret for "machine", the client_credentials client that may request hello/read; no client in the outputs has the code flow with a callback URL, the hosted-UI sign-in that gives a user hello/read',
  );
  const variant = writeDocumentVariant(HELLO, (doc) =>
    doc.setIn(
      ['components', 'securitySchemes', 'CognitoJwt', 'x-amazon-apigateway-authorizer', 'jwtConfiguration', 'audience'],
      doc.createNode(['{{clientId:machine}}']),
    ),
  );
  try {
    const narrow = await plan(variant.file, outputs('http'));
    expect(narrow.omitted.find((o) => o.operation === 'sayHello' && o.case === 'valid-token')?.reason).toBe(
      'user client "web" is outside the jwt audience of authorizer CognitoJwt (machineid)',
    );
  } finally {
    variant.remove();
  }
});

test('REST: when the only user client is outside identityValidationExpression, the reason says so', async () => {
  const out = outputs('rest', {
    mobile: {
      id: 'mobileid',
      has_secret: false,
      auth_flows: ['USER_PASSWORD_AUTH'],
      oauth_flows: [],
      oauth_scopes: [],
      callback_urls: [],
    },
  });
  out.clients.web.auth_flows = [];
  const { omitted } = await plan(PETS, out);
  expect(omitted.find((o) => o.operation === 'getPet' && o.case === 'valid-token')?.reason).toBe(
    'user client "mobile" is outside the identityValidationExpression of authorizer PetsHeaderAuth (^webid$)',
  );
});

test("an authorizer naming another pool by ARN gets its tokens from that pool, and the stack's own pool is its other pool", async () => {
  const variant = writeDocumentVariant(PETS, addPartnerPoolOperation);
  try {
    const out = outputs('rest');
    const partnerIssuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Partners';
    out.extra_pools = {
      [PARTNER_POOL_ARN]: {
        user_pool_id: 'us-east-1_Partners',
        user_pool_arn: PARTNER_POOL_ARN,
        issuer: partnerIssuer,
        jwks_url: `${partnerIssuer}/.well-known/jwks.json`,
        cognito_endpoint: 'https://cognito-idp.us-east-1.amazonaws.com',
        token_endpoint: '',
        clients: {
          web: {
            id: 'partnerwebid',
            has_secret: false,
            auth_flows: ['USER_PASSWORD_AUTH'],
            oauth_flows: [],
            oauth_scopes: [],
            callback_urls: [],
          },
        },
        client_secrets: {},
      },
    };
    const { checks } = await plan(variant.file, out);
    expect(find(checks, 'listPartnerPets valid-token')?.credential).toMatchObject({
      source: { kind: 'user', pool: PARTNER_POOL_ARN, client: 'web', token: 'id' },
    });
    expect(find(checks, 'listPartnerPets other-pool')?.credential).toMatchObject({
      source: { pool: 'main', client: 'web' },
    });
    expect(find(checks, 'listPets valid-token')?.credential).toMatchObject({ source: { pool: 'main' } });
    expect(find(checks, 'listPets other-pool')?.credential).toMatchObject({ source: { pool: PARTNER_POOL_ARN } });

    // Without that pool in the outputs, no token can pass its authorizer: said, not guessed from the main pool.
    delete out.extra_pools;
    const without = await plan(variant.file, out);
    expect(find(without.checks, 'listPartnerPets valid-token')).toBeUndefined();
    expect(find(without.checks, 'listPartnerPets no-token')).toBeDefined();
    expect(without.omitted).toContainEqual({
      operation: 'listPartnerPets',
      case: 'valid-token',
      reason: expect.stringContaining(`providerARNs ${PARTNER_POOL_ARN}`),
    });
  } finally {
    variant.remove();
  }
});

// The one binding: placeholders to values, authorizers (identityValidationExpression matched against the whole
// aud, as API Gateway does) and integrations, from the example documents and one written for the expression.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import { bindPlaceholders } from '../openapi/model/placeholders';
import { InputError, SpecError } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import { placeholderResolver, resolveFromOutputs, type PlaceholderValues } from './binding';
import { bindAuthorizers, identityValidationAccepts, type BoundCognitoAuthorizer } from './bound-authorizers';
import { bindOperations } from './bound-operations';
import type { StackOutputs } from './outputs';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');
const HELLO = path.join(__dirname, '..', 'openapi', 'hello-http.yaml');
const POOL_ARN = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AAA';
const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AAA';
const INVOKE_ARN =
  'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:hello/invocations';

const values: PlaceholderValues<string> = {
  userPoolArn: POOL_ARN,
  issuer: ISSUER,
  region: 'eu-west-1',
  clientIds: { web: 'webid', spa: 'spaid', machine: 'machineid' },
  lambdaInvokeArns: { hello: INVOKE_ARN },
  backends: { petstore: 'https://pets.example.com' },
};

function outputs(clients: Record<string, string>): StackOutputs {
  const client = (id: string) => ({
    id,
    has_secret: false,
    auth_flows: ['USER_PASSWORD_AUTH'],
    oauth_flows: [],
    oauth_scopes: [],
    callback_urls: [],
  });
  return {
    api_url: 'https://api.example.com/prod',
    api_kind: 'rest',
    stage: 'prod',
    region: 'eu-west-1',
    user_pool_id: 'eu-west-1_AAA',
    user_pool_arn: POOL_ARN,
    issuer: ISSUER,
    jwks_url: `${ISSUER}/.well-known/jwks.json`,
    cognito_endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com',
    token_endpoint: 'https://auth.example.com/oauth2/token',
    hosted_ui_domain: '',
    hosted_ui_sign_in_url: '',
    clients: Object.fromEntries(Object.entries(clients).map(([name, id]) => [name, client(id)])),
    client_secrets: {},
  };
}

/** A REST document whose one authorizer has this identityValidationExpression. */
async function withExpression(expression: string): Promise<ApiModel> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-binding-'));
  try {
    const file = path.join(dir, 'api.yaml');
    fs.writeFileSync(
      file,
      `openapi: 3.0.3
info: { title: Expression, version: 1.0.0 }
paths:
  /items:
    get:
      security: [{ Pool: [] }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: "200" } }
components:
  securitySchemes:
    Pool:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer:
        type: cognito_user_pools
        identityValidationExpression: ${JSON.stringify(expression)}
        providerARNs: ["{{userPoolArn}}"]
`,
    );
    return await loadApiModel(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const cognito = (model: ApiModel, clients: Record<string, string> = {}): BoundCognitoAuthorizer => {
  const bound = bindAuthorizers(model, resolveFromOutputs(outputs(clients), model));
  return bound.Pool as BoundCognitoAuthorizer;
};

test('each placeholder kind takes its value; a name without one goes to the missing handler', () => {
  const missing: string[] = [];
  const resolve = placeholderResolver(values, (p) => {
    missing.push(`${p.kind}:${p.name}`);
    return '?';
  });
  expect(
    [
      { kind: 'userPoolArn' },
      { kind: 'issuer' },
      { kind: 'region' },
      { kind: 'clientId', name: 'web' },
      { kind: 'lambda', name: 'hello' },
      { kind: 'backend', name: 'petstore' },
      { kind: 'clientId', name: 'toString' },
      { kind: 'backend', name: 'nowhere' },
    ].map((p) => resolve(p as Parameters<typeof resolve>[0])),
  ).toEqual([POOL_ARN, ISSUER, 'eu-west-1', 'webid', INVOKE_ARN, 'https://pets.example.com', '?', '?']);
  expect(missing).toEqual(['clientId:toString', 'backend:nowhere']);
  expect(() => placeholderResolver(values)({ kind: 'lambda', name: 'other' })).toThrow(
    /\{\{lambda:other\}\} has no value/,
  );
});

test('identityValidationExpression matches the whole aud: "abc" refuses the client id "xabcx", "x.*" takes it', async () => {
  const abc = cognito(await withExpression('abc'));
  expect(identityValidationAccepts(abc, 'xabcx')).toBe(false);
  expect(identityValidationAccepts(abc, 'abc')).toBe(true);
  const prefix = cognito(await withExpression('x.*'));
  expect(identityValidationAccepts(prefix, 'xabcx')).toBe(true);
  expect(identityValidationAccepts(prefix, 'yxabcx')).toBe(false);
  // An alternation is matched whole too, not as `^a|b$`.
  const either = cognito(await withExpression('webid|spaid'));
  expect(['webid', 'spaid', 'webidx', 'xspaid'].map((aud) => identityValidationAccepts(either, aud))).toEqual([
    true,
    true,
    false,
    false,
  ]);
  // Access tokens have no aud: with an expression they never pass, without one every audience does.
  expect(identityValidationAccepts(prefix, undefined)).toBe(false);
  const pets = await loadApiModel(PETS);
  const open = cognito({ ...pets, authorizers: { Pool: pets.authorizers.CognitoAuth } }, { web: 'webid' });
  expect(identityValidationAccepts(open, undefined)).toBe(true);
});

test('authorizers bind pools, issuer, audience and the expression with its placeholders', async () => {
  const pets = await loadApiModel(PETS);
  const rest = bindAuthorizers(pets, resolveFromOutputs(outputs({ web: 'webid', partner: 'partnerid' }), pets));
  expect(rest.CognitoAuth).toEqual({
    kind: 'cognito_user_pools',
    name: 'CognitoAuth',
    pointer: '/components/securitySchemes/CognitoAuth',
    tokenHeader: 'authorization',
    providerArns: [POOL_ARN],
    identityValidation: undefined,
  });
  const header = rest.PetsHeaderAuth as BoundCognitoAuthorizer;
  expect([
    header.tokenHeader,
    identityValidationAccepts(header, 'webid'),
    identityValidationAccepts(header, 'partnerid'),
  ]).toEqual(['x-pets-token', true, false]);

  const hello = await loadApiModel(HELLO);
  expect(bindAuthorizers(hello, placeholderResolver(values))).toMatchObject({
    CognitoJwt: { kind: 'jwt', issuer: ISSUER, audience: ['webid', 'spaid', 'machineid'] },
  });
});

test('a client the outputs do not list is an InputError naming the document and the pointer where it stands', async () => {
  const pets = await loadApiModel(PETS);
  const error = (() => {
    try {
      bindAuthorizers(pets, resolveFromOutputs(outputs({ partner: 'partnerid' }), pets));
    } catch (caught) {
      return caught;
    }
  })();
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).problems).toEqual([
    expect.objectContaining({
      rule: 'outputs-placeholder-unbound',
      file: pets.file,
      pointer: '/components/securitySchemes/PetsHeaderAuth/x-amazon-apigateway-authorizer/identityValidationExpression',
      message: '{{clientId:web}} names a client the outputs do not list (clients: partner).',
    }),
  ]);
  // Binding the whole document (the Dredd bench): a backend has no value in outputs either.
  expect(() => bindPlaceholders(pets.body, resolveFromOutputs(outputs({ web: 'webid' }), pets))).toThrow(InputError);
});

test('an expression that no longer compiles once bound is a SpecError at its pointer', async () => {
  const model = await withExpression('^{{clientId:web}}$');
  const bound = () => bindAuthorizers(model, placeholderResolver({ ...values, clientIds: { web: '(' } }));
  expect(bound).toThrow(SpecError);
  expect(bound).toThrow(
    /#\/components\/securitySchemes\/Pool\/x-amazon-apigateway-authorizer\/identityValidationExpression/,
  );
});

test('operations bind their authorizer, scopes and integration; a Lambda integration names its function', async () => {
  const hello = await loadApiModel(HELLO);
  const authorizers = bindAuthorizers(hello, placeholderResolver(values));
  const ops = bindOperations(hello, authorizers, placeholderResolver(values));
  const reports = ops.find((op) => op.operation.path === '/reports')!;
  expect(reports.authorizer).toBe(authorizers.CognitoJwt);
  expect(reports.scopes).toEqual(['hello/read']);
  expect(reports.integration).toMatchObject({ type: 'aws_proxy', uri: INVOKE_ARN, functionName: 'hello' });

  // An invoke ARN written out names its function through the ARN.
  const written = {
    ...hello,
    operations: hello.operations.map((op) => ({
      ...op,
      integration: { type: 'aws_proxy' as const, uri: INVOKE_ARN, payloadFormatVersion: '2.0' as const },
    })),
  };
  expect(bindOperations(written, authorizers, placeholderResolver(values))[0].integration).toMatchObject({
    functionName: 'hello',
  });

  const pets = await loadApiModel(PETS);
  const petsOps = bindOperations(pets, bindAuthorizers(pets, placeholderResolver(values)), placeholderResolver(values));
  expect(petsOps.find((op) => op.integration.type === 'http_proxy')?.integration).toMatchObject({
    uri: 'https://pets.example.com/{proxy}',
  });
  expect(petsOps.find((op) => op.operation.id === 'health')).toMatchObject({ authorizer: undefined, scopes: [] });
});

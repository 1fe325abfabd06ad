// The harness's plan for IAM, Lambda authorizers and API keys: the unauthenticated check of each with AWS's
// answer (status, body, x-amzn-ErrorType; sources in expectations.ts), the document's own gateway responses
// where it has them, and a precise "not run" for each positive check it cannot make.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { loadApiModel } from '../openapi/model/load';
import type { StackOutputs } from '../stack/outputs';
import { bindAuthorizers } from './binding';
import { buildPlan } from './plan';

const REST = path.join(__dirname, '..', 'local/fixtures/auth-kinds/rest.yaml');
const HTTP = path.join(__dirname, '..', 'local/fixtures/auth-kinds/http.json');

function outputs(kind: 'rest' | 'http'): StackOutputs {
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
    },
    client_secrets: {},
  };
}

async function planOf(spec: string, kind: 'rest' | 'http') {
  const model = await loadApiModel(spec);
  const out = outputs(kind);
  const plan = buildPlan(model, out, bindAuthorizers(model, out));
  const check = (name: string) => plan.checks.find((c) => c.name === name);
  const omitted = (operation: string, c: string) =>
    plan.omitted.find((o) => o.operation === operation && o.case === c)?.reason;
  return { plan, check, omitted };
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The REST fixture with `change` applied, written to a temp file. */
function restVariant(change: (doc: Record<string, unknown>) => void): string {
  const doc = parse(fs.readFileSync(REST, 'utf8')) as Record<string, unknown>;
  change(doc);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-other-auth-'));
  tempDirs.push(dir);
  const file = path.join(dir, 'rest.yaml');
  fs.writeFileSync(file, stringify(doc));
  return file;
}

test('REST: IAM, API key and Lambda authorizer routes get their unauthenticated check with the whole default answer', async () => {
  const { check } = await planOf(REST, 'rest');
  expect(check('iamScheme no-token')?.expected).toEqual({
    outcome: 'rejected',
    status: 403,
    body: { json: { message: 'Missing Authentication Token' } },
    headers: { 'x-amzn-errortype': 'MissingAuthenticationTokenException' },
    rule: 'IAM, unsigned request -> 403 Missing Authentication Token',
  });
  expect(check('keyOnly no-token')?.expected).toMatchObject({
    status: 403,
    body: { json: { message: 'Forbidden' } },
    headers: { 'x-amzn-errortype': 'ForbiddenException' },
  });
  expect(check('requestAuthorized no-token')?.expected).toMatchObject({
    status: 401,
    body: { json: { message: 'Unauthorized' } },
    headers: { 'x-amzn-errortype': 'UnauthorizedException' },
  });
  expect(check('iamScheme no-token')?.credential).toEqual({ kind: 'none' });
});

test("REST: a Cognito method that needs an API key keeps the authorizer's rejections, and its valid token without a key is 403", async () => {
  const { plan, check, omitted } = await planOf(REST, 'rest');
  const own = plan.checks.filter((c) => c.operation.id === 'cognitoAndKey');
  expect(own.every((c) => c.expected.outcome === 'rejected')).toBe(true);
  expect(own.map((c) => c.case)).toEqual(expect.arrayContaining(['no-token', 'malformed', 'alg-none', 'no-api-key']));
  expect(check('cognitoAndKey no-api-key')?.credential).toMatchObject({ kind: 'token', source: { kind: 'user' } });
  expect(check('cognitoAndKey no-api-key')?.expected).toMatchObject({
    status: 403,
    body: { json: { message: 'Forbidden' } },
  });
  for (const c of ['valid-token', 'valid-token-bearer'])
    expect(omitted('cognitoAndKey', c)).toBe(
      'the method requires an API key and the harness holds no API key of a usage plan of the stage: give one in contract.apiKey of the project file (the key, or { env: NAME } to read it from a CI secret), or pass --api-key-env NAME',
    );
  expect(omitted('tokenAndKey', 'no-api-key')).toBe(
    'the harness has no identity its Lambda authorizer accepts (give one in contract.lambdaAuthorizers.TokenAuth), so no request reaches the API key check',
  );
});

test("REST: the document's own gateway responses replace AWS's default answer", async () => {
  const spec = restVariant((doc) => {
    doc['x-amazon-apigateway-gateway-responses'] = {
      MISSING_AUTHENTICATION_TOKEN: {
        statusCode: 404,
        responseParameters: { 'gatewayresponse.header.x-reason': "'unsigned'" },
        responseTemplates: { 'application/json': '{"error": $context.error.messageString}' },
      },
      INVALID_API_KEY: { statusCode: 429 },
    };
  });
  const { check } = await planOf(spec, 'rest');
  expect(check('iamScheme no-token')?.expected).toMatchObject({
    status: 404,
    headers: { 'x-reason': 'unsigned' },
    body: { json: { error: 'Missing Authentication Token' } },
  });
  expect(check('keyOnly no-token')?.expected.status).toBe(429);
});

test('a Lambda authorizer whose identity source the harness sends itself gets no unauthenticated check, and says why', async () => {
  const spec = restVariant((doc) => {
    const op = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/request'].get;
    op.parameters = [{ name: 'user', in: 'query', required: true, schema: { type: 'string', example: 'ada' } }];
  });
  const { check, omitted } = await planOf(spec, 'rest');
  expect(check('requestAuthorized no-token')).toBeUndefined();
  expect(omitted('requestAuthorized', 'no-token')).toBe(
    'identity source method.request.querystring.user of Lambda authorizer RequestAuth is a required parameter the harness sends, so its function decides',
  );
});

test('HTTP API: IAM asserts only the status, Lambda routes their 401, and each positive check is not run with its reason', async () => {
  const { check, omitted } = await planOf(HTTP, 'http');
  expect(check('iamRoute no-token')?.expected).toEqual({
    outcome: 'rejected',
    status: 403,
    rule: 'IAM, unsigned request -> 403 (body unverified)',
  });
  expect(check('simpleAuthorized no-token')?.expected).toMatchObject({ status: 401 });
  expect(check('simpleAuthorized no-token')?.expected.body).toBeUndefined();
  expect(omitted('iamRoute', 'valid-token')).toBe(
    'IAM: the harness holds no AWS credentials to sign with (SigV4), and the local gateway can verify no signature',
  );
  expect(omitted('ghostAuthorized', 'valid-token')).toBe(
    'Lambda authorizer GhostAuth: the harness cannot know what identity your authorizer accepts; give it in contract.lambdaAuthorizers.GhostAuth of the project file (headers: { Authorization: <value> })',
  );
});

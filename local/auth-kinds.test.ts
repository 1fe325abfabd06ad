// IAM, Lambda authorizers and API keys in documents written for these tests (local/fixtures/auth-kinds: a
// REST API in YAML, an HTTP API in JSON), end to end: lint, the local stack, and the
// contract harness with no false failure and each "not run" reason it gives. Then real requests against the
// local gateway: what each kind lets through and refuses, as AWS does (the sources are cited where each rule
// lives: local/gateway/authorizers/*.ts), fail closed where nothing can be verified here. The same documents'
// synth (their authorizer functions' invoke permissions) is modules/authorizer-permissions.test.ts's: local/
// loads no cdktf.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runContract } from '../contract-tests/run';
import type { ContractReport } from '../contract-tests/report';
import { LOCAL_CREDENTIALS } from '../contract-tests/testing/local-stack';
import { lintSpec, loadApiModel } from '../openapi/model/load';
import type { SecuredApiProps } from '../stack/props';
import { startLocalStack, type LocalStack } from './stack';

const FIXTURES = path.join(__dirname, 'fixtures/auth-kinds');
const FUNCTIONS = path.join(FIXTURES, 'functions');
const REST = path.join(FIXTURES, 'rest.yaml');
const HTTP = path.join(FIXTURES, 'http.json');
/** API Gateway API keys are 20 to 128 characters. */
const API_KEY = 'local-usage-key-0001-abcdef';
const credentials = async () => LOCAL_CREDENTIALS;

const fn = (handler: string) => ({ sourceDir: FUNCTIONS, handler: `authorizers.${handler}` });
const CLIENTS: SecuredApiProps['clients'] = {
  web: {},
  machine: { generateSecret: true, oauthFlows: ['client_credentials'] },
};
const REST_FUNCTIONS = { echo: fn('echo'), 'token-auth': fn('token'), 'request-auth': fn('request') };
const HTTP_FUNCTIONS = { echo: fn('echo'), 'simple-auth': fn('simple'), 'policy-auth': fn('policy') };

function failedChecks(report: ContractReport): string[] {
  return report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`);
}

function omitted(report: ContractReport): Record<string, string> {
  return Object.fromEntries(report.omitted.map((o) => [`${o.operation} ${o.case}`, o.reason]));
}

async function withStack<T>(
  spec: string,
  props: SecuredApiProps,
  body: (stack: LocalStack & { outputsFile: string }) => Promise<T>,
  apiKeys?: string[],
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-auth-kinds-'));
  const stack = await startLocalStack({ spec, props, outputsFile: path.join(dir, 'outputs.json'), apiKeys });
  try {
    return await body({ ...stack, outputsFile: stack.outputsFile! });
  } finally {
    await stack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function call(
  stack: LocalStack,
  route: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(`${stack.outputs.api_url}${route}`, { headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

describe('REST API (YAML): IAM, token and request authorizers, API keys', () => {
  const props: SecuredApiProps = { spec: REST, clients: CLIENTS, functions: REST_FUNCTIONS };

  test('lints with no error, and the model holds each kind', async () => {
    const lint = await lintSpec(REST);
    expect(lint.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const model = await loadApiModel(REST);
    expect(Object.fromEntries(model.operations.map((o) => [o.id, o.auth.kind]))).toMatchObject({
      iamScheme: 'iam',
      iamExtension: 'iam',
      keyOnly: 'api_key',
      tokenAuthorized: 'lambda',
      requestAuthorized: 'lambda',
      cognitoAndKey: 'authorizer',
    });
  });

  test('the harness checks every unauthenticated case with no false failure and says which positive checks it cannot run', async () => {
    const report = await withStack(
      REST,
      props,
      async (stack) => {
        expect(stack.refused.map((r) => [r.operation, r.reason])).toEqual([
          ['iamScheme', expect.stringMatching(/^IAM \(AWS_IAM\): no SigV4 signature can be verified here/)],
          ['iamExtension', expect.stringMatching(/^IAM \(AWS_IAM\)/)],
          [
            'ghostAuthorized',
            expect.stringMatching(
              /^Lambda authorizer GhostAuth: no function `ghost-authorizer` in the project file; .*\(500\)/,
            ),
          ],
        ]);
        expect(stack.standIns).toEqual([]);
        return runContract({ spec: REST, outputsFile: stack.outputsFile, credentials });
      },
      [API_KEY],
    );
    expect(failedChecks(report)).toEqual([]);
    const ran = report.results.map((r) => r.name);
    for (const op of [
      'iamScheme',
      'iamExtension',
      'keyOnly',
      'tokenAuthorized',
      'requestAuthorized',
      'ghostAuthorized',
      'tokenAndKey',
    ])
      expect(ran).toContain(`${op} no-token`);
    expect(ran).toEqual(
      expect.arrayContaining([
        'cognitoAndKey no-token',
        'cognitoAndKey malformed',
        'cognitoAndKey no-api-key',
        'publicEcho public-no-token',
      ]),
    );
    const notRun = omitted(report);
    expect(notRun['iamScheme valid-token']).toBe(
      'IAM: the harness holds no AWS credentials to sign with (SigV4), and the local gateway can verify no signature',
    );
    expect(notRun['keyOnly valid-token']).toBe(
      'the harness holds no API key of a usage plan of the stage: give one in contract.apiKey of the project file (the key, or { env: NAME } to read it from a CI secret), or pass --api-key-env NAME',
    );
    expect(notRun['tokenAuthorized valid-token']).toBe(
      'Lambda authorizer TokenAuth: the harness cannot know what identity your authorizer accepts; give it in contract.lambdaAuthorizers.TokenAuth of the project file (headers: { Authorization: <value> })',
    );
    expect(notRun['cognitoAndKey valid-token']).toBe(
      'the method requires an API key and the harness holds no API key of a usage plan of the stage: give one in contract.apiKey of the project file (the key, or { env: NAME } to read it from a CI secret), or pass --api-key-env NAME',
    );
    // What AWS answers, asserted by the harness (headers too: contract-tests/other-auth-plan.test.ts) and met by the gateway.
    const expected = (name: string) => report.results.find((r) => r.name === name)?.expected;
    expect(expected('iamScheme no-token')).toEqual({ status: 403, body: '{"message":"Missing Authentication Token"}' });
    expect(expected('keyOnly no-token')).toEqual({ status: 403, body: '{"message":"Forbidden"}' });
    expect(expected('tokenAuthorized no-token')).toEqual({ status: 401, body: '{"message":"Unauthorized"}' });
    expect(expected('cognitoAndKey no-api-key')).toEqual({ status: 403, body: '{"message":"Forbidden"}' });
  }, 240_000);

  test('the gateway enforces each kind as AWS does, and fails closed', async () => {
    await withStack(
      REST,
      props,
      async (stack) => {
        // IAM: unsigned, a bearer token, and a SigV4 signature it cannot verify are all refused.
        const unsigned = await call(stack, '/iam');
        expect([unsigned.status, unsigned.json, unsigned.headers.get('x-amzn-errortype')]).toEqual([
          403,
          { message: 'Missing Authentication Token' },
          'MissingAuthenticationTokenException',
        ]);
        const signed = await call(stack, '/iam-extension', {
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261202/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
          'x-amz-date': '20261202T033000Z',
        });
        expect([signed.status, signed.headers.get('x-amzn-errortype')]).toEqual([403, 'InvalidSignatureException']);
        const bearer = await call(stack, '/iam', { authorization: 'Bearer not-a-signature' });
        expect([bearer.status, bearer.headers.get('x-amzn-errortype')]).toEqual([403, 'IncompleteSignatureException']);

        // API key alone: a known key passes, none or another is 403 Forbidden.
        expect((await call(stack, '/keyed', { 'x-api-key': API_KEY })).status).toBe(200);
        const wrongKey = await call(stack, '/keyed', { 'x-api-key': 'another-key-of-twenty-chars' });
        expect([wrongKey.status, wrongKey.json, wrongKey.headers.get('x-amzn-errortype')]).toEqual([
          403,
          { message: 'Forbidden' },
          'ForbiddenException',
        ]);

        // Token authorizer: the function's Allow passes with its context; Deny and no matching Allow are 403.
        const allowed = await call(stack, '/token', { authorization: 'allow-ada' });
        expect(allowed.status).toBe(200);
        const authorizer = allowed.json.authorizer as Record<string, unknown>;
        expect(authorizer).toMatchObject({ principalId: 'ada', tenant: 'acme', premium: 'true' });
        // Cached by token for authorizerResultTtlInSeconds: the same token on another method does not call it again.
        const again = await call(stack, '/token/other', { authorization: 'allow-ada' });
        expect((again.json.authorizer as Record<string, unknown>).calls).toBe(authorizer.calls);
        const denied = await call(stack, '/token', { authorization: 'deny' });
        expect([denied.status, denied.json, denied.headers.get('x-amzn-errortype')]).toEqual([
          403,
          { message: 'User is not authorized to access this resource with an explicit deny' },
          'AccessDeniedException',
        ]);
        const elsewhere = await call(stack, '/token', { authorization: 'elsewhere' });
        expect([elsewhere.status, elsewhere.json]).toEqual([
          403,
          { message: 'User is not authorized to access this resource' },
        ]);
        // identityValidationExpression refuses before the function runs; "Unauthorized" from the function is 401.
        expect((await call(stack, '/token', { authorization: 'Not Valid!' })).status).toBe(401);
        const unauthorized = await call(stack, '/token', { authorization: 'unauthorized' });
        expect([unauthorized.status, unauthorized.json]).toEqual([401, { message: 'Unauthorized' }]);

        // Request authorizer: both identity sources needed; the function decides on them.
        expect((await call(stack, '/request?user=ada')).status).toBe(401);
        expect((await call(stack, '/request', { 'x-tenant': 'acme' })).status).toBe(401);
        const tenant = await call(stack, '/request?user=ada', { 'x-tenant': 'acme' });
        expect([tenant.status, (tenant.json.authorizer as Record<string, unknown>).principalId]).toEqual([200, 'ada']);
        expect((await call(stack, '/request?user=ada', { 'x-tenant': 'other' })).status).toBe(403);

        // The authorizer's key counts only where the API key comes from it; this API reads the header.
        expect((await call(stack, '/token-keyed', { authorization: 'allow-ada' })).status).toBe(403);
        expect((await call(stack, '/token-keyed', { authorization: 'allow-ada', 'x-api-key': API_KEY })).status).toBe(
          200,
        );

        // No function for the authorizer: refused as when the authorizer fails.
        const ghost = await call(stack, '/ghost', { authorization: 'anything' });
        expect([ghost.status, ghost.json, ghost.headers.get('x-amzn-errortype')]).toEqual([
          500,
          { message: null },
          'AuthorizerConfigurationException',
        ]);
      },
      [API_KEY],
    );
  }, 120_000);

  test('a handler that throws, or answers no policy, is refused (500), never let through', async () => {
    await withStack(REST, props, async (stack) => {
      for (const token of ['crash', 'malformed']) {
        const reply = await call(stack, '/token', { authorization: token });
        expect([reply.status, reply.json, reply.headers.get('x-amzn-errortype')]).toEqual([
          500,
          { message: null },
          'AuthorizerConfigurationException',
        ]);
      }
      // Without local.apiKeys every key is unknown.
      expect((await call(stack, '/keyed', { 'x-api-key': API_KEY })).status).toBe(403);
    });
  }, 120_000);
});

describe('HTTP API (JSON): IAM and Lambda request authorizers of both payload formats', () => {
  const props: SecuredApiProps = { spec: HTTP, clients: CLIENTS, functions: HTTP_FUNCTIONS };

  test('lints clean, and the model holds each kind', async () => {
    const lint = await lintSpec(HTTP);
    expect(lint.problems).toEqual([]);
    const model = await loadApiModel(HTTP);
    expect(model.kind).toBe('http');
    expect(
      Object.values(model.lambdaAuthorizers).map((a) => [a.name, a.payloadFormatVersion, a.simpleResponses]),
    ).toEqual([
      ['SimpleAuth', '2.0', true],
      ['PolicyAuth', '1.0', false],
      ['GhostAuth', '2.0', true],
    ]);
  });

  test('the harness checks every unauthenticated case with no false failure and says which positive checks it cannot run', async () => {
    const report = await withStack(HTTP, props, async (stack) => {
      expect(stack.refused.map((r) => r.operation)).toEqual(['iamRoute', 'ghostAuthorized']);
      return runContract({ spec: HTTP, outputsFile: stack.outputsFile, credentials });
    });
    expect(failedChecks(report)).toEqual([]);
    expect(report.results.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'iamRoute no-token',
        'simpleAuthorized no-token',
        'policyAuthorized no-token',
        'ghostAuthorized no-token',
        'jwtRoute valid-token',
      ]),
    );
    expect(report.results.find((r) => r.name === 'iamRoute no-token')?.expected.status).toBe(403);
    expect(omitted(report)['policyAuthorized valid-token']).toBe(
      'Lambda authorizer PolicyAuth: the harness cannot know what identity your authorizer accepts; give it in contract.lambdaAuthorizers.PolicyAuth of the project file (headers: { X-Token: <value> })',
    );
  }, 240_000);

  test('the gateway enforces simple and policy answers, passes the context on, and fails closed', async () => {
    await withStack(HTTP, props, async (stack) => {
      const iam = await call(stack, '/iam');
      expect([iam.status, iam.json]).toEqual([403, { message: 'Forbidden' }]);

      const simple = await call(stack, '/simple', { authorization: 'open-sesame' });
      expect(simple.status).toBe(200);
      const context = (simple.json.authorizer as { lambda: Record<string, unknown> }).lambda;
      expect(context.route).toBe('GET/simple');
      expect(typeof context.calls).toBe('number');
      const cached = await call(stack, '/simple', { authorization: 'open-sesame' });
      expect((cached.json.authorizer as { lambda: Record<string, unknown> }).lambda.calls).toBe(context.calls);
      const refused = await call(stack, '/simple', { authorization: 'wrong' });
      expect([refused.status, refused.json]).toEqual([403, { message: 'Forbidden' }]);
      const crashed = await call(stack, '/simple', { authorization: 'crash' });
      expect([crashed.status, crashed.json]).toEqual([500, { message: 'Internal Server Error' }]);
      expect((await call(stack, '/simple')).status).toBe(401);

      expect((await call(stack, '/policy', { 'x-token': 'let-me-in' })).status).toBe(200);
      expect((await call(stack, '/policy', { 'x-token': 'no' })).status).toBe(403);

      const ghost = await call(stack, '/ghost', { authorization: 'anything' });
      expect([ghost.status, ghost.json]).toEqual([500, { message: 'Internal Server Error' }]);
    });
  }, 120_000);
});

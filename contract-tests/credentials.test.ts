// The project file's credentials (credentials.ts): read from literals and the environment, every problem at
// once at its path (never quoting a value), and the plan they make: the positive checks behind Lambda
// authorizers and API keys, or "not run" naming the path that would enable each. The same against the real
// local stack: credentials-e2e.test.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import { formatProblems, type Problem } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import type { StackOutputs } from '../stack/outputs';
import { bindAuthorizers } from './binding';
import { harnessValuesOf, loadHarnessConfig } from './config';
import { apiKeyFromFlag, credentialSecrets } from './credentials';
import { HarnessInputError } from './errors';
import { buildPlan, type PlanCredentials } from './plan';
import { Redactor } from './redact';

const FIXTURES = path.join(__dirname, 'fixtures', 'credentials');
const PROJECT = '/project/gatehouse.config.yaml';
const KEY = 'ci-usage-key-0001-abcdefgh';

let rest: ApiModel;
let http: ApiModel;
beforeAll(async () => {
  rest = await loadApiModel(path.join(FIXTURES, 'rest.yaml'));
  http = await loadApiModel(path.join(FIXTURES, 'http.yaml'));
});

function problemsOf(run: () => unknown): Problem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof HarnessInputError) return error.problems;
    throw error;
  }
  throw new Error('expected a HarnessInputError');
}

const where = (p: Problem) => `${p.file}#${p.pointer} [${p.rule}]`;

test('literals and { env: NAME } are read at run time, header names in any case', () => {
  const config = harnessValuesOf(
    {
      apiKey: { env: 'CI_API_KEY' },
      lambdaAuthorizers: {
        Pass: { headers: { 'x-pass': { env: 'CI_PASS' } } },
        Visitor: { headers: { 'X-Visitor': 'visitor-literal' }, query: { badge: 42 } },
      },
    },
    PROJECT,
    '/contract',
    rest,
    { CI_API_KEY: KEY, CI_PASS: 'pass-from-ci' },
  );
  expect(config.credentials).toEqual({
    apiKey: KEY,
    lambdaAuthorizers: {
      Pass: { headers: { 'x-pass': 'pass-from-ci' }, query: {} },
      Visitor: { headers: { 'X-Visitor': 'visitor-literal' }, query: { badge: '42' } },
    },
  });
  expect(harnessValuesOf({ operations: {} }, PROJECT, '/contract', rest, {}).credentials).toEqual({
    lambdaAuthorizers: {},
  });
});

test('every problem at once, each at its path, naming the variable or the identity sources, quoting no value', () => {
  const problems = problemsOf(() =>
    harnessValuesOf(
      {
        apiKey: { env: 'CI_API_KEY' },
        lambdaAuthorizers: {
          Pass: { headers: { 'X-Pass': { env: 'CI_PASS' }, Authorization: 'secret-bearer-value' } },
          Visitor: { headers: { 'X-Visitor': { env: 'CI_VISITOR' } } },
          Ghost: { headers: { Authorization: 'x' } },
        },
      },
      PROJECT,
      '/contract',
      rest,
      { CI_VISITOR: '' },
    ),
  );
  expect(problems.map(where)).toEqual([
    `${PROJECT}#/contract/apiKey/env [config-credential-env]`,
    `${PROJECT}#/contract/lambdaAuthorizers/Pass/headers/X-Pass/env [config-credential-env]`,
    `${PROJECT}#/contract/lambdaAuthorizers/Pass/headers/Authorization [config-identity-source]`,
    `${PROJECT}#/contract/lambdaAuthorizers/Visitor/headers/X-Visitor/env [config-credential-env]`,
    `${PROJECT}#/contract/lambdaAuthorizers/Visitor [config-identity-missing]`,
    `${PROJECT}#/contract/lambdaAuthorizers/Ghost [config-unknown-authorizer]`,
  ]);
  const text = formatProblems(problems);
  expect(problems[0].message).toBe('The environment variable CI_API_KEY (the API key) is not set.');
  expect(problems[3].message).toMatch(/CI_VISITOR .* is empty\./);
  expect(problems[2].message).toBe(
    'Lambda authorizer Pass reads no header "Authorization" (its identity sources: method.request.header.X-Pass).',
  );
  expect(problems[4].message).toMatch(/^Lambda authorizer Visitor also reads query badge: /);
  expect(problems[4].fix).toBe('Give headers: { X-Visitor: <value> }, query: { badge: <value> }.');
  expect(problems[5].fix).toMatch(
    /Its Lambda authorizers: Pass \(identity sources: method\.request\.header\.X-Pass\); Visitor \(identity sources: method\.request\.header\.X-Visitor, method\.request\.querystring\.badge\)\./,
  );
  expect(text).not.toContain('secret-bearer-value');
});

test('an API key of the wrong length, and values of the wrong shape, are refused without echoing them', () => {
  const problems = problemsOf(() =>
    harnessValuesOf(
      {
        apiKey: 'short-key-0123',
        lambdaAuthorizers: { Pass: { headers: { 'X-Pass': { env: 'A', also: 'B' } } }, Visitor: 'x' },
      },
      PROJECT,
      '',
      rest,
      {},
    ),
  );
  expect(problems.map((p) => [p.pointer, p.rule])).toEqual([
    ['/apiKey', 'config-api-key'],
    ['/lambdaAuthorizers/Pass/headers/X-Pass', 'config-credential'],
    ['/lambdaAuthorizers/Visitor', 'config-shape'],
  ]);
  expect(problems[0].message).toBe('An API Gateway API key is 20 to 128 characters (received: 14 characters).');
  expect(formatProblems(problems)).not.toContain('short-key-0123');
  // From the environment, the problem points at the variable.
  const fromEnv = problemsOf(() =>
    harnessValuesOf({ apiKey: { env: 'K' } }, PROJECT, '/contract', rest, { K: 'x'.repeat(129) }),
  );
  expect(fromEnv.map((p) => p.pointer)).toEqual(['/contract/apiKey/env']);
});

test('--api-key-env: the variable it names must be set and hold a key of an API key length', () => {
  expect(apiKeyFromFlag('CI_KEY', { CI_KEY: KEY })).toBe(KEY);
  expect(problemsOf(() => apiKeyFromFlag('CI_KEY', {})).map((p) => [p.file, p.rule, p.message])).toEqual([
    ['--api-key-env', 'api-key-env', 'The environment variable CI_KEY is not set.'],
  ]);
  expect(problemsOf(() => apiKeyFromFlag('CI_KEY', { CI_KEY: 'too-short' })).map((p) => p.message)).toEqual([
    'An API Gateway API key is 20 to 128 characters (received: 9 characters).',
  ]);
});

test('a config file of its own takes the credentials too, and the HTTP API its query identity source', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-credentials-'));
  try {
    const file = path.join(dir, 'gatehouse.contract.yaml');
    fs.writeFileSync(
      file,
      'lambdaAuthorizers:\n  Visitor:\n    headers: { x-visitor: { env: V } }\n    query: { Badge: b-0001 }\n',
    );
    expect(problemsOf(() => loadHarnessConfig(file, http, { V: 'visitor-1' })).map((p) => [p.pointer, p.rule])).toEqual(
      [
        // Query names are matched exactly: API Gateway passes them as sent.
        ['/lambdaAuthorizers/Visitor/query/Badge', 'config-identity-source'],
        ['/lambdaAuthorizers/Visitor', 'config-identity-missing'],
      ],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every credential value is registered with the redactor, also as it appears in a URL', () => {
  const redactor = new Redactor();
  const values = {
    apiKey: KEY,
    lambdaAuthorizers: { Visitor: { headers: { 'x-visitor': 'v/isitor +1' }, query: { badge: 'b&adge=0042' } } },
  };
  for (const secret of credentialSecrets(values)) redactor.add(secret, 'secret');
  const text = redactor.redact(
    `x-api-key: ${KEY}; ${'v/isitor +1'} /visitor?badge=${encodeURIComponent('b&adge=0042')} ${new URLSearchParams({ badge: 'b&adge=0042', v: 'v/isitor +1' }).toString()}`,
  );
  for (const leak of [KEY, 'v/isitor +1', 'b&adge=0042', 'b%26adge%3D0042', 'v%2Fisitor+%2B1'])
    expect(text).not.toContain(leak);
});

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
    token_endpoint: '',
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

function planOf(model: ApiModel, credentials?: PlanCredentials) {
  const out = outputs(model.kind);
  const plan = buildPlan(model, out, bindAuthorizers(model, out), { credentials });
  return {
    checks: Object.fromEntries(plan.checks.map((c) => [c.name, c])),
    omitted: Object.fromEntries(plan.omitted.map((o) => [`${o.operation} ${o.case}`, o.reason])),
  };
}

const IDENTITIES: PlanCredentials['lambdaAuthorizers'] = {
  Pass: { headers: ['X-Pass'], query: [] },
  Visitor: { headers: ['x-visitor'], query: ['badge'] },
};

test('with both credentials every positive check is planned: the identity, the key on success only, no-api-key without it', () => {
  const { checks, omitted } = planOf(rest, { apiKey: true, lambdaAuthorizers: IDENTITIES });
  expect(checks['passOnly valid-token']).toMatchObject({
    credential: { kind: 'lambda-identity', authorizer: 'Pass', headers: ['X-Pass'], query: [] },
    expected: { outcome: 'success', status: 200 },
  });
  expect(checks['passOnly valid-token'].apiKey).toBeUndefined();
  expect(checks['keyOnly valid-token']).toMatchObject({ credential: { kind: 'none' }, apiKey: true });
  expect(checks['passAndKey valid-token']).toMatchObject({
    apiKey: true,
    description: expect.stringMatching(/with the API key of contract\.apiKey as x-api-key$/),
  });
  expect(checks['passAndKey no-api-key']).toMatchObject({
    credential: { kind: 'lambda-identity', authorizer: 'Pass' },
    expected: { status: 403, body: { json: { message: 'Forbidden' } } },
  });
  expect(checks['passAndKey no-api-key'].apiKey).toBeUndefined();
  // Cognito + key: successes carry the key, rejections and no-api-key do not.
  const cognito = Object.values(checks).filter((c) => c.operation.id === 'cognitoAndKey');
  expect(
    cognito
      .filter((c) => c.apiKey)
      .map((c) => c.case)
      .sort(),
  ).toEqual(['valid-token', 'valid-token-bearer']);
  expect(cognito.filter((c) => c.expected.outcome === 'rejected' && c.apiKey)).toEqual([]);
  expect(checks['cognitoAndKey no-api-key'].apiKey).toBeUndefined();
  expect(Object.keys(omitted).filter((k) => /valid-token$|no-api-key$/.test(k))).toEqual([]);
});

test('an identity without the key it also needs: the Lambda method runs no-api-key, its valid-token names contract.apiKey', () => {
  const { checks, omitted } = planOf(rest, { apiKey: false, lambdaAuthorizers: IDENTITIES });
  expect(checks['passOnly valid-token']).toBeDefined();
  expect(checks['passAndKey valid-token']).toBeUndefined();
  expect(omitted['passAndKey valid-token']).toMatch(
    /^the method requires an API key and .* contract\.apiKey of the project file/,
  );
  expect(checks['passAndKey no-api-key']).toBeDefined();
  expect(omitted['keyOnly valid-token']).toMatch(/contract\.apiKey/);
});

test('the key source AUTHORIZER: x-api-key is never sent, the identity brings the key', async () => {
  const model: ApiModel = { ...rest, apiKeySource: 'AUTHORIZER' };
  const { checks, omitted } = planOf(model, { apiKey: true, lambdaAuthorizers: IDENTITIES });
  expect(checks['passAndKey valid-token']).toBeDefined();
  expect(checks['passAndKey valid-token'].apiKey).toBeUndefined();
  expect(omitted['passAndKey no-api-key']).toMatch(/^the API key source is AUTHORIZER/);
  expect(omitted['keyOnly valid-token']).toMatch(/^the API key source is AUTHORIZER/);
  expect(omitted['cognitoAndKey valid-token']).toMatch(/which a Cognito authorizer does not give$/);
});

test('the HTTP API route gets its valid-token with the identity, and names the path without it', () => {
  expect(
    planOf(http, { apiKey: false, lambdaAuthorizers: { Visitor: IDENTITIES.Visitor } }).checks[
      'visitorRoute valid-token'
    ],
  ).toMatchObject({
    description: 'the identity contract.lambdaAuthorizers.Visitor gives (header x-visitor, query badge)',
  });
  expect(planOf(http).omitted['visitorRoute valid-token']).toBe(
    'Lambda authorizer Visitor: the harness cannot know what identity your authorizer accepts; give it in contract.lambdaAuthorizers.Visitor of the project file (headers: { X-Visitor: <value> }, query: { badge: <value> })',
  );
});

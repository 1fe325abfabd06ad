// Reading the outputs file (stack-keyed or flat, overrides), the config file and the requests built
// from the model's examples.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import { loadHarnessConfig } from './config';
import { HarnessInputError } from './errors';
import { CLI_CLIENT_NAME, loadOutputs } from './outputs-file';
import { buildOperationRequest, joinUrl } from './request';
import { Redactor, maskSecret } from './redact';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-inputs-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const flat = {
  api_url: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod/',
  api_kind: 'rest',
  stage: 'prod',
  region: 'eu-west-1',
  user_pool_id: 'eu-west-1_AAA',
  user_pool_arn: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AAA',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AAA',
  jwks_url: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AAA/.well-known/jwks.json',
  cognito_endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com',
  token_endpoint: 'https://d.auth.eu-west-1.amazoncognito.com/oauth2/token',
  hosted_ui_domain: 'd',
  hosted_ui_sign_in_url: '',
  // As a module that passed it through jsonencode() would write it.
  clients: JSON.stringify({
    web: { id: 'webid', has_secret: false, auth_flows: ['USER_PASSWORD_AUTH'], oauth_flows: [], oauth_scopes: [] },
  }),
  client_secrets: {},
};
function write(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

test('flat and stack-keyed outputs files read the same; overrides win; the stage path stays on the API URL', () => {
  const fromFlat = loadOutputs(write('flat.json', flat));
  const fromCdktf = loadOutputs(write('cdktf.json', { PetsStack: flat }));
  expect(fromCdktf).toEqual(fromFlat);
  expect(fromFlat.api_url).toBe('https://abc.execute-api.eu-west-1.amazonaws.com/prod');
  expect(fromFlat.clients.web.id).toBe('webid');
  const overridden = loadOutputs(write('o.json', flat), {
    overrides: { apiUrl: 'http://127.0.0.1:8080/dev', userPoolId: 'eu-west-1_BBB', clientId: 'otherid' },
  });
  expect(overridden).toMatchObject({ api_url: 'http://127.0.0.1:8080/dev', user_pool_id: 'eu-west-1_BBB' });
  expect(overridden.clients[CLI_CLIENT_NAME]).toMatchObject({ id: 'otherid', auth_flows: ['USER_PASSWORD_AUTH'] });
  expect(() => loadOutputs(write('two.json', { A: flat, B: flat }))).toThrow(
    /two\.json \[outputs-stack\]\n {2}Holds the outputs of several stacks \(A, B\)\./,
  );
  expect(
    loadOutputs(write('two2.json', { A: flat, B: { ...flat, user_pool_id: 'eu-west-1_CCC' } }), { stack: 'B' })
      .user_pool_id,
  ).toBe('eu-west-1_CCC');
  expect(() => loadOutputs(write('bad.json', { ...flat, issuer: 'not a url' }))).toThrow(
    /bad\.json#\/issuer \[outputs-field\]\n {2}Not an absolute http or https URL \(received: "not a url"\)\.\n {2}fix: /,
  );
  expect(() => loadOutputs(write('bad2.json', { ...flat, api_kind: 'websocket' }))).toThrow(HarnessInputError);
});

test('problems in an outputs file are structured: rule, the file, the pointer into it, message and fix', () => {
  const problemsOf = (load: () => unknown) => {
    try {
      load();
    } catch (error) {
      if (error instanceof HarnessInputError) return error.problems;
      throw error;
    }
    throw new Error('the outputs were accepted');
  };
  const file = write('kind.json', { PetsStack: { api: { ...flat, api_kind: 'websocket' } } });
  expect(problemsOf(() => loadOutputs(file))).toEqual([
    {
      severity: 'error',
      rule: 'outputs-field',
      file,
      pointer: '/PetsStack/api/api_kind',
      message: 'Neither "rest" nor "http" (received: "websocket").',
      fix: 'Use the outputs the gatehouse module wrote.',
    },
  ]);
  const clients = JSON.stringify({ 'a/b': { id: 'x', has_secret: false, auth_flows: 'USER_PASSWORD_AUTH' } });
  expect(problemsOf(() => loadOutputs(write('list.json', { ...flat, clients })))).toMatchObject([
    {
      rule: 'outputs-field',
      pointer: '/clients/a~1b/auth_flows',
      message: expect.stringContaining('"USER_PASSWORD_AUTH"'),
    },
  ]);
  expect(
    problemsOf(() => loadOutputs(write('flag.json', flat), { overrides: { apiUrl: 'localhost:8080/prod' } })),
  ).toMatchObject([
    { rule: 'flag-url', file: '--api-url', pointer: '', message: expect.stringContaining('"localhost:8080/prod"') },
  ]);
  expect(problemsOf(() => loadOutputs(write('flat-stack.json', flat), { stack: 'PetsStack' }))).toMatchObject([
    { rule: 'outputs-stack', file: '--stack', pointer: '' },
  ]);
});

test('requests: path parameters and bodies from the examples, config values win, greedy paths keep slashes', async () => {
  const model = await loadApiModel(PETS);
  const op = (id: string) => model.operations.find((o) => o.id === id)!;
  expect(buildOperationRequest(op('getPet'))).toEqual({
    method: 'GET',
    pathAndQuery: '/pets/1',
    headers: {},
    body: undefined,
  });
  expect(buildOperationRequest(op('createPet'))).toMatchObject({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"type":"dog","price":99.5}',
  });
  expect(
    buildOperationRequest(op('petstoreProxy'), { path: { proxy: 'pets/2 b' }, method: 'DELETE', query: { q: 'x' } }),
  ).toMatchObject({ method: 'DELETE', pathAndQuery: '/proxy/pets/2%20b?q=x' });
  expect(joinUrl('https://h/prod/', '/pets?x=1')).toBe('https://h/prod/pets?x=1');

  const configFile = path.join(tmp, 'gatehouse.contract.yaml');
  fs.writeFileSync(
    configFile,
    'operations:\n  getPet:\n    path: { petId: 7 }\n  POST /pets:\n    body: { type: cat, price: 1 }\n',
  );
  const config = loadHarnessConfig(configFile, model);
  expect(buildOperationRequest(op('getPet'), config.operations.getPet).pathAndQuery).toBe('/pets/7');
  expect(buildOperationRequest(op('createPet'), config.operations.createPet).body).toBe('{"type":"cat","price":1}');
  fs.writeFileSync(configFile, 'operations:\n  getPet:\n    method: POST\n');
  expect(() => loadHarnessConfig(configFile, model)).toThrow(
    /gatehouse\.contract\.yaml#\/operations\/getPet\/method \[config-method\]\n {2}The operation is GET \/pets\/\{petId\}; only ANY operations take a method \(received: "POST"\)\./,
  );
  fs.writeFileSync(configFile, 'operations:\n  getPet:\n    paths: {}\n');
  expect(() => loadHarnessConfig(configFile, model)).toThrow(
    /#\/operations\/getPet\/paths \[config-unknown-key\]\n {2}Unknown key "paths"\./,
  );
});

test('redaction: registered secrets and anything JWT-shaped are masked, also when cut off or inside structures', () => {
  const redactor = new Redactor();
  const password = 'Pa"ss\\word-123456';
  redactor.add(password, 'password');
  redactor.add('client-secret-abcdef', 'secret');
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  const text = redactor.redact(`pw=${password} secret=client-secret-abcdef token=${jwt} cut=${jwt.slice(0, 30)}`);
  expect(text).toBe(
    `pw=[password redacted, ${password.length} chars] secret=[secret redacted, 20 chars] token=${maskSecret(jwt)} cut=${maskSecret(jwt.slice(0, 30))}`,
  );
  expect(maskSecret(jwt)).toBe(`eyJhbG…(${jwt.length} chars)`);
  expect(JSON.stringify(redactor.redactValue({ list: [password], [jwt]: 1 }))).not.toMatch(/word-123456|eyJzdWIi/);
});

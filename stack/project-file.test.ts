// The project file: props and harness values read from gatehouse.config.yaml, every problem at once with
// the path in the file, and paths taken relative to the file's folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, formatProblems } from '../openapi/model/problems';
import { findProjectFile, loadProjectFile } from './project-file';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-project-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

function problemsOf(file: string): { rule: string; pointer: string; message: string; fix: string }[] {
  try {
    loadProjectFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems.map(({ rule, pointer, message, fix }) => ({ rule, pointer, message, fix }));
  }
  throw new Error('the project file was accepted');
}

test('props, the document and function folders are read relative to the file', () => {
  const file = write(
    'api/gatehouse.config.yaml',
    [
      'spec: orders.yaml',
      'stageName: dev',
      'clients:',
      '  web: {}',
      '  machine: { oauthFlows: [client_credentials] }',
      'functions:',
      '  orders: { sourceDir: lambda/orders, handler: index.handler }',
      'backends: { legacy: "https://legacy.example.com" }',
      'local: { backends: { legacy: "http://127.0.0.1:8080" } }',
      'contract: { operations: { getOrder: { path: { id: 7 } } } }',
    ].join('\n'),
  );
  const project = loadProjectFile(file, dir);
  expect(project.spec).toBe(path.join(dir, 'api', 'orders.yaml'));
  expect(project.props).toEqual({
    stageName: 'dev',
    clients: { web: {}, machine: { oauthFlows: ['client_credentials'] } },
    functions: { orders: { sourceDir: path.join('api', 'lambda', 'orders'), handler: 'index.handler' } },
    backends: { legacy: 'https://legacy.example.com' },
  });
  expect(project.localBackends).toEqual({ legacy: 'http://127.0.0.1:8080' });
  expect(project.contract).toEqual({ operations: { getOrder: { path: { id: 7 } } } });
});

test('local: urls rewrite document URL prefixes, forward opts hosts in; both must be http(s) URLs', () => {
  const good = write(
    'gatehouse.config.yaml',
    [
      'local:',
      '  urls: { "https://api.example.com/v1": "http://127.0.0.1:9000" }',
      '  forward: ["https://staging.example.com"]',
    ].join('\n'),
  );
  const project = loadProjectFile(good, dir);
  expect(project.localUrls).toEqual({ 'https://api.example.com/v1': 'http://127.0.0.1:9000' });
  expect(project.localForward).toEqual(['https://staging.example.com']);
  const bad = write(
    'bad/gatehouse.config.yaml',
    ['local:', '  urls: { "api.example.com": "http://127.0.0.1:9000" }', '  forward: [staging]', '  proxy: true'].join(
      '\n',
    ),
  );
  expect(problemsOf(bad).map((p) => [p.rule, p.pointer])).toEqual(
    expect.arrayContaining([
      ['config-value', '/local/urls/api.example.com'],
      ['config-value', '/local/forward/0'],
      ['config-unknown-key', '/local/proxy'],
    ]),
  );
});

test("variables: the document's template variable names, as it writes them, to placeholders or values", () => {
  const good = write(
    'gatehouse.config.yaml',
    [
      'variables:',
      '  OrdersFunction.Arn: "{{lambda:orders}}"',
      '  user_pool_arn: "{{userPoolArn}}"',
      '  timeout: "5000"',
    ].join('\n'),
  );
  expect(loadProjectFile(good, dir).variables).toEqual({
    'OrdersFunction.Arn': '{{lambda:orders}}',
    user_pool_arn: '{{userPoolArn}}',
    timeout: '5000',
  });
  expect(loadProjectFile(write('none/gatehouse.config.yaml', 'stageName: dev'), dir).variables).toEqual({});
  // A template variable is bound to text: an unquoted YAML number is not one.
  const bad = write('bad/gatehouse.config.yaml', ['variables:', '  timeout: 5000'].join('\n'));
  expect(problemsOf(bad).map((p) => [p.rule, p.pointer])).toEqual([['config-value', '/variables/timeout']]);
});

test('every unknown key and wrong value is reported at once, with its path and what is allowed there', () => {
  const file = write(
    'gatehouse.config.yaml',
    [
      'stage: prod',
      'userPool:',
      '  passwordPolicy: { minLength: 14 }',
      '  mfa: sometimes',
      'clients:',
      '  web: { oauthFlows: [password] }',
    ].join('\n'),
  );
  const problems = problemsOf(file);
  expect(problems.map((p) => [p.rule, p.pointer])).toEqual(
    expect.arrayContaining([
      ['config-unknown-key', '/stage'],
      ['config-unknown-key', '/userPool/passwordPolicy/minLength'],
      ['config-value', '/userPool/mfa'],
      ['config-value', '/clients/web/oauthFlows/0'],
    ]),
  );
  expect(problems).toHaveLength(4);
  const minLength = problems.find((p) => p.pointer === '/userPool/passwordPolicy/minLength')!;
  expect(minLength.fix).toContain('minimumLength');
  const stage = problems.find((p) => p.pointer === '/stage')!;
  expect(stage.fix).toContain('stageName');
  expect(problems.find((p) => p.pointer === '/userPool/mfa')!.message).toContain('(received: "sometimes")');
});

test('a YAML error and a missing file are problems of the file, not stack traces', () => {
  const broken = write('gatehouse.config.yaml', 'clients: { web: {\n');
  expect(problemsOf(broken)[0].rule).toBe('config-not-yaml');
  const missing = path.join(dir, 'nowhere.yaml');
  const [problem] = problemsOf(missing);
  expect(problem.rule).toBe('config-file-missing');
  try {
    loadProjectFile(missing);
  } catch (error) {
    expect(formatProblems((error as InputError).problems)).toContain('nowhere.yaml [config-file-missing]');
  }
});

test('the project file beside a document is found by its name', () => {
  const spec = write('openapi/orders.yaml', 'openapi: 3.0.3\n');
  expect(findProjectFile(spec)).toBeUndefined();
  const config = write('openapi/gatehouse.config.yaml', 'stageName: dev\n');
  expect(findProjectFile(spec)).toBe(config);
});

// The command line as a person meets it: help on every command, the version, one exit code per outcome, and
// nothing from dependencies on stdout or stderr.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'gatehouse.js');
const COMMANDS = ['lint', 'synth', 'local', 'contract', 'start'];

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function gatehouse(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('gatehouse --version prints the package version', async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const ran = await gatehouse(['--version']);
  expect(ran).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});

test.each(COMMANDS)('gatehouse %s --help describes the command and exits 0', async (command) => {
  const ran = await gatehouse([command, '--help']);
  expect(ran.code).toBe(0);
  expect(ran.stdout).toMatch(new RegExp(`^Usage: gatehouse ${command} `));
  expect(ran.stdout).toContain('-h, --help');
  expect(ran.stderr).toBe('');
});

test('gatehouse --help lists every command', async () => {
  const ran = await gatehouse(['--help']);
  expect(ran.code).toBe(0);
  for (const command of COMMANDS) expect(ran.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
});

test('an unknown option or command is bad input: exit 2, said once, with the usage', async () => {
  const option = await gatehouse(['local', '--nope']);
  expect(option.code).toBe(2);
  expect(option.stderr.match(/unknown option '--nope'/g)).toHaveLength(1);
  expect(option.stderr).toContain('Usage: gatehouse local');
  const command = await gatehouse(['deploy']);
  expect(command.code).toBe(2);
  expect(command.stderr).toContain("unknown command 'deploy'");
});

test('a bad document exits 2 from lint and from synth alike, writing nothing', async () => {
  const broken = 'openapi/broken/security-missing.yaml';
  const out = path.join(tmp, 'out');
  const lint = await gatehouse(['lint', broken]);
  const synth = await gatehouse(['synth', '--spec', broken, '--out', out]);
  expect([lint.code, synth.code]).toEqual([2, 2]);
  for (const ran of [lint, synth]) expect(ran.stderr).toContain('[security-missing]');
  expect(fs.existsSync(out)).toBe(false);
});

test('gatehouse synth writes cdk.tf.json from the project file, and no dependency notice is printed', async () => {
  const project = path.join(tmp, 'project');
  fs.mkdirSync(project);
  fs.copyFileSync(path.join(ROOT, 'openapi', 'pets.yaml'), path.join(project, 'pets.yaml'));
  fs.writeFileSync(
    path.join(project, 'gatehouse.config.yaml'),
    [
      'spec: pets.yaml',
      'stackName: shop',
      'stageName: dev',
      'clients:',
      '  web: {}',
      '  partner: { generateSecret: true }',
      '  machine: { oauthFlows: [client_credentials] }',
      'backends: { petstore: "https://petstore.example.com" }',
    ].join('\n'),
  );
  const out = path.join(tmp, 'synth-out');
  const ran = await gatehouse(['synth', '--config', path.join(project, 'gatehouse.config.yaml'), '--out', out]);
  expect(ran.code).toBe(0);
  const written = path.join(out, 'stacks', 'shop', 'cdk.tf.json');
  expect(ran.stdout.trim()).toBe(path.relative(ROOT, written));
  const tf = JSON.parse(fs.readFileSync(written, 'utf8')) as {
    resource: Record<string, Record<string, Record<string, unknown>>>;
  };
  expect(Object.values(tf.resource.aws_api_gateway_stage)[0].stage_name).toBe('dev');
  expect(Object.values(tf.resource.aws_cognito_user_pool_client).map((c) => c.name)).toEqual(
    expect.arrayContaining(['web', 'partner', 'machine']),
  );
  expect(ran.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK/);
});

test('props the project file gets wrong exit 2, naming the file and the path in it', async () => {
  const project = path.join(tmp, 'bad-props');
  fs.mkdirSync(project);
  fs.copyFileSync(path.join(ROOT, 'openapi', 'pets.yaml'), path.join(project, 'pets.yaml'));
  fs.writeFileSync(
    path.join(project, 'gatehouse.config.yaml'),
    'spec: pets.yaml\nuserPool: { passwordPolicy: { minimumLength: 3 } }\nbackends: { petstore: "https://x.example.com" }\n',
  );
  const ran = await gatehouse(['synth', '--config', path.join(project, 'gatehouse.config.yaml'), '--out', tmp]);
  expect(ran.code).toBe(2);
  expect(ran.stderr).toMatch(/gatehouse\.config\.yaml#\/userPool\/passwordPolicy\/minimumLength \[props-/);
  expect(ran.stderr).toContain('(received: 3)');
});

test("the project file's variables bind a SAM document's own template variables for lint, without editing it", async () => {
  const project = path.join(tmp, 'sam');
  fs.mkdirSync(project);
  fs.copyFileSync(
    path.join(ROOT, 'openapi', 'fixtures', 'templates', 'sam-orders.yaml'),
    path.join(project, 'api.yaml'),
  );
  const unbound = await gatehouse(['lint', path.join(project, 'api.yaml')]);
  expect(unbound.code).toBe(2);
  expect(unbound.stderr).toContain('ListOrdersFunction.Arn');
  fs.writeFileSync(
    path.join(project, 'gatehouse.config.yaml'),
    [
      'spec: api.yaml',
      'variables:',
      '  AWS::StackName: shop',
      '  ListOrdersFunction.Arn: "{{lambda:listOrders}}"',
      '  IntegrationTimeout: "10000"',
      '  CreateOrderFunction.Arn: "{{lambda:createOrder}}"',
      '  InvoiceServiceUrl: "{{backend:invoices}}"',
      '  UserPool.Arn: "{{userPoolArn}}"',
      '  PartnerAuthorizerFunction.Arn: "{{lambda:partnerAuth}}"',
    ].join('\n'),
  );
  const bound = await gatehouse(['lint', path.join(project, 'api.yaml')]);
  expect(bound.stderr).not.toContain('[template-variable');
  expect(bound.code).toBe(0);
});

test('gatehouse local listens on loopback only: any other --host is bad input, refused before anything starts', async () => {
  for (const host of ['10.0.0.1', '0.0.0.0', '127.example.com']) {
    const ran = await gatehouse([
      'local',
      '--spec',
      'openapi/pets.yaml',
      '--host',
      host,
      '--outputs',
      path.join(tmp, 'h.json'),
    ]);
    expect([host, ran.code]).toEqual([host, 2]);
    expect(ran.stderr).toContain(`--host [usage]`);
    expect(ran.stderr).toContain(`(received: ${host})`);
  }
  expect(fs.existsSync(path.join(tmp, 'h.json'))).toBe(false);
});

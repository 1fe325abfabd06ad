// `gatehouse local` as a user runs it: a child process that writes the outputs file, prints its URLs,
// serves the API on 127.0.0.1, and stops cleanly (exit 0, ports closed) on SIGINT or SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { StackOutputs } from '../stack/outputs';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'gatehouse.js');
// Each test starts `gatehouse local` as a child (tsx compiling the CLI, then the whole local stack), which
// startLocal gives START_DEADLINE_MS: 15-24 s per test measured with the machine shared at load 18
// (December 2026), above the suite's default, so the file waits for the deadline and a little more.
const START_DEADLINE_MS = 30_000;
jest.setTimeout(START_DEADLINE_MS + 15_000);

interface Started {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  outputs: StackOutputs;
  outputsFile: string;
}

async function startLocal(spec: string, flags: string[] = []): Promise<Started> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-local-cli-'));
  const outputsFile = path.join(dir, 'outputs.json');
  const child = spawn(process.execPath, [BIN, 'local', '--spec', spec, '--outputs', outputsFile, ...flags], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const deadline = Date.now() + START_DEADLINE_MS;
  while (!stdout.join('').includes('Ctrl-C to stop.')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`gatehouse local did not start:\n${stdout.join('')}${stderr.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const outputs = JSON.parse(fs.readFileSync(outputsFile, 'utf8')) as StackOutputs;
  return { child, stdout, stderr, outputs, outputsFile };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** The error code of a request to `url`: ECONNREFUSED once nothing listens; a timeout or an answer is not that. */
async function connectionError(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return `answered ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    return typeof cause?.code === 'string' ? cause.code : String(error);
  }
}

test.each(['SIGINT', 'SIGTERM'] as const)(
  'serves the API and the outputs file until %s, then stops cleanly',
  async (signal) => {
    const { child, stdout, stderr, outputs, outputsFile } = await startLocal('openapi/pets.yaml');
    try {
      // The document's one warning, once; no dependency's own notice (the AWS SDK's Node-version one).
      expect(stderr.join('').match(/\[rest-scopes-need-access-token\]/g)).toHaveLength(1);
      expect(stderr.join('')).not.toMatch(/NodeVersionSupportWarning|AWS SDK/);
      expect(stdout.join('')).toContain(outputs.api_url);
      expect(stdout.join('')).toMatch(/local stack up in \d+ ms/);
      expect(new URL(outputs.api_url).hostname).toBe('127.0.0.1');
      expect((fs.statSync(outputsFile).mode & 0o777).toString(8)).toBe('600'); // it holds client secrets
      // The printed text never carries a client secret.
      const secrets = Object.values(outputs.client_secrets);
      expect(secrets).toHaveLength(2); // partner's and machine's
      for (const secret of secrets) expect(stdout.join('')).not.toContain(secret);
      expect((await fetch(`${outputs.api_url}/health`)).status).toBe(200);
      expect((await fetch(`${outputs.api_url}/pets`)).status).toBe(401);
    } finally {
      child.kill(signal);
    }
    expect(await exitOf(child)).toBe(0);
    expect(stdout.join('')).toContain('local stack stopped');
    expect(await connectionError(`${outputs.api_url}/health`)).toBe('ECONNREFUSED');
    expect(await connectionError(outputs.cognito_endpoint)).toBe('ECONNREFUSED');
  },
);

test("--issuer aws: the outputs' issuer is AWS's for the local pool, its keys stay local", async () => {
  const { child, stdout, outputs } = await startLocal('openapi/pets.yaml', ['--issuer', 'aws']);
  try {
    expect(outputs.issuer).toBe(`https://cognito-idp.${outputs.region}.amazonaws.com/${outputs.user_pool_id}`);
    expect(new URL(outputs.jwks_url).hostname).toBe('127.0.0.1');
    expect(stdout.join('')).toContain(`keys (local)     ${outputs.jwks_url}`);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exitOf(child)).toBe(0);
});

test('a document that fails lint: exit 2, the problem with its pointer, no outputs file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-local-cli-'));
  const outputsFile = path.join(dir, 'outputs.json');
  const broken = path.join(ROOT, 'openapi', 'broken', 'security-missing.yaml');
  const child = spawn(process.execPath, [BIN, 'local', '--spec', broken, '--outputs', outputsFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  expect(await exitOf(child)).toBe(2);
  expect(stderr).toMatch(/security-missing\.yaml#\/paths\/\S+ \[security-missing\]/);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(fs.existsSync(outputsFile)).toBe(false);
});

test('props AWS would refuse: exit 2, each problem with its pointer and the value received, no outputs file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-local-cli-'));
  const outputsFile = path.join(dir, 'outputs.json');
  // A hosted-UI prefix holding "cognito", which Cognito refuses (a default one would be derived instead).
  const spec = path.join(dir, 'pets.yaml');
  fs.copyFileSync(path.join(ROOT, 'openapi', 'pets.yaml'), spec);
  const config = path.join(dir, 'gatehouse.config.yaml');
  fs.writeFileSync(
    config,
    'spec: pets.yaml\ndomain: { prefix: cognito-pets }\nbackends: { petstore: "https://petstore.example.com" }\n',
  );
  const child = spawn(process.execPath, [BIN, 'local', '--config', config, '--outputs', outputsFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  expect(await exitOf(child)).toBe(2);
  expect(stderr).toMatch(/error \S*gatehouse\.config\.yaml#\/domain\S* \[props-domain-prefix\]/);
  expect(stderr).toContain('(received: "cognito-pets")');
  expect(stderr).toMatch(/\n {2}fix: Set domain.prefix to another prefix\./);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(fs.existsSync(outputsFile)).toBe(false);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('prints the codes the local Cognito would have mailed', async () => {
  const { child, stdout, outputs } = await startLocal('openapi/pets.yaml');
  try {
    const sdk = new CognitoIdentityProviderClient({
      endpoint: outputs.cognito_endpoint,
      region: outputs.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const email = 'forgetful@example.com';
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: outputs.user_pool_id,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: outputs.user_pool_id,
        Username: email,
        Password: 'Forgetful-Passw0rd!',
        Permanent: true,
      }),
    );
    await sdk.send(new ForgotPasswordCommand({ ClientId: outputs.clients.web.id, Username: email }));
    const deadline = Date.now() + 5000;
    while (!/ForgotPassword code for forgetful@example\.com: \d{6}/.test(stdout.join('')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(stdout.join('')).toMatch(/\[cognito\] ForgotPassword code for forgetful@example\.com: \d{6}/);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exitOf(child)).toBe(0);
});

test("with the project file's apiDomain it prints the custom-domain URL, and says the API URL refuses when execute-api is off", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-local-domain-'));
  const config = path.join(dir, 'gatehouse.config.yaml');
  fs.writeFileSync(
    config,
    [
      `spec: ${JSON.stringify(path.join(ROOT, 'openapi', 'hello-http.yaml'))}`,
      'clients: { web: {}, spa: { oauthFlows: [code], callbackUrls: ["http://localhost:3000/callback"] }, machine: { generateSecret: true, oauthFlows: [client_credentials] } }',
      `functions: { hello: { sourceDir: ${JSON.stringify(path.join(ROOT, 'lambda', 'hello'))}, handler: index.handler } }`,
      'apiDomain:',
      '  domainName: api.example.com',
      '  certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc',
      '  basePath: v1',
      '  disableExecuteApiEndpoint: true',
      '',
    ].join('\n'),
  );
  const { child, stdout, outputs } = await startLocal(path.join(ROOT, 'openapi', 'hello-http.yaml'), [
    '--config',
    config,
  ]);
  try {
    expect(outputs.api_custom_domain_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(stdout.join('')).toContain(
      `  API (domain)     ${outputs.api_custom_domain_url} (the API URL above refuses every request: disableExecuteApiEndpoint)`,
    );
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exitOf(child)).toBe(0);
});

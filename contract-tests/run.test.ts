// runContract end to end over real HTTP: cognito-local, a client_credentials server and a gateway that
// follows AWS's rules — then the same gateway with a fault, to prove the harness catches it.
import * as path from 'node:path';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { runContract } from './run';
import { formatTable, toJUnit, toJson, progressLine, type ContractReport } from './report';
import { startFixtureStack, LOCAL_CREDENTIALS, type FixtureStack } from './testing/fixture-stack';
import type { GatewayFaults } from './testing/fake-gateway';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');
const HELLO = path.join(__dirname, '..', 'openapi', 'hello-http.yaml');
const credentials = async () => LOCAL_CREDENTIALS;

async function withStack<T>(spec: string, faults: GatewayFaults | undefined, body: (stack: FixtureStack) => Promise<T>): Promise<T> {
  const stack = await startFixtureStack({ spec, faults, extraPool: true });
  try {
    return await body(stack);
  } finally {
    await stack.stop();
  }
}

function failedCases(report: ContractReport): string[] {
  return report.results.filter((r) => !r.passed).map((r) => r.name).sort();
}

test('REST document: every check passes against a gateway that follows AWS, and the test user is gone afterwards', async () => {
  await withStack(PETS, undefined, async (stack) => {
    const report = await runContract({ spec: PETS, outputsFile: stack.outputsFile, credentials });
    expect(failedCases(report)).toEqual([]);
    const cases = new Set(report.results.map((r) => r.name));
    for (const name of ['listPets no-token', 'listPets valid-token', 'purchasePet valid-token', 'purchasePet missing-scope', 'getPet access-token-instead-of-id', 'health public-no-token', 'listPets other-pool', 'petstoreProxy alg-none'])
      expect(cases).toContain(name);
    expect(await stack.listUsers()).toEqual([]);
  });
});

test('HTTP API document: every check passes, with 403 for a missing scope and access tokens accepted through client_id', async () => {
  await withStack(HELLO, undefined, async (stack) => {
    const report = await runContract({ spec: HELLO, outputsFile: stack.outputsFile, credentials });
    expect(failedCases(report)).toEqual([]);
    const byName = new Map(report.results.map((r) => [r.name, r]));
    expect(byName.get('listReports missing-scope')?.got?.status).toBe(403);
    expect(byName.get('sayHello access-token-via-client-id')?.got?.status).toBe(200);
  });
});

test('a gateway that skips signature checks fails every forged-token check, and nothing else', async () => {
  await withStack(HELLO, { skipSignature: true }, async (stack) => {
    const report = await runContract({ spec: HELLO, outputsFile: stack.outputsFile, credentials });
    const failed = failedCases(report);
    for (const forged of ['alg-none', 'hs256-with-public-key', 'unknown-kid', 'jku-attacker-key', 'embedded-jwk-attacker-key', 'tampered-payload'])
      expect(failed).toContain(`sayHello ${forged}`);
    expect(failed.some((n) => n.endsWith('valid-token') || n.endsWith('no-token'))).toBe(false);
  });
});

test('a REST gateway answering 403 for a missing scope is flagged: AWS answers 401', async () => {
  await withStack(PETS, { restMissingScope403: true }, async (stack) => {
    const report = await runContract({ spec: PETS, outputsFile: stack.outputsFile, credentials, only: ['purchasePet'] });
    expect(failedCases(report)).toEqual(['purchasePet id-token-instead-of-access', 'purchasePet missing-scope']);
    const missing = report.results.find((r) => r.name === 'purchasePet missing-scope')!;
    expect(missing.problems[0]).toBe('status 403, expected 401');
    expect(formatTable(report)).toMatch(/purchasePet missing-scope \(POST \/purchase\)/);
  });
});

test('503s are retried with backoff until the answer comes; a 401 is taken at once', async () => {
  await withStack(PETS, { unavailableFirst: 2 }, async (stack) => {
    const report = await runContract({ spec: PETS, outputsFile: stack.outputsFile, credentials, only: ['health'], retry: { attempts: 4, baseDelayMs: 10, maxDelayMs: 50 } });
    expect(report.results.map((r) => [r.name, r.passed, r.attempts])).toEqual([['health public-no-token', true, 3]]);
    const again = await runContract({ spec: PETS, outputsFile: stack.outputsFile, credentials, only: ['listPets'], concurrency: 1 });
    expect(again.results.find((r) => r.name === 'listPets no-token')?.attempts).toBe(1);
  });
});

test('no token, password or secret appears in the console output, the JUnit or the JSON report, even when the API echoes them', async () => {
  await withStack(PETS, { echoHeaders: true }, async (stack) => {
    // An existing user (--user), so the test knows the password it must never find.
    const password = 'Known-Passw0rd!-for-the-scan';
    const admin = new CognitoIdentityProviderClient({ endpoint: stack.outputs.cognito_endpoint, region: 'local-1', credentials: LOCAL_CREDENTIALS });
    const user = await admin.send(new AdminCreateUserCommand({ UserPoolId: stack.outputs.user_pool_id, Username: 'scan@example.com', MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: stack.outputs.user_pool_id, Username: user.User!.Username!, Password: password, Permanent: true }));
    admin.destroy();
    const lines: string[] = [];
    const report = await runContract({ spec: PETS, outputsFile: stack.outputsFile, credentials, existingUser: { username: 'scan@example.com', password }, log: (l) => lines.push(l), onResult: (r) => lines.push(progressLine(r)) });
    const written = [lines.join('\n'), formatTable(report), toJUnit(report), toJson(report)].join('\n');
    // The gateway echoed real tokens into failing bodies, so the reports did receive them.
    expect(report.failed).toBeGreaterThan(0);
    expect(written).toContain('eyJ');
    const secrets = [...stack.tokenServer.issued, ...Object.values(stack.outputs.client_secrets), password];
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(written).not.toContain(secret);
    // Any JWT-shaped string left must be a mask: at most 6 characters of it.
    expect(written).not.toMatch(/eyJ[A-Za-z0-9_-]{6,}/);
  });
});

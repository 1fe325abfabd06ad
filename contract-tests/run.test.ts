// runContract end to end over real HTTP against the real local stack (local Cognito + local gateway); then
// against deployments that go wrong — a stack stood up from a drifted copy of the document, a proxy adding
// network faults in front of the real gateway, and a deliberately wrong gateway for the two authorizer faults
// a correct gateway cannot show — to prove the harness reports each where it happened.
import * as path from 'node:path';
import { AdminCreateUserCommand, AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import { bindAuthorizers } from './binding';
import { runContract } from './run';
import { formatTable, toJUnit, toJson, progressLine, type ContractReport } from './report';
import type { CheckCase } from './expectations';
import { startFakeGateway, type GatewayFaults } from './testing/fake-gateway';
import { startFaultProxy, type ProxyFaults, type FaultProxy } from './testing/fault-proxy';
import { addPartnerPoolOperation, writeDocumentVariant } from './testing/document-variant';
import { cognitoAdmin, listUsers, LOCAL_CREDENTIALS, withTestStack, type TestStack } from './testing/local-stack';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');
const HELLO = path.join(__dirname, '..', 'openapi', 'hello-http.yaml');
const credentials = async () => LOCAL_CREDENTIALS;
// Typed, so a case the harness drops cannot linger here unnoticed.
const FORGERIES: CheckCase[] = [
  'alg-none',
  'hs256-with-public-key',
  'unknown-kid',
  'jku-attacker-key',
  'embedded-jwk-attacker-key',
  'tampered-payload',
];

function failedChecks(report: ContractReport): string[] {
  return report.results
    .filter((r) => !r.passed)
    .map((r) => r.name)
    .sort();
}

async function withFaultProxy<T>(
  stack: TestStack,
  faults: ProxyFaults,
  body: (proxy: FaultProxy) => Promise<T>,
): Promise<T> {
  const proxy = await startFaultProxy(stack.outputs.api_url, faults);
  try {
    return await body(proxy);
  } finally {
    await proxy.stop();
  }
}

/** A wrong gateway verifying tokens against the stack's real local Cognito; returns its URL for --api-url. */
async function withFakeGateway<T>(
  stack: TestStack,
  faults: GatewayFaults,
  body: (apiUrl: string) => Promise<T>,
): Promise<T> {
  const gateway = await startFakeGateway({
    model: stack.model,
    authorizers: bindAuthorizers(stack.model, stack.outputs),
    poolIssuer: stack.outputs.issuer,
    jwksUrl: stack.outputs.jwks_url,
    stage: stack.outputs.stage,
    faults,
  });
  try {
    return await body(gateway.url);
  } finally {
    await gateway.stop();
  }
}

test('REST document: every check passes against the local stack, and the test user is gone afterwards', async () => {
  await withTestStack(PETS, async (stack) => {
    const report = await runContract({ spec: PETS, outputsFile: stack.outputsFile, credentials });
    expect(failedChecks(report)).toEqual([]);
    const names = new Set(report.results.map((r) => r.name));
    for (const name of [
      'listPets no-token',
      'listPets valid-token',
      'purchasePet valid-token',
      'purchasePet missing-scope',
      'getPet access-token-instead-of-id',
      'getPet client-outside-validation',
      'health public-no-token',
      'petstoreProxy alg-none',
    ])
      expect(names).toContain(name);
    expect(await listUsers(stack.outputs)).toEqual([]);
  });
});

test('HTTP API document: every check passes, with 403 for a missing scope and access tokens accepted through client_id', async () => {
  await withTestStack(HELLO, async (stack) => {
    const report = await runContract({ spec: HELLO, outputsFile: stack.outputsFile, credentials });
    expect(failedChecks(report)).toEqual([]);
    const byName = new Map(report.results.map((r) => [r.name, r]));
    expect(byName.get('listReports missing-scope')?.got?.status).toBe(403);
    expect(byName.get('sayHello access-token-via-client-id')?.got?.status).toBe(200);
    expect(byName.get('sayHello wrong-audience')?.got?.status).toBe(401);
  });
});

test('a real token from another user pool is refused: the other-pool check runs with the second pool the document names', async () => {
  // A second authorizer naming a pool by hard-coded ARN makes the local stack provision that pool too, so the
  // harness holds real tokens of a pool that listPets' authorizer does not trust (and listPartnerPets' does).
  const variant = writeDocumentVariant(PETS, addPartnerPoolOperation);
  try {
    await withTestStack(variant.file, async (stack) => {
      expect(Object.keys(stack.outputs.extra_pools ?? {})).toHaveLength(1);
      const report = await runContract({
        spec: variant.file,
        outputsFile: stack.outputsFile,
        credentials,
        only: ['listPets', 'listPartnerPets'],
      });
      expect(failedChecks(report)).toEqual([]);
      const otherPool = report.results.find((r) => r.name === 'listPets other-pool');
      expect(otherPool).toMatchObject({ passed: true, got: { status: 401 } });
      expect(report.results.find((r) => r.name === 'listPartnerPets valid-token')).toMatchObject({
        passed: true,
        got: { status: 200 },
      });
      // And the stack's own pool is the other pool for the partner authorizer.
      expect(report.results.find((r) => r.name === 'listPartnerPets other-pool')).toMatchObject({
        passed: true,
        got: { status: 401 },
      });
      // The ephemeral users of both pools were deleted.
      expect(await listUsers(stack.outputs)).toEqual([]);
      for (const pool of Object.values(stack.outputs.extra_pools ?? {})) expect(await listUsers(pool)).toEqual([]);
    });
  } finally {
    variant.remove();
  }
});

test("a stack deployed with one operation made public fails exactly that operation's rejection checks, and the report says where", async () => {
  // The linter refuses an operation with no security at all (secure by default), so "security removed" is
  // `security: []`, the explicit way to make an operation public.
  const drifted = writeDocumentVariant(PETS, (doc) =>
    doc.setIn(['paths', '/pets', 'get', 'security'], doc.createNode([])),
  );
  try {
    await withTestStack(drifted.file, async (stack) => {
      // The harness judges the stack by the ORIGINAL document.
      const report = await runContract({ spec: PETS, outputsFile: stack.outputsFile, credentials });
      const listPets = report.results.filter((r) => r.operation === 'listPets');
      const shouldBeRefused = listPets
        .filter((r) => r.expected.status === 401)
        .map((r) => r.name)
        .sort();
      expect(shouldBeRefused).toContain('listPets no-token');
      expect(shouldBeRefused.length).toBeGreaterThanOrEqual(10);
      expect(failedChecks(report)).toEqual(shouldBeRefused);
      // Checks that expect the call to go through still pass; every other operation passes in full.
      expect(listPets.filter((r) => r.expected.status === 200).every((r) => r.passed)).toBe(true);
      expect(report.results.filter((r) => r.operation !== 'listPets').every((r) => r.passed)).toBe(true);

      const noToken = report.results.find((r) => r.name === 'listPets no-token')!;
      expect(noToken).toMatchObject({
        method: 'GET',
        path: '/pets',
        case: 'no-token',
        expected: { status: 401 },
        got: { status: 200 },
        problems: expect.arrayContaining(['status 200, expected 401']),
      });
      const table = formatTable(report);
      expect(table).toMatch(/^listPets\s+no-token\s+401\s+200\s+FAIL$/m);
      expect(table).toContain('  listPets no-token (GET /pets): sent no token\n    status 200, expected 401');
      expect(table).toMatch(new RegExp(`${report.passed} passed, ${shouldBeRefused.length} failed`));
      expect(toJUnit(report)).toMatch(
        /<testcase classname="GET \/pets" name="listPets no-token" time="[0-9.]+">\s*<failure message="status 200, expected 401[^"]*">sent: no token/,
      );
    });
  } finally {
    drifted.remove();
  }
});

test('a gateway that skips signature checks fails every forged-token check, and nothing else', async () => {
  await withTestStack(HELLO, async (stack) => {
    await withFakeGateway(stack, { skipSignature: true }, async (apiUrl) => {
      const report = await runContract({
        spec: HELLO,
        outputsFile: stack.outputsFile,
        overrides: { apiUrl },
        credentials,
      });
      const forged = report.results
        .filter((r) => FORGERIES.includes(r.case))
        .map((r) => r.name)
        .sort();
      expect(forged).toEqual(expect.arrayContaining(['sayHello alg-none', 'listReports tampered-payload']));
      expect(failedChecks(report)).toEqual(forged);
    });
  });
});

test('a REST gateway answering 403 for a missing scope is flagged: AWS answers 401', async () => {
  await withTestStack(PETS, async (stack) => {
    await withFakeGateway(stack, { restMissingScope403: true }, async (apiUrl) => {
      const report = await runContract({
        spec: PETS,
        outputsFile: stack.outputsFile,
        overrides: { apiUrl },
        credentials,
        only: ['purchasePet'],
      });
      expect(failedChecks(report)).toEqual(['purchasePet id-token-instead-of-access', 'purchasePet missing-scope']);
      const missing = report.results.find((r) => r.name === 'purchasePet missing-scope')!;
      expect(missing.problems[0]).toBe('status 403, expected 401');
      expect(formatTable(report)).toMatch(/purchasePet missing-scope \(POST \/purchase\)/);
    });
  });
});

// The delays between attempts are not asserted (no timed assertions in tests); contract-tests/http.ts's
// delayFor computes them. This test proves what is retried and what is not, by the attempts each took.
test('503s are retried until the real answer comes; a 401 is taken at once', async () => {
  await withTestStack(PETS, async (stack) => {
    await withFaultProxy(stack, { unavailableFirst: 2 }, async (proxy) => {
      const retry = { attempts: 4, baseDelayMs: 10, maxDelayMs: 50 };
      const report = await runContract({
        spec: PETS,
        outputsFile: stack.outputsFile,
        overrides: { apiUrl: proxy.url },
        credentials,
        only: ['health'],
        retry,
      });
      expect(report.results.map((r) => [r.name, r.passed, r.attempts])).toEqual([['health public-no-token', true, 3]]);
      expect(proxy.requests).toHaveLength(3);
      const again = await runContract({
        spec: PETS,
        outputsFile: stack.outputsFile,
        overrides: { apiUrl: proxy.url },
        credentials,
        only: ['listPets'],
        concurrency: 1,
        retry,
      });
      expect(again.results.find((r) => r.name === 'listPets no-token')).toMatchObject({
        passed: true,
        attempts: 1,
        got: { status: 401 },
      });
    });
  });
});

test('no token, password or secret appears in the console output, the JUnit or the JSON report, even when the API echoes them', async () => {
  await withTestStack(PETS, async (stack) => {
    // An existing user (--user), so the test knows the password it must never find.
    const password = 'Known-Passw0rd!-for-the-scan';
    const admin = cognitoAdmin(stack.outputs);
    const user = await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.outputs.user_pool_id,
        Username: 'scan@example.com',
        MessageAction: 'SUPPRESS',
      }),
    );
    await admin.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: stack.outputs.user_pool_id,
        Username: user.User!.Username!,
        Password: password,
        Permanent: true,
      }),
    );
    admin.destroy();
    await withFaultProxy(stack, { echoHeaders: true }, async (proxy) => {
      const lines: string[] = [];
      const report = await runContract({
        spec: PETS,
        outputsFile: stack.outputsFile,
        overrides: { apiUrl: proxy.url },
        credentials,
        existingUser: { username: 'scan@example.com', password },
        log: (l) => lines.push(l),
        onResult: (r) => lines.push(progressLine(r)),
      });
      const written = [lines.join('\n'), formatTable(report), toJUnit(report), toJson(report)].join('\n');
      // Every real token the harness sent (all went through the proxy), each echoed back in a body.
      const sent = proxy.requests
        .flatMap((h) => [h.authorization, h['x-pets-token']])
        .flatMap((v) => (typeof v === 'string' ? (v.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? []) : []));
      expect(new Set(sent).size).toBeGreaterThan(3);
      expect(report.failed).toBeGreaterThan(0);
      expect(written).toContain('eyJ');
      const secrets = [...new Set(sent), ...Object.values(stack.outputs.client_secrets), password];
      for (const secret of secrets) expect(written).not.toContain(secret);
      // Any JWT-shaped string left must be a mask: at most 6 characters of it.
      expect(written).not.toMatch(/eyJ[A-Za-z0-9_-]{6,}/);
    });
  });
});

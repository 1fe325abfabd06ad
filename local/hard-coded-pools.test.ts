// Documents that name their pool themselves run locally: the local stack stands in for each pool with a
// local one whose tokens carry that pool's AWS issuer (and, for a jwt audience, its client ids), and the
// contract harness, reading only the outputs file, passes every check with those tokens.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { runContract } from '../contract-tests/run';
import type { ContractReport } from '../contract-tests/report';
import type { ResolvedClient } from '../stack/resolve';
import { createUser, STRONG_PASSWORD } from './cognito/test-support';
import { audienceClients } from './hard-coded-pools';
import { startLocalStack, type LocalStack } from './stack';

const REST_SPEC = path.join(__dirname, 'fixtures', 'hard-coded-rest.yaml');
const HTTP_SPEC = path.join(__dirname, 'fixtures', 'hard-coded-http.yaml');
// As the fixtures write them.
const REST_ARN = 'arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_Xy9Zt8Wv7';
const REST_ISSUER = 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_Xy9Zt8Wv7';
const HTTP_ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123dEf';
const HTTP_ARN = 'arn:aws:cognito-idp:eu-west-1:000000000000:userpool/eu-west-1_AbC123dEf';
const WEB_ID = '4hardcodedwebclient0000000';
const MACHINE_ID = '5hardcodedmachineclient000';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

async function withStack<T>(
  spec: string,
  body: (stack: LocalStack & { outputsFile: string }) => Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-hard-coded-'));
  const stack = await startLocalStack({ spec, outputsFile: path.join(dir, 'outputs.json') });
  try {
    return await body({ ...stack, outputsFile: stack.outputsFile! });
  } finally {
    await stack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const failed = (report: ContractReport) =>
  report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`);
const result = (report: ContractReport, name: string) => report.results.find((r) => r.name === name);

/** A user of the pool signs in with the client; the ID token's claims, undecoded by any verifier. */
async function idTokenClaims(stack: LocalStack, poolId: string, clientId: string, email: string) {
  const sdk = new CognitoIdentityProviderClient({
    endpoint: stack.cognitoUrl,
    region: stack.outputs.region,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  try {
    await createUser(sdk, poolId, email);
    const signedIn = await sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: email, PASSWORD: STRONG_PASSWORD },
      }),
    );
    return decodeJwt(signedIn.AuthenticationResult!.IdToken!);
  } finally {
    sdk.destroy();
  }
}

test("REST: a providerARN written out gets a local pool issuing tokens with that pool's AWS issuer, and every check passes", async () => {
  await withStack(REST_SPEC, async (stack) => {
    const standIn = stack.outputs.extra_pools?.[REST_ARN];
    expect(standIn).toMatchObject({ issuer: REST_ISSUER, user_pool_arn: REST_ARN });
    expect(Object.keys(stack.outputs.extra_pools ?? {})).toEqual([REST_ARN]);

    const report = await runContract({
      spec: REST_SPEC,
      outputsFile: stack.outputsFile,
      credentials: async () => LOCAL_CREDENTIALS,
    });
    expect(failed(report)).toEqual([]);
    // Real tokens of the stand-in passed (the gateway matches the pool by the token's iss) ...
    for (const name of ['listPets valid-token', 'purchasePet valid-token', 'purchasePet user-access-token-scoped'])
      expect(result(report, name)).toMatchObject({
        passed: true,
        got: { status: 200 },
        description: expect.stringContaining(`of pool ${REST_ARN}`),
      });
    // ... and the stack's own pool's were refused.
    expect(result(report, 'listPets other-pool')).toMatchObject({ passed: true, got: { status: 401 } });

    const claims = await idTokenClaims(
      stack,
      standIn!.user_pool_id,
      standIn!.clients.web.id,
      'rest-reader@example.com',
    );
    expect(claims.iss).toBe(REST_ISSUER);
  });
});

test('HTTP: a literal issuer and audience get a local pool with that issuer and those client ids; mixed with {{clientId:web}}, every check passes', async () => {
  await withStack(HTTP_SPEC, async (stack) => {
    const standIn = stack.outputs.extra_pools?.[HTTP_ARN];
    expect(Object.keys(stack.outputs.extra_pools ?? {})).toEqual([HTTP_ARN]);
    expect(standIn).toMatchObject({
      issuer: HTTP_ISSUER,
      user_pool_arn: HTTP_ARN,
      clients: { web: { id: WEB_ID }, machine: { id: MACHINE_ID, oauth_flows: ['client_credentials'] } },
    });
    // The JWKS stays local: nothing here reaches AWS.
    expect(standIn!.jwks_url.startsWith(stack.cognitoUrl)).toBe(true);
    expect(standIn!.client_secrets.machine).toBeTruthy();
    // Clients the audience does not list keep generated ids: tokens this authorizer refuses.
    expect(standIn!.clients.partner.id).not.toBe(WEB_ID);

    const report = await runContract({
      spec: HTTP_SPEC,
      outputsFile: stack.outputsFile,
      credentials: async () => LOCAL_CREDENTIALS,
    });
    expect(failed(report)).toEqual([]);
    for (const name of ['sayHello valid-token', 'listReports valid-token'])
      expect(result(report, name)).toMatchObject({
        passed: true,
        got: { status: 200 },
        description: expect.stringContaining(`of pool ${HTTP_ARN}`),
      });
    expect(result(report, 'sayHello wrong-audience')).toMatchObject({ passed: true, got: { status: 401 } });
    // The stack's own web client is in the audience through {{clientId:web}}, but its tokens carry the stack
    // pool's issuer: refused, as on AWS.
    expect(result(report, 'sayHello other-pool')).toMatchObject({
      passed: true,
      got: { status: 401 },
      description: expect.stringContaining('via client "web"'),
    });

    const claims = await idTokenClaims(stack, standIn!.user_pool_id, WEB_ID, 'http-reader@example.com');
    expect(claims).toMatchObject({ iss: HTTP_ISSUER, aud: WEB_ID });
  });
});

describe('which client each hard-coded audience id is', () => {
  const client = (name: string, settings: Partial<ResolvedClient> = {}): ResolvedClient => ({
    name,
    generateSecret: false,
    explicitAuthFlows: ['USER_PASSWORD_AUTH'],
    oauthFlows: [],
    oauthScopes: [],
    callbackUrls: [],
    logoutUrls: [],
    refreshTokenRotation: false,
    ...settings,
  });
  const props = {
    machine: client('machine', { generateSecret: true, explicitAuthFlows: [], oauthFlows: ['client_credentials'] }),
    web: client('web'),
    partner: client('partner', { generateSecret: true }),
  };

  test('the first id is the first user client, the second the machine client when routes need scopes', () => {
    expect(audienceClients(props, ['id-1', 'id-2'], true).clientIds).toEqual({ web: 'id-1', machine: 'id-2' });
  });

  test('without scoped routes the ids go to the user clients first, the machine client last', () => {
    expect(audienceClients(props, ['id-1', 'id-2'], false).clientIds).toEqual({ web: 'id-1', partner: 'id-2' });
  });

  test("ids beyond the props' clients are more clients with the first user client's settings", () => {
    const { clients, clientIds } = audienceClients(props, ['a', 'b', 'c', 'd'], true);
    expect(clientIds).toEqual({ web: 'a', machine: 'b', partner: 'c', 'web-2': 'd' });
    expect(clients['web-2']).toEqual({ ...props.web, name: 'web-2' });
    expect(Object.keys(clients).sort()).toEqual(['machine', 'partner', 'web', 'web-2']);
  });
});

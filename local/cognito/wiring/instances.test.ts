// Two local Cognito instances side by side: their own ports, pools, keys and data directories.
import { existsSync } from 'node:fs';
import { ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { createClient, createPool, createResourceServer, startTestCognito, type TestCognito } from '../test-support';

let a: TestCognito;
let b: TestCognito;

beforeAll(async () => {
  [a, b] = await Promise.all([startTestCognito(), startTestCognito()]);
});
afterAll(() => Promise.all([a.stop(), b.stop()]));

async function machineToken(t: TestCognito, poolId: string): Promise<string> {
  await createResourceServer(t.sdk, poolId, 'api', ['call']);
  const client = await createClient(t.sdk, poolId, {
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: ['api/call'],
  });
  const response = await fetch(t.cognito.tokenEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.ClientId}:${client.ClientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

test('each instance listens on its own loopback port and keeps its own pools', async () => {
  expect(a.cognito.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(a.cognito.url).not.toBe(b.cognito.url);
  expect(a.cognito.dataDirectory).not.toBe(b.cognito.dataDirectory);
  const poolA = await createPool(a.sdk, { PoolName: 'only-in-a' });
  expect(poolA).toMatch(new RegExp(`^${a.cognito.region}_[A-Za-z0-9]{9}$`));
  const inB = await b.sdk.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  expect(inB.UserPools?.map((p) => p.Name)).not.toContain('only-in-a');
});

test('each instance signs with fresh keys of its own: a token from one fails verification with the other', async () => {
  const [poolA, poolB] = await Promise.all([createPool(a.sdk), createPool(b.sdk)]);
  const tokenA = await machineToken(a, poolA);
  const jwksA = createRemoteJWKSet(new URL(a.cognito.jwksUrlOf(poolA)));
  const jwksB = createRemoteJWKSet(new URL(b.cognito.jwksUrlOf(poolB)));
  await expect(jwtVerify(tokenA, jwksA)).resolves.toBeDefined();
  await expect(jwtVerify(tokenA, jwksB)).rejects.toThrow();
});

test('stop closes the port and removes the data directory; a second stop is harmless', async () => {
  const c = await startTestCognito();
  await createPool(c.sdk);
  expect(existsSync(c.cognito.dataDirectory)).toBe(true);
  await c.stop();
  expect(existsSync(c.cognito.dataDirectory)).toBe(false);
  await expect(fetch(c.cognito.url)).rejects.toThrow();
  await expect(c.cognito.stop()).resolves.toBeUndefined();
});

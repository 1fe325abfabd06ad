// Token provider against the real local stack's Cognito: ephemeral and existing users through
// USER_PASSWORD_AUTH (with SECRET_HASH for a client that has a secret), machine tokens through
// client_credentials at the pool's token endpoint, caching and renewal, and the errors a user sees.
import * as path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  DescribeUserPoolCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { appProps } from '../stack/app-props';
import type { StackOutputs } from '../stack/outputs';
import { HarnessInputError } from './errors';
import { Redactor } from './redact';
import { MAIN_POOL, TokenProvider, adminCredentials, generatePassword, secretHash } from './tokens';
import { startFaultProxy } from './testing/fault-proxy';
import { cognitoAdmin, listUsers, LOCAL_CREDENTIALS, startTestStack, type TestStack } from './testing/local-stack';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');
// Longer than generatePassword's usual 24 characters, so a password that ignored the policy would be refused.
const POLICY_MINIMUM_LENGTH = 40;
const credentials = async () => LOCAL_CREDENTIALS;

let stack: TestStack;
let outputs: StackOutputs;
let admin: CognitoIdentityProviderClient;
let jwks: ReturnType<typeof createRemoteJWKSet>;

beforeAll(async () => {
  stack = await startTestStack(PETS, {
    props: { ...appProps(PETS), userPool: { passwordPolicy: { minimumLength: POLICY_MINIMUM_LENGTH } } },
  });
  outputs = stack.outputs;
  admin = cognitoAdmin(outputs);
  jwks = createRemoteJWKSet(new URL(outputs.jwks_url));
});

afterAll(async () => {
  admin?.destroy();
  await stack?.stop();
});

const provider = (options: Partial<ConstructorParameters<typeof TokenProvider>[0]> = {}) =>
  new TokenProvider({ outputs, redactor: new Redactor(), credentials, ...options });
const emails = async () => (await listUsers(outputs)).map((u) => u.email);
/** Verified against the pool's JWKS, as the gateway verifies it. */
const verified = async (token: string) => (await jwtVerify(token, jwks, { issuer: outputs.issuer })).payload;

test("an ephemeral user meeting the pool's password policy signs in through USER_PASSWORD_AUTH for ID and access tokens, and is deleted on close", async () => {
  const described = await admin.send(new DescribeUserPoolCommand({ UserPoolId: outputs.user_pool_id }));
  expect(described.UserPool?.Policies?.PasswordPolicy?.MinimumLength).toBe(POLICY_MINIMUM_LENGTH);
  const tokens = provider();
  const pair = await tokens.userTokens(MAIN_POOL, 'web');
  const id = await verified(pair.idToken);
  expect(id).toMatchObject({ token_use: 'id', aud: outputs.clients.web.id });
  expect(await verified(pair.accessToken)).toMatchObject({ token_use: 'access', client_id: outputs.clients.web.id });
  expect(String(id.email)).toMatch(/^gatehouse-contract-[0-9a-f]{12}@example\.com$/);
  expect(await emails()).toContain(id.email);
  // Cached per principal: a second call reuses the same tokens without signing in again.
  expect(await tokens.userTokens(MAIN_POOL, 'web')).toEqual(pair);
  await tokens.close();
  expect(await emails()).not.toContain(id.email);
});

test('close() lets a sign-in under way finish before deleting its user, and starts no sign-in after', async () => {
  // Cognito requests held 200 ms each, so close() comes while InitiateAuth is in flight. The local Cognito
  // writes a user back when a sign-in races its deletion: deleting without waiting would leave the user.
  const slow = await startFaultProxy(outputs.cognito_endpoint, { delayMs: 200 });
  try {
    const tokens = provider({ outputs: { ...outputs, cognito_endpoint: slow.url } });
    const signingIn = tokens.userTokens(MAIN_POOL, 'web');
    while (!slow.events.some((e) => e.startsWith('arrived') && e.endsWith('.InitiateAuth')))
      await new Promise((r) => setTimeout(r, 5));
    // Handled from the start: a rejection left unhandled while close() runs fails the test under jest 29.
    const late = expect(tokens.userTokens(MAIN_POOL, 'partner')).rejects.toThrow('the token provider is closed');
    await tokens.close();
    expect((await signingIn).idToken).toMatch(/^eyJ/);
    await late;
    const order = slow.events
      .filter((e) => /InitiateAuth|AdminDeleteUser/.test(e))
      .map((e) => e.replace(/ \S+\./, ' '));
    expect(order).toEqual([
      'arrived InitiateAuth',
      'answered InitiateAuth',
      'arrived AdminDeleteUser',
      'answered AdminDeleteUser',
    ]);
    expect(await listUsers(outputs)).toEqual([]);
  } finally {
    await slow.stop();
  }
});

test('a client with a secret signs the user in with SECRET_HASH; a wrong secret is refused by Cognito', async () => {
  expect(outputs.clients.partner.has_secret).toBe(true);
  const tokens = provider();
  const pair = await tokens.userTokens(MAIN_POOL, 'partner');
  expect(await verified(pair.idToken)).toMatchObject({ token_use: 'id', aud: outputs.clients.partner.id });
  await tokens.close();

  const wrong = provider({
    outputs: { ...outputs, client_secrets: { ...outputs.client_secrets, partner: 'not-the-partner-secret' } },
  });
  await expect(wrong.userTokens(MAIN_POOL, 'partner')).rejects.toThrow(/Unable to verify secret hash/);
  await wrong.close();
  expect(await listUsers(outputs)).toEqual([]);
});

test('an existing user (--user) signs in and is not deleted; its password is redacted', async () => {
  const email = 'existing-user@example.com';
  const password = 'Existing-user-Passw0rd!-long-enough-for-the-policy';
  const created = await admin.send(
    new AdminCreateUserCommand({ UserPoolId: outputs.user_pool_id, Username: email, MessageAction: 'SUPPRESS' }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: outputs.user_pool_id,
      Username: created.User!.Username!,
      Password: password,
      Permanent: true,
    }),
  );
  const redactor = new Redactor();
  const tokens = provider({ redactor, existingUser: { username: email, password } });
  expect((await verified((await tokens.userTokens(MAIN_POOL, 'web')).idToken)).email).toBe(email);
  await tokens.close();
  expect(await emails()).toContain(email);
  expect(redactor.redact(`password was ${password}`)).not.toContain(password);
});

test('machine tokens come from client_credentials with HTTP Basic, cached per scope set', async () => {
  // The token endpoint behind a recording proxy: each request's headers are kept.
  const recorder = await startFaultProxy(outputs.token_endpoint);
  try {
    const tokens = provider({ outputs: { ...outputs, token_endpoint: recorder.url } });
    const token = await tokens.machineToken(MAIN_POOL, 'machine', ['pets/purchase']);
    expect(await verified(token)).toMatchObject({
      client_id: outputs.clients.machine.id,
      scope: 'pets/purchase',
      token_use: 'access',
    });
    const basic = Buffer.from(`${outputs.clients.machine.id}:${outputs.client_secrets.machine}`).toString('base64');
    expect(recorder.requests.map((headers) => headers.authorization)).toEqual([`Basic ${basic}`]);
    // Every fetch gives a token with a new jti, so the same string back means it came from the cache.
    expect(await tokens.machineToken(MAIN_POOL, 'machine', ['pets/purchase'])).toBe(token);
    expect(await tokens.machineToken(MAIN_POOL, 'machine', ['pets/purchase', 'pets/purchase'])).toBe(token);
    expect(recorder.requests).toHaveLength(1);
    // Another scope set (none asked for: the client's every allowed scope) is its own cache entry.
    const other = await tokens.machineToken(MAIN_POOL, 'machine', []);
    expect(decodeJwt(other).jti).not.toBe(decodeJwt(token).jti);
    expect(await tokens.machineToken(MAIN_POOL, 'machine', [])).toBe(other);
    expect(await tokens.machineToken(MAIN_POOL, 'machine', ['pets/purchase'])).toBe(token);
    expect(recorder.requests.map((headers) => headers.authorization)).toEqual([`Basic ${basic}`, `Basic ${basic}`]);
    await tokens.close();
  } finally {
    await recorder.stop();
  }
});

test('a cached token closer to expiry than the refresh margin is fetched again', async () => {
  // Tokens live 3600 s; a margin longer than that makes every cached token "near expiry".
  const tokens = provider({ refreshMarginSeconds: 4000 });
  const first = await tokens.machineToken(MAIN_POOL, 'machine', ['pets/purchase']);
  const second = await tokens.machineToken(MAIN_POOL, 'machine', ['pets/purchase']);
  expect(decodeJwt(second).jti).not.toBe(decodeJwt(first).jti);
  const before = await tokens.userTokens(MAIN_POOL, 'web');
  const after = await tokens.userTokens(MAIN_POOL, 'web');
  expect(decodeJwt(after.idToken).jti).not.toBe(decodeJwt(before.idToken).jti);
  await tokens.close();
});

test("a scope the client may not request, or a wrong client secret, is reported with the token endpoint's error code", async () => {
  const tokens = provider();
  await expect(tokens.machineToken(MAIN_POOL, 'machine', ['pets/delete'])).rejects.toThrow(
    /refused client_credentials for client "machine".*400 invalid_scope/,
  );
  await tokens.close();
  const wrong = provider({
    outputs: { ...outputs, client_secrets: { ...outputs.client_secrets, machine: 'not-the-machine-secret' } },
  });
  await expect(wrong.machineToken(MAIN_POOL, 'machine', ['pets/purchase'])).rejects.toThrow(/400 invalid_client/);
  await wrong.close();
});

test('a client secret missing from the outputs is a configuration error naming the fix', async () => {
  const tokens = provider({ outputs: { ...outputs, client_secrets: {} } });
  await expect(tokens.preflight([{ pool: MAIN_POOL, client: 'machine', user: false }])).rejects.toThrow(
    HarnessInputError,
  );
  await expect(tokens.preflight([{ pool: MAIN_POOL, client: 'partner', user: true }])).rejects.toThrow(
    /--outputs-file-include-sensitive-outputs/,
  );
  // The problem points at the secret the outputs lack, in the file they came from.
  const fromFile = provider({
    outputs: { ...outputs, client_secrets: {} },
    source: { file: 'outputs.json', pointer: '/PetsStack/api' },
  });
  await expect(fromFile.preflight([{ pool: MAIN_POOL, client: 'machine', user: false }])).rejects.toMatchObject({
    problems: [
      { rule: 'outputs-client-secret', file: 'outputs.json', pointer: '/PetsStack/api/client_secrets/machine' },
    ],
  });
  await fromFile.close();
  await tokens.close();
});

test('SECRET_HASH is Base64(HMAC-SHA256(secret, username + client id))', () => {
  // Computed independently: printf 'alice@example.comclient123' | openssl dgst -sha256 -hmac s3cret -binary | base64
  expect(secretHash('alice@example.com', 'client123', 's3cret')).toBe('OJsdU5Cmhz0jOz+PgnvPRFD+ClD4UqnhxmnSQ+PLhHs=');
});

test('generated passwords meet the pool policy: length and every character class', () => {
  for (let i = 0; i < 50; i++) {
    const password = generatePassword({ MinimumLength: 40 });
    expect(password.length).toBeGreaterThanOrEqual(40);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[0-9]/);
    expect(password).toMatch(/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/);
  }
});

test('admin credentials: the default chain first; dummies only for a loopback Cognito', async () => {
  const noCredentials = async () => {
    throw new Error('Could not load credentials from any providers');
  };
  await expect(adminCredentials('http://127.0.0.1:9229', noCredentials)()).resolves.toEqual({
    accessKeyId: 'local',
    secretAccessKey: 'local',
  });
  await expect(adminCredentials('https://cognito-idp.eu-west-1.amazonaws.com', noCredentials)()).rejects.toThrow(
    HarnessInputError,
  );
  const real = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'chain-secret' };
  await expect(adminCredentials('http://127.0.0.1:9229', async () => real)()).resolves.toEqual(real);
});

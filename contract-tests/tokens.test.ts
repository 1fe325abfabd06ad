// Token provider against the real cognito-local (user tokens, user lifecycle) and a client_credentials
// token server speaking Cognito's protocol (machine tokens).
import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, CreateUserPoolCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import type { StackOutputs } from '../modules/outputs';
import { HarnessInputError } from './errors';
import { Redactor } from './redact';
import { MAIN_POOL, TokenProvider, adminCredentials, generatePassword, secretHash } from './tokens';
import type { CognitoLocal } from './testing/cognito-local';
import { startCognitoLocalProcess } from './testing/cognito-local-process';
import { startTokenServer, type TokenServer } from './testing/token-server';
import { LOCAL_CREDENTIALS } from './testing/fixture-stack';

const credentials = async () => LOCAL_CREDENTIALS;
let cognito: CognitoLocal;
let admin: CognitoIdentityProviderClient;
let tokenServer: TokenServer;
let outputs: StackOutputs;

beforeAll(async () => {
  cognito = await startCognitoLocalProcess();
  admin = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region: 'local-1', credentials: LOCAL_CREDENTIALS });
  const pool = await admin.send(
    new CreateUserPoolCommand({ PoolName: 'tokens', UsernameAttributes: ['email'], Policies: { PasswordPolicy: { MinimumLength: 30, RequireSymbols: true, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true } } }),
  );
  const poolId = pool.UserPool!.Id!;
  const web = await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }));
  tokenServer = await startTokenServer({
    issuer: cognito.issuerOf(poolId),
    keyPem: cognito.signingKeyPem,
    kid: cognito.signingKid,
    clients: [{ id: 'machine-id', secret: 'machine-secret-value', scopes: ['pets/read', 'pets/write'] }],
    expiresIn: 3600,
  });
  outputs = {
    api_url: 'http://127.0.0.1:1/unused',
    api_kind: 'rest',
    stage: 'prod',
    region: 'local-1',
    user_pool_id: poolId,
    user_pool_arn: `arn:aws:cognito-idp:local-1:000000000000:userpool/${poolId}`,
    issuer: cognito.issuerOf(poolId),
    jwks_url: `${cognito.issuerOf(poolId)}/.well-known/jwks.json`,
    cognito_endpoint: cognito.endpoint,
    token_endpoint: tokenServer.url,
    hosted_ui_domain: '',
    hosted_ui_sign_in_url: '',
    clients: {
      web: { id: web.UserPoolClient!.ClientId!, has_secret: false, auth_flows: ['USER_PASSWORD_AUTH'], oauth_flows: [], oauth_scopes: [] },
      machine: { id: 'machine-id', has_secret: true, auth_flows: [], oauth_flows: ['client_credentials'], oauth_scopes: ['pets/read', 'pets/write'] },
    },
    client_secrets: { machine: 'machine-secret-value' },
  };
});

afterAll(async () => {
  admin.destroy();
  await tokenServer.stop();
  await cognito.stop();
});

async function usernames(): Promise<string[]> {
  const listed = await admin.send(new ListUsersCommand({ UserPoolId: outputs.user_pool_id }));
  return (listed.Users ?? []).flatMap((u) => (u.Attributes ?? []).filter((a) => a.Name === 'email').map((a) => a.Value ?? ''));
}

test('an ephemeral user signs in through USER_PASSWORD_AUTH for ID and access tokens, and is deleted on close', async () => {
  const provider = new TokenProvider({ outputs, redactor: new Redactor(), credentials });
  const tokens = await provider.userTokens(MAIN_POOL, 'web');
  const id = decodeJwt(tokens.idToken);
  const access = decodeJwt(tokens.accessToken);
  expect(id).toMatchObject({ token_use: 'id', aud: outputs.clients.web.id, iss: outputs.issuer });
  expect(access).toMatchObject({ token_use: 'access', client_id: outputs.clients.web.id });
  expect(String(id.email)).toMatch(/^gatehouse-contract-[0-9a-f]{12}@example\.com$/);
  expect(await usernames()).toContain(id.email);
  // Cached per principal: a second call reuses the same tokens without signing in again.
  expect(await provider.userTokens(MAIN_POOL, 'web')).toEqual(tokens);
  await provider.close();
  expect(await usernames()).not.toContain(id.email);
});

test('an existing user (--user) signs in and is not deleted', async () => {
  const email = 'existing-user@example.com';
  const password = 'Existing-user-Passw0rd!';
  const created = await admin.send(new AdminCreateUserCommand({ UserPoolId: outputs.user_pool_id, Username: email, MessageAction: 'SUPPRESS' }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: outputs.user_pool_id, Username: created.User!.Username!, Password: password, Permanent: true }));
  const redactor = new Redactor();
  const provider = new TokenProvider({ outputs, redactor, credentials, existingUser: { username: email, password } });
  const tokens = await provider.userTokens(MAIN_POOL, 'web');
  expect(decodeJwt(tokens.idToken).email).toBe(email);
  await provider.close();
  expect(await usernames()).toContain(email);
  expect(redactor.redact(`password was ${password}`)).not.toContain(password);
});

test('machine tokens come from client_credentials with HTTP Basic, cached per scope set', async () => {
  const provider = new TokenProvider({ outputs, redactor: new Redactor(), credentials });
  const before = tokenServer.requests;
  const read = await provider.machineToken(MAIN_POOL, 'machine', ['pets/read']);
  expect(decodeJwt(read)).toMatchObject({ client_id: 'machine-id', scope: 'pets/read', token_use: 'access' });
  expect(await provider.machineToken(MAIN_POOL, 'machine', ['pets/read'])).toBe(read);
  const both = await provider.machineToken(MAIN_POOL, 'machine', ['pets/write', 'pets/read']);
  expect(decodeJwt(both).scope).toBe('pets/read pets/write');
  expect(await provider.machineToken(MAIN_POOL, 'machine', ['pets/read', 'pets/write'])).toBe(both);
  expect(tokenServer.requests - before).toBe(2);
  await provider.close();
});

test('a cached token closer to expiry than the refresh margin is fetched again', async () => {
  // Tokens live 3600 s; a margin longer than that makes every cached token "near expiry".
  const provider = new TokenProvider({ outputs, redactor: new Redactor(), credentials, refreshMarginSeconds: 4000 });
  const before = tokenServer.requests;
  await provider.machineToken(MAIN_POOL, 'machine', ['pets/read']);
  await provider.machineToken(MAIN_POOL, 'machine', ['pets/read']);
  expect(tokenServer.requests - before).toBe(2);
  const first = await provider.userTokens(MAIN_POOL, 'web');
  await new Promise((r) => setTimeout(r, 1100)); // a new iat, so a fresh sign-in gives a different token
  const second = await provider.userTokens(MAIN_POOL, 'web');
  expect(second.idToken).not.toBe(first.idToken);
  await provider.close();
});

test('a scope the client may not request is reported with the token endpoint\'s error code', async () => {
  const provider = new TokenProvider({ outputs, redactor: new Redactor(), credentials });
  await expect(provider.machineToken(MAIN_POOL, 'machine', ['pets/delete'])).rejects.toThrow(/refused client_credentials for client "machine".*400 invalid_scope/);
  await provider.close();
});

test('a client secret missing from the outputs is a configuration error naming the fix', async () => {
  const provider = new TokenProvider({ outputs: { ...outputs, client_secrets: {} }, redactor: new Redactor(), credentials });
  await expect(provider.preflight([{ pool: MAIN_POOL, client: 'machine', user: false }])).rejects.toThrow(HarnessInputError);
  await expect(provider.preflight([{ pool: MAIN_POOL, client: 'machine', user: false }])).rejects.toThrow(/--outputs-file-include-sensitive-outputs/);
  await provider.close();
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
  await expect(adminCredentials('http://127.0.0.1:9229', noCredentials)()).resolves.toEqual({ accessKeyId: 'local', secretAccessKey: 'local' });
  await expect(adminCredentials('https://cognito-idp.eu-west-1.amazonaws.com', noCredentials)()).rejects.toThrow(HarnessInputError);
  const real = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'chain-secret' };
  await expect(adminCredentials('http://127.0.0.1:9229', async () => real)()).resolves.toEqual(real);
});

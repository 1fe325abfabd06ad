// openid-client 6, unmodified from npm, in a Node app against the local stack of hello-http.yaml: discovery,
// client_credentials for the machine client (GET /reports with hello/read), the code flow with PKCE for the
// spa client driven over HTTP through the local hosted UI (GET /hello), refresh, userInfo and revocation. The
// app runs in a child Node (fixtures/openid-client-app.ts says why); this test is the person and the checker.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as readline from 'node:readline';
import { decodeJwt } from 'jose';
import { SPA_CALLBACK } from '../../stack/app-props';
import { startLocalStack, type LocalStack } from '../stack';
import type { CallFailure, OpenIdClientApp } from './fixtures/openid-client-app';
import { createUser, signInOverHttp } from './test-support';

const USER = { username: 'openid-client-user@example.com', password: 'Openid-Client-Passw0rd!' };
const USER_SCOPE = 'openid email';

let stack: LocalStack;
let child: ChildProcessWithoutNullStreams;
let childErrors = '';
const replies = new Map<number, (reply: { result?: unknown; failure?: CallFailure }) => void>();
let nextId = 0;

/** Calls the app in the child; resolves with its result, rejects with its failure (name, code, OAuth error). */
function call<K extends keyof OpenIdClientApp>(
  name: K,
  ...args: Parameters<OpenIdClientApp[K]>
): Promise<Awaited<ReturnType<OpenIdClientApp[K]>>> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    replies.set(id, (reply) =>
      reply.failure ? reject(reply.failure) : resolve(reply.result as Awaited<ReturnType<OpenIdClientApp[K]>>),
    );
    child.stdin.write(JSON.stringify({ id, name, args }) + '\n');
  });
}

beforeAll(async () => {
  child = spawn(
    process.execPath,
    ['--require', require.resolve('tsx/cjs'), `${__dirname}/fixtures/openid-client-app.ts`],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  child.stderr.on('data', (chunk: Buffer) => (childErrors += chunk.toString()));
  child.on('exit', (code) => {
    for (const settle of replies.values())
      settle({ failure: { name: 'ChildExited', message: `the app exited (${code}): ${childErrors}` } });
  });
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = JSON.parse(line) as { id: number; result?: unknown; failure?: CallFailure };
    replies.get(reply.id)?.(reply);
    replies.delete(reply.id);
  });
  stack = await startLocalStack({ spec: 'openapi/hello-http.yaml' });
  await createUser(stack.outputs, USER);
  const { issuer, clients, client_secrets } = stack.outputs;
  await call('discover', 'machine', { issuer, clientId: clients.machine.id, clientSecret: client_secrets.machine });
  await call('discover', 'spa', { issuer, clientId: clients.spa.id });
});

afterAll(async () => {
  child?.kill();
  await stack?.stop();
});

const api = (path: string, authorization: string) =>
  fetch(`${stack.outputs.api_url}${path}`, { headers: { authorization } });

test('discovery finds the pool issuer and its endpoints', async () => {
  const metadata = await call('discover', 'again', {
    issuer: stack.outputs.issuer,
    clientId: stack.outputs.clients.spa.id,
  });
  expect(metadata).toMatchObject({
    issuer: stack.outputs.issuer,
    token_endpoint: stack.outputs.token_endpoint,
    jwks_uri: stack.outputs.jwks_url,
    authorization_endpoint: `${stack.cognitoUrl}/oauth2/authorize`,
  });
});

test('client_credentials for the machine client: an access token with hello/read that GET /reports accepts', async () => {
  const tokens = await call('clientCredentials', 'machine', 'hello/read');
  // openid-client lower-cases token_type (Cognito sends Bearer).
  expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: expect.any(Number) });
  expect(tokens.id_token).toBeUndefined();
  expect(decodeJwt(tokens.access_token)).toMatchObject({
    token_use: 'access',
    client_id: stack.outputs.clients.machine.id,
    scope: 'hello/read',
  });
  expect((await api('/reports', `Bearer ${tokens.access_token}`)).status).toBe(200);
  // A scope the client is not allowed is refused, as Cognito refuses it.
  await expect(call('clientCredentials', 'machine', 'pets/purchase')).rejects.toMatchObject({ error: 'invalid_scope' });
});

test('code flow with PKCE through the hosted UI, GET /hello, refresh, userInfo, and a revoked refresh token refused', async () => {
  const authorizationUrl = await call('startSignIn', 'spa', SPA_CALLBACK, USER_SCOPE);
  expect(Object.fromEntries(new URL(authorizationUrl).searchParams)).toMatchObject({
    client_id: stack.outputs.clients.spa.id,
    response_type: 'code',
    code_challenge_method: 'S256',
  });
  const callback = await signInOverHttp(authorizationUrl, USER, SPA_CALLBACK);
  const tokens = await call('finishSignIn', 'spa', callback);
  // openid-client checked iss, aud, exp and the nonce it sent before handing the claims over.
  expect(tokens.claims).toMatchObject({
    iss: stack.outputs.issuer,
    aud: stack.outputs.clients.spa.id,
    email: USER.username,
    token_use: 'id',
  });
  expect(tokens.refresh_token).toEqual(expect.any(String));
  const hello = await api('/hello', `Bearer ${tokens.access_token}`);
  expect(hello.status).toBe(200);

  const refreshed = await call('refresh', 'spa', tokens.refresh_token!);
  expect(refreshed.access_token).not.toBe(tokens.access_token);
  expect(refreshed.claims?.sub).toBe(tokens.claims?.sub);
  expect((await api('/hello', `Bearer ${refreshed.access_token}`)).status).toBe(200);

  expect(await call('userInfo', 'spa', refreshed.access_token, String(tokens.claims?.sub))).toMatchObject({
    sub: tokens.claims?.sub,
    email: USER.username,
  });

  await call('revoke', 'spa', tokens.refresh_token!);
  await expect(call('refresh', 'spa', tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
});

test('a callback whose state is not the one the app sent is refused by openid-client before the code is sent', async () => {
  const authorizationUrl = await call('startSignIn', 'spa', SPA_CALLBACK, USER_SCOPE);
  const callback = await signInOverHttp(authorizationUrl, USER, SPA_CALLBACK);
  const forged = new URL(callback);
  forged.searchParams.set('state', 'forged-state');
  await expect(call('finishSignIn', 'spa', forged.toString())).rejects.toMatchObject({
    cause: expect.stringMatching(/"state"/),
  });
  // The code was never sent: the real callback still redeems it.
  expect((await call('finishSignIn', 'spa', callback)).claims).toMatchObject({ email: USER.username });
});

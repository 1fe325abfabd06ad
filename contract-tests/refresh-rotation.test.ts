// The harness against a stack whose user clients rotate refresh tokens (AppClientOptions.refreshTokenRotation):
// every check passes, and a token near expiry is renewed through GetTokensFromRefreshToken, not REFRESH_TOKEN_AUTH
// (which Cognito refuses for such clients), keeping the sign-in and taking each new refresh token.
import * as path from 'node:path';
import { decodeJwt } from 'jose';
import { appProps } from '../stack/app-props';
import type { SecuredApiProps } from '../stack/props';
import { Redactor } from './redact';
import { runContract } from './run';
import { MAIN_POOL, TokenProvider } from './tokens';
import { startFaultProxy } from './testing/fault-proxy';
import { LOCAL_CREDENTIALS, listUsers, startTestStack, type TestStack } from './testing/local-stack';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');
const credentials = async () => LOCAL_CREDENTIALS;

function rotatingProps(): SecuredApiProps {
  const props = appProps(PETS);
  return {
    ...props,
    clients: {
      ...props.clients,
      web: { refreshTokenRotation: true },
      partner: { generateSecret: true, refreshTokenRotation: { retryGracePeriodSeconds: 10 } },
    },
  };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack(PETS, { props: rotatingProps() });
});
afterAll(() => stack?.stop());

test('every check passes on a stack whose user clients rotate refresh tokens', async () => {
  const report = await runContract({ spec: PETS, outputsFile: stack.outputsFile, credentials });
  expect(report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`)).toEqual([]);
  expect(report.results.some((r) => r.name === 'listPets valid-token')).toBe(true);
  expect(await listUsers(stack.outputs)).toEqual([]);
});

test.each(['web', 'partner'])(
  'client "%s": tokens near expiry are renewed through GetTokensFromRefreshToken, keeping the sign-in',
  async (clientName) => {
    const proxy = await startFaultProxy(stack.outputs.cognito_endpoint);
    const log: string[] = [];
    // Tokens live an hour; a longer margin makes every cached pair "near expiry", so each call renews.
    const tokens = new TokenProvider({
      outputs: { ...stack.outputs, cognito_endpoint: proxy.url },
      redactor: new Redactor(),
      credentials,
      refreshMarginSeconds: 4000,
      log: (line) => log.push(line),
    });
    try {
      const pairs = [];
      for (let i = 0; i < 3; i++) pairs.push(await tokens.userTokens(MAIN_POOL, clientName));
      const claims = pairs.map((p) => decodeJwt(p.idToken));
      expect(new Set(claims.map((c) => c.jti)).size).toBe(3);
      // One sign-in: every renewal carries its auth_time and origin_jti.
      expect(new Set(claims.map((c) => `${c.auth_time} ${c.origin_jti}`)).size).toBe(1);
      const calls = proxy.events.filter((e) => e.startsWith('arrived') && /InitiateAuth|GetTokens/.test(e));
      expect(calls.map((e) => e.replace(/^arrived \S+\./, ''))).toEqual([
        'InitiateAuth',
        'GetTokensFromRefreshToken',
        'GetTokensFromRefreshToken',
      ]);
      // Had the harness kept the first refresh token, the second renewal would have been refused
      // (rotated away; web has no grace period) and it would have signed in again.
      expect(log.filter((l) => l.includes('GetTokensFromRefreshToken'))).toEqual([
        expect.stringContaining('the client rotates refresh tokens'),
        expect.stringContaining('the client rotates refresh tokens'),
      ]);
      expect(log.some((l) => l.includes('refused the refresh token'))).toBe(false);
    } finally {
      await tokens.close();
      await proxy.stop();
    }
  },
);

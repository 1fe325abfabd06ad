// The local Cognito's refresh tokens are bounded by their validity and revocation, not by how many
// sign-ins came before: expired grants and ended sign-ins are forgotten, revoked ones are refused with
// their own reason until they expire, and a sign-in leaves the pool's file on disk as it was (an earlier
// version appended every refresh token to the user's record and rewrote the pool's one JSON file whole).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GetTokensFromRefreshTokenCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ExpiryQueue } from './refresh-expiry';
import { MAX_ACCESS_TOKEN_LIFETIME_MS, RefreshGrants, type RefreshGrant } from './refresh-grants';
import { createClient, createPool, createUser, startTestCognito, STRONG_PASSWORD } from '../test-support';

const HOUR = 3_600_000;

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function grant(at: number, overrides: Partial<RefreshGrant> = {}): RefreshGrant {
  return {
    poolId: 'us-east-1_pool',
    clientId: 'client',
    username: 'alice',
    scopes: undefined,
    authTime: Math.floor(at / 1000),
    originJti: `origin-${Math.random()}`,
    expiresAt: at + HOUR,
    revoked: false,
    ...overrides,
  };
}

/** A sign-in as CognitoTokens.issue records it: the session, then its refresh token. */
function signIn(grants: RefreshGrants, token: string, g: RefreshGrant): void {
  grants.noteSession(g.poolId, g.username, g.originJti);
  grants.record(token, g);
}

test('expired refresh tokens and ended sign-ins are forgotten, so what is held is what is still valid', () => {
  const c = clock();
  const grants = new RefreshGrants(c.now);
  for (let i = 0; i < 1000; i++) signIn(grants, `old-${i}`, grant(c.now()));
  expect(grants.size).toEqual({ grants: 1000, sessions: 1000 });

  c.advance(HOUR + 1);
  signIn(grants, 'new', grant(c.now()));
  expect(grants.size.grants).toBe(1);
  expect(grants.refusal('old-0', 'client', c.now())).toBe('unknown');
  expect(grants.refusal('new', 'client', c.now())).toBeUndefined();

  // The sign-ins' access tokens may be valid for up to a day after their last issue: kept until then.
  expect(grants.size.sessions).toBe(1001);
  c.advance(MAX_ACCESS_TOKEN_LIFETIME_MS);
  signIn(grants, 'newest', grant(c.now()));
  expect(grants.size).toEqual({ grants: 1, sessions: 1 });
});

test('a revoked refresh token is refused as revoked until it expires, and its sign-in’s access tokens until they can', () => {
  const c = clock();
  const grants = new RefreshGrants(c.now);
  const g = grant(c.now(), { expiresAt: c.now() + 2 * HOUR });
  signIn(grants, 'token', g);
  grants.revoke('token');

  c.advance(HOUR);
  signIn(grants, 'other', grant(c.now()));
  expect(grants.refusal('token', 'client', c.now())).toBe('revoked');
  expect(grants.isRevokedOrigin(g.originJti)).toBe(true);

  c.advance(MAX_ACCESS_TOKEN_LIFETIME_MS - 2 * HOUR);
  signIn(grants, 'later', grant(c.now()));
  expect(grants.refusal('token', 'client', c.now())).toBe('unknown');
  expect(grants.isRevokedOrigin(g.originJti)).toBe(true);

  c.advance(2 * HOUR);
  signIn(grants, 'last', grant(c.now()));
  expect(grants.isRevokedOrigin(g.originJti)).toBe(false);
  expect(grants.size.sessions).toBeLessThanOrEqual(2);
});

test('a sign-in is remembered as long as its refresh token lasts, past the day its access tokens can', () => {
  const c = clock();
  const grants = new RefreshGrants(c.now);
  const g = grant(c.now(), { expiresAt: c.now() + 30 * 24 * HOUR });
  signIn(grants, 'token', g);
  grants.revoke('token');
  c.advance(20 * 24 * HOUR);
  grants.noteSession('unrelated', 'bob', 'unrelated-origin');
  expect(grants.isRevokedOrigin(g.originJti)).toBe(true);
});

test('global sign-out revokes every refresh token and sign-in of that user only, in every client', () => {
  const c = clock();
  const grants = new RefreshGrants(c.now);
  const web = grant(c.now(), { clientId: 'web' });
  const mobile = grant(c.now(), { clientId: 'mobile' });
  const bob = grant(c.now(), { username: 'bob' });
  signIn(grants, 'alice-web', web);
  signIn(grants, 'alice-mobile', mobile);
  signIn(grants, 'bob-web', bob);
  grants.noteSession('us-east-1_pool', 'alice', 'implicit-origin');

  grants.revokeAllOf('us-east-1_pool', 'alice');
  expect(grants.refusal('alice-web', 'web', c.now())).toBe('revoked');
  expect(grants.refusal('alice-mobile', 'mobile', c.now())).toBe('revoked');
  expect(grants.refusal('bob-web', 'client', c.now())).toBeUndefined();
  expect(grants.isRevokedOrigin('implicit-origin')).toBe(true);
  expect(grants.isRevokedOrigin(bob.originJti)).toBe(false);
});

test('the expiry queue gives keys back earliest first, only once they are due', () => {
  const queue = new ExpiryQueue();
  const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
  times.forEach((at, i) => queue.add(at, `k${i}`));
  expect(queue.takeDue(-1)).toEqual([]);
  const due = queue.takeDue(499);
  expect(due).toHaveLength(times.filter((t) => t <= 499).length);
  const dueTimes = due.map((key) => times[Number(key.slice(1))]);
  expect(dueTimes).toEqual([...dueTimes].sort((a, b) => a - b));
  expect(queue.size).toBe(500 - due.length);
});

test('signing in and refreshing leave the pool’s file on disk as it was', async () => {
  const t = await startTestCognito();
  try {
    const poolId = await createPool(t.sdk);
    const client = await createClient(t.sdk, poolId, {
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    await createUser(t.sdk, poolId, 'alice');
    const file = join(t.cognito.dataDirectory, `${poolId}.json`);
    const before = { text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs };
    let refreshToken = '';
    for (let i = 0; i < 25; i++) {
      const signedIn = await t.sdk.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: client.ClientId!,
          AuthParameters: { USERNAME: 'alice', PASSWORD: STRONG_PASSWORD },
        }),
      );
      refreshToken = signedIn.AuthenticationResult!.RefreshToken!;
    }
    await t.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.ClientId!, RefreshToken: refreshToken }));
    expect(readFileSync(file, 'utf8')).toBe(before.text);
    expect(statSync(file).mtimeMs).toBe(before.mtime);
    expect(before.text).not.toContain(refreshToken);
  } finally {
    await t.stop();
  }
});

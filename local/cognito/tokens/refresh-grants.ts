// What each refresh token this instance issued stands for: the pool, app client and user, the scopes of
// the sign-in (kept across refreshes, as Cognito keeps a hosted-UI sign-in's custom scopes), its expiry,
// whether it was revoked and whether rotation replaced it. cognito-local keeps refresh tokens only as a
// list on the user, with none of this.
//
// In memory, indexed, and bounded by validity: a grant is forgotten once it has expired (a revoked or
// rotated one is kept until then, so it is still refused with its own reason), a sign-in once none of its
// tokens can still be valid. So memory holds the tokens still valid, and no sign-in costs more because
// others came before it. Nothing persists across a restart, on purpose: a new instance signs with new keys,
// so no token of the old one verifies there, and the instance's data directory is removed on stop.
import { ExpiryQueue } from './refresh-expiry';

export interface RefreshGrant {
  poolId: string;
  clientId: string;
  username: string;
  /** The access token's scopes; undefined for an API sign-in (InitiateAuth), which grants the user-API scope. */
  scopes: readonly string[] | undefined;
  /** The sign-in's auth_time (epoch seconds) and origin_jti, carried by every token refreshed from it. */
  authTime: number;
  originJti: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  revoked: boolean;
  /** Set when refresh-token rotation replaced the token: it still works until `until` (the grace period). */
  rotated?: { until: number };
}

export type RefreshRefusal = 'unknown' | 'other-client' | 'revoked' | 'expired' | 'rotated';

/**
 * The longest an access or ID token of a sign-in can outlive the sign-in's last token issue: Cognito's
 * AccessTokenValidity and IdTokenValidity are at most one day (token-validity.ts), so a sign-in noted more
 * than a day ago whose refresh tokens have expired has no token left that Cognito's endpoints could accept.
 */
export const MAX_ACCESS_TOKEN_LIFETIME_MS = 86_400_000;

interface Session {
  userKey: string;
  /** Epoch ms after which no token of the sign-in is valid. */
  endsAt: number;
  revoked: boolean;
}

const userKeyOf = (poolId: string, username: string) => `${poolId}/${username}`;

export class RefreshGrants {
  private readonly byToken = new Map<string, RefreshGrant>();
  /** Refresh tokens by `<poolId>/<username>`, so global sign-out costs the user's tokens, not everyone's. */
  private readonly tokensByUser = new Map<string, Set<string>>();
  /** Every sign-in by origin_jti, refresh token or not (the implicit grant has none). */
  private readonly sessions = new Map<string, Session>();
  /** origin_jti of every sign-in, by `<poolId>/<username>`: global sign-out ends those without a refresh token too. */
  private readonly sessionsByUser = new Map<string, Set<string>>();
  private readonly tokenExpiries = new ExpiryQueue();
  private readonly sessionEnds = new ExpiryQueue();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Grants and sign-ins held (for tests and benchmarks: both stay bounded by the tokens still valid). */
  get size(): { grants: number; sessions: number } {
    return { grants: this.byToken.size, sessions: this.sessions.size };
  }

  /** Every sign-in the instance issues tokens for, refresh token or not (the implicit grant has none). */
  noteSession(poolId: string, username: string, originJti: string): void {
    const now = this.now();
    this.prune(now);
    this.extendSession(poolId, username, originJti, now + MAX_ACCESS_TOKEN_LIFETIME_MS);
  }

  record(token: string, grant: RefreshGrant): void {
    const now = this.now();
    this.prune(now);
    this.byToken.set(token, grant);
    const userKey = userKeyOf(grant.poolId, grant.username);
    let tokens = this.tokensByUser.get(userKey);
    if (!tokens) this.tokensByUser.set(userKey, (tokens = new Set()));
    tokens.add(token);
    this.tokenExpiries.add(grant.expiresAt, token);
    this.extendSession(grant.poolId, grant.username, grant.originJti, grant.expiresAt);
  }

  get(token: string): RefreshGrant | undefined {
    return this.byToken.get(token);
  }

  /** Why `token` cannot be used by `clientId` now, or undefined when it can. */
  refusal(token: string, clientId: string, now: number): RefreshRefusal | undefined {
    const grant = this.byToken.get(token);
    if (!grant) return 'unknown';
    if (grant.clientId !== clientId) return 'other-client';
    if (grant.revoked) return 'revoked';
    if (grant.expiresAt <= now) return 'expired';
    if (grant.rotated && grant.rotated.until <= now) return 'rotated';
    return undefined;
  }

  /**
   * Rotation replaced `token`: refused from `graceMs` after its first replacement on (a retry within the
   * grace period replaces it again, and does not extend the period).
   */
  rotate(token: string, now: number, graceMs: number): void {
    const grant = this.byToken.get(token);
    if (grant && !grant.rotated) grant.rotated = { until: now + graceMs };
  }

  revoke(token: string): void {
    const grant = this.byToken.get(token);
    if (!grant) return;
    grant.revoked = true;
    this.extendSession(grant.poolId, grant.username, grant.originJti, grant.expiresAt).revoked = true;
  }

  /** Global sign-out: every refresh token of the user, in every client of the pool, and every sign-in's access tokens. */
  revokeAllOf(poolId: string, username: string): void {
    const userKey = userKeyOf(poolId, username);
    for (const token of this.tokensByUser.get(userKey) ?? []) this.revoke(token);
    for (const originJti of this.sessionsByUser.get(userKey) ?? []) {
      const session = this.sessions.get(originJti);
      if (session) session.revoked = true;
    }
  }

  isRevokedOrigin(originJti: string): boolean {
    return this.sessions.get(originJti)?.revoked === true;
  }

  /** The sign-in `originJti`, created if new, lasting at least until `endsAt`. */
  private extendSession(poolId: string, username: string, originJti: string, endsAt: number): Session {
    const userKey = userKeyOf(poolId, username);
    let session = this.sessions.get(originJti);
    if (!session) {
      session = { userKey, endsAt, revoked: false };
      this.sessions.set(originJti, session);
      let sessions = this.sessionsByUser.get(userKey);
      if (!sessions) this.sessionsByUser.set(userKey, (sessions = new Set()));
      sessions.add(originJti);
      this.sessionEnds.add(endsAt, originJti);
    } else if (endsAt > session.endsAt) {
      // Its queued entry stays where it is: when it comes due, prune queues the session again at its new end.
      session.endsAt = endsAt;
    }
    return session;
  }

  /** Forgets expired grants and ended sign-ins; each costs O(log n) once, so the cost is spread over issues. */
  private prune(now: number): void {
    for (const token of this.tokenExpiries.takeDue(now)) {
      const grant = this.byToken.get(token);
      if (!grant || grant.expiresAt > now) continue;
      this.byToken.delete(token);
      removeFrom(this.tokensByUser, userKeyOf(grant.poolId, grant.username), token);
    }
    for (const originJti of this.sessionEnds.takeDue(now)) {
      const session = this.sessions.get(originJti);
      if (!session) continue;
      if (session.endsAt > now) {
        this.sessionEnds.add(session.endsAt, originJti);
        continue;
      }
      this.sessions.delete(originJti);
      removeFrom(this.sessionsByUser, session.userKey, originJti);
    }
  }
}

function removeFrom(index: Map<string, Set<string>>, key: string, value: string): void {
  const values = index.get(key);
  if (!values) return;
  values.delete(value);
  if (values.size === 0) index.delete(key);
}

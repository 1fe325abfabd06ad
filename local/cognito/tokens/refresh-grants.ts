// What each refresh token this instance issued stands for: the pool, app client and user, the scopes of
// the sign-in (kept across refreshes, as Cognito keeps a hosted-UI sign-in's custom scopes), its expiry,
// whether it was revoked and whether rotation replaced it. cognito-local keeps refresh tokens only as a
// list on the user, with none of this. In memory: the instance's tokens live exactly as long as the instance.

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

export class RefreshGrants {
  private readonly byToken = new Map<string, RefreshGrant>();
  /** origin_jti of revoked sign-ins: their access tokens are refused by Cognito's own endpoints. */
  private readonly revokedOrigins = new Set<string>();
  /** origin_jti of every sign-in, by `<poolId>/<username>`: global sign-out ends those without a refresh token too. */
  private readonly sessionsByUser = new Map<string, Set<string>>();

  /** Every sign-in the instance issues tokens for, refresh token or not (the implicit grant has none). */
  noteSession(poolId: string, username: string, originJti: string): void {
    const key = `${poolId}/${username}`;
    let sessions = this.sessionsByUser.get(key);
    if (!sessions) this.sessionsByUser.set(key, (sessions = new Set()));
    sessions.add(originJti);
  }

  record(token: string, grant: RefreshGrant): void {
    this.byToken.set(token, grant);
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
    this.revokedOrigins.add(grant.originJti);
  }

  /** Global sign-out: every refresh token of the user, in every client of the pool, and every sign-in's access tokens. */
  revokeAllOf(poolId: string, username: string): void {
    for (const [token, grant] of this.byToken)
      if (grant.poolId === poolId && grant.username === username) this.revoke(token);
    for (const originJti of this.sessionsByUser.get(`${poolId}/${username}`) ?? []) this.revokedOrigins.add(originJti);
  }

  isRevokedOrigin(originJti: string): boolean {
    return this.revokedOrigins.has(originJti);
  }
}

// An issuer's JWKS as jose's createRemoteJWKSet serves it (cached for a maximum age, fetched again for an
// unknown kid after a cooldown), but read within API Gateway's bounds: jose 5 has a timeout and no size
// limit, and a JWKS of any size was accepted.
import type { KeyObject } from 'node:crypto';
import { createLocalJWKSet, type JWSHeaderParameters } from 'jose';
import { errors } from 'jose';
import { BoundedFetchError, fetchWithin, type Bounds } from '../http/bounded-fetch';

export interface RemoteKeySetOptions extends Bounds {
  /** How long a fetched JWKS is used before it is fetched again. */
  cacheMaxAgeMs: number;
  /** An unknown kid fetches the JWKS again, but not more often than this (jose's default, 30 s). */
  cooldownMs?: number;
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

export class RemoteKeySet {
  private keys?: LocalKeySet;
  /** What getKey answered from `keys`, by alg then kid (jose chooses by those two): see keyAtHand. */
  private resolved = new Map<unknown, Map<unknown, KeyObject>>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private pending?: Promise<LocalKeySet>;
  private readonly cooldownMs: number;

  constructor(
    private readonly url: string,
    private readonly options: RemoteKeySetOptions,
  ) {
    this.cooldownMs = options.cooldownMs ?? 30_000;
  }

  /**
   * The key for a compact token's protected header, chosen as jose's local JWKS chooses it (kty from alg, kid,
   * alg, use, key_ops; imported once per key and alg) and, on Node, a KeyObject. Rejects with
   * BoundedFetchError when the JWKS cannot be read.
   */
  readonly getKey = async (header: Record<string, unknown>): Promise<KeyObject> => {
    const stale = !this.keys || Date.now() - this.fetchedAt > this.options.cacheMaxAgeMs;
    const keys = stale ? await this.reload() : (this.keys as LocalKeySet);
    const jwsHeader = header as JWSHeaderParameters;
    try {
      const key = (await keys(jwsHeader)) as KeyObject;
      // Not from a set another request's fetch has replaced meanwhile: that one's keys may lack it.
      if (keys === this.keys) this.remember(header, key);
      return key;
    } catch (error) {
      // A kid the cached set lacks may be a key the issuer rotated in since.
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() - this.fetchedAt < this.cooldownMs) throw error;
      return (await (
        await this.reload()
      )(jwsHeader)) as KeyObject;
    }
  };

  /**
   * The key getKey answered before for a header with this alg and kid, while the JWKS it came from is the
   * current one and fresh; undefined otherwise (then ask getKey). Synchronous, so that a fresh token whose key
   * is known is checked without a promise (bench/token-verify.ts).
   */
  keyAtHand(header: Record<string, unknown>): KeyObject | undefined {
    if (Date.now() - this.fetchedAt > this.options.cacheMaxAgeMs) return undefined;
    return this.resolved.get(header.alg)?.get(kidOf(header));
  }

  private remember(header: Record<string, unknown>, key: KeyObject): void {
    let byKid = this.resolved.get(header.alg);
    if (!byKid) this.resolved.set(header.alg, (byKid = new Map()));
    byKid.set(kidOf(header), key);
  }

  private reload(): Promise<LocalKeySet> {
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetch(): Promise<LocalKeySet> {
    const body = await fetchWithin(this.url, this.options);
    let keys: LocalKeySet;
    try {
      keys = createLocalJWKSet(JSON.parse(body.toString('utf8')) as Parameters<typeof createLocalJWKSet>[0]);
    } catch (error) {
      // Not the token's fault: the key source answered something that is no JWKS.
      throw new BoundedFetchError(
        `${this.url} is not a JWKS: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.keys = keys;
    this.resolved = new Map();
    this.fetchedAt = Date.now();
    return keys;
  }
}

/** jose's local JWKS matches on kid only when it is a string. */
const kidOf = (header: Record<string, unknown>) => (typeof header.kid === 'string' ? header.kid : undefined);

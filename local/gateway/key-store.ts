// Signature verification against issuers' JWKS, with two caches: each JWKS (as API Gateway caches keys)
// and each token already verified, so a busy client does not pay for RSA on every request. Keys and
// discovery documents are read within API Gateway's HTTP API quotas
// (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html): 1,500 ms for the JWKS and
// for OIDC discovery, 150,000 bytes of JWKS. REST's Cognito authorizer fetches its pool's keys itself and
// AWS documents no bound for it; the local gateway applies the same ones.
import type { KeyObject } from 'node:crypto';
import { errors, type JWTPayload } from 'jose';
import { BoundedFetchError, fetchWithin } from '../http/bounded-fetch';
import { parseCompactJws, type CompactJws } from './jws';
import { checkJwsHeader, verifyJwsSignature } from './jws-verify';
import { RemoteKeySet } from './remote-jwks';

/** HTTP API quota "Timeout for JSON Web Key Set endpoint". */
export const JWKS_TIMEOUT_MS = 1500;
/** HTTP API quota "Timeout for OpenID Connect discovery endpoint". */
export const DISCOVERY_TIMEOUT_MS = 1500;
/** HTTP API quota "Response size from JSON Web Key Set endpoint". */
export const JWKS_MAX_BYTES = 150_000;
/**
 * AWS names no size for the discovery document; it is bounded all the same, at the JWKS's size, so that an
 * issuer cannot make the gateway read without end.
 */
const DISCOVERY_MAX_BYTES = JWKS_MAX_BYTES;

export type Verification =
  | { ok: true; payload: JWTPayload }
  /** `invalid`: the token is at fault (signature, unknown kid, shape). `keys-unavailable`: the JWKS is. */
  | { ok: false; reason: 'invalid' | 'keys-unavailable'; detail: string };

export interface KeyStoreOptions {
  /** How long a fetched JWKS is used before it is fetched again. AWS: up to 2 hours. */
  jwksMaxAgeMs?: number;
  /** Timeout of one JWKS request. Default: API Gateway's, 1,500 ms. */
  jwksTimeoutMs?: number;
  /** Timeout of one OIDC discovery request. Default: API Gateway's, 1,500 ms. */
  discoveryTimeoutMs?: number;
  /** Largest JWKS read, in bytes. Default: API Gateway's, 150,000. */
  jwksMaxBytes?: number;
  /** How many verified tokens to remember. */
  verifiedTokenLimit?: number;
  /** How long a verified token is remembered at most (also bounded by its `exp`). */
  verifiedTokenTtlMs?: number;
}

/** jose errors that mean the token itself is bad; any other failure is the key source's. */
const TOKEN_FAULTS = new Set([
  errors.JWKSNoMatchingKey.code,
  errors.JWKSMultipleMatchingKeys.code,
  errors.JWSSignatureVerificationFailed.code,
  errors.JWSInvalid.code,
  errors.JWTInvalid.code,
  errors.JOSEAlgNotAllowed.code,
  errors.JOSENotSupported.code,
]);

interface Remembered {
  /** The whole token verified: a hit must be byte-identical to it. */
  token: string;
  jwksUrl: string;
  alg: string;
  payload: JWTPayload;
  until: number;
}

/**
 * How many characters from the token's end key the cache: the end of the signature (128 bits of it), which
 * differs between any two tokens a key signed. Hashing the whole token (~750-1,100 characters for Cognito's)
 * on every request cost more than the rest of the cached check; the entry keeps the whole token, and a hit
 * is only a token equal to it character for character.
 */
const CACHE_KEY_CHARS = 24;
const cacheKey = (token: string) => token.slice(-CACHE_KEY_CHARS);

/**
 * Slots of the table of first sightings (see KeyStore.seenBefore): six times the cache's default size, so that
 * a client's second request still finds its first sighting after tens of thousands of other tokens.
 */
const SIGHTING_BITS = 16;
/** Characters from the token's end a sighting's fingerprint reads: the signature's, as good as random. */
const FINGERPRINT_CHARS = 16;

/** FNV-1a over the token's last characters; never 0, which marks an empty slot. */
function fingerprint(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = Math.max(0, token.length - FINGERPRINT_CHARS); i < token.length; i++)
    hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  return hash | 1;
}

export class KeyStore {
  private readonly keySets = new Map<string, RemoteKeySet>();
  private readonly verified = new Map<string, Remembered>();
  /** Where eviction resumes: see evictOldest. */
  private oldest = this.verified.keys();
  /** Fingerprints of tokens verified once, by slot: see seenBefore. */
  private readonly sightings = new Int32Array(1 << SIGHTING_BITS);
  private readonly discovered = new Map<string, Promise<string | undefined>>();
  private readonly jwksMaxAgeMs: number;
  private readonly jwksTimeoutMs: number;
  private readonly discoveryTimeoutMs: number;
  private readonly jwksMaxBytes: number;
  private readonly verifiedTokenLimit: number;
  private readonly verifiedTokenTtlMs: number;

  constructor(options: KeyStoreOptions = {}) {
    this.jwksMaxAgeMs = options.jwksMaxAgeMs ?? 2 * 60 * 60 * 1000;
    this.jwksTimeoutMs = options.jwksTimeoutMs ?? JWKS_TIMEOUT_MS;
    this.discoveryTimeoutMs = options.discoveryTimeoutMs ?? DISCOVERY_TIMEOUT_MS;
    this.jwksMaxBytes = options.jwksMaxBytes ?? JWKS_MAX_BYTES;
    this.verifiedTokenLimit = options.verifiedTokenLimit ?? 10_000;
    this.verifiedTokenTtlMs = options.verifiedTokenTtlMs ?? 10 * 60 * 1000;
  }

  /**
   * Verifies the token's signature with a key from `jwksUrl`, allowing only `algorithms`. Claims are not checked
   * here. `decoded`, when the caller has it, is parseCompactJws(token): the token is then not read twice.
   */
  verify(
    token: string,
    jwksUrl: string,
    algorithms: readonly string[],
    now = Date.now(),
    decoded?: CompactJws,
  ): Verification | Promise<Verification> {
    // A hit answers at once, without a promise: it is what almost every request of a busy client is.
    const remembered = this.remembered(token, now);
    if (remembered && remembered.jwksUrl === jwksUrl && algorithms.includes(remembered.alg))
      return { ok: true, payload: remembered.payload };
    // Before anything is verified or remembered: one token has one text (see jws.ts), so no variant of it
    // reaches the cache below. parseCompactJws also makes header and payload UTF-8 JSON objects.
    const jws = decoded ?? parseCompactJws(token);
    if (!jws) return { ok: false, reason: 'invalid', detail: 'not canonical base64url, or not JSON objects' };
    let digest: string;
    try {
      digest = checkJwsHeader(jws, algorithms);
    } catch (error) {
      return failure(error);
    }
    const keySet = this.keySet(jwksUrl);
    // The key is at hand for every token but the first of each kid (and the first after a JWKS refresh): those
    // are checked without a promise.
    const key = keySet.keyAtHand(jws.header);
    if (key) return this.checkSignature(token, jwksUrl, jws, digest, key, now);
    return keySet
      .getKey(jws.header)
      .then((fetched) => this.checkSignature(token, jwksUrl, jws, digest, fetched, now), failure);
  }

  private checkSignature(
    token: string,
    jwksUrl: string,
    jws: CompactJws,
    digest: string,
    key: KeyObject,
    now: number,
  ): Verification {
    try {
      verifyJwsSignature(token, jws.alg, digest, key);
    } catch (error) {
      return failure(error);
    }
    this.remember(token, { jwksUrl, alg: jws.alg, payload: jws.payload }, now);
    return { ok: true, payload: jws.payload };
  }

  /** How many verified tokens are remembered now. */
  get rememberedTokens(): number {
    return this.verified.size;
  }

  /**
   * A token verified before and not yet expired: its `alg` and claims, as decoding it again would give them.
   * Keyed by the token's last characters (see CACHE_KEY_CHARS) and read before decoding, so a client that
   * repeats its token pays neither base64 nor JSON again.
   */
  remembered(token: string, now = Date.now()): Omit<Remembered, 'until' | 'token'> | undefined {
    const key = cacheKey(token);
    const remembered = this.verified.get(key);
    // Another token ending the same way is not this one: only the very token verified skips verification.
    if (!remembered || remembered.token !== token) return undefined;
    if (remembered.until > now) return remembered;
    this.verified.delete(key);
    return undefined;
  }

  /**
   * The JWKS URL an OIDC issuer publishes (`jwks_uri` of its discovery document), as API Gateway finds the keys
   * of a jwt authorizer's issuer. Undefined when the document cannot be read; a failure is retried next time.
   */
  async discoverJwksUrl(issuer: string): Promise<string | undefined> {
    let pending = this.discovered.get(issuer);
    if (!pending) {
      pending = readJwksUri(issuer, this.discoveryTimeoutMs);
      this.discovered.set(issuer, pending);
    }
    const url = await pending;
    if (!url) this.discovered.delete(issuer);
    return url;
  }

  private keySet(jwksUrl: string): RemoteKeySet {
    let keySet = this.keySets.get(jwksUrl);
    if (!keySet) {
      keySet = new RemoteKeySet(jwksUrl, {
        cacheMaxAgeMs: this.jwksMaxAgeMs,
        timeoutMs: this.jwksTimeoutMs,
        maxBytes: this.jwksMaxBytes,
      });
      this.keySets.set(jwksUrl, keySet);
    }
    return keySet;
  }

  private remember(token: string, verified: Omit<Remembered, 'until' | 'token'>, now: number): void {
    const { payload } = verified;
    const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : now;
    const until = Math.min(expiresAt, now + this.verifiedTokenTtlMs);
    if (until <= now || !this.seenBefore(token)) return;
    const key = cacheKey(token);
    if (this.verified.size >= this.verifiedTokenLimit && !this.verified.has(key)) this.evictOldest();
    this.verified.set(key, { token, jwksUrl: verified.jwksUrl, alg: verified.alg, payload, until });
  }

  /**
   * Whether the token was verified before (it is marked as seen otherwise): the cache takes a token from its
   * second verification on. A token seen once, as when each request brings a new one, would only be copied
   * into the cache, live long enough to reach V8's old generation and be evicted unused, and a flood of them
   * would push out the tokens of clients that do repeat theirs. bench/token-verify.ts measured 1-3 µs per
   * fresh token saved in one process, most of it GC; in the gateway, A/B runs on the loaded machine ranged
   * from within the noise to 10-15 µs per request. A client that repeats its token pays one more verification,
   * once. A fingerprint collision only makes a token cached at its first sighting, as every token was before:
   * hits still need the whole token to be equal.
   */
  private seenBefore(token: string): boolean {
    const print = fingerprint(token);
    const slot = print >>> (32 - SIGHTING_BITS);
    if (this.sightings[slot] === print) return true;
    this.sightings[slot] = print;
    return false;
  }

  /**
   * Map keeps insertion order, so its first entry is the oldest. Found with one iterator kept across
   * evictions: a new iterator starts at the table's first slot and steps over every entry deleted since V8
   * last compacted the table (it does so only when the table is full), which at 10,000 entries made an
   * eviction 4.4 µs against 0.15 (a loop of inserts and evictions on this machine). A Map iterator is live:
   * it skips entries deleted after it was made and reaches those added after, so it always stands at the
   * oldest entry left.
   */
  private evictOldest(): void {
    let oldest = this.oldest.next();
    if (oldest.done) {
      this.oldest = this.verified.keys();
      oldest = this.oldest.next();
    }
    if (!oldest.done) this.verified.delete(oldest.value);
  }
}

/** A failed check as a Verification: the token's fault (a jose error code of TOKEN_FAULTS) or the keys'. */
function failure(error: unknown): Verification {
  if (error instanceof BoundedFetchError) return { ok: false, reason: 'keys-unavailable', detail: error.message };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && TOKEN_FAULTS.has(code)) return { ok: false, reason: 'invalid', detail: code };
  return { ok: false, reason: 'keys-unavailable', detail: error instanceof Error ? error.message : String(error) };
}

async function readJwksUri(issuer: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const body = await fetchWithin(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, {
      timeoutMs,
      maxBytes: DISCOVERY_MAX_BYTES,
    });
    const document = JSON.parse(body.toString('utf8')) as { jwks_uri?: unknown };
    return typeof document.jwks_uri === 'string' ? document.jwks_uri : undefined;
  } catch {
    return undefined;
  }
}

// The signature check of a compact JWS already read strictly (jws.ts), with node:crypto's synchronous
// one-shot verify.
//
// Why not jose's compactVerify: jose 5 on Node verifies with promisify(crypto.verify), which sends every RSA
// check to the libuv thread pool and back (a thread hop, a callback and several promise ticks per token),
// and decodes header and payload again after jws.ts did. Measured on this machine (bench/gateway-throughput.ts
// "fresh tokens", and a loop of 1,000 RS256 tokens): ~310-400 µs of CPU per token through compactVerify
// against ~20 µs for crypto.verify itself. The checks jose made on that path are kept here, one by one.
//
// In two steps, the header's (no key needed) and the signature's, so that a caller holding the key already
// checks a token without a promise: bench/token-verify.ts measured the promise chain through an async key
// lookup at 2-4 µs of a fresh token's ~30.
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { CompactJws } from './jws';

/** A failure, named by the jose error code the same fault had (key-store.ts reads them as the token's fault). */
export class JwsRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The digest of each algorithm the gateway accepts (both authorizer kinds accept RSA PKCS#1 v1.5 only). */
const DIGESTS: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };
/** jose's floor for RSA keys (RFC 7518 §3.3: "2048 bits or larger MUST be used"). */
const MIN_MODULUS_BITS = 2048;

/**
 * The header's checks, before any key is looked up: throws JwsRejected when the token is at fault; the digest
 * its `alg` names otherwise.
 */
export function checkJwsHeader(decoded: CompactJws, algorithms: readonly string[]): string {
  const { alg, header } = decoded;
  // jose understands one critical extension (b64), which changes what the payload segment is. Cognito never
  // sends one, and accepting a `crit` means honouring it; refusing is stricter than jose (AWS's handling unverified).
  if (header.crit !== undefined) throw new JwsRejected('ERR_JWS_INVALID', 'crit header parameters are not supported');
  if (alg === '') throw new JwsRejected('ERR_JWS_INVALID', 'alg missing');
  if (!algorithms.includes(alg)) throw new JwsRejected('ERR_JOSE_ALG_NOT_ALLOWED', `alg ${alg} not allowed`);
  const digest = DIGESTS[alg];
  if (!digest) throw new JwsRejected('ERR_JOSE_NOT_SUPPORTED', `alg ${alg} not supported`);
  return digest;
}

/**
 * Verifies `token`'s signature with `key`, the JWKS's key for its header; `digest` is checkJwsHeader's answer
 * for the same token. Throws JwsRejected when the token is at fault, a plain Error when the key is.
 */
export function verifyJwsSignature(token: string, alg: string, digest: string, key: KeyObject): void {
  // An unusable key is the key source's fault, not the token's (jose threw a TypeError here, which key-store.ts
  // reported as keys unavailable): plain Errors, so it still does.
  if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa')
    throw new Error(`the JWKS key for ${alg} is not an RSA public key`);
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (typeof bits !== 'number' || bits < MIN_MODULUS_BITS)
    throw new Error(`${alg} requires a key of ${MIN_MODULUS_BITS} bits or more`);
  const dot = token.lastIndexOf('.');
  // The signing input is the token's text up to the last dot; canonical base64url is ASCII, so 'latin1' is exact.
  const signingInput = Buffer.from(token.slice(0, dot), 'latin1');
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  let valid: boolean;
  try {
    valid = cryptoVerify(digest, signingInput, key, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new JwsRejected('ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature verification failed');
}

// The server side of Cognito's SRP-6a, the counterpart of amazon-cognito-identity-js's client
// (src/AuthenticationHelper.js, CognitoUser.authenticateUserDefaultAuth), which no library offers for a
// server. Every constant and encoding below is the client's, or the two sides would not agree:
// - N, g: the 3072-bit MODP group of RFC 5054 appendix A (= RFC 3526 group 15), g = 2.
// - H = SHA-256; k = H(padHex(N) | padHex(g)), x = H(padHex(salt) | H(poolName | userId | ":" | password)),
//   u = H(padHex(A) | padHex(B)), where padHex is the client's own padding (see below), not RFC 5054's PAD.
// - Session key: HKDF-SHA256(ikm = padHex(S), salt = padHex(u), info = "Caldera Derived Key"), 16 bytes.
// - PASSWORD_CLAIM_SIGNATURE = Base64(HMAC-SHA256(key, poolName | userId | SECRET_BLOCK bytes | TIMESTAMP)).
import { createDiffieHellman, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;
const HKDF_INFO = 'Caldera Derived Key';
const N_BYTES = N_HEX.length / 2;

/**
 * The client's padHex: the shortest even-length hex of a non-negative integer, with "00" in front when
 * the first nibble is 8-f, i.e. Java's BigInteger.toByteArray. (RFC 5054's PAD, to the length of N, is
 * not what Cognito hashes.)
 */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

function hexHash(hex: string): string {
  return createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
}

const k = BigInt(`0x${hexHash(padHex(N) + padHex(g))}`);

function bytesOf(value: bigint, length = N_BYTES): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}

/**
 * base^exponent mod N through OpenSSL's Diffie-Hellman over the same group (the public key for private
 * key e is g^e; the shared secret with public key y is y^e): ten times faster than BigInt arithmetic for a
 * 3072-bit modulus. OpenSSL refuses a base outside [2, N-2]; the callers have ruled those out.
 */
function modPow(base: bigint, exponent: bigint): bigint {
  const dh = createDiffieHellman(bytesOf(N), bytesOf(g, 1));
  dh.setPrivateKey(bytesOf(exponent, Math.max(1, Math.ceil(exponent.toString(16).length / 2))));
  if (base === g) {
    dh.generateKeys();
    return BigInt(`0x${dh.getPublicKey('hex')}`);
  }
  return BigInt(`0x${dh.computeSecret(bytesOf(base)).toString('hex')}`);
}

/** x = H(padHex(salt) | H(poolName | userId | ":" | password)), as the client derives it. */
function privateKeyOf(poolName: string, userIdForSrp: string, password: string, saltHex: string): bigint {
  const identityHash = createHash('sha256').update(`${poolName}${userIdForSrp}:${password}`, 'utf8').digest('hex');
  return BigInt(`0x${hexHash(padHex(BigInt(`0x${saltHex}`)) + identityHash)}`);
}

/** What the server keeps between InitiateAuth and RespondToAuthChallenge. */
export interface SrpServerState {
  A: bigint;
  b: bigint;
  B: bigint;
  /** The verifier g^x for the stored password. */
  v: bigint;
  saltHex: string;
}

export type SrpAValue = { ok: true; A: bigint } | { ok: false; reason: string };

/** SRP_A as the client sends it: hex, and not a multiple of N (RFC 5054, 2.5.4: the host aborts if A % N is 0). */
export function parseSrpA(hex: string): SrpAValue {
  if (!/^[0-9a-fA-F]{1,1024}$/.test(hex)) return { ok: false, reason: 'SRP_A must be a hexadecimal number.' };
  const A = BigInt(`0x${hex}`);
  if (A % N === 0n) return { ok: false, reason: 'SRP_A mod N cannot be 0.' };
  return { ok: true, A };
}

/**
 * The server's half: a fresh salt and verifier for the password (derived here rather than stored, since
 * the password is what the user store keeps), a random b and B = k*v + g^b mod N.
 */
export function serverChallenge(A: bigint, poolName: string, userIdForSrp: string, password: string): SrpServerState {
  const saltHex = randomBytes(16).toString('hex');
  const v = modPow(g, privateKeyOf(poolName, userIdForSrp, password, saltHex));
  for (;;) {
    // 128 random bytes, as the client draws its own a.
    const b = BigInt(`0x${randomBytes(128).toString('hex')}`);
    const B = (k * v + modPow(g, b)) % N;
    if (B !== 0n) return { A, b, B, v, saltHex };
  }
}

/** The 16-byte key both sides derive, or undefined when u or the shared base is degenerate. */
export function sessionKey(state: SrpServerState): Buffer | undefined {
  const u = BigInt(`0x${hexHash(padHex(state.A) + padHex(state.B))}`);
  if (u === 0n) return undefined;
  const base = (state.A * modPow(state.v, u)) % N;
  if (base < 2n || base > N - 2n) return undefined;
  const S = modPow(base, state.b);
  return Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), HKDF_INFO, 16));
}

export function claimSignature(
  key: Buffer,
  poolName: string,
  userIdForSrp: string,
  secretBlock: string,
  timestamp: string,
): Buffer {
  return createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(poolName, 'utf8'),
        Buffer.from(userIdForSrp, 'utf8'),
        Buffer.from(secretBlock, 'base64'),
        Buffer.from(timestamp, 'utf8'),
      ]),
    )
    .digest();
}

export function signatureMatches(expected: Buffer, providedBase64: string): boolean {
  const provided = Buffer.from(providedBase64, 'base64');
  return provided.length === expected.length && timingSafeEqual(provided, expected);
}

/** The client's timestamp, "Mon Nov 23 09:05:07 UTC 2026": day of month without a leading zero (DateHelper.getNowString). */
export const SRP_TIMESTAMP =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] UTC [0-9]{4}$/;

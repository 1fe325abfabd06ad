// Strict reading of a compact JWS (RFC 7515 §7.1): three segments, each canonical base64url (§2: no
// padding, no whitespace, no characters outside A-Z a-z 0-9 - _, and the last character's unused bits zero,
// as RFC 4648 §3.5 lets a decoder require).
//
// Why this exists beside jose: jose 5 on Node decodes with Buffer.from(segment, 'base64url'), which skips
// characters it does not know, accepts '+', '/' and '=' and ignores non-zero unused bits. A signature
// segment with junk in it therefore still verified, and each such variant of one token was a new entry in
// the verified-token cache. Header and payload segments are covered by the signature (its input is their
// text), but the signature segment is not, so only a canonical check makes "one token, one text".
//
// Read with one regex test over the whole token (a single negated character class: nothing to backtrack),
// the dots found with indexOf, no split and no re-encoding, because every fresh token is read once on the
// request's path (bench/token-verify.ts "strict parse alone": 3.1 -> 2.x µs for a 1,035-character Cognito ID
// token). A lookup table over the character codes was measured too: 1.5 µs for the same token against 0.6
// for the regex, so the regex stays.
import type { JWTPayload } from 'jose';

export interface CompactJws {
  /** The protected header's `alg`. */
  alg: string;
  /** The whole protected header (kid, crit, ... as sent). */
  header: Record<string, unknown>;
  payload: JWTPayload;
}

const NOT_BASE64URL = /[^A-Za-z0-9_-]/;
/** Neither base64url nor the dot between segments. */
const NOT_IN_COMPACT_JWS = /[^A-Za-z0-9_.-]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether `segment` is the one base64url text of the bytes it decodes to. */
export function isCanonicalBase64url(segment: string): boolean {
  return !NOT_BASE64URL.test(segment) && canonicalEnding(segment, 0, segment.length);
}

/** Whether the token is three canonical base64url segments, header and payload not empty. */
export function isCanonicalCompactJws(token: string): boolean {
  return signatureDotOf(token) !== -1;
}

/**
 * The header's `alg` and the payload of a compact JWS, read strictly; undefined when the token is not one
 * (a non-canonical segment, a header or payload that is not UTF-8 JSON holding an object, no string `alg`).
 * Nothing is verified here.
 */
export function parseCompactJws(token: string): CompactJws | undefined {
  const signatureDot = signatureDotOf(token);
  if (signatureDot === -1) return undefined;
  const headerDot = token.indexOf('.');
  const header = jsonObject(token, 0, headerDot);
  if (!header || typeof header.alg !== 'string') return undefined;
  const payload = jsonObject(token, headerDot + 1, signatureDot);
  if (!payload) return undefined;
  return { alg: header.alg, header, payload: payload as JWTPayload };
}

/**
 * The time claims that are present but not numbers (`exp`, `nbf`, `iat`). RFC 7519 §4.1.4-6 makes each a
 * NumericDate; a string or null one must refuse the token rather than skip the check it is for.
 */
export function nonNumericTimeClaims(payload: JWTPayload): string[] {
  return (['exp', 'nbf', 'iat'] as const).filter(
    (name) => name in payload && !(typeof payload[name] === 'number' && Number.isFinite(payload[name])),
  );
}

/**
 * The index of the second of exactly two dots; -1 unless the three segments around them are canonical
 * base64url and the first two are not empty.
 */
function signatureDotOf(token: string): number {
  if (NOT_IN_COMPACT_JWS.test(token)) return -1;
  const first = token.indexOf('.');
  if (first <= 0) return -1;
  const second = token.indexOf('.', first + 1);
  if (second === -1 || second === first + 1 || token.indexOf('.', second + 1) !== -1) return -1;
  return canonicalEnding(token, 0, first) &&
    canonicalEnding(token, first + 1, second) &&
    canonicalEnding(token, second + 1, token.length)
    ? second
    : -1;
}

/**
 * Whether text[start, end), already known to be base64url characters only, has a length that encodes whole
 * bytes and a last character whose unused bits are zero.
 */
function canonicalEnding(text: string, start: number, end: number): boolean {
  const rest = (end - start) % 4;
  if (rest === 1) return false;
  if (rest === 0) return true;
  // 2 characters carry 8 bits (4 unused), 3 carry 16 (2 unused).
  const last = alphabetIndex(text.charCodeAt(end - 1));
  return (last & (rest === 2 ? 0x0f : 0x03)) === 0;
}

/** text[start, end) (canonical base64url) decoded as UTF-8 JSON holding an object; undefined otherwise. */
function jsonObject(text: string, start: number, end: number): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(Buffer.from(text.slice(start, end), 'base64url')));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Index in the base64url alphabet of a character already known to be in it. */
function alphabetIndex(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code - 0x41; // A-Z
  if (code >= 0x61 && code <= 0x7a) return code - 0x61 + 26; // a-z
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 52; // 0-9
  return code === 0x2d ? 62 : 63; // - or _
}

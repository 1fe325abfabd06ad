// Claims as API Gateway hands them to integrations: every value a string.
import type { Claims } from './authorizer';
import { MONTHS } from './templates';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** REST Cognito authorizers print these epoch claims as dates; the others (auth_time) stay epoch strings. */
const REST_DATE_CLAIMS = new Set(['exp', 'iat']);

/** REST `requestContext.authorizer.claims`: flat strings, exp/iat as `Mon Jul 15 05:58:22 UTC 2019`. */
export function restClaims(claims: Claims): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined) continue;
    out[name] = REST_DATE_CLAIMS.has(name) && typeof value === 'number' ? javaDate(value) : claimString(value);
  }
  return out;
}

/** HTTP API `requestContext.authorizer.jwt.claims`: numbers `"1787996002"`, arrays `"[a b]"`. */
export function httpClaims(claims: Claims): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) if (value !== undefined) out[name] = claimString(value);
  return out;
}

function claimString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(claimString).join(' ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Java's Date.toString() in UTC, which is how API Gateway prints them. */
export function javaDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

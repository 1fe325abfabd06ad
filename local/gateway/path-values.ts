// Path values on their way into a backend URL (http_proxy and http integrations). A value is text the
// client chose, substituted into the integration URI; once a URL parser or the backend resolves dot
// segments, "%2e%2e" or "..%2f" in it would leave the URI's prefix (issue 14: /api/%2e%2e/%2e%2e/admin
// reached the backend as /admin). AWS's answer to such a request is unverified, so the local gateway
// refuses it with a 400 naming the parameter, before anything is sent.
import type { GatewayError } from './reply';

/** How many rounds of percent-decoding are looked through (%25252e is three). */
const DECODE_ROUNDS = 8;

/**
 * Whether `value` cannot go into a backend path: in its text as received or after any number of rounds of
 * percent-decoding, a segment between slashes or backslashes (URL parsers read `\` as `/`) is `.` or `..`.
 * Dots inside a name (`v1..2`, `file.tar.gz`) are not segments and pass.
 */
export function dotSegmentIn(value: string): boolean {
  let layer = value;
  for (let round = 0; round <= DECODE_ROUNDS; round++) {
    if (layer.split(/[\\/]/).some((segment) => segment === '.' || segment === '..')) return true;
    const next = percentDecoded(layer);
    if (next === layer) return false;
    layer = next;
  }
  return true;
}

/** The path the integration URI fixes before its first variable (`/public-api/v1/` of `.../public-api/v1/{proxy}`). */
export function fixedPathPrefix(uriTemplate: string): string | undefined {
  const brace = uriTemplate.indexOf('{');
  if (brace === -1) return undefined;
  try {
    return new URL(uriTemplate.slice(0, brace)).pathname;
  } catch {
    return undefined;
  }
}

/** The 400 for a path value refused above. */
export function pathRefused(parameter: string, prefix: string | undefined): GatewayError {
  const message = `Invalid request path: path parameter "${parameter}" holds a dot segment (. or ..), once percent-decoded, that would move the request outside ${prefix ?? 'the integration URI'}`;
  return {
    type: 'BAD_REQUEST_PARAMETERS',
    status: 400,
    message,
    errorType: 'BadRequestException',
    http: { status: 400, message },
  };
}

/**
 * The backend URL, last line of defence: its path (as the URL parser resolved it) must still start with
 * the URI's fixed prefix.
 */
export function staysUnder(url: URL, prefix: string | undefined): boolean {
  return prefix === undefined || url.pathname.startsWith(prefix);
}

/** One round of %XX decoding, byte by byte, never throwing (decodeURIComponent throws on "%zz" or bad UTF-8). */
function percentDecoded(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

// Where a backend URI may go from here: requests carry the caller's tokens, so only to this machine
// (127.0.0.0/8, ::1, localhost), after the project file's `local.urls` rewrites, or to a URL the project
// file's `local.forward` opts in to. Anything else is answered by a stand-in and never sent.

export interface OutboundPolicy {
  /** URL prefix in the document -> the URL that replaces it here (`local.urls`). */
  urls: Record<string, string>;
  /** URL prefixes really sent to, tokens and all (`local.forward`). */
  forward: string[];
}

export type Outbound =
  { allowed: true; uri: string; origin: string; forwarded: boolean } | { allowed: false; reason: string };

/** A URL's hostname (`[::1]`) or an address as given to listen on (`::1`). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * `prefix` covers `uri` when the URI continues it at a boundary: `https://api.example.com` covers
 * `https://api.example.com/v1` but not `https://api.example.com.evil.example` or `...:8443`.
 */
export function coversUri(prefix: string, uri: string): boolean {
  if (!uri.startsWith(prefix)) return false;
  return prefix.endsWith('/') || uri.length === prefix.length || /^[/?#]/.test(uri.slice(prefix.length));
}

/** The URI rewritten by the longest `local.urls` prefix that covers it, if any. */
export function rewrite(uri: string, urls: Record<string, string>): string {
  const prefix = Object.keys(urls)
    .filter((p) => coversUri(p, uri))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? uri : urls[prefix] + uri.slice(prefix.length);
}

/** Where `uri` (placeholders bound, path variables still in braces) goes, or why it goes nowhere. */
export function outbound(uri: string, policy: OutboundPolicy): Outbound {
  const target = rewrite(uri, policy.urls);
  let url: URL;
  try {
    // Path variables ({proxy}, {id}) are filled per request; the origin is known now.
    url = new URL(target.replace(/\{[^{}]*\}/g, 'x'));
  } catch {
    return { allowed: false, reason: `backend URI "${target}" is not a URL the local gateway can call` };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !/^https?:\/\/[^/{}]+/.test(target))
    return { allowed: false, reason: `backend URI "${target}" is not an http(s) URL with a fixed host` };
  if (isLoopbackHost(url.hostname)) return { allowed: true, uri: target, origin: url.origin, forwarded: false };
  if (policy.forward.some((prefix) => coversUri(prefix, target)))
    return { allowed: true, uri: target, origin: url.origin, forwarded: true };
  return {
    allowed: false,
    reason: `backend ${url.origin} is not on this machine (map it to a local URL in local.urls, or send it there with local.forward)`,
  };
}

// An HTTP API's `x-amazon-apigateway-cors`, as API Gateway applies it (developer guide, "Configure CORS for
// HTTP APIs"): the gateway answers a preflight itself, needing no OPTIONS route and running no authorizer;
// it adds the configured headers to the API's replies and ignores CORS headers from the integration. It
// returns CORS headers only to a request with an Origin header, and treats an OPTIONS request as a
// preflight only when it also has Access-Control-Request-Method.
import type { CorsConfiguration } from '../../openapi/model/types';
import type { Reply } from './reply';
import type { GatewayRequest } from './request';

export function isPreflight(request: GatewayRequest): boolean {
  return (
    request.method === 'OPTIONS' &&
    Boolean(request.headers.origin) &&
    Boolean(request.headers['access-control-request-method'])
  );
}

/**
 * The Access-Control-Allow-Origin value for `origin`, or undefined when the configuration does not allow
 * it. `*` answers `*`; `https://*` and `http://*` (the guide's wildcards) allow every origin of that scheme
 * and, like an exact entry, answer with the origin itself, the only other value a browser accepts.
 */
export function allowedOrigin(cors: CorsConfiguration, origin: string): string | undefined {
  const wanted = origin.toLowerCase();
  for (const entry of cors.allowOrigins) {
    const allowed = entry.toLowerCase();
    if (allowed === '*') return '*';
    if (allowed.endsWith('://*') ? wanted.startsWith(allowed.slice(0, -1)) : wanted === allowed) return origin;
  }
  return undefined;
}

function methodAllowed(cors: CorsConfiguration, method: string): boolean {
  const wanted = method.toUpperCase();
  return cors.allowMethods.some((m) => m === '*' || m.toUpperCase() === wanted);
}

/**
 * The gateway's own answer to a preflight: 204, no body. An origin or method the configuration does not
 * allow gets the same 204 without any Access-Control-* header, so the browser refuses the call; that AWS
 * answers a refused preflight this way rather than with an error status is *likely* (what browsers report
 * against HTTP APIs: "Response to preflight request doesn't pass access control check: No
 * 'Access-Control-Allow-Origin' header"), not documented. Requested headers are not compared with
 * allowHeaders: the browser does that with the list it is sent.
 */
export function preflightReply(cors: CorsConfiguration, request: GatewayRequest): Reply {
  const origin = allowedOrigin(cors, String(request.headers.origin));
  const method = String(request.headers['access-control-request-method']);
  const headers: Record<string, string> = {};
  if (origin !== undefined && methodAllowed(cors, method)) {
    headers['access-control-allow-origin'] = origin;
    if (cors.allowMethods.length > 0) headers['access-control-allow-methods'] = cors.allowMethods.join(',');
    if (cors.allowHeaders.length > 0) headers['access-control-allow-headers'] = cors.allowHeaders.join(',');
    if (cors.exposeHeaders.length > 0) headers['access-control-expose-headers'] = cors.exposeHeaders.join(',');
    if (cors.maxAge !== undefined) headers['access-control-max-age'] = String(cors.maxAge);
    if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
  }
  return { status: 204, headers, body: '' };
}

/**
 * `reply` as the browser receives it: the integration's own Access-Control-* headers removed, and, for a
 * request from an allowed origin, the configured ones added.
 */
export function withCorsHeaders(cors: CorsConfiguration, request: GatewayRequest, reply: Reply): Reply {
  for (const name of Object.keys(reply.headers))
    if (name.toLowerCase().startsWith('access-control-')) delete reply.headers[name];
  const requestOrigin = request.headers.origin;
  const origin = requestOrigin ? allowedOrigin(cors, requestOrigin) : undefined;
  if (origin === undefined) return reply;
  reply.headers['access-control-allow-origin'] = origin;
  if (cors.exposeHeaders.length > 0) reply.headers['access-control-expose-headers'] = cors.exposeHeaders.join(',');
  if (cors.allowCredentials) reply.headers['access-control-allow-credentials'] = 'true';
  return reply;
}

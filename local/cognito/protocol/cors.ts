// CORS on the local Cognito's browser-facing endpoints, so a browser app (Amplify, the SDK's browser build,
// an OIDC library) can call it cross-origin as it calls Cognito. Cognito allows any origin and offers no
// CORS settings, so there is nothing to configure: every reply of these endpoints, errors included, says
// `Access-Control-Allow-Origin: *`, and a preflight (OPTIONS) is answered here before anything else runs.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface CorsPolicy {
  /** Access-Control-Allow-Methods of a preflight. */
  methods: string;
  /** Access-Control-Expose-Headers: what a page may read of the reply besides the safelisted headers. */
  exposeHeaders?: string;
  maxAgeSeconds?: number;
}

/**
 * The JSON API (POST /), as cognito-idp.us-east-1.amazonaws.com answered a preflight carrying the SDK's
 * headers (captured by the AWS SDK team's CORS survey, github.com/AllanZhengYP/cors-test, output.md,
 * 2020-08 to 2021-02): 200 with no body, Allow-Origin `*`, Allow-Headers echoing the requested headers
 * as sent, Allow-Methods `POST`, Max-Age 172800, and these Expose-Headers. A browser reads Expose-Headers
 * from the actual reply, not from the preflight, so the actual replies carry them too (x-amzn-ErrorType is
 * how the SDK names an error).
 */
export const JSON_API_CORS: CorsPolicy = {
  methods: 'POST',
  exposeHeaders: 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
  maxAgeSeconds: 172800,
};

/**
 * The token and revocation endpoints. Cognito's developer guide (token endpoint) says only that it sends
 * `Access-Control-Allow-Origin: *` and supports no custom CORS policy; the preflight answer (methods,
 * requested headers echoed, so a confidential client's `Authorization: Basic` passes) is ours.
 */
const FORM_ENDPOINT_CORS: CorsPolicy = { methods: 'POST' };
/** userInfo, discovery and JWKS: the same wildcard (our choice; no AWS source names their headers). */
const USER_INFO_CORS: CorsPolicy = { methods: 'GET, POST' };
const DISCOVERY_CORS: CorsPolicy = { methods: 'GET' };

const DISCOVERY_PATH = /^\/[^/]+\/\.well-known\/(?:openid-configuration|jwks\.json)$/;

/** The policy of the endpoint at `pathname`, or undefined for one a browser only navigates to (hosted UI). */
export function corsPolicyOf(pathname: string): CorsPolicy | undefined {
  switch (pathname) {
    case '/':
      return JSON_API_CORS;
    case '/oauth2/token':
    case '/oauth2/revoke':
      return FORM_ENDPOINT_CORS;
    case '/oauth2/userInfo':
      return USER_INFO_CORS;
  }
  return DISCOVERY_PATH.test(pathname) ? DISCOVERY_CORS : undefined;
}

/**
 * Puts the policy's headers on whatever reply `res` sends (set before any handler runs, so errors and
 * failures carry them too) and answers a preflight itself. Returns true when it answered.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, policy: CorsPolicy): boolean {
  res.setHeader('access-control-allow-origin', '*');
  if (policy.exposeHeaders) res.setHeader('access-control-expose-headers', policy.exposeHeaders);
  if (req.method !== 'OPTIONS') return false;
  const headers: Record<string, string | number> = {
    'access-control-allow-methods': policy.methods,
    'content-length': 0,
  };
  const requested = req.headers['access-control-request-headers'];
  if (requested) headers['access-control-allow-headers'] = requested;
  if (policy.maxAgeSeconds !== undefined) headers['access-control-max-age'] = policy.maxAgeSeconds;
  res.writeHead(200, headers);
  res.end();
  return true;
}

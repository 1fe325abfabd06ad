// How API Gateway decides whether a request's token passes an authorizer: every rule lives here, case by
// case as docs/aws-authorizer-semantics.md lists them.
import type { IncomingHttpHeaders } from 'node:http';
import type { JWTPayload } from 'jose';
import {
  identityValidationAccepts,
  type BoundCognitoAuthorizer,
  type BoundJwtAuthorizer,
} from '../../stack/bound-authorizers';
import { nonNumericTimeClaims, parseCompactJws } from './jws';
import type { KeyStore } from './key-store';

/** A user pool an authorizer trusts, as bound from its providerARN. */
export interface TrustedPool {
  arn: string;
  issuer: string;
  jwksUrl: string;
}

/** The bound authorizer (stack/bound-authorizers.ts) with the local pools its providerARNs name. */
export interface LocalCognitoAuthorizer extends BoundCognitoAuthorizer {
  pools: TrustedPool[];
}

export interface LocalJwtAuthorizer extends BoundJwtAuthorizer {
  /** Known when the issuer is one of the local pools; otherwise found by OIDC discovery. */
  jwksUrl?: string;
}

export type LocalAuthorizer = LocalCognitoAuthorizer | LocalJwtAuthorizer;

export type Claims = JWTPayload;

export interface Allow {
  allow: true;
  claims: Claims;
  /** The token's scopes (from `scope`, or `scp` on HTTP APIs). */
  tokenScopes: string[];
}

/** REST gateway response types an authorizer can produce. */
export type AuthorizerResponseType = 'UNAUTHORIZED' | 'AUTHORIZER_CONFIGURATION_ERROR';

export interface Deny {
  allow: false;
  status: number;
  /** `{"message": ...}`; null where AWS sends `{"message": null}`. */
  message: string | null;
  /** REST: the gateway response type and the x-amzn-ErrorType header. */
  responseType?: AuthorizerResponseType;
  errorType?: string;
  /** HTTP APIs: the www-authenticate header. */
  wwwAuthenticate?: string;
  /** Why, for logs; never holds the token. */
  reason: string;
}

export type AuthDecision = Allow | Deny;

const REST_ALGORITHMS = ['RS256'];
// HTTP APIs accept RSA signatures only (the semantics doc: "alg not RSA" is refused).
const HTTP_ALGORITHMS = ['RS256', 'RS384', 'RS512'];
const BEARER = /^bearer\s+/i;

// Not async itself: it hands back the chosen authorizer's promise, one promise per request instead of two.
export function authorize(
  headers: IncomingHttpHeaders,
  authorizer: LocalAuthorizer,
  routeScopes: readonly string[],
  keys: KeyStore,
  now = Date.now(),
): Promise<AuthDecision> {
  return authorizer.kind === 'cognito_user_pools'
    ? authorizeCognito(headers, authorizer, routeScopes, keys, now)
    : authorizeJwt(headers, authorizer, routeScopes, keys, now);
}

/** REST API `cognito_user_pools`: every refusal is 401 UNAUTHORIZED, a scope mismatch included. */
async function authorizeCognito(
  headers: IncomingHttpHeaders,
  authorizer: LocalCognitoAuthorizer,
  routeScopes: readonly string[],
  keys: KeyStore,
  now: number,
): Promise<AuthDecision> {
  const token = tokenFrom(headers, authorizer.tokenHeader);
  if (!token) return restUnauthorized(`no token in ${authorizer.tokenHeader}`);
  // A remembered token passed the strict parse before it was remembered, so it is canonical too.
  const remembered = keys.remembered(token, now);
  const parsed = remembered ? undefined : parseCompactJws(token);
  const decoded = remembered ?? parsed;
  if (!decoded) return restUnauthorized('not a JWT (or not canonical base64url)');
  if (!REST_ALGORITHMS.includes(decoded.alg)) return restUnauthorized(`alg ${decoded.alg} is not RS256`);
  const pool = authorizer.pools.find((p) => p.issuer === decoded.payload.iss);
  if (!pool) return restUnauthorized('issuer is not a pool in providerARNs');

  const verified = await keys.verify(token, pool.jwksUrl, REST_ALGORITHMS, now, parsed);
  if (!verified.ok) {
    if (verified.reason === 'invalid') return restUnauthorized(`signature: ${verified.detail}`);
    // AWS: AUTHORIZER_CONFIGURATION_ERROR (500) is "failing to connect to a custom or Amazon Cognito
    // authorizer" (docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
    return {
      allow: false,
      status: 500,
      message: null,
      responseType: 'AUTHORIZER_CONFIGURATION_ERROR',
      errorType: 'AuthorizerConfigurationException',
      reason: `keys of ${pool.arn} unavailable: ${verified.detail}`,
    };
  }
  const claims = verified.payload;
  const notNumbers = nonNumericTimeClaims(claims);
  if (notNumbers.length > 0) return restUnauthorized(`${notNumbers.join(', ')} not a number`);
  if (typeof claims.exp !== 'number') return restUnauthorized('no exp');
  if (claims.exp * 1000 <= now) return restUnauthorized('expired', 'The incoming token has expired');

  const tokenScopes = scopesOf(claims, false);
  if (routeScopes.length === 0) {
    // Without scopes the authorizer treats the token as an ID token.
    if (claims.token_use !== 'id') return restUnauthorized('method without scopes needs an ID token');
  } else {
    if (claims.token_use !== 'access') return restUnauthorized('method with scopes needs an access token');
    if (!routeScopes.some((s) => tokenScopes.includes(s)))
      return restUnauthorized('token holds none of the method scopes');
  }
  if (!identityValidationAccepts(authorizer, claims.aud))
    return restUnauthorized('aud does not match identityValidationExpression');
  return { allow: true, claims, tokenScopes };
}

/** HTTP API `jwt`, in the order API Gateway validates; only a scope mismatch is 403. */
async function authorizeJwt(
  headers: IncomingHttpHeaders,
  authorizer: LocalJwtAuthorizer,
  routeScopes: readonly string[],
  keys: KeyStore,
  now: number,
): Promise<AuthDecision> {
  const token = tokenFrom(headers, authorizer.tokenHeader);
  if (!token) return httpUnauthorized(`no token in ${authorizer.tokenHeader}`);
  const remembered = keys.remembered(token, now);
  const parsed = remembered ? undefined : parseCompactJws(token);
  const decoded = remembered ?? parsed;
  if (!decoded) return httpUnauthorized('not a JWT (or not canonical base64url)', 'the token is malformed');
  if (!HTTP_ALGORITHMS.includes(decoded.alg))
    return httpUnauthorized(`alg ${decoded.alg}`, `signing method ${decoded.alg} is invalid`);

  const jwksUrl = authorizer.jwksUrl ?? (await keys.discoverJwksUrl(authorizer.issuer));
  const verified = jwksUrl
    ? await keys.verify(token, jwksUrl, HTTP_ALGORITHMS, now, parsed)
    : ({ ok: false, reason: 'keys-unavailable', detail: 'OIDC discovery failed' } as const);
  if (!verified.ok) {
    if (verified.reason === 'invalid')
      return httpUnauthorized(`signature: ${verified.detail}`, 'the token signature is invalid');
    // AWS documents no response for an issuer whose keys cannot be fetched. Fail closed with a 5xx rather
    // than a 401, so that neither a client nor the contract harness takes an outage for a bad token.
    return {
      allow: false,
      status: 500,
      message: 'Internal Server Error',
      reason: `keys of ${authorizer.issuer} unavailable: ${verified.detail}`,
    };
  }
  const claims = verified.payload;
  if (claims.iss !== authorizer.issuer) return httpUnauthorized('issuer mismatch', 'the token has an invalid issuer');
  // aud decides when present; client_id is looked at only when there is no aud.
  const audiences =
    claims.aud === undefined ? [claims.client_id] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((a) => typeof a === 'string' && authorizer.audience.includes(a)))
    return httpUnauthorized('audience', 'the token does not have a valid audience');
  const seconds = now / 1000;
  // A string or null nbf/iat would otherwise skip its check below.
  const notNumbers = nonNumericTimeClaims(claims);
  if (notNumbers.length > 0) return httpUnauthorized(`${notNumbers.join(', ')} not a number`, 'the token is malformed');
  if (typeof claims.exp !== 'number' || claims.exp <= seconds)
    return httpUnauthorized('expired', 'the token has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > seconds)
    return httpUnauthorized('nbf in the future', 'the token is not valid yet');
  if (typeof claims.iat === 'number' && claims.iat > seconds)
    return httpUnauthorized('iat in the future', 'the token was issued in the future');

  const tokenScopes = scopesOf(claims, true);
  if (routeScopes.length > 0 && !routeScopes.some((s) => tokenScopes.includes(s)))
    return {
      allow: false,
      status: 403,
      message: 'Forbidden',
      wwwAuthenticate: `Bearer scope="${routeScopes.join(' ')}" error="insufficient_scope" error_description="expected scopes: [${routeScopes.join(' ')}]"`,
      reason: 'token holds none of the route scopes',
    };
  return { allow: true, claims, tokenScopes };
}

// Module-level rather than closures in the authorizers: they run on every request.
function restUnauthorized(reason: string, message = 'Unauthorized'): Deny {
  return {
    allow: false,
    status: 401,
    message,
    responseType: 'UNAUTHORIZED',
    errorType: 'UnauthorizedException',
    reason,
  };
}

function httpUnauthorized(reason: string, description?: string): Deny {
  return {
    allow: false,
    status: 401,
    message: 'Unauthorized',
    wwwAuthenticate:
      description === undefined ? 'Bearer' : `Bearer scope="" error="invalid_token" error_description="${description}"`,
    reason,
  };
}

/**
 * The token from the header, raw or after `Bearer `; undefined when missing or blank. A header sent twice
 * arrives as GatewayRequest combined it for the API kind (HTTP APIs: the values joined with commas, which is
 * no JWT; REST: the last value), not as node:http keeps it (the first Authorization, the others dropped).
 */
function tokenFrom(headers: IncomingHttpHeaders, header: string): string | undefined {
  const value = headers[header];
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  return raw.replace(BEARER, '').trim() || undefined;
}

function scopesOf(claims: Claims, readScp: boolean): string[] {
  const value = claims.scope ?? (readScp ? claims.scp : undefined);
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string');
  return [];
}

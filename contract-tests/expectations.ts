// What API Gateway answers, per authorizer kind and check: the ONE place the harness's expected outcomes
// live. Written from docs/aws-authorizer-semantics.md (cited as "semantics"); where that is
// silent the AWS source is named. Never asserts beyond what AWS is known to do: bodies and headers that
// are unverified or depend on the order AWS evaluates things are left out and only the status is checked.
import type { GatewayResponse, Json } from '../openapi/model/types';
import { EXECUTE_API_DISABLED } from './custom-domain';

export type AuthorizerKind = 'cognito_user_pools' | 'jwt';

export type CheckCase =
  /** security: [] — the documented success without any token. */
  | 'public-no-token'
  | 'no-token'
  /** The token the operation documents, sent raw. */
  | 'valid-token'
  /** The same token with a `Bearer ` prefix. */
  | 'valid-token-bearer'
  /** HTTP jwt, route without scopes: a user access token passes through `client_id` (it has no `aud`). */
  | 'access-token-via-client-id'
  /** REST without identityValidationExpression: an ID token of another app client of the pool passes. */
  | 'other-client-id-token'
  /** A scoped operation: the test user's access token from the hosted UI's code flow, holding the scope. */
  | 'user-access-token-scoped'
  | 'malformed'
  | 'alg-none'
  | 'hs256-with-public-key'
  | 'unknown-kid'
  | 'jku-attacker-key'
  | 'embedded-jwk-attacker-key'
  | 'tampered-payload'
  /** A token the pool issued to an earlier run, its exp passed (from the token store). */
  | 'expired'
  | 'other-pool'
  | 'id-token-instead-of-access'
  | 'access-token-instead-of-id'
  | 'missing-scope'
  | 'wrong-prefix'
  | 'client-outside-validation'
  /** A request that passes, sent to the execute-api endpoint that disableExecuteApiEndpoint turns off. */
  | 'execute-api-disabled'
  | 'wrong-audience'
  /** REST, a method requiring an API key: the valid token without an x-api-key header. */
  | 'no-api-key';

/** Every case, once (a Record so the compiler insists on each): for --cases and reports. */
const EVERY_CASE: Record<CheckCase, true> = {
  'public-no-token': true,
  'no-token': true,
  'valid-token': true,
  'valid-token-bearer': true,
  'access-token-via-client-id': true,
  'other-client-id-token': true,
  'user-access-token-scoped': true,
  malformed: true,
  'alg-none': true,
  'hs256-with-public-key': true,
  'unknown-kid': true,
  'jku-attacker-key': true,
  'embedded-jwk-attacker-key': true,
  'tampered-payload': true,
  expired: true,
  'other-pool': true,
  'id-token-instead-of-access': true,
  'access-token-instead-of-id': true,
  'missing-scope': true,
  'wrong-prefix': true,
  'client-outside-validation': true,
  'execute-api-disabled': true,
  'wrong-audience': true,
  'no-api-key': true,
};
export const CHECK_CASES = Object.keys(EVERY_CASE) as CheckCase[];

export type ExpectedBody = { json: Json } | { text: string };

export interface ExpectedOutcome {
  outcome: 'success' | 'rejected';
  status: number;
  /** Asserted exactly when present. */
  body?: ExpectedBody;
  /** Lower-cased header name -> exact value. */
  headers?: Record<string, string>;
  /** Lower-cased header names that must be present, whatever their value. */
  headersPresent?: string[];
  /** The rule this comes from, shown in reports. */
  rule: string;
}

export interface ExpectationContext {
  kind: AuthorizerKind;
  successStatus: number;
  /** REST only: the document's gateway responses, by type. */
  gatewayResponses: Record<string, GatewayResponse>;
}

const REST_UNAUTHORIZED_MESSAGE = 'Unauthorized';
/** Semantics, REST table: "expired | 401 | {"message":"The incoming token has expired"}". */
const REST_EXPIRED_MESSAGE = 'The incoming token has expired';

function success(ctx: ExpectationContext, rule: string): ExpectedOutcome {
  return { outcome: 'success', status: ctx.successStatus, rule };
}

/**
 * REST authorizer failures are the UNAUTHORIZED gateway response (semantics: "Gateway responses"): the
 * document may replace its status, headers and body; a type not defined falls back to DEFAULT_4XX.
 */
function restUnauthorized(
  ctx: ExpectationContext,
  rule: string,
  assertBody: boolean,
  message = REST_UNAUTHORIZED_MESSAGE,
): ExpectedOutcome {
  const custom = ctx.gatewayResponses.UNAUTHORIZED ?? ctx.gatewayResponses.DEFAULT_4XX;
  if (!custom) {
    const expected: ExpectedOutcome = { outcome: 'rejected', status: 401, rule };
    if (assertBody) {
      expected.body = { json: { message } };
      expected.headers = { 'x-amzn-errortype': 'UnauthorizedException' };
    }
    return expected;
  }
  const expected: ExpectedOutcome = { outcome: 'rejected', status: custom.statusCode ?? 401, rule };
  if (!assertBody) return expected;
  expected.headers = Object.fromEntries(Object.entries(custom.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const body = renderGatewayTemplate(custom, message);
  if (body) expected.body = body;
  return expected;
}

/**
 * The body a gateway response template produces for an authorizer failure. Only the `$context.error.*`
 * variables are known in advance; a template using anything else is not asserted.
 */
export function renderGatewayTemplate(response: GatewayResponse, message: string): ExpectedBody | undefined {
  const template = response.templates['application/json'] ?? Object.values(response.templates)[0];
  if (template === undefined) return { json: { message } };
  const rendered = template
    .replace(/\$context\.error\.messageString|\$\{context\.error\.messageString\}/g, JSON.stringify(message))
    .replace(/\$context\.error\.message|\$\{context\.error\.message\}/g, message)
    .replace(/\$context\.error\.responseType|\$\{context\.error\.responseType\}/g, response.type);
  if (rendered.includes('$')) return undefined;
  try {
    return { json: JSON.parse(rendered) as Json };
  } catch {
    return { text: rendered.trim() };
  }
}

function jwtUnauthorized(rule: string): ExpectedOutcome {
  return {
    outcome: 'rejected',
    status: 401,
    body: { json: { message: 'Unauthorized' } },
    headersPresent: ['www-authenticate'],
    rule,
  };
}

function jwtForbidden(rule: string): ExpectedOutcome {
  // The www-authenticate text on 403 is unverified (semantics), so only status and body are asserted.
  return { outcome: 'rejected', status: 403, body: { json: { message: 'Forbidden' } }, rule };
}

function restExpectation(c: CheckCase, ctx: ExpectationContext): ExpectedOutcome | undefined {
  const reject = (rule: string) => restUnauthorized(ctx, rule, true);
  switch (c) {
    case 'execute-api-disabled':
      return EXECUTE_API_DISABLED;
    case 'public-no-token':
      return success(ctx, 'security: [] — no authorizer on the method');
    case 'valid-token':
      return success(ctx, 'valid ID token (no scopes) or access token holding a required scope');
    case 'valid-token-bearer':
      return success(ctx, '`Bearer <token>` is accepted like the raw token');
    case 'user-access-token-scoped':
      return success(ctx, 'method with scopes + a user access token holding one of them (from the code flow) passes');
    case 'other-client-id-token':
      return success(
        ctx,
        'REST checks no audience: another app client of the pool passes without identityValidationExpression',
      );
    case 'no-token':
      return reject('header missing -> 401 Unauthorized');
    case 'malformed':
      return reject('not a JWT -> 401 Unauthorized');
    case 'alg-none':
    case 'hs256-with-public-key':
      return reject('alg not RS256 -> 401 Unauthorized');
    case 'unknown-kid':
      return reject('unknown kid -> 401 Unauthorized');
    case 'jku-attacker-key':
    case 'embedded-jwk-attacker-key':
    case 'tampered-payload':
      return reject("bad signature (only the pool's JWKS counts) -> 401 Unauthorized");
    case 'expired':
      return restUnauthorized(
        ctx,
        "the pool's own token, exp passed -> 401 The incoming token has expired",
        true,
        REST_EXPIRED_MESSAGE,
      );
    case 'other-pool':
      return reject('token from a pool not in providerARNs -> 401 Unauthorized');
    case 'id-token-instead-of-access':
      return reject('method with scopes + ID token -> 401 Unauthorized');
    case 'access-token-instead-of-id':
      return reject('method without scopes + access token (treated as an ID token) -> 401 Unauthorized');
    case 'missing-scope':
      return reject('method with scopes + access token holding none of them -> 401 (not 403)');
    case 'client-outside-validation':
      return reject('identityValidationExpression does not match aud -> 401 Unauthorized');
    case 'wrong-prefix':
      // Semantics: the header holds the token raw or after `Bearer `; anything else is not a JWT. The
      // body for this exact case is not in the captured responses, so only the status is asserted.
      return restUnauthorized(ctx, 'neither raw nor `Bearer ` -> not a JWT -> 401', false);
    case 'access-token-via-client-id':
    case 'wrong-audience':
    case 'no-api-key':
      return undefined;
  }
}

function jwtExpectation(c: CheckCase, ctx: ExpectationContext): ExpectedOutcome | undefined {
  switch (c) {
    case 'execute-api-disabled':
      return EXECUTE_API_DISABLED;
    case 'public-no-token':
      return success(ctx, 'security: [] — no authorizer on the route');
    case 'valid-token':
      return success(ctx, 'signature, iss, aud (or client_id) in audience, time and scopes all hold');
    case 'valid-token-bearer':
      return success(ctx, '`Bearer <token>` is accepted like the raw token');
    case 'user-access-token-scoped':
      return success(ctx, 'route scopes: a user access token holding one of them (from the code flow) passes');
    case 'access-token-via-client-id':
      return success(ctx, 'access token without aud passes through client_id in the audience');
    case 'no-token':
      return jwtUnauthorized('header missing -> 401');
    case 'malformed':
      return jwtUnauthorized('malformed -> 401');
    case 'alg-none':
    case 'hs256-with-public-key':
      return jwtUnauthorized('alg not RSA -> 401');
    case 'unknown-kid':
      return jwtUnauthorized('unknown kid -> 401');
    case 'jku-attacker-key':
    case 'embedded-jwk-attacker-key':
    case 'tampered-payload':
      return jwtUnauthorized("bad signature (keys come from the issuer's JWKS only) -> 401");
    case 'expired':
      return jwtUnauthorized("the pool's own token, exp passed -> 401");
    case 'other-pool':
      return jwtUnauthorized('iss is not the issuer -> 401');
    case 'wrong-audience':
      return jwtUnauthorized('neither aud nor client_id in the audience -> 401');
    case 'wrong-prefix':
      // AWS: "The identitySource can include only the token, or the token prefixed with Bearer."
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
      return jwtUnauthorized('neither raw nor `Bearer ` -> no token -> 401');
    case 'id-token-instead-of-access':
      return jwtForbidden('route with scopes + ID token (no scope claim) -> 403 Forbidden');
    case 'missing-scope':
      return jwtForbidden('route with scopes + token holding none of them -> 403 Forbidden');
    case 'access-token-instead-of-id':
    case 'other-client-id-token':
    case 'client-outside-validation':
    case 'no-api-key':
      // jwt does not check token_use and has no identityValidationExpression: these are either a
      // success (access-token-via-client-id) or a wrong audience.
      return undefined;
  }
}

/** IAM, a Lambda authorizer, or an API key alone: what an operation is secured with when not by a token authorizer. */
export type OtherAuthKind = 'iam' | 'lambda' | 'api_key';

/**
 * A REST gateway response of `type` as the harness can predict it: AWS's default (status, `{"message": ...}`
 * and x-amzn-ErrorType), or the document's own response of that type (or DEFAULT_4XX), whose status and
 * headers are asserted and whose body is when its template reads nothing but $context.error.
 */
function restGatewayResponse(
  gatewayResponses: Record<string, GatewayResponse>,
  type: string,
  status: number,
  message: string,
  errorType: string,
  rule: string,
): ExpectedOutcome {
  const custom = gatewayResponses[type] ?? gatewayResponses.DEFAULT_4XX;
  if (!custom)
    return {
      outcome: 'rejected',
      status,
      body: { json: { message } },
      headers: { 'x-amzn-errortype': errorType },
      rule,
    };
  const expected: ExpectedOutcome = {
    outcome: 'rejected',
    status: custom.statusCode ?? status,
    headers: Object.fromEntries(Object.entries(custom.headers).map(([k, v]) => [k.toLowerCase(), v])),
    rule,
  };
  const body = renderGatewayTemplate({ ...custom, type }, message);
  if (body) expected.body = body;
  return expected;
}

/**
 * The unauthenticated request (no signature, no identity source, no API key) to an operation secured by IAM, a
 * Lambda authorizer or an API key alone. Sources (cited in full in local/gateway/authorizers/*.ts):
 * - IAM, REST: 403 "Missing Authentication Token", MissingAuthenticationTokenException
 *   (https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden); HTTP API: 403, only the status
 *   (unverified beyond it).
 * - Lambda authorizer, an identity source missing: 401 without calling the function
 *   (https://repost.aws/knowledge-center/api-gateway-401-error-lambda-authorizer); REST's body and header are the
 *   UNAUTHORIZED default (semantics, "Gateway responses"); HTTP API: only the status.
 * - API key (REST): 403 "Forbidden", ForbiddenException (the same 403 troubleshooting page, "API key isn't valid").
 */
export function unauthenticatedOutcome(
  kind: OtherAuthKind,
  api: 'rest' | 'http',
  gatewayResponses: Record<string, GatewayResponse>,
): ExpectedOutcome {
  switch (kind) {
    case 'iam':
      return api === 'rest'
        ? restGatewayResponse(
            gatewayResponses,
            'MISSING_AUTHENTICATION_TOKEN',
            403,
            'Missing Authentication Token',
            'MissingAuthenticationTokenException',
            'IAM, unsigned request -> 403 Missing Authentication Token',
          )
        : { outcome: 'rejected', status: 403, rule: 'IAM, unsigned request -> 403 (body unverified)' };
    case 'lambda':
      return api === 'rest'
        ? restGatewayResponse(
            gatewayResponses,
            'UNAUTHORIZED',
            401,
            'Unauthorized',
            'UnauthorizedException',
            'Lambda authorizer, identity source missing -> 401 Unauthorized, the function is not called',
          )
        : {
            outcome: 'rejected',
            status: 401,
            rule: 'Lambda authorizer, identity source missing -> 401, the function is not called (body unverified)',
          };
    case 'api_key':
      return missingApiKeyOutcome(gatewayResponses);
  }
}

/**
 * The positive check of an operation behind a Lambda authorizer or an API key alone, sent with the credentials
 * the config gives (credentials.ts): the operation's documented success. Whether the function accepts the
 * identity is the team's claim; the harness holds the gateway to it.
 */
export function otherAuthSuccess(
  kind: 'lambda' | 'api_key',
  successStatus: number,
  withApiKey: boolean,
): ExpectedOutcome {
  const rule =
    kind === 'lambda'
      ? `Lambda authorizer, the identity its function accepts${withApiKey ? ' and an API key of a usage plan' : ''} -> the documented success`
      : 'an API key of a usage plan of the stage -> the documented success';
  return { outcome: 'success', status: successStatus, rule };
}

/** REST, a method requiring an API key, the request bringing none: 403 INVALID_API_KEY. */
export function missingApiKeyOutcome(gatewayResponses: Record<string, GatewayResponse>): ExpectedOutcome {
  return restGatewayResponse(
    gatewayResponses,
    'INVALID_API_KEY',
    403,
    'Forbidden',
    'ForbiddenException',
    'API key required, none sent -> 403 Forbidden',
  );
}

/** The outcome AWS gives, or undefined when the case does not exist for this authorizer kind. */
export function expectedOutcome(c: CheckCase, ctx: ExpectationContext): ExpectedOutcome | undefined {
  return ctx.kind === 'jwt' ? jwtExpectation(c, ctx) : restExpectation(c, ctx);
}

export interface ObservedResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  bodyText: string;
}

/** Every way the response differs from the expectation; empty when it passes. */
export function judge(expected: ExpectedOutcome, got: ObservedResponse): string[] {
  const problems: string[] = [];
  if (got.status !== expected.status) problems.push(`status ${got.status}, expected ${expected.status}`);
  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    const actual = got.headers[name];
    if (actual !== value)
      problems.push(
        `header ${name}: ${actual === undefined ? 'missing' : JSON.stringify(actual)}, expected ${JSON.stringify(value)}`,
      );
  }
  for (const name of expected.headersPresent ?? [])
    if (got.headers[name] === undefined) problems.push(`header ${name} missing`);
  if (expected.body) {
    if ('json' in expected.body) {
      let parsed: Json | undefined;
      try {
        parsed = JSON.parse(got.bodyText) as Json;
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined || !sameJson(parsed, expected.body.json))
        problems.push(`body ${truncate(got.bodyText)}, expected ${JSON.stringify(expected.body.json)}`);
    } else if (got.bodyText.trim() !== expected.body.text) {
      problems.push(`body ${truncate(got.bodyText)}, expected ${JSON.stringify(expected.body.text)}`);
    }
  }
  return problems;
}

function sameJson(a: Json, b: Json): boolean {
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameJson(a[k], b[k]));
  }
  return a === b;
}

function truncate(text: string, max = 200): string {
  const oneLine = JSON.stringify(text);
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

// Lambda authorizers (`x-amazon-apigateway-authorizer` type token / request): API Gateway reads the identity
// sources, calls the function with its event and enforces what the function answers. Locally the function
// runs in this process when the project file gives it; otherwise every request that reaches the call is
// refused as AWS refuses when the authorizer fails (fail closed). Sources, per case:
// - identity source missing or empty, or a token the identityValidationExpression refuses: 401 without calling
//   the function (https://repost.aws/knowledge-center/api-gateway-401-error-lambda-authorizer).
// - the function throws "Unauthorized": REST 401 ("Create an API Gateway Lambda authorizer function" sample:
//   callback("Unauthorized") returns 401).
// - it fails otherwise, answers something that is not an authorizer response, or cannot be called: REST 500
//   AUTHORIZER_CONFIGURATION_ERROR, `{"message": null}`, AuthorizerConfigurationException ("failing to connect
//   to a custom or Amazon Cognito authorizer", supported-gateway-response-types.html); HTTP API 500 Internal
//   Server Error (unverified beyond the status).
// - a policy denying the method explicitly: REST 403 "User is not authorized to access this resource with an
//   explicit deny"; allowing nothing that matches: 403 "User is not authorized to access this resource"; both
//   ACCESS_DENIED / AccessDeniedException (https://repost.aws/knowledge-center/api-gateway-403-error-lambda-authorizer,
//   https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden). HTTP API: 403 Forbidden
//   (unverified beyond the status), also for a simple response with isAuthorized false.
// - the decision is cached per identity-source values for authorizerResultTtlInSeconds, and the cached policy
//   is judged again against each request's method ARN (https://repost.aws/knowledge-center/api-gateway-lambda-authorization-errors).
import type { ApiKind, LambdaAuthorizer, Operation } from '../../../openapi/model/types';
import { compileIdentityValidation } from '../../../stack/bound-authorizers';
import { eventV1, eventV2 } from '../integrations/lambda-events';
import type { LocalFunction } from '../integrations/lambda-runtime';
import type { GatewayError } from '../reply';
import type { ApiIdentity, GatewayRequest } from '../request';
import type { ContextTree } from '../templates';
import { refused, type Granted, type LambdaGrant, type Outcome } from './outcome';

export interface LocalLambdaAuthorizer {
  authorizer: LambdaAuthorizer;
  region: string;
  /** The function to run; undefined when the project file does not give it (`unavailable` says why). */
  fn?: LocalFunction;
  unavailable?: string;
  /** identity-source values -> the function's answer and when it expires (ms since the epoch). */
  cache: Map<string, { expires: number; answer: unknown }>;
}

export interface AuthorizerInput {
  request: GatewayRequest;
  operation: Operation;
  api: ApiIdentity;
  kind: ApiKind;
  /** Path after the stage, as received. */
  path: string;
  pathParameters: Record<string, string>;
  now: number;
}

const MAX_CACHED = 10_000;
const NO_BODY = Buffer.alloc(0);

export async function authorizeLambda(local: LocalLambdaAuthorizer, input: AuthorizerInput): Promise<Outcome> {
  const { authorizer } = local;
  const identity = identityValues(authorizer, input);
  if (!identity) return unauthorized('an identity source is missing or empty');
  if (authorizer.type === 'token' && authorizer.identityValidationExpression !== undefined) {
    const expression = compileIdentityValidation(authorizer.identityValidationExpression);
    if (!expression?.test(identity[0])) return unauthorized('the token fails identityValidationExpression');
  }
  const arn = methodArn(local.region, input);
  const key = identity.length > 0 && authorizer.resultTtlSeconds > 0 ? identity.join('\u0000') : undefined;
  const cached = key === undefined ? undefined : local.cache.get(key);
  if (cached && cached.expires > input.now) return judge(authorizer, input.kind, cached.answer, arn);

  if (!local.fn) return failed(local.unavailable ?? 'no function to run');
  const invocation = await local.fn.invoke(event(authorizer, input, identity, arn), input.request.requestId);
  if (!invocation.ok) {
    if (input.kind === 'rest' && invocation.errorMessage === 'Unauthorized')
      return unauthorized('the function answered Unauthorized');
    return failed(`function "${local.fn.name}" failed: ${invocation.error}`);
  }
  const outcome = judge(authorizer, input.kind, invocation.result, arn);
  // Only a well-formed answer is cached: a failure is retried on the next request, as AWS does.
  if (key !== undefined && (outcome.allow || outcome.error.status === 403)) {
    if (local.cache.size >= MAX_CACHED) local.cache.clear();
    local.cache.set(key, { expires: input.now + authorizer.resultTtlSeconds * 1000, answer: invocation.result });
  }
  return outcome;
}

/** The identity sources' values in order; undefined when one is missing or empty. */
function identityValues(authorizer: LambdaAuthorizer, input: AuthorizerInput): string[] | undefined {
  const values: string[] = [];
  for (const source of authorizer.identitySources) {
    const value = identityValue(source, input);
    if (value === undefined || value.trim() === '') return undefined;
    values.push(value);
  }
  return values;
}

const REST_SOURCE = /^method\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.(.+)$/;
const HTTP_SOURCE = /^\$request\.(header|querystring)\.(.+)$/;

function identityValue(source: string, input: AuthorizerInput): string | undefined {
  const { request } = input;
  const m = REST_SOURCE.exec(source) ?? HTTP_SOURCE.exec(source);
  if (m) {
    const [, where, name] = m;
    if (where === 'header' || where === 'multivalueheader') {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(',') : value;
    }
    const values = request.query.getAll(name);
    return values.length === 0 ? undefined : values.join(',');
  }
  // No stage variables exist locally, so an identity source naming one is always missing.
  if (/^\$?stageVariables\./.test(source)) return undefined;
  const context = /^\$?context\.(.+)$/.exec(source);
  if (!context) return undefined;
  let node: ContextTree[string] = request.context(input.api, { resourcePath: input.operation.path });
  for (const part of context[1].split('.')) {
    if (node === null || node === undefined || typeof node !== 'object') return undefined;
    node = node[part];
  }
  return typeof node === 'string' || typeof node === 'number' ? String(node) : undefined;
}

/** `arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<METHOD>/<path>`, the resource a policy names. */
function methodArn(region: string, input: AuthorizerInput): string {
  const { api, request, path } = input;
  return `arn:aws:execute-api:${region}:${api.accountId}:${api.apiId}/${api.stage}/${request.method}/${path.replace(/^\//, '')}`;
}

/** The event API Gateway sends the function, per API kind, authorizer type and payload format. */
function event(authorizer: LambdaAuthorizer, input: AuthorizerInput, identity: string[], arn: string): unknown {
  if (input.kind === 'rest' && authorizer.type === 'token')
    return { type: 'TOKEN', authorizationToken: identity[0], methodArn: arn };
  // The request as a proxy integration would see it, without the body: authorizers are not sent one.
  const proxyInput = { ...input, claims: undefined };
  if (input.kind === 'http' && authorizer.payloadFormatVersion !== '1.0')
    return withoutBody({ ...eventV2(proxyInput, NO_BODY), type: 'REQUEST', routeArn: arn, identitySource: identity });
  const joined = identity.join(',');
  return withoutBody({
    ...eventV1(proxyInput, NO_BODY),
    ...(input.kind === 'http' ? { identitySource: joined, authorizationToken: joined } : {}),
    type: 'REQUEST',
    methodArn: arn,
  });
}

function withoutBody(event: Record<string, unknown>): Record<string, unknown> {
  delete event.body;
  delete event.isBase64Encoded;
  return event;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The function's answer, enforced for this request's method ARN. */
function judge(authorizer: LambdaAuthorizer, kind: ApiKind, answer: unknown, arn: string): Outcome {
  if (!isObject(answer)) return failed('the function returned no authorizer response object');
  const context = readContext(answer.context, kind);
  if (context === undefined)
    return failed("the function's context holds values other than strings, numbers and booleans");
  if (kind === 'http' && authorizer.simpleResponses) {
    if (typeof answer.isAuthorized !== 'boolean') return failed('the simple response has no boolean isAuthorized');
    if (!answer.isAuthorized) return forbidden(false, 'isAuthorized is false');
    return granted({ context });
  }
  if (kind === 'rest' && typeof answer.principalId !== 'string')
    return failed('the policy response has no principalId');
  const effect = policyEffect(answer.policyDocument, arn);
  if (effect === 'malformed') return failed('the policyDocument is not an IAM policy');
  if (effect !== 'Allow')
    return forbidden(effect === 'Deny', `the policy ${effect === 'Deny' ? 'denies' : 'does not allow'} ${arn}`);
  const grant: LambdaGrant = {
    context,
    ...(typeof answer.principalId === 'string' ? { principalId: answer.principalId } : {}),
    ...(kind === 'rest' && typeof answer.usageIdentifierKey === 'string'
      ? { usageIdentifierKey: answer.usageIdentifierKey }
      : {}),
  };
  return granted(grant);
}

function granted(lambda: LambdaGrant): Granted {
  return { allow: true, tokenScopes: [], lambda };
}

/**
 * REST: "You can't set a JSON object or array as a valid value of any key in the context map"; HTTP APIs
 * pass any JSON (their examples hold arrays and maps). undefined when the context breaks that rule.
 */
function readContext(value: unknown, kind: ApiKind): LambdaGrant['context'] | undefined {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) return undefined;
  if (kind === 'rest')
    for (const v of Object.values(value))
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean' && v !== null) return undefined;
  return value as LambdaGrant['context'];
}

/** Deny wins over Allow; neither is an implicit deny. */
function policyEffect(policy: unknown, arn: string): 'Allow' | 'Deny' | 'none' | 'malformed' {
  if (!isObject(policy)) return 'malformed';
  const statements = Array.isArray(policy.Statement)
    ? policy.Statement
    : isObject(policy.Statement)
      ? [policy.Statement]
      : undefined;
  if (!statements) return 'malformed';
  let allowed = false;
  for (const statement of statements) {
    if (!isObject(statement) || (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')) return 'malformed';
    // NotAction / NotResource are not modelled: such a Deny counts as matching, such an Allow as allowing nothing.
    if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
      if (statement.Effect === 'Deny') return 'Deny';
      continue;
    }
    const actions = listOf(statement.Action);
    const resources = listOf(statement.Resource);
    if (!actions || !resources) return 'malformed';
    const matches =
      actions.some((a) => globMatch(a.toLowerCase(), 'execute-api:invoke')) && resources.some((r) => globMatch(r, arn));
    if (!matches) continue;
    if (statement.Effect === 'Deny') return 'Deny';
    allowed = true;
  }
  return allowed ? 'Allow' : 'none';
}

function listOf(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** IAM's wildcards: `*` any run of characters (slashes too), `?` one character. */
function globMatch(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

function unauthorized(reason: string): Outcome {
  return refused(reason, {
    type: 'UNAUTHORIZED',
    status: 401,
    message: 'Unauthorized',
    errorType: 'UnauthorizedException',
    http: { status: 401, message: 'Unauthorized' },
  });
}

function forbidden(explicit: boolean, reason: string): Outcome {
  const error: GatewayError = {
    type: 'ACCESS_DENIED',
    status: 403,
    message: explicit
      ? 'User is not authorized to access this resource with an explicit deny'
      : 'User is not authorized to access this resource',
    errorType: 'AccessDeniedException',
    http: { status: 403, message: 'Forbidden' },
  };
  return refused(reason, error);
}

function failed(reason: string): Outcome {
  return refused(reason, {
    type: 'AUTHORIZER_CONFIGURATION_ERROR',
    status: 500,
    message: null,
    errorType: 'AuthorizerConfigurationException',
    http: { status: 500, message: 'Internal Server Error' },
  });
}

// The events API Gateway sends a Lambda proxy integration (REST and HTTP payload 1.0, HTTP payload 2.0)
// and how it reads the function's result back.
import type { Operation } from '../../../openapi/model/types';
import type { Claims } from '../authorizer';
import { httpClaims, restClaims } from '../claims';
import { eventAuthorizerV1, eventAuthorizerV2 } from '../authorizers/lambda-context';
import type { LambdaGrant } from '../authorizers/outcome';
import type { ApiIdentity, GatewayRequest } from '../request';
import { resourceIdOf } from '../request';
import type { Reply } from '../reply';
import { clfTime } from '../templates';

export interface EventInput {
  request: GatewayRequest;
  operation: Operation;
  api: ApiIdentity;
  kind: 'rest' | 'http';
  /** Path after the stage, as received. */
  path: string;
  pathParameters: Record<string, string>;
  claims?: Claims;
  /** HTTP APIs: the token's scopes on routes with scopes, null on routes without. */
  scopes?: string[] | null;
  /** What a Lambda authorizer answered, when one authorized the request. */
  lambdaAuthorizer?: LambdaGrant;
}

/** Types HTTP APIs pass as text; anything else is base64-encoded in the event. */
const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql)|application\/[^;]*\+(json|xml))/i;

/** REST API event, and HTTP API event with payloadFormatVersion 1.0. */
export function eventV1(input: EventInput, body: Buffer): Record<string, unknown> {
  const { request, operation, api } = input;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of request.headerList()) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of request.query) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  const encode = input.kind === 'http' && body.length > 0 && !TEXT_TYPES.test(request.headers['content-type'] ?? '');
  const authorizer = input.lambdaAuthorizer
    ? eventAuthorizerV1(input.lambdaAuthorizer)
    : input.claims === undefined
      ? undefined
      : input.kind === 'rest'
        ? { claims: claimsOf('rest', input.claims) }
        : { claims: claimsOf('http', input.claims), scopes: input.scopes ?? null };
  return {
    ...(input.kind === 'http' ? { version: '1.0' } : {}),
    resource: operation.path,
    path: safeDecode(input.path),
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: Object.keys(input.pathParameters).length > 0 ? input.pathParameters : null,
    stageVariables: null,
    requestContext: {
      resourceId: resourceIdOf(operation.path),
      resourcePath: operation.path,
      httpMethod: request.method,
      extendedRequestId: request.extendedRequestId,
      requestTime: clfTime(request.receivedAt),
      path: request.rawPath,
      accountId: api.accountId,
      protocol: `HTTP/${request.incoming.httpVersion}`,
      stage: api.stage,
      domainPrefix: domainPrefixOf(request.domainName),
      requestTimeEpoch: request.receivedAt,
      requestId: request.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: request.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: request.userAgent,
        user: null,
      },
      domainName: request.domainName,
      apiId: api.apiId,
      ...(authorizer ? { authorizer } : {}),
    },
    body: body.length > 0 ? (encode ? body.toString('base64') : body.toString('utf8')) : null,
    isBase64Encoded: encode,
  };
}

/**
 * HTTP API event, payloadFormatVersion 2.0. Built field by field rather than with spreads of optional parts,
 * and from node's header object when no name was sent twice: it was 7.6 % of a Lambda request's CPU.
 */
export function eventV2(input: EventInput, body: Buffer): Record<string, unknown> {
  const { request, operation, api } = input;
  // 2.0 joins repeated headers and query values with commas and moves cookies to their own field.
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  if (request.distinctHeaders) {
    const given = request.incoming.headers;
    for (const name in given) {
      const value = given[name];
      if (value === undefined) continue;
      if (name === 'cookie') cookies = cookieList(String(value));
      else headers[name] = typeof value === 'string' ? value : value.join(',');
    }
  } else
    for (const [name, value] of request.headerList()) {
      const lower = name.toLowerCase();
      if (lower === 'cookie') {
        (cookies ??= []).push(...cookieList(value));
        continue;
      }
      headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
    }
  let query: Record<string, string> | undefined;
  // Without a query string there is nothing to parse: no URLSearchParams per request.
  if (request.rawQuery !== '')
    for (const [name, value] of request.query) {
      query ??= {};
      query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
    }
  const routeKey = routeKeyOf(operation);
  const encode = body.length > 0 && !TEXT_TYPES.test(request.headers['content-type'] ?? '');
  const domainName = request.domainName;
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQuery,
  };
  if (cookies) event.cookies = cookies;
  event.headers = headers;
  if (query) event.queryStringParameters = query;
  const requestContext: Record<string, unknown> = { accountId: api.accountId, apiId: api.apiId };
  if (input.lambdaAuthorizer) requestContext.authorizer = eventAuthorizerV2(input.lambdaAuthorizer);
  else if (input.claims)
    requestContext.authorizer = { jwt: { claims: claimsOf('http', input.claims), scopes: input.scopes ?? null } };
  requestContext.domainName = domainName;
  requestContext.domainPrefix = domainPrefixOf(domainName);
  requestContext.http = {
    method: request.method,
    path: request.rawPath,
    protocol: `HTTP/${request.incoming.httpVersion}`,
    sourceIp: request.sourceIp,
    userAgent: request.userAgent,
  };
  requestContext.requestId = request.extendedRequestId;
  requestContext.routeKey = routeKey;
  requestContext.stage = api.stage;
  requestContext.time = clfTime(request.receivedAt);
  requestContext.timeEpoch = request.receivedAt;
  event.requestContext = requestContext;
  if (hasKeys(input.pathParameters)) event.pathParameters = input.pathParameters;
  if (body.length > 0) event.body = encode ? body.toString('base64') : body.toString('utf8');
  event.isBase64Encoded = encode;
  return event;
}

// A remembered token hands the same payload to every request that presents it (key-store.ts): its claims
// as strings are made once per payload and copied per event (a handler may change its copy). Converting
// them per request was 2.3 % of a Lambda request's CPU; the copy is a fifth of that.
const claimStrings = {
  http: new WeakMap<Claims, Record<string, string>>(),
  rest: new WeakMap<Claims, Record<string, string>>(),
};

function claimsOf(kind: 'http' | 'rest', claims: Claims): Record<string, string> {
  let strings = claimStrings[kind].get(claims);
  if (!strings) claimStrings[kind].set(claims, (strings = kind === 'http' ? httpClaims(claims) : restClaims(claims)));
  return Object.assign({}, strings);
}

function cookieList(header: string): string[] {
  return header.split(/;\s*/).filter(Boolean);
}

function hasKeys(record: Record<string, string>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

// `GET /hello` per operation, made once rather than per request.
const routeKeys = new WeakMap<Operation, string>();

function routeKeyOf(operation: Operation): string {
  let key = routeKeys.get(operation);
  if (key === undefined) routeKeys.set(operation, (key = `${operation.method} ${operation.path}`));
  return key;
}

/**
 * A proxy result as API Gateway reads it; undefined when it is malformed (API Gateway then answers 502 on
 * REST, 500 on HTTP APIs). With payload 2.0 a result without statusCode is the body itself, status 200,
 * JSON (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 */
export function readResult(result: unknown, format: '1.0' | '2.0'): Reply | undefined {
  const isObject = typeof result === 'object' && result !== null && !Array.isArray(result);
  if (format === '2.0' && !(isObject && 'statusCode' in result)) {
    if (result === undefined) return undefined;
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: typeof result === 'string' ? result : JSON.stringify(result),
    };
  }
  if (!isObject) return undefined;
  const r = result as Record<string, unknown>;
  const status = typeof r.statusCode === 'string' && /^\d{3}$/.test(r.statusCode) ? Number(r.statusCode) : r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return undefined;
  const headers: Record<string, string | string[]> = {};
  if (!addHeaders(headers, r.headers, false) || !addHeaders(headers, r.multiValueHeaders, true)) return undefined;
  if (format === '2.0' && Array.isArray(r.cookies)) {
    const cookies = r.cookies.filter((c): c is string => typeof c === 'string');
    if (cookies.length > 0) headers['set-cookie'] = cookies;
  }
  const text = typeof r.body === 'string' ? r.body : '';
  const body = r.isBase64Encoded === true ? Buffer.from(text, 'base64') : text;
  return { status, headers, body };
}

function addHeaders(into: Record<string, string | string[]>, value: unknown, multi: boolean): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    const v = record[name];
    // The usual header: one string, no arrays to build.
    if (typeof v === 'string' && !multi) {
      into[name.toLowerCase()] = v;
      continue;
    }
    const values = multi ? (Array.isArray(v) ? v : [v]) : [v];
    const strings = values.filter((x) => x !== null && x !== undefined).map(String);
    if (strings.length === 0) continue;
    into[name.toLowerCase()] = multi && strings.length > 1 ? strings : strings[0];
  }
  return true;
}

function domainPrefixOf(domainName: string): string {
  const dot = domainName.indexOf('.');
  return dot === -1 ? domainName : domainName.slice(0, dot);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

// One request through the gateway: stage, route, authorizer, integration, and the error replies API
// Gateway gives at each step; on an HTTP API with x-amazon-apigateway-cors, CORS around all of it.
import { createHash } from 'node:crypto';
import type { ApiModel, Operation } from '../../openapi/model/types';
import { authorizeStep } from './authorizers/authorize-step';
import { contextAuthorizer } from './authorizers/lambda-context';
import type { BoundOperation } from './bind';
import { isPreflight, preflightReply, withCorsHeaders } from './cors';
import { runHttpIntegration } from './integrations/http-integration';
import { runHttpProxy } from './integrations/http-proxy';
import { runLambda } from './integrations/lambda';
import { runLambdaIntegration } from './integrations/lambda-integration';
import { runMock } from './integrations/mock';
import { runStandIn } from './integrations/stand-in';
import type { KeyStore } from './key-store';
import { httpApiErrorReply, httpErrorReply, restErrorReply, type GatewayError, type Reply } from './reply';
import { BodyTooLarge } from '../http/request-body';
import type { ApiIdentity, GatewayRequest } from './request';
import type { RouteTable } from './routes';

export interface Gateway {
  model: ApiModel;
  api: ApiIdentity;
  routes: RouteTable;
  bound: Map<Operation, BoundOperation>;
  keys: KeyStore;
  integrationTimeoutMs: number;
  log: (line: string) => void;
  /** Milliseconds since the epoch, as the authorizer judges `exp`, `nbf` and `iat`. */
  now: () => number;
}

export async function handle(gateway: Gateway, request: GatewayRequest): Promise<Reply> {
  // REST APIs do only what their document says; the model holds CORS for HTTP APIs alone.
  const cors = gateway.model.kind === 'http' ? gateway.model.cors : undefined;
  const preflight = cors !== undefined && isPreflight(request) && gatewayAnswersPreflight(gateway, request);
  let reply: Reply;
  try {
    reply = preflight ? preflightReply(cors, request) : await route(gateway, request);
  } catch (error) {
    if (error instanceof BodyTooLarge)
      reply = fail(gateway, request, {
        type: 'REQUEST_TOO_LARGE',
        status: 413,
        message: 'Request Too Long',
        errorType: 'RequestTooLargeException',
        http: { status: 413, message: 'Request Entity Too Large' },
      });
    else {
      gateway.log(
        `request ${request.requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      reply = fail(gateway, request, {
        type: 'DEFAULT_5XX',
        status: 500,
        message: 'Internal server error',
        errorType: 'InternalServerErrorException',
        http: { status: 500, message: 'Internal Server Error' },
      });
    }
  }
  // AWS documents the configured headers on integration responses. The gateway's own replies (the
  // authorizer's 401 and 403, 404, 413, 5xx) carry them too: our choice, unverified (see
  // docs/aws-authorizer-semantics.md), made so that a browser app can read the status it got.
  if (cors && !preflight) reply = withCorsHeaders(cors, request, reply);
  if (gateway.model.kind === 'rest') {
    reply.headers['x-amzn-RequestId'] = request.requestId;
    reply.headers['x-amz-apigw-id'] = request.extendedRequestId;
  } else {
    reply.headers['apigw-requestid'] = request.extendedRequestId;
  }
  return reply;
}

/** The path after the stage (`/` for the stage itself), or undefined when the request names another stage. */
function pathInStage(stage: string, rawPath: string): string | undefined {
  const stagePrefix = `/${stage}`;
  if (rawPath !== stagePrefix && !rawPath.startsWith(`${stagePrefix}/`)) return undefined;
  return rawPath.slice(stagePrefix.length) || '/';
}

/**
 * Whether the gateway answers this preflight itself: it does when no route takes OPTIONS for the path. A
 * route for OPTIONS or ANY catches preflights, its authorizer included (the guide's section on CORS with a
 * $default route and an authorizer: such a route "catches requests for all methods ..., including OPTIONS").
 */
function gatewayAnswersPreflight(gateway: Gateway, request: GatewayRequest): boolean {
  const path = pathInStage(gateway.api.stage, request.rawPath);
  return path !== undefined && !gateway.routes.match('OPTIONS', path).found;
}

async function route(gateway: Gateway, request: GatewayRequest): Promise<Reply> {
  const { model, api } = gateway;
  const path = pathInStage(api.stage, request.rawPath);
  if (path === undefined) {
    // No such stage: REST answers before any API is chosen, so no gateway response applies.
    return model.kind === 'rest'
      ? {
          status: 403,
          headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': 'ForbiddenException' },
          body: '{"message":"Forbidden"}',
        }
      : httpErrorReply(404, 'Not Found');
  }
  const found = gateway.routes.match(request.method, path);
  if (!found.found)
    return model.kind === 'rest' ? unknownRestRoute(gateway, request) : httpErrorReply(404, 'Not Found');

  const { operation, pathParameters, rawPathParameters } = found.match;
  const bound = gateway.bound.get(operation);
  if (!bound) throw new Error(`operation ${operation.id} was not bound`);

  const decision = await authorizeStep(bound, {
    request,
    operation,
    api,
    kind: model.kind,
    path,
    pathParameters,
    keys: gateway.keys,
    now: gateway.now(),
  });
  if (!decision.allow) {
    if (decision.error.status >= 500) gateway.log(`authorizer of ${operation.id} failed closed: ${decision.reason}`);
    return fail(gateway, request, decision.error, operation.path, pathParameters);
  }
  const { claims, tokenScopes, lambda: lambdaAuthorizer } = decision;

  const context = request.context(api, {
    resourcePath: operation.path,
    claims,
    ...(lambdaAuthorizer ? { authorizer: contextAuthorizer(lambdaAuthorizer) } : {}),
  });
  const integration = bound.integration;
  let outcome: Reply | GatewayError;
  switch (integration.type) {
    case 'mock': {
      // A constant mock answers without a promise; awaiting it anyway cost a turn of the microtask queue.
      const mocked = runMock(integration.integration, request, context, pathParameters);
      outcome = mocked instanceof Promise ? await mocked : mocked;
      break;
    }
    case 'http_proxy':
      outcome = await runHttpProxy(
        integration.target,
        request,
        rawPathParameters,
        context,
        gateway.integrationTimeoutMs,
      );
      break;
    case 'aws_proxy':
      outcome = await runLambda(
        integration.target,
        {
          request,
          operation,
          api,
          kind: model.kind,
          path,
          pathParameters,
          claims,
          // HTTP APIs hand the token's scopes only to routes that require scopes.
          scopes: claims && bound.scopes.length > 0 ? tokenScopes : null,
          lambdaAuthorizer,
        },
        gateway.log,
      );
      break;
    case 'http':
      outcome = await runHttpIntegration(
        integration.target,
        request,
        pathParameters,
        context,
        gateway.integrationTimeoutMs,
        gateway.log,
      );
      break;
    case 'aws':
      outcome = await runLambdaIntegration(integration.target, request, pathParameters, context, gateway.log);
      break;
    case 'stand_in':
      outcome = runStandIn(integration.reply);
      break;
  }
  return 'type' in outcome ? fail(gateway, request, outcome, operation.path, pathParameters) : outcome;
}

function fail(
  gateway: Gateway,
  request: GatewayRequest,
  error: GatewayError,
  resourcePath?: string,
  pathParameters?: Record<string, string>,
): Reply {
  if (gateway.model.kind === 'http') return httpApiErrorReply(error);
  return restErrorReply(
    error,
    gateway.model.gatewayResponses,
    request,
    { api: gateway.api, resourcePath },
    pathParameters,
  );
}

/**
 * REST: a route or method that does not exist. Without an Authorization header API Gateway asks for one
 * (MissingAuthenticationToken); with one, it tries to read it as a SigV4 signature and fails.
 */
function unknownRestRoute(gateway: Gateway, request: GatewayRequest): Reply {
  const authorization = request.headers.authorization;
  const error: GatewayError = authorization
    ? {
        type: 'MISSING_AUTHENTICATION_TOKEN',
        status: 403,
        // AWS names the header by its hash rather than echoing it, which also keeps the token out of the reply.
        message: `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${createHash('sha256').update(authorization).digest('base64')}'.`,
        errorType: 'IncompleteSignatureException',
      }
    : {
        type: 'MISSING_AUTHENTICATION_TOKEN',
        status: 403,
        message: 'Missing Authentication Token',
        errorType: 'MissingAuthenticationTokenException',
      };
  return restErrorReply(error, gateway.model.gatewayResponses, request, { api: gateway.api });
}

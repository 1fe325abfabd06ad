// An http_proxy integration: the request goes to the backend as received (method, path variables
// substituted into the URI, query, headers, body) and the backend's answer comes back unchanged.
import * as http from 'node:http';
import * as https from 'node:https';
import type { HttpProxyIntegration } from '../../../openapi/model/types';
import type { GatewayError, Reply } from '../reply';
import { dotSegmentIn, fixedPathPrefix, pathRefused, staysUnder } from '../path-values';
import type { GatewayRequest } from '../request';
import { parameterValue, type ContextTree } from '../templates';

/** Headers that belong to one connection and are not forwarded, either way. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

export interface ProxyTarget {
  integration: HttpProxyIntegration;
  /** The integration URI with placeholders bound. */
  uri: string;
  /** The origin bind.ts checked (loopback, or opted in with local.forward); no request goes anywhere else. */
  origin: string;
}

export async function runHttpProxy(
  target: ProxyTarget,
  request: GatewayRequest,
  rawPathParameters: Record<string, string>,
  context: ContextTree,
  timeoutMs: number,
): Promise<Reply | GatewayError> {
  const url = backendUrl(target, request, rawPathParameters, context);
  if (!(url instanceof URL)) return url;
  const body = await request.readBody();
  const method = target.integration.httpMethod === 'ANY' ? request.method : target.integration.httpMethod;
  const headers: [string, string][] = request.headerList().filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()));
  for (const [targetName, source] of Object.entries(target.integration.requestParameters)) {
    const header = /^integration\.request\.header\.(.+)$/.exec(targetName);
    if (!header) continue;
    const value = parameterValue(
      source,
      { headers: request.headers, query: request.query, pathParameters: rawPathParameters },
      context,
    );
    if (value !== undefined) headers.push([header[1], value]);
  }
  headers.push(['x-forwarded-for', request.sourceIp]);
  return sendToBackend(url, target.origin, method, headers, body, timeoutMs);
}

/**
 * One request to a backend, and its whole answer. `origin` is the one bind.ts allowed: a URL whose path
 * variables moved it elsewhere (`http://127.0.0.1:8080{suffix}`) is refused, not sent.
 */
export function sendToBackend(
  url: URL,
  origin: string,
  method: string,
  headerList: [string, string][],
  body: Buffer,
  timeoutMs: number,
): Promise<Reply | GatewayError> {
  if (url.origin !== origin) return Promise.resolve(unreachable());
  const headers = [...headerList];
  if (body.length > 0) headers.push(['content-length', String(body.length)]);
  // With headers given as a list Node adds no Host of its own; the backend's host is the one it expects.
  headers.push(['host', url.host]);

  return new Promise((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    const outgoing = client.request(url, { method, headers: headers.flat() });
    const timer = setTimeout(() => {
      outgoing.destroy();
      resolve(timeout());
    }, timeoutMs);
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (c: Buffer) => chunks.push(c));
      incoming.on('end', () => {
        clearTimeout(timer);
        const replyHeaders: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(incoming.headers))
          if (value !== undefined && !HOP_BY_HOP.has(name)) replyHeaders[name] = value;
        resolve({ status: incoming.statusCode ?? 502, headers: replyHeaders, body: Buffer.concat(chunks) });
      });
      incoming.on('error', () => {
        clearTimeout(timer);
        resolve(unreachable());
      });
    });
    outgoing.on('error', () => {
      clearTimeout(timer);
      resolve(unreachable());
    });
    outgoing.end(body);
  });
}

/**
 * The URI with `{name}` replaced from requestParameters (integration.request.path.X), else the same-named
 * path parameter; a 400 when a value holds a dot segment (path-values.ts), so no value leaves the URI's prefix.
 */
export function backendUrl(
  target: Pick<ProxyTarget, 'uri'> & { integration: { requestParameters: Record<string, string> } },
  request: GatewayRequest,
  rawPathParameters: Record<string, string>,
  context: ContextTree,
): URL | GatewayError {
  const values: Record<string, string> = { ...rawPathParameters };
  for (const [targetName, source] of Object.entries(target.integration.requestParameters)) {
    const path = /^integration\.request\.path\.(.+)$/.exec(targetName);
    if (!path) continue;
    const value = parameterValue(
      source,
      { headers: request.headers, query: request.query, pathParameters: rawPathParameters },
      context,
    );
    if (value !== undefined) values[path[1]] = value;
  }
  const prefix = fixedPathPrefix(target.uri);
  let refused: string | undefined;
  const substituted = target.uri.replace(/\{([^{}+]+)\+?\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    if (dotSegmentIn(value)) refused ??= name;
    return value;
  });
  if (refused !== undefined) return pathRefused(refused, prefix);
  const url = new URL(substituted);
  if (!staysUnder(url, prefix)) return pathRefused(Object.keys(values).join(', '), prefix);
  if (request.rawQuery) url.search = url.search ? `${url.search}&${request.rawQuery}` : `?${request.rawQuery}`;
  return url;
}

// REST: INTEGRATION_FAILURE (default 504) and INTEGRATION_TIMEOUT (504), per
// docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html. The HTTP API
// equivalents (503 for an unreachable backend, 504 for a timeout) are the statuses AWS re:Post reports.
function unreachable(): GatewayError {
  return {
    type: 'INTEGRATION_FAILURE',
    status: 504,
    message: 'Network error communicating with endpoint',
    errorType: 'InternalServerErrorException',
    http: { status: 503, message: 'Service Unavailable' },
  };
}

function timeout(): GatewayError {
  return {
    type: 'INTEGRATION_TIMEOUT',
    status: 504,
    message: 'Endpoint request timed out',
    errorType: 'InternalServerErrorException',
    http: { status: 504, message: 'Gateway Timeout' },
  };
}

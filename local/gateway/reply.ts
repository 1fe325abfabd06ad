// What the gateway sends back, and the error replies of both API kinds.
import type { ServerResponse } from 'node:http';
import type { GatewayResponse } from '../../openapi/model/types';
import { parameterValue, renderTemplate } from './templates';
import type { ApiIdentity, GatewayRequest } from './request';

export interface Reply {
  status: number;
  /** Header name -> value; arrays become repeated headers (set-cookie). */
  headers: Record<string, string | string[]>;
  body: Buffer | string;
}

/** A failure API Gateway reports itself, named by its REST gateway response type. */
export interface GatewayError {
  type: string;
  status: number;
  /** null where AWS sends `{"message": null}`. */
  message: string | null;
  /** x-amzn-ErrorType (REST). */
  errorType?: string;
  /** Extra headers of the default response (HTTP APIs' www-authenticate). */
  headers?: Record<string, string>;
  /** What an HTTP API answers instead, where it differs. */
  http?: { status: number; message: string };
}

/**
 * Sends a reply with a Content-Length, as API Gateway does. Besides being faithful, it lets Node send
 * headers and body in one write instead of a chunked writev of three buffers. The reply's own header
 * object goes to writeHead (replies are made per request): no copy of it per request.
 */
export function writeReply(outgoing: ServerResponse, reply: Reply): void {
  const { status, headers } = reply;
  // Framing is the gateway's own, whatever an integration's headers say.
  for (const name in headers) if (isFraming(name)) delete headers[name];
  // 204 and 304 carry no body, so no Content-Length either (RFC 9110 §8.6); neither does a 1xx.
  const bodyless = status === 204 || status === 304;
  const body = bodyless ? '' : reply.body;
  if (!bodyless && status >= 200) headers['content-length'] = String(Buffer.byteLength(body));
  outgoing.writeHead(status, headers);
  outgoing.end(body);
}

function isFraming(name: string): boolean {
  // Lengths first: most names are neither, and lower-casing every name per reply showed in profiles.
  return (
    (name.length === 14 && name.toLowerCase() === 'content-length') ||
    (name.length === 17 && name.toLowerCase() === 'transfer-encoding')
  );
}

const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/**
 * A REST API's error: the document's gateway response of that type, else DEFAULT_4XX/DEFAULT_5XX, else
 * API Gateway's default. A defined response replaces the default's status, headers and body.
 */
export function restErrorReply(
  error: GatewayError,
  gatewayResponses: Record<string, GatewayResponse>,
  request: GatewayRequest,
  where: { api: ApiIdentity; resourcePath?: string },
  pathParameters: Record<string, string> = {},
): Reply {
  const fallback = gatewayResponses[error.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'];
  const custom = gatewayResponses[error.type] ?? fallback;
  const status = custom?.statusCode ?? fallback?.statusCode ?? error.status;
  const errorContext = request.context(where.api, {
    resourcePath: where.resourcePath,
    error: {
      message: error.message,
      messageString: JSON.stringify(error.message),
      responseType: error.type,
      validationErrorString: '',
    },
  });
  const headers: Record<string, string> = {
    'x-amzn-ErrorType': error.errorType ?? 'Exception',
    ...(error.headers ?? {}),
  };
  let contentType = 'application/json';
  let template = DEFAULT_TEMPLATE;
  if (custom) {
    for (const [name, value] of Object.entries(custom.headers)) {
      const resolved = parameterValue(
        value,
        { headers: request.headers, query: request.query, pathParameters },
        errorContext,
      );
      if (resolved !== undefined) headers[name] = resolved;
    }
    const chosen =
      custom.templates['application/json'] !== undefined ? 'application/json' : Object.keys(custom.templates)[0];
    if (chosen !== undefined) {
      contentType = chosen;
      template = custom.templates[chosen];
    }
  }
  return { status, headers: { 'content-type': contentType, ...headers }, body: renderTemplate(template, errorContext) };
}

/** The same failure on an HTTP API. */
export function httpApiErrorReply(error: GatewayError): Reply {
  return httpErrorReply(
    error.http?.status ?? error.status,
    error.http?.message ?? error.message ?? 'Internal Server Error',
    error.headers,
  );
}

/** HTTP APIs have no gateway responses: `{"message": ...}` and the given headers. */
export function httpErrorReply(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ message }) };
}

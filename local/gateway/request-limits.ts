// What the gateway refuses at the door, before routing, as API Gateway's quotas bound a request:
// HTTP API quotas (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html) "Total combined
// size of request line and header values 10240 bytes" and "Payload size 10 MB"; REST API quotas
// (docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html)
// "Total combined size of all header values, including header names, values, any line terminators, and
// white space 10240 bytes", "Length, in characters, of the URL for a regional API 10240" and "Payload size
// 10 MB". And CONNECT, which node:http hands to a 'connect'
// listener instead of the request handler.
import type { Socket } from 'node:net';
import type { ApiKind, GatewayResponse } from '../../openapi/model/types';
import { httpApiErrorReply, httpErrorReply, restErrorReply, type GatewayError, type Reply } from './reply';
import { MAX_BODY_BYTES, type ApiIdentity, type GatewayRequest } from './request';

export const MAX_HEADER_BYTES = 10_240;
/**
 * REST's URL quota (regional APIs). Counted on the request target (path and query): the local host name is
 * not the API's, so a URL within a few dozen characters of the quota passes here that AWS would refuse.
 */
export const MAX_REST_URL_CHARS = 10_240;

/**
 * node:http's own bound on the header block, set above API Gateway's so that every request between the two
 * gets the gateway's answer with a body; past it node answers 431 itself and closes the connection.
 */
export const NODE_MAX_HEADER_BYTES = 32 * 1024;

export interface Door {
  kind: ApiKind;
  api: ApiIdentity;
  gatewayResponses: Record<string, GatewayResponse>;
}

/**
 * The header bytes the API kind's quota counts: REST, every header line (name, ": ", value, CRLF); HTTP
 * APIs, the request line and the header values. node:http trims the whitespace around values, so a
 * client's extra spaces are not counted.
 */
export function headerBytes(kind: ApiKind, request: GatewayRequest): number {
  const raw = request.incoming.rawHeaders;
  let bytes = 0;
  if (kind === 'rest') {
    for (let i = 0; i + 1 < raw.length; i += 2) bytes += Buffer.byteLength(raw[i]) + Buffer.byteLength(raw[i + 1]) + 4;
    return bytes;
  }
  const { method, url, httpVersion } = request.incoming;
  bytes = Buffer.byteLength(`${method ?? ''} ${url ?? ''} HTTP/${httpVersion}`);
  for (let i = 1; i < raw.length; i += 2) bytes += Buffer.byteLength(raw[i]);
  return bytes;
}

/**
 * Whether the header quota surely holds without counting bytes: UTF-8 takes at most 3 bytes per UTF-16
 * unit, so when thrice the characters (request line, names, values, separators) are within the quota, so
 * are the bytes either kind counts. The usual request, a JWT of ~1 kB, then needs no encoding to count.
 */
function surelyWithinHeaderQuota(request: GatewayRequest): boolean {
  const { rawHeaders, url, method } = request.incoming;
  let units = (url ?? '').length + (method ?? '').length + 16;
  for (let i = 0; i < rawHeaders.length; i++) units += rawHeaders[i].length + 2;
  return 3 * units <= MAX_HEADER_BYTES;
}

/** The reply to a request over a quota, or undefined when it is within them. */
export function refusedAtTheDoor(door: Door, request: GatewayRequest): Reply | undefined {
  if (door.kind === 'rest' && (request.incoming.url ?? '').length > MAX_REST_URL_CHARS)
    // 414 is the status limits.html names for a URI too long (its note on method ARNs): likely; body unverified.
    return httpErrorReply(414, 'Request-URI Too Long', { connection: 'close' });
  if (!surelyWithinHeaderQuota(request) && headerBytes(door.kind, request) > MAX_HEADER_BYTES)
    // 431 is what API Gateway answered in one report (backbencher.dev); the body is unverified.
    return httpErrorReply(431, 'Request Header Fields Too Large', { connection: 'close' });
  // A declared body over the limit is refused whatever the route does with it: a mock never reads its body,
  // so the limit held only where a body was read. A chunked body is still counted where it is read.
  if (Number(request.headers['content-length']) > MAX_BODY_BYTES) {
    const error = requestTooLarge();
    return door.kind === 'http'
      ? httpApiErrorReply(error)
      : restErrorReply(error, door.gatewayResponses, request, { api: door.api });
  }
  return undefined;
}

/** REST's REQUEST_TOO_LARGE gateway response (413), as the pipeline gives it for a body read past the limit. */
export function requestTooLarge(): GatewayError {
  return {
    type: 'REQUEST_TOO_LARGE',
    status: 413,
    message: 'Request Too Long',
    errorType: 'RequestTooLargeException',
    http: { status: 413, message: 'Request Entity Too Large' },
  };
}

/**
 * Answers a CONNECT, which node:http would otherwise close without a word. Its target is a host and port,
 * not a path, so it names no stage: the answer is the one to any request outside the API's stages (REST 403
 * Forbidden, HTTP API 404), as pipeline.ts gives it. AWS's own answer is unverified.
 */
export function answerConnect(kind: ApiKind, socket: Socket): void {
  const [status, reason, body, extra] =
    kind === 'rest'
      ? [403, 'Forbidden', '{"message":"Forbidden"}', 'x-amzn-ErrorType: ForbiddenException\r\n']
      : [404, 'Not Found', '{"message":"Not Found"}', ''];
  socket.on('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extra}connection: close\r\n\r\n${body}`,
  );
}

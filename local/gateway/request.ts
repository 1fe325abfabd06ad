// One incoming request as the pipeline sees it: ids and times API Gateway assigns, the path split from the
// stage, and the body read on demand (mock routes never wait for it).
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { ApiKind } from '../../openapi/model/types';
import type { Claims } from './authorizer';
import { restClaims } from './claims';
import { clfTime, type ContextTree } from './templates';
import { readBodyWithin } from '../http/request-body';

/** API Gateway's payload limit, for REST and HTTP APIs alike. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface ApiIdentity {
  apiId: string;
  accountId: string;
  stage: string;
}

export class GatewayRequest {
  readonly requestId = randomUUID();
  /** REST's `extendedRequestId` / HTTP's `apigw-requestid`: short and base64-like, as on AWS. */
  readonly extendedRequestId = extendedRequestId();
  readonly receivedAt = Date.now();
  readonly method: string;
  /**
   * One value per header name, as API Gateway sees a header sent more than once (see headersAsSeenBy);
   * headerList() keeps every value.
   */
  readonly headers: IncomingHttpHeaders;
  /** No header name was sent twice: `headers` is node's object as it parsed them, one value per raw header. */
  readonly distinctHeaders: boolean;
  /** Path as received, with the stage, without the query. */
  readonly rawPath: string;
  /** Query string without `?`, as received. */
  readonly rawQuery: string;
  private parsedQuery?: URLSearchParams;
  private body?: Promise<Buffer>;

  constructor(
    readonly incoming: IncomingMessage,
    kind: ApiKind,
  ) {
    this.method = (incoming.method ?? 'GET').toUpperCase();
    // Each distinct name is one key of node's object, so as many keys as raw pairs means none was repeated.
    this.distinctHeaders = Object.keys(incoming.headers).length * 2 === incoming.rawHeaders.length;
    this.headers = this.distinctHeaders ? incoming.headers : headersAsSeenBy(kind, incoming);
    const url = incoming.url ?? '/';
    const q = url.indexOf('?');
    this.rawPath = q === -1 ? url : url.slice(0, q);
    this.rawQuery = q === -1 ? '' : url.slice(q + 1);
  }

  /** Parsed on first use: most routes never read the query. */
  get query(): URLSearchParams {
    return (this.parsedQuery ??= new URLSearchParams(this.rawQuery));
  }

  get sourceIp(): string {
    const address = this.incoming.socket.remoteAddress;
    if (address === undefined) return '127.0.0.1';
    return address.startsWith('::ffff:') ? address.slice(7) : address;
  }

  get userAgent(): string {
    return this.headers['user-agent'] ?? '';
  }

  get host(): string {
    return this.headers.host ?? 'localhost';
  }

  /** The Host header without its port: `$context.domainName`, the events' `domainName`. */
  get domainName(): string {
    return domainOf(this.host);
  }

  /** The whole body, read once; rejects with BodyTooLarge past MAX_BODY_BYTES. */
  readBody(): Promise<Buffer> {
    return (this.body ??= readBodyWithin(this.incoming, MAX_BODY_BYTES));
  }

  /** Request headers with their original spelling, repeated ones kept (REST/1.0 events and proxies use these). */
  headerList(): [string, string][] {
    const raw = this.incoming.rawHeaders;
    const list: [string, string][] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) list.push([raw[i], raw[i + 1]]);
    return list;
  }

  /** `$context` as mapping templates and gateway responses see it. */
  context(
    api: ApiIdentity,
    extra: { resourcePath?: string; claims?: Claims; error?: ContextTree; authorizer?: ContextTree },
  ): ContextTree {
    return new RequestContext(this, api, extra);
  }
}

/**
 * `$context` of one request. A class with getters on its prototype: most templates read few of these
 * values, and building them all (times, claims, ids) as a plain object on every request cost more than the
 * rest of a mock request.
 */
class RequestContext implements ContextTree {
  [key: string]: ContextTree[string];
  readonly #request: GatewayRequest;
  readonly #api: ApiIdentity;
  readonly #claims?: Claims;
  #authorizer?: ContextTree;
  readonly resourcePath: string | undefined;
  readonly error: ContextTree | undefined;

  constructor(
    request: GatewayRequest,
    api: ApiIdentity,
    extra: { resourcePath?: string; claims?: Claims; error?: ContextTree; authorizer?: ContextTree },
  ) {
    this.#request = request;
    this.#api = api;
    this.#claims = extra.claims;
    // A Lambda authorizer's answer, given as it is; claims build theirs on first use.
    this.#authorizer = extra.authorizer;
    this.resourcePath = extra.resourcePath;
    this.error = extra.error;
  }

  get requestId(): string {
    return this.#request.requestId;
  }
  get extendedRequestId(): string {
    return this.#request.extendedRequestId;
  }
  get apiId(): string {
    return this.#api.apiId;
  }
  get accountId(): string {
    return this.#api.accountId;
  }
  get stage(): string {
    return this.#api.stage;
  }
  get httpMethod(): string {
    return this.#request.method;
  }
  get path(): string {
    return this.#request.rawPath;
  }
  get resourceId(): string | undefined {
    return this.resourcePath ? resourceIdOf(this.resourcePath) : undefined;
  }
  get protocol(): string {
    return `HTTP/${this.#request.incoming.httpVersion}`;
  }
  get domainName(): string {
    return this.#request.domainName;
  }
  get domainPrefix(): string {
    return this.domainName.split('.')[0];
  }
  get requestTime(): string {
    return clfTime(this.#request.receivedAt);
  }
  get requestTimeEpoch(): number {
    return this.#request.receivedAt;
  }
  get identity(): ContextTree {
    return { sourceIp: this.#request.sourceIp, userAgent: this.#request.userAgent };
  }
  get authorizer(): ContextTree | undefined {
    const claims = this.#claims;
    if (!claims) return this.#authorizer;
    return (this.#authorizer ??= {
      claims: restClaims(claims),
      principalId: typeof claims.sub === 'string' ? claims.sub : undefined,
    });
  }
}

/**
 * node:http keeps the first of a repeated Authorization (and drops the others) and joins most other
 * repeated headers with ", ". API Gateway does neither: an HTTP API combines duplicates with commas
 * (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html, so two
 * tokens in one header are no JWT), and a REST API's single-valued view holds the last value beside
 * multiValueHeaders (the Lambda proxy input format; that its authorizers read the same value is unverified).
 * Cookies keep node's joining, which both kinds' cookie handling builds on. Headers sent once, the usual
 * case, are node's object as it is (the constructor checks that before calling this).
 */
function headersAsSeenBy(kind: ApiKind, incoming: IncomingMessage): IncomingHttpHeaders {
  const raw = incoming.rawHeaders;
  let repeated: Map<string, string[]> | undefined;
  const seen = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (!seen.has(name)) {
      seen.add(name);
      continue;
    }
    if (name === 'cookie') continue;
    repeated ??= new Map();
    repeated.set(name, []);
  }
  if (!repeated) return incoming.headers;
  for (let i = 0; i + 1 < raw.length; i += 2) repeated.get(raw[i].toLowerCase())?.push(raw[i + 1]);
  const headers: IncomingHttpHeaders = { ...incoming.headers };
  for (const [name, values] of repeated) {
    if (name === 'set-cookie') continue;
    headers[name] = kind === 'http' ? values.join(',') : values[values.length - 1];
  }
  return headers;
}

// Every request on a stack names the same host: the last one's answer is kept, not a regex run per request.
let lastHost = '';
let lastDomain = '';

function domainOf(host: string): string {
  if (host !== lastHost) {
    lastDomain = host.replace(/:\d+$/, '');
    lastHost = host;
  }
  return lastDomain;
}

// randomBytes per request cost more than the rest of a mock request; one draw serves 256 ids.
const ID_BYTES = 12;
let idPool = Buffer.alloc(0);
let idOffset = 0;

/** 16 base64url characters and `=`, unique per request (12 random bytes). */
function extendedRequestId(): string {
  if (idOffset + ID_BYTES > idPool.length) {
    idPool = randomBytes(ID_BYTES * 256);
    idOffset = 0;
  }
  const id = idPool.toString('base64url', idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return `${id}=`;
}

/** A stable short id per resource path, standing in for API Gateway's resource ids. */
export function resourceIdOf(resourcePath: string): string {
  let hash = 0;
  for (const ch of resourcePath) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  return hash.toString(36).padStart(6, '0').slice(0, 6);
}

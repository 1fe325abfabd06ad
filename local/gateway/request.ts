// One incoming request as the pipeline sees it: ids and times API Gateway assigns, the path split from the
// stage, and the body read on demand (mock routes never wait for it).
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Claims } from './authorizer';
import { restClaims } from './claims';
import { clfTime, type ContextTree } from './templates';

/** API Gateway's payload limit, for REST and HTTP APIs alike. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export interface ApiIdentity {
  apiId: string;
  accountId: string;
  stage: string;
}

export class GatewayRequest {
  readonly requestId = randomUUID();
  /** REST's `extendedRequestId` / HTTP's `apigw-requestid`: short and base64-like, as on AWS. */
  readonly extendedRequestId = randomBytes(12).toString('base64url').slice(0, 16) + '=';
  readonly receivedAt = Date.now();
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  /** Path as received, with the stage, without the query. */
  readonly rawPath: string;
  /** Query string without `?`, as received. */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  private body?: Promise<Buffer>;

  constructor(readonly incoming: IncomingMessage) {
    this.method = (incoming.method ?? 'GET').toUpperCase();
    this.headers = incoming.headers;
    const url = incoming.url ?? '/';
    const q = url.indexOf('?');
    this.rawPath = q === -1 ? url : url.slice(0, q);
    this.rawQuery = q === -1 ? '' : url.slice(q + 1);
    this.query = new URLSearchParams(this.rawQuery);
  }

  get sourceIp(): string {
    return this.incoming.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  }

  get userAgent(): string {
    return this.headers['user-agent'] ?? '';
  }

  get host(): string {
    return this.headers.host ?? 'localhost';
  }

  /** The whole body; rejects with BodyTooLarge past MAX_BODY_BYTES. */
  readBody(): Promise<Buffer> {
    this.body ??= new Promise<Buffer>((resolve, reject) => {
      const declared = Number(this.headers['content-length']);
      if (declared > MAX_BODY_BYTES) {
        this.incoming.resume();
        reject(new BodyTooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      this.incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          this.incoming.removeAllListeners('data');
          this.incoming.resume();
          reject(new BodyTooLarge());
          return;
        }
        chunks.push(chunk);
      });
      this.incoming.on('end', () => resolve(Buffer.concat(chunks)));
      this.incoming.on('error', reject);
    });
    return this.body;
  }

  /** Request headers with their original spelling, repeated ones kept (REST/1.0 events and proxies use these). */
  headerList(): [string, string][] {
    const raw = this.incoming.rawHeaders;
    const list: [string, string][] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) list.push([raw[i], raw[i + 1]]);
    return list;
  }

  /** `$context` as mapping templates and gateway responses see it. */
  context(api: ApiIdentity, extra: { resourcePath?: string; claims?: Claims; error?: ContextTree }): ContextTree {
    const domainName = this.host.replace(/:\d+$/, '');
    return {
      requestId: this.requestId,
      extendedRequestId: this.extendedRequestId,
      apiId: api.apiId,
      accountId: api.accountId,
      stage: api.stage,
      httpMethod: this.method,
      path: this.rawPath,
      resourcePath: extra.resourcePath,
      resourceId: extra.resourcePath ? resourceIdOf(extra.resourcePath) : undefined,
      protocol: `HTTP/${this.incoming.httpVersion}`,
      domainName,
      domainPrefix: domainName.split('.')[0],
      requestTime: clfTime(this.receivedAt),
      requestTimeEpoch: this.receivedAt,
      identity: { sourceIp: this.sourceIp, userAgent: this.userAgent },
      authorizer: extra.claims ? { claims: restClaims(extra.claims), principalId: typeof extra.claims.sub === 'string' ? extra.claims.sub : undefined } : undefined,
      error: extra.error,
    };
  }
}

/** A stable short id per resource path, standing in for API Gateway's resource ids. */
export function resourceIdOf(resourcePath: string): string {
  let hash = 0;
  for (const ch of resourcePath) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  return hash.toString(36).padStart(6, '0').slice(0, 6);
}

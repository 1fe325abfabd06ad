// The HTTP face of the local Cognito: the JSON API at POST /, per-pool discovery documents, the
// client_credentials grant; cognito-local's own OAuth2 routes behind it for the rest of /oauth2/*.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Services } from './cognito-local-core';
import type { clientCredentialsGrant } from './client-credentials-grant';
import { handleJsonRequest } from './json-protocol';
import { discoveryDocument } from './oidc-discovery';
import type { SigningKeys } from './signing-keys';
import type { OperationRouter } from './target-guards';

const MAX_BODY_BYTES = 1024 * 1024;
const DELEGATED_GRANTS = new Set(['authorization_code', 'refresh_token']);

export interface FrontOptions {
  router: OperationRouter;
  services: Services;
  keys: Promise<SigningKeys>;
  baseUrl: () => string;
  clientCredentials: ReturnType<typeof clientCredentialsGrant>;
  /** cognito-local's Express app, for the OAuth2 routes we do not serve ourselves. */
  cognitoLocalApp: () => Promise<RequestListener>;
}

class BodyTooLarge extends Error {}

/** A malformed escape names no pool (404), rather than failing the request. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** OAuth2 token responses must not be cached (RFC 6749, 5.1). */
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function frontHandler(options: FrontOptions): RequestListener {
  const tokenEndpoint = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request' });
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) return sendJson(res, 400, { error: 'invalid_request' }, NO_STORE);
    const form = new URLSearchParams(await readBody(req));
    const grant = form.get('grant_type');
    if (grant === 'client_credentials') {
      const result = await options.clientCredentials(req.headers.authorization, form);
      return sendJson(res, result.status, result.body, NO_STORE);
    }
    if (grant && DELEGATED_GRANTS.has(grant)) {
      // The body is consumed; Express's body parser sees a finished request and keeps this one.
      (req as IncomingMessage & { body?: unknown }).body = Object.fromEntries(form);
      return (await options.cognitoLocalApp())(req, res);
    }
    return sendJson(res, 400, { error: grant ? 'unsupported_grant_type' : 'invalid_request' }, NO_STORE);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname } = new URL(req.url ?? '/', 'http://front');
    if (pathname === '/' && req.method === 'POST') {
      const reply = await handleJsonRequest(options.router, req.headers['x-amz-target'], await readBody(req));
      res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
      return void res.end(reply.body);
    }
    const wellKnown = /^\/([^/]+)\/\.well-known\/([^/]+)$/.exec(pathname);
    if (wellKnown && req.method === 'GET') {
      const doc = await discoveryDocument(options.services, options.keys, options.baseUrl(), safeDecode(wellKnown[1]), wellKnown[2]);
      if (doc) return sendJson(res, doc.status, doc.body);
    }
    if (pathname === '/oauth2/token') return tokenEndpoint(req, res);
    if (pathname === '/oauth2/authorize') return (await options.cognitoLocalApp())(req, res);
    sendJson(res, 404, { message: 'Not Found' });
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof BodyTooLarge) return sendJson(res, 413, { message: 'Request body too large.' });
      sendJson(res, 500, { message: `Internal error in the local Cognito: ${error instanceof Error ? error.message : String(error)}` });
    });
  };
}

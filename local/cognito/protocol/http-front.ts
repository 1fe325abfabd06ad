// The HTTP face of the local Cognito: the JSON API at POST /, per-pool discovery documents, the OAuth2
// endpoints (/oauth2/token, /oauth2/revoke, /oauth2/userInfo), the hosted UI (/oauth2/authorize, /login,
// /logout, /signup, /confirm, /resendcode) and the local-only mailbox at GET /_local/codes. The endpoints a
// browser app calls answer CORS as Cognito does (cors.ts).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Services } from '../wiring/cognito-local-core';
import type { clientCredentialsGrant } from '../oauth/client-credentials-grant';
import { codesEndpoint, type CodeMailbox } from '../users/code-mailbox';
import type { CognitoTokens } from '../tokens/cognito-tokens';
import type { hostedUi } from '../oauth/hosted-ui';
import { applyCors, corsPolicyOf } from './cors';
import { BodyTooLarge } from '../../http/request-body';
import { NO_STORE, readBody, readForm, sendJson } from './http-replies';
import { handleJsonRequest } from './json-protocol';
import type { oauthTokenGrants } from '../oauth/oauth-token-endpoint';
import { discoveryDocument } from '../oauth/oidc-discovery';
import type { PoolIssuers } from '../pools/pool-issuers';
import type { SigningKeys } from '../tokens/signing-keys';
import type { OperationRouter } from '../wiring/target-guards';
import { userInfo } from '../oauth/user-info';

export interface FrontOptions {
  router: OperationRouter;
  services: Services;
  keys: Promise<SigningKeys>;
  tokens: CognitoTokens;
  baseUrl: () => string;
  issuers: PoolIssuers;
  clientCredentials: ReturnType<typeof clientCredentialsGrant>;
  oauth: ReturnType<typeof oauthTokenGrants>;
  hostedUi: ReturnType<typeof hostedUi>;
  mailbox: CodeMailbox;
}

/** A malformed escape names no pool (404), rather than failing the request. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function frontHandler(options: FrontOptions): RequestListener {
  /** POST, form-encoded, as Cognito's token and revocation endpoints require. */
  const formEndpoint = async (
    req: IncomingMessage,
    res: ServerResponse,
    serve: (form: URLSearchParams) => Promise<{ status: number; body: object }>,
  ): Promise<void> => {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request' }, { allow: 'POST' });
    const form = await readForm(req);
    if (!form) return sendJson(res, 400, { error: 'invalid_request' }, NO_STORE);
    const reply = await serve(form);
    sendJson(res, reply.status, reply.body, NO_STORE);
  };

  const tokenEndpoint = (req: IncomingMessage, res: ServerResponse) =>
    formEndpoint(req, res, (form) =>
      form.get('grant_type') === 'client_credentials'
        ? options.clientCredentials(req.headers.authorization, form)
        : options.oauth.token(req.headers.authorization, form),
    );

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://front');
    const { pathname, searchParams } = url;
    const cors = corsPolicyOf(pathname);
    if (cors && applyCors(req, res, cors)) return;
    if (pathname === '/' && req.method === 'POST') {
      const reply = await handleJsonRequest(options.router, req.headers['x-amz-target'], await readBody(req));
      res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
      return void res.end(reply.body);
    }
    const wellKnown = /^\/([^/]+)\/\.well-known\/([^/]+)$/.exec(pathname);
    if (wellKnown && req.method === 'GET') {
      const doc = await discoveryDocument(
        options.services,
        options.keys,
        options.baseUrl(),
        options.issuers,
        safeDecode(wellKnown[1]),
        wellKnown[2],
      );
      if (doc) return sendJson(res, doc.status, doc.body);
    }
    switch (pathname) {
      case '/oauth2/token':
        return tokenEndpoint(req, res);
      case '/oauth2/revoke':
        return formEndpoint(req, res, (form) => options.oauth.revoke(req.headers.authorization, form));
      case '/oauth2/userInfo': {
        if (req.method !== 'GET' && req.method !== 'POST')
          return sendJson(res, 405, { error: 'invalid_request' }, { allow: 'GET, POST' });
        const reply = await userInfo(
          options.services,
          options.keys,
          options.tokens,
          (poolId) => options.issuers.issuerOf(poolId),
          req.headers.authorization,
        );
        return sendJson(res, reply.status, reply.body, { ...NO_STORE, ...reply.headers });
      }
      case '/oauth2/authorize':
        if (req.method !== 'GET') return sendJson(res, 405, { error: 'invalid_request' }, { allow: 'GET' });
        return options.hostedUi.authorize(req, res, searchParams);
      case '/login':
        return options.hostedUi.login(req, res, searchParams);
      case '/logout':
        return options.hostedUi.logout(req, res, searchParams);
      case '/signup':
        return options.hostedUi.signup(req, res, searchParams);
      case '/confirm':
        return options.hostedUi.confirm(req, res, searchParams);
      case '/resendcode':
        return options.hostedUi.resendCode(req, res, searchParams);
      case '/_local/codes': {
        if (req.method !== 'GET') return sendJson(res, 405, { message: 'Use GET.' }, { allow: 'GET' });
        const reply = await codesEndpoint(options.services, options.mailbox, searchParams);
        return sendJson(res, reply.status, reply.body, NO_STORE);
      }
    }
    sendJson(res, 404, { message: 'Not Found' });
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof BodyTooLarge) return sendJson(res, 413, { message: 'Request body too large.' });
      sendJson(res, 500, {
        message: `Internal error in the local Cognito: ${error instanceof Error ? error.message : String(error)}`,
      });
    });
  };
}

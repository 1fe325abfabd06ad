// Test support: a deliberately wrong API Gateway, for the faults a correct gateway cannot be made to show:
// one that skips signature checks, one that answers 403 where REST answers 401, one that ignores exp. Otherwise it
// follows the semantics doc's authorizer rules (written apart from expectations.ts, an independent reading)
// and verifies tokens against the real local Cognito's issuer and JWKS. Faults a proxy can add in front of
// the real local gateway (delays, 503s, echoed headers) live in fault-proxy.ts instead.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { ApiModel, Operation } from '../../openapi/model/types';
import { identityValidationAccepts } from '../../stack/bound-authorizers';
import type { BoundAuthorizer } from '../binding';

export interface GatewayFaults {
  /** Accept any token whose payload decodes, without checking its signature. */
  skipSignature?: boolean;
  /** Answer 403 instead of 401 when a REST method's scopes are missing (a classic mismatch). */
  restMissingScope403?: boolean;
  /** Never refuse a token for its exp: verify the signature and issuer as if the clock read the epoch. */
  ignoreExp?: boolean;
}

export interface FakeGateway {
  /** Base URL, stage included for REST. */
  url: string;
  stop(): Promise<void>;
}

interface Route {
  op: Operation;
  pattern: RegExp;
}

function routeOf(op: Operation): Route {
  const source = op.path
    .replace(/[.*?^$()|[\]\\]/g, '\\$&')
    .replace(/\{[^}]+?\+\}/g, '.+')
    .replace(/\{[^}]+?\}/g, '[^/]+');
  return { op, pattern: new RegExp(`^${source}$`) };
}

export async function startFakeGateway(options: {
  model: ApiModel;
  authorizers: Record<string, BoundAuthorizer>;
  /** Issuer of the (local Cognito) pool that providerARNs (REST) names. */
  poolIssuer: string;
  jwksUrl: string;
  stage?: string;
  faults: GatewayFaults;
}): Promise<FakeGateway> {
  const { model, authorizers, faults } = options;
  const routes = model.operations.map(routeOf);
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
  const prefix = model.kind === 'rest' ? `/${options.stage ?? 'prod'}` : '';

  const restUnauthorized = (message: string) => {
    const custom = model.gatewayResponses.UNAUTHORIZED;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-amzn-errortype': 'UnauthorizedException',
      ...(custom?.headers ?? {}),
    };
    const template = custom?.templates['application/json'];
    const body = template
      ? template.replace('$context.error.messageString', JSON.stringify(message))
      : JSON.stringify({ message });
    return { status: custom?.statusCode ?? 401, headers, body };
  };
  const jwtUnauthorized = () => ({
    status: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
    body: '{"message":"Unauthorized"}',
  });
  const forbidden = () => ({
    status: 403,
    headers: { 'content-type': 'application/json' },
    body: '{"message":"Forbidden"}',
  });

  async function verify(token: string, issuer: string): Promise<JWTPayload> {
    if (faults.skipSignature)
      return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as JWTPayload;
    const currentDate = faults.ignoreExp ? new Date(0) : undefined;
    return (await jwtVerify(token, jwks, { issuer, algorithms: ['RS256'], currentDate })).payload;
  }

  async function decide(
    op: Operation,
    headers: http.IncomingHttpHeaders,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const ok = {
      status: op.successStatus,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ok: true, operation: op.id }),
    };
    if (op.auth.kind === 'public') return ok;
    // Only Cognito and JWT authorizers are faked; anything else is refused.
    if (op.auth.kind !== 'authorizer') return restUnauthorized('Unauthorized');
    const authorizer = authorizers[op.auth.authorizer];
    const scopes = op.auth.scopes;
    const raw = headers[authorizer.tokenHeader];
    const value = typeof raw === 'string' ? raw.trim() : '';
    const token = value.startsWith('Bearer ') ? value.slice(7).trim() : value;
    if (authorizer.kind === 'cognito_user_pools') {
      if (!token) return restUnauthorized('Unauthorized');
      let claims: JWTPayload;
      try {
        claims = await verify(token, options.poolIssuer);
      } catch (error) {
        return restUnauthorized(
          error instanceof joseErrors.JWTExpired ? 'The incoming token has expired' : 'Unauthorized',
        );
      }
      if (!identityValidationAccepts(authorizer, claims.aud)) return restUnauthorized('Unauthorized');
      if (scopes.length === 0) return claims.token_use === 'id' ? ok : restUnauthorized('Unauthorized');
      const held = claims.token_use === 'access' && typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
      if (held.some((s) => scopes.includes(s))) return ok;
      return faults.restMissingScope403 ? forbidden() : restUnauthorized('Unauthorized');
    }
    if (!token || (value.includes(' ') && !value.startsWith('Bearer '))) return jwtUnauthorized();
    let claims: JWTPayload;
    try {
      claims = await verify(token, authorizer.issuer);
    } catch {
      return jwtUnauthorized();
    }
    const audience =
      claims.aud === undefined ? [claims.client_id] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audience.some((a) => typeof a === 'string' && authorizer.audience.includes(a))) return jwtUnauthorized();
    if (scopes.length === 0) return ok;
    const held = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    return held.some((s) => scopes.includes(s)) ? ok : forbidden();
  }

  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://gateway');
      const answer = async () => {
        const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
        const route = routes.find((r) => r.pattern.test(path) && (r.op.method === 'ANY' || r.op.method === req.method));
        if (!route)
          return model.kind === 'rest'
            ? {
                status: 403,
                headers: {
                  'content-type': 'application/json',
                  'x-amzn-errortype': 'MissingAuthenticationTokenException',
                },
                body: '{"message":"Missing Authentication Token"}',
              }
            : { status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"Not Found"}' };
        return decide(route.op, req.headers);
      };
      answer().then(
        (a) => {
          res.writeHead(a.status, a.headers);
          res.end(a.body);
        },
        () => res.writeHead(500).end('{"message":"Internal server error"}'),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

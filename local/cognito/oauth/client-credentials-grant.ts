// The token endpoint's client_credentials grant (POST /oauth2/token), which cognito-local lacks: a
// confidential client trades its id and secret for an access token holding custom scopes. Errors as
// Cognito sends them: status 400, {"error": "<code>"}.
import { timingSafeEqual } from 'node:crypto';
import { silentContext, type AppClient, type Services } from '../wiring/cognito-local-core';
import type { CognitoTokens } from '../tokens/cognito-tokens';
import type { ResourceServerStore } from '../pools/resource-servers';

export type TokenErrorCode =
  'invalid_request' | 'invalid_client' | 'unauthorized_client' | 'invalid_scope' | 'unsupported_grant_type';

export type TokenResult =
  | { status: 200; body: { access_token: string; expires_in: number; token_type: 'Bearer' } }
  | { status: 400; body: { error: TokenErrorCode } };

interface Credentials {
  clientId?: string;
  clientSecret?: string;
  malformed: boolean;
}

const refuse = (error: TokenErrorCode): TokenResult => ({ status: 400, body: { error } });

/** From `Authorization: Basic base64(id:secret)` (client_secret_basic) or the form (client_secret_post). */
export function clientCredentialsOf(authorization: string | undefined, form: URLSearchParams): Credentials {
  const formId = form.get('client_id') ?? undefined;
  const formSecret = form.get('client_secret') ?? undefined;
  if (!authorization) return { clientId: formId, clientSecret: formSecret, malformed: false };
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!match) return { malformed: true };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { malformed: true };
  const clientId = decoded.slice(0, colon);
  // Naming a second, different client in the form is ambiguous; Cognito refuses it.
  if (formId !== undefined && formId !== clientId) return { malformed: true };
  return { clientId, clientSecret: decoded.slice(colon + 1), malformed: false };
}

function secretMatches(client: AppClient, secret: string | undefined): boolean {
  if (!client.ClientSecret || secret === undefined) return false;
  const a = Buffer.from(secret);
  const b = Buffer.from(client.ClientSecret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function clientCredentialsGrant(
  services: Services,
  tokens: CognitoTokens,
  resourceServers: ResourceServerStore,
) {
  return async (authorization: string | undefined, form: URLSearchParams): Promise<TokenResult> => {
    const credentials = clientCredentialsOf(authorization, form);
    if (credentials.malformed || !credentials.clientId) return refuse('invalid_client');
    const client = await services.cognito.getAppClient(silentContext, credentials.clientId);
    if (!client || !secretMatches(client, credentials.clientSecret)) return refuse('invalid_client');
    if (client.AllowedOAuthFlowsUserPoolClient !== true || !client.AllowedOAuthFlows?.includes('client_credentials'))
      return refuse('unauthorized_client');

    // Only custom scopes (of resource servers that still exist) can be granted to a client.
    const defined = resourceServers.customScopes(client.UserPoolId);
    const grantable = (client.AllowedOAuthScopes ?? []).filter((scope) => defined.has(scope));
    const requested = [...new Set((form.get('scope') ?? '').split(/\s+/).filter(Boolean))];
    if (requested.some((scope) => !grantable.includes(scope))) return refuse('invalid_scope');
    const granted = requested.length > 0 ? requested : grantable;
    if (granted.length === 0) return refuse('invalid_scope');

    const issued = await tokens.forClient(client, granted);
    return {
      status: 200,
      body: { access_token: issued.accessToken, expires_in: issued.expiresIn, token_type: 'Bearer' },
    };
  };
}

// POST /oauth2/token (authorization_code with PKCE, refresh_token; client_credentials is its own module)
// and POST /oauth2/revoke, as Cognito's token and revocation endpoints answer: errors are status 400 with
// {"error": "<code>"}; a confidential client authenticates with client_secret_basic or client_secret_post.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { silentContext, type AppClient, type Services } from '../wiring/cognito-local-core';
import type { AuthorizationCodes } from './authorization-codes';
import { clientCredentialsOf } from './client-credentials-grant';
import type { CognitoTokens } from '../tokens/cognito-tokens';
import { refreshFor, revokeFor, secretMatches } from '../tokens/refresh-tokens';
import { lifetimeSeconds } from '../tokens/token-validity';

export type OAuthError =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_token_type';

export type OAuthReply =
  { status: 200; body: Record<string, string | number> } | { status: 400; body: { error: OAuthError } };

const refuse = (error: OAuthError): OAuthReply => ({ status: 400, body: { error } });

/** The calling client: a confidential one must prove its secret; a public one only names itself. */
async function authenticatedClient(
  services: Services,
  authorization: string | undefined,
  form: URLSearchParams,
): Promise<AppClient | undefined> {
  const credentials = clientCredentialsOf(authorization, form);
  if (credentials.malformed || !credentials.clientId) return undefined;
  const client = await services.cognito.getAppClient(silentContext, credentials.clientId);
  if (!client) return undefined;
  if (client.ClientSecret && !secretMatches(client, credentials.clientSecret)) return undefined;
  return client;
}

/** RFC 7636, 4.6: BASE64URL(SHA256(code_verifier)) == code_challenge. */
function verifierMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

function tokenBody(
  client: AppClient,
  tokens: { AccessToken: string; IdToken?: string; RefreshToken?: string },
): Record<string, string | number> {
  return {
    ...(tokens.IdToken ? { id_token: tokens.IdToken } : {}),
    access_token: tokens.AccessToken,
    ...(tokens.RefreshToken ? { refresh_token: tokens.RefreshToken } : {}),
    expires_in: lifetimeSeconds(client, 'AccessToken'),
    token_type: 'Bearer',
  };
}

export function oauthTokenGrants(services: Services, tokens: CognitoTokens, codes: AuthorizationCodes) {
  const authorizationCode = async (client: AppClient, form: URLSearchParams): Promise<OAuthReply> => {
    if (client.AllowedOAuthFlowsUserPoolClient !== true || !(client.AllowedOAuthFlows ?? []).includes('code'))
      return refuse('unauthorized_client');
    const code = form.get('code');
    const redirectUri = form.get('redirect_uri');
    if (!code || !redirectUri) return refuse('invalid_request');
    const grant = codes.redeem(code);
    if (!grant || grant.clientId !== client.ClientId || grant.redirectUri !== redirectUri)
      return refuse('invalid_grant');
    if (grant.codeChallenge !== undefined) {
      const verifier = form.get('code_verifier');
      if (!verifier || !verifierMatches(verifier, grant.codeChallenge)) return refuse('invalid_grant');
    }
    const pool = await services.cognito.getUserPool(silentContext, grant.poolId).catch(() => undefined);
    const user = pool ? await pool.getUserByUsername(silentContext, grant.username) : null;
    if (!pool || !user || user.Enabled === false) return refuse('invalid_grant');
    const groups = await pool.listUserGroupMembership(silentContext, user);
    const issued = await tokens.issue(user, groups, client, {
      scopes: grant.scopes,
      nonce: grant.nonce,
      idToken: grant.scopes.includes('openid'),
      session: { authTime: grant.authTime, originJti: randomUUID() },
    });
    return { status: 200, body: tokenBody(client, issued) };
  };

  const refreshToken = async (client: AppClient, form: URLSearchParams): Promise<OAuthReply> => {
    const token = form.get('refresh_token');
    if (!token) return refuse('invalid_request');
    const result = await refreshFor(services, tokens, client, token);
    return result.ok ? { status: 200, body: tokenBody(client, result.tokens) } : refuse('invalid_grant');
  };

  return {
    /** authorization_code and refresh_token; the caller routes client_credentials elsewhere. */
    async token(authorization: string | undefined, form: URLSearchParams): Promise<OAuthReply> {
      const grantType = form.get('grant_type');
      if (grantType !== 'authorization_code' && grantType !== 'refresh_token')
        return refuse(grantType ? 'unsupported_grant_type' : 'invalid_request');
      const client = await authenticatedClient(services, authorization, form);
      if (!client) return refuse('invalid_client');
      return grantType === 'authorization_code' ? authorizationCode(client, form) : refreshToken(client, form);
    },

    async revoke(authorization: string | undefined, form: URLSearchParams): Promise<OAuthReply> {
      const token = form.get('token');
      if (!token) return refuse('invalid_request');
      const credentials = clientCredentialsOf(authorization, form);
      const client =
        credentials.clientId && !credentials.malformed
          ? await services.cognito.getAppClient(silentContext, credentials.clientId)
          : null;
      if (!client) return refuse('invalid_client');
      switch (revokeFor(tokens, client, credentials.clientSecret, token)) {
        case 'bad-client-secret':
          return refuse('invalid_client');
        case 'other-client':
          return refuse('unauthorized_client');
        case 'revocation-disabled':
          return refuse('unsupported_token_type');
        case 'revoked':
          return { status: 200, body: {} };
      }
    },
  };
}

// Reading an authorization request (/oauth2/authorize, and /login, which carries the same parameters) the
// way Cognito's authorization endpoint does:
// https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html
// Until the client and its redirect URI are known good, an error is a page (never a redirect: RFC 6749,
// 4.1.2.1); after that it is a redirect to the redirect URI carrying `error` and `state`.
import { silentContext, type AppClient, type Services } from '../wiring/cognito-local-core';
import type { ResourceServerStore } from '../pools/resource-servers';
import { STANDARD_OAUTH_SCOPES } from '../pools/client-oauth-scopes';

export type ResponseType = 'code' | 'token';

export interface AuthorizeRequest {
  client: AppClient;
  redirectUri: string;
  responseType: ResponseType;
  /** The scopes granted: those asked for, or all the client may have when none were. */
  scopes: string[];
  state: string | undefined;
  nonce: string | undefined;
  /** PKCE (S256 only, as Cognito). */
  codeChallenge: string | undefined;
}

export type AuthorizeError = 'invalid_request' | 'unauthorized_client' | 'invalid_scope' | 'unsupported_response_type';

export type AuthorizeCheck =
  | { ok: true; request: AuthorizeRequest }
  /** Shown as a page, status 400: there is no safe place to send the user back to. */
  | { ok: false; page: string }
  /** Sent back to the client's registered redirect URI. */
  | { ok: false; redirect: string };

/** Where an error or a result goes: the query for the code flow, the fragment for the implicit one (RFC 6749, 4.2.2). */
export function redirectWith(
  redirectUri: string,
  responseType: string | null,
  params: Record<string, string | undefined>,
): string {
  const url = new URL(redirectUri);
  const values = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) values.set(name, value);
  if (responseType === 'token') url.hash = values.toString();
  else for (const [name, value] of values) url.searchParams.set(name, value);
  return url.toString();
}

/** The OAuth flow name each response type needs in the client's AllowedOAuthFlows. */
const FLOW_OF: Record<ResponseType, string> = { code: 'code', token: 'implicit' };

export async function checkAuthorizeRequest(
  services: Services,
  resourceServers: ResourceServerStore,
  params: URLSearchParams,
): Promise<AuthorizeCheck> {
  const clientId = params.get('client_id');
  const client = clientId ? await services.cognito.getAppClient(silentContext, clientId) : null;
  if (!client)
    return {
      ok: false,
      page: clientId
        ? `invalid_request: there is no app client ${clientId}.`
        : 'invalid_request: client_id is missing.',
    };
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri || !(client.CallbackURLs ?? []).includes(redirectUri))
    return {
      ok: false,
      page: `redirect_mismatch: redirect_uri must be exactly one of the callback URLs of app client ${client.ClientId}.`,
    };

  const state = params.get('state') ?? undefined;
  const responseType = params.get('response_type');
  const fail = (error: AuthorizeError): AuthorizeCheck => ({
    ok: false,
    redirect: redirectWith(redirectUri, responseType, { error, state }),
  });
  if (responseType !== 'code' && responseType !== 'token')
    return fail(responseType ? 'unsupported_response_type' : 'invalid_request');
  if (
    client.AllowedOAuthFlowsUserPoolClient !== true ||
    !(client.AllowedOAuthFlows ?? []).includes(FLOW_OF[responseType])
  )
    return fail('unauthorized_client');

  const allowed = new Set(client.AllowedOAuthScopes ?? []);
  const defined = resourceServers.customScopes(client.UserPoolId);
  const grantable = (scope: string) => allowed.has(scope) && (STANDARD_OAUTH_SCOPES.has(scope) || defined.has(scope));
  const requested = [...new Set((params.get('scope') ?? '').split(/\s+/).filter(Boolean))];
  if (requested.some((scope) => !grantable(scope))) return fail('invalid_scope');
  const scopes = requested.length > 0 ? requested : [...allowed].filter(grantable);
  if (scopes.length === 0) return fail('invalid_scope');

  const codeChallenge = params.get('code_challenge') ?? undefined;
  const method = params.get('code_challenge_method');
  if (
    responseType === 'code' &&
    (codeChallenge !== undefined || method !== null) &&
    (method !== 'S256' || !codeChallenge || !/^[A-Za-z0-9._~-]{43,128}$/.test(codeChallenge))
  )
    return fail('invalid_request');

  return {
    ok: true,
    request: {
      client,
      redirectUri,
      responseType,
      scopes,
      state,
      nonce: params.get('nonce') ?? undefined,
      codeChallenge: responseType === 'code' ? codeChallenge : undefined,
    },
  };
}

/** The request's parameters, to carry from /oauth2/authorize to /login and through its form. */
export const AUTHORIZE_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
] as const;

export function authorizeParamsOf(params: URLSearchParams): URLSearchParams {
  const kept = new URLSearchParams();
  for (const name of AUTHORIZE_PARAMS) {
    const value = params.get(name);
    if (value !== null) kept.set(name, value);
  }
  return kept;
}

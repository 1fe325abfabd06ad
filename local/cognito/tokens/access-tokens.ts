// Checking an access token this instance issued, for the operations a user authorizes with one
// (GetUser and the other user operations, GlobalSignOut, /oauth2/userInfo): signature, expiry, issuer of
// the client's pool, and not revoked.
import { createLocalJWKSet, jwtVerify, errors, type JWTPayload } from 'jose';
import {
  silentContext,
  type AppClient,
  type Services,
  type User,
  type UserPoolService,
} from '../wiring/cognito-local-core';
import type { CognitoTokens } from './cognito-tokens';
import type { SigningKeys } from './signing-keys';

export type AccessTokenRefusal = 'invalid' | 'expired' | 'revoked';

/** The NotAuthorizedException messages of Cognito's user operations, by refusal. */
export const ACCESS_TOKEN_REFUSALS: Record<AccessTokenRefusal, string> = {
  invalid: 'Invalid Access Token',
  expired: 'Access Token has expired',
  revoked: 'Access Token has been revoked',
};

export type AccessTokenCheck =
  | {
      ok: true;
      claims: JWTPayload & { client_id: string; username: string; scope: string };
      client: AppClient;
      pool: UserPoolService;
      user: User;
    }
  | { ok: false; refusal: AccessTokenRefusal };

export async function checkAccessToken(
  services: Services,
  keys: Promise<SigningKeys>,
  tokens: CognitoTokens,
  issuerOf: (poolId: string) => string,
  token: string,
): Promise<AccessTokenCheck> {
  const refuse = (refusal: AccessTokenRefusal): AccessTokenCheck => ({ ok: false, refusal });
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, createLocalJWKSet({ keys: [(await keys).access.publicJwk] }), {
      algorithms: ['RS256'],
    }));
  } catch (error) {
    return refuse(error instanceof errors.JWTExpired ? 'expired' : 'invalid');
  }
  const { client_id: clientId, username, scope, token_use: tokenUse, origin_jti: originJti } = claims;
  if (
    tokenUse !== 'access' ||
    typeof clientId !== 'string' ||
    typeof username !== 'string' ||
    typeof scope !== 'string'
  )
    return refuse('invalid');
  const client = await services.cognito.getAppClient(silentContext, clientId);
  if (!client || claims.iss !== issuerOf(client.UserPoolId)) return refuse('invalid');
  if (typeof originJti === 'string' && tokens.refreshGrants.isRevokedOrigin(originJti)) return refuse('revoked');
  const pool = await services.cognito.getUserPool(silentContext, client.UserPoolId).catch(() => undefined);
  const user = pool ? await pool.getUserByUsername(silentContext, username) : null;
  if (!pool || !user) return refuse('invalid');
  return { ok: true, claims: { ...claims, client_id: clientId, username, scope }, client, pool, user };
}

// Refresh and sign-out as Cognito does them. cognito-local refreshes any token found on any user for any
// client, keeps no expiry and forgets a revoked token (so it reads as merely unknown). Here a refresh
// token works only with the client it was issued to, until RefreshTokenValidity, and not after RevokeToken,
// GlobalSignOut or AdminUserGlobalSignOut; the refreshed access token keeps the sign-in's scopes. A client
// with RefreshTokenRotation ENABLED gets a new refresh token with each refresh (GetTokensFromRefreshToken
// or the token endpoint; REFRESH_TOKEN_AUTH is refused) and the old one stops after the grace period.
import { timingSafeEqual } from 'node:crypto';
import { silentContext, type AppClient, type Services } from '../wiring/cognito-local-core';
import { rotationOf } from './refresh-rotation';
import { ACCESS_TOKEN_REFUSALS, checkAccessToken } from './access-tokens';
import type { CognitoTokens, IssuedTokens } from './cognito-tokens';
import type { RefreshRefusal } from './refresh-grants';
import { cognitoError, objectField, requireString, stringField } from '../protocol/request-fields';
import { proofOf } from '../guards/sign-in-subject';
import type { AddedRoutes, Guard, TargetGuards } from '../wiring/target-guards';
import type { SigningKeys } from './signing-keys';
import { USER_API_SCOPE } from './cognito-tokens';
import { lifetimeSeconds } from './token-validity';

/** NotAuthorizedException messages, by why the token is refused. */
export const REFRESH_REFUSALS: Record<RefreshRefusal | 'no-user', string> = {
  unknown: 'Invalid Refresh Token',
  'other-client': 'Invalid Refresh Token',
  revoked: 'Refresh Token has been revoked',
  expired: 'Refresh Token has expired',
  // Thrown as RefreshTokenReuseException (API reference, GetTokensFromRefreshToken); the wording is ours.
  rotated: 'Refresh Token has been rotated and can no longer be used',
  'no-user': 'User does not exist.',
};

export type RefreshResult =
  { ok: true; tokens: IssuedTokens } | { ok: false; refusal: RefreshRefusal | 'no-user' | 'disabled' };

/**
 * New ID and access tokens for a refresh token `client` was issued, and a new refresh token when the
 * client rotates them: it carries the sign-in's expiry (rotation does not extend a session; the answer
 * AWS gives on re:Post, "Rotated Refresh Token Validity"), and the old token is refused after the grace
 * period.
 */
export async function refreshFor(
  services: Services,
  tokens: CognitoTokens,
  client: AppClient,
  refreshToken: string,
): Promise<RefreshResult> {
  const now = Date.now();
  const refusal = tokens.refreshGrants.refusal(refreshToken, client.ClientId, now);
  if (refusal) return { ok: false, refusal };
  const grant = tokens.refreshGrants.get(refreshToken)!;
  const pool = await services.cognito.getUserPool(silentContext, grant.poolId).catch(() => undefined);
  const user = pool ? await pool.getUserByUsername(silentContext, grant.username) : null;
  if (!pool || !user) return { ok: false, refusal: 'no-user' };
  if (user.Enabled === false) return { ok: false, refusal: 'disabled' };
  const groups = await pool.listUserGroupMembership(silentContext, user);
  const rotation = rotationOf(client);
  const issued = await tokens.issue(user, groups, client, {
    scopes: grant.scopes,
    // The OAuth endpoints issue an ID token only to a sign-in that asked for openid.
    idToken: grant.scopes === undefined || grant.scopes.includes('openid'),
    refreshToken: rotation !== undefined,
    refreshTokenExpiresAt: grant.expiresAt,
    session: { authTime: grant.authTime, originJti: grant.originJti },
  });
  if (rotation) tokens.refreshGrants.rotate(refreshToken, now, rotation.graceMs);
  return { ok: true, tokens: issued };
}

function refreshFlow(tokens: CognitoTokens): Guard {
  return (next, services) => async (ctx, req) => {
    if (proofOf(stringField(req, 'AuthFlow')) !== 'refresh-token') return next(ctx, req);
    const clientId = requireString(req, 'ClientId');
    const refreshToken = stringField(objectField(req, 'AuthParameters'), 'REFRESH_TOKEN');
    if (!refreshToken) throw cognitoError('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN');
    const client = await services.cognito.getAppClient(ctx, clientId);
    if (!client) throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    // The developer guide (Refresh tokens): "You can't authenticate with REFRESH_TOKEN_AUTH in app clients
    // with refresh token rotation enabled." Which error AWS gives is not documented.
    if (rotationOf(client))
      throw cognitoError(
        'NotAuthorizedException',
        'Refresh token rotation is enabled for this app client: refresh with GetTokensFromRefreshToken.',
      );
    const result = await refreshFor(services, tokens, client, refreshToken);
    if (!result.ok) throw refusalError(result.refusal);
    return {
      ChallengeParameters: {},
      AuthenticationResult: { AccessToken: result.tokens.AccessToken, IdToken: result.tokens.IdToken },
    };
  };
}

function refusalError(refusal: Exclude<RefreshResult, { ok: true }>['refusal']) {
  if (refusal === 'disabled') return cognitoError('NotAuthorizedException', 'User is disabled.');
  if (refusal === 'rotated') return cognitoError('RefreshTokenReuseException', REFRESH_REFUSALS.rotated);
  return cognitoError('NotAuthorizedException', REFRESH_REFUSALS[refusal]);
}

/**
 * GetTokensFromRefreshToken (API reference): RefreshToken and ClientId, ClientSecret for a client that has
 * one; answers AuthenticationResult with new ID and access tokens, and a new refresh token when the
 * client rotates them. The operation Amplify v6 refreshes sessions with.
 */
export function refreshRoutes(tokens: CognitoTokens): AddedRoutes {
  return {
    GetTokensFromRefreshToken: (services) => async (ctx, req) => {
      const refreshToken = requireString(req, 'RefreshToken');
      const clientId = requireString(req, 'ClientId');
      const client = await services.cognito.getAppClient(ctx, clientId);
      if (!client) throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
      if (client.ClientSecret && !secretMatches(client, stringField(req, 'ClientSecret')))
        throw cognitoError(
          'NotAuthorizedException',
          `Client ${clientId} is configured with secret but the ClientSecret was missing or wrong`,
        );
      const result = await refreshFor(services, tokens, client, refreshToken);
      if (!result.ok) throw refusalError(result.refusal);
      const { AccessToken, IdToken, RefreshToken } = result.tokens;
      return {
        AuthenticationResult: {
          AccessToken,
          IdToken,
          ...(RefreshToken ? { RefreshToken } : {}),
          ExpiresIn: lifetimeSeconds(client, 'AccessToken'),
          TokenType: 'Bearer',
        },
      };
    },
  };
}

export function refreshFlowGuards(tokens: CognitoTokens): TargetGuards {
  const guard = refreshFlow(tokens);
  return { InitiateAuth: guard, AdminInitiateAuth: guard };
}

export function secretMatches(client: AppClient, secret: string | undefined): boolean {
  if (!client.ClientSecret || secret === undefined) return false;
  const a = Buffer.from(secret);
  const b = Buffer.from(client.ClientSecret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type RevokeResult = 'revoked' | 'bad-client-secret' | 'other-client' | 'revocation-disabled';

/**
 * RFC 7009 semantics, which Cognito follows: a token that is unknown (or already revoked) is no error;
 * one issued to another client is.
 */
export function revokeFor(
  tokens: CognitoTokens,
  client: AppClient,
  clientSecret: string | undefined,
  refreshToken: string,
): RevokeResult {
  if (client.ClientSecret && !secretMatches(client, clientSecret)) return 'bad-client-secret';
  if (client.EnableTokenRevocation === false) return 'revocation-disabled';
  const grant = tokens.refreshGrants.get(refreshToken);
  if (grant && grant.clientId !== client.ClientId) return 'other-client';
  tokens.refreshGrants.revoke(refreshToken);
  return 'revoked';
}

export function signOutRoutes(
  tokens: CognitoTokens,
  keys: Promise<SigningKeys>,
  issuerOf: (poolId: string) => string,
): AddedRoutes {
  return {
    RevokeToken: (services) => async (ctx, req) => {
      const token = requireString(req, 'Token');
      const clientId = requireString(req, 'ClientId');
      const client = await services.cognito.getAppClient(ctx, clientId);
      if (!client) throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
      switch (revokeFor(tokens, client, stringField(req, 'ClientSecret'), token)) {
        case 'bad-client-secret':
          throw cognitoError(
            'NotAuthorizedException',
            `Client ${clientId} is configured with secret but the ClientSecret was missing or wrong`,
          );
        case 'revocation-disabled':
          throw cognitoError('UnsupportedOperationException', 'Token revocation is not enabled for this app client.');
        case 'other-client':
          throw cognitoError('UnauthorizedException', 'The refresh token was not issued to this app client.');
        case 'revoked':
          return {};
      }
    },
    GlobalSignOut: (services) => async (_ctx, req) => {
      const checked = await checkAccessToken(services, keys, tokens, issuerOf, requireString(req, 'AccessToken'));
      if (!checked.ok) throw cognitoError('NotAuthorizedException', ACCESS_TOKEN_REFUSALS[checked.refusal]);
      if (!checked.claims.scope.split(' ').includes(USER_API_SCOPE))
        throw cognitoError('NotAuthorizedException', 'Access Token does not have required scopes');
      tokens.refreshGrants.revokeAllOf(checked.client.UserPoolId, checked.user.Username);
      return {};
    },
    AdminUserGlobalSignOut: (services) => async (ctx, req) => {
      const poolId = requireString(req, 'UserPoolId');
      const username = requireString(req, 'Username');
      const pool = await services.cognito.getUserPool(ctx, poolId);
      const user = await pool.getUserByUsername(ctx, username);
      if (!user) throw cognitoError('UserNotFoundException', 'User does not exist.');
      tokens.refreshGrants.revokeAllOf(poolId, user.Username);
      return {};
    },
  };
}

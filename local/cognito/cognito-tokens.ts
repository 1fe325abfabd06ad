// Tokens shaped as Cognito issues them (see /work/shared/aws-authorizer-semantics.md, "Tokens Cognito
// issues"), replacing cognito-local's generator, which signs both tokens with one shipped static key,
// puts the issuer at localhost:9229 and gives the ID token `email_verified` only.
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { AppClient, TokenGenerator, User } from './cognito-local-core';
import type { SigningKey, SigningKeys } from './signing-keys';
import { lifetimeSeconds } from './token-validity';

/** What InitiateAuth / AdminInitiateAuth access tokens carry: Cognito grants custom scopes only at the OAuth endpoints. */
export const USER_API_SCOPE = 'aws.cognito.signin.user.admin';

const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);

export interface ClientCredentialsToken {
  accessToken: string;
  expiresIn: number;
}

export class CognitoTokens implements TokenGenerator {
  /** Refresh token -> expiry (ms); cognito-local stores refresh tokens without one. */
  private readonly refreshExpiry = new Map<string, number>();

  constructor(
    /** Generated in the background while the instance starts; awaited on first use. */
    private readonly keys: Promise<SigningKeys>,
    private readonly issuerOf: (poolId: string) => string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async generate(_ctx: unknown, user: User, userGroups: readonly string[], client: AppClient): Promise<{ AccessToken: string; IdToken: string; RefreshToken: string }> {
    const iat = Math.floor(this.now() / 1000);
    const attributes = Object.fromEntries((user.Attributes ?? []).filter((a) => a.Name && a.Value !== undefined).map((a) => [a.Name, a.Value as string]));
    const sub = attributes.sub ?? user.Username;
    const groups = userGroups.length > 0 ? { 'cognito:groups': [...userGroups] } : {};
    const session = { iss: this.issuerOf(client.UserPoolId), origin_jti: randomUUID(), event_id: randomUUID(), auth_time: iat, iat };

    const idClaims: JWTPayload = {
      ...userAttributeClaims(attributes),
      sub,
      ...groups,
      'cognito:username': user.Username,
      aud: client.ClientId,
      token_use: 'id',
      ...session,
      exp: iat + lifetimeSeconds(client, 'IdToken'),
      jti: randomUUID(),
    };
    const accessClaims: JWTPayload = {
      sub,
      ...groups,
      client_id: client.ClientId,
      token_use: 'access',
      scope: USER_API_SCOPE,
      ...session,
      exp: iat + lifetimeSeconds(client, 'AccessToken'),
      jti: randomUUID(),
      username: user.Username,
    };
    // Cognito's refresh tokens are opaque to clients; a random string keeps anyone from decoding one.
    const refreshToken = randomBytes(48).toString('base64url');
    this.refreshExpiry.set(refreshToken, this.now() + lifetimeSeconds(client, 'RefreshToken') * 1000);
    const keys = await this.keys;
    const [IdToken, AccessToken] = await Promise.all([sign(idClaims, keys.id), sign(accessClaims, keys.access)]);
    return { AccessToken, IdToken, RefreshToken: refreshToken };
  }

  /** An access token for client_credentials: the client is the subject; no user, no aud. */
  async forClient(client: AppClient, scopes: readonly string[]): Promise<ClientCredentialsToken> {
    const iat = Math.floor(this.now() / 1000);
    const expiresIn = lifetimeSeconds(client, 'AccessToken');
    const claims: JWTPayload = {
      sub: client.ClientId,
      token_use: 'access',
      scope: scopes.join(' '),
      iss: this.issuerOf(client.UserPoolId),
      exp: iat + expiresIn,
      iat,
      version: 2,
      jti: randomUUID(),
      client_id: client.ClientId,
    };
    return { accessToken: await sign(claims, (await this.keys).access), expiresIn };
  }

  /** True once a refresh token this instance issued is past its RefreshTokenValidity. */
  refreshTokenExpired(refreshToken: string): boolean {
    const expiry = this.refreshExpiry.get(refreshToken);
    return expiry !== undefined && expiry <= this.now();
  }
}

/** User attributes as ID token claims: strings, except the *_verified flags, which Cognito sends as booleans. */
function userAttributeClaims(attributes: Record<string, string>): Record<string, string | boolean> {
  const claims: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(attributes)) claims[name] = BOOLEAN_ATTRIBUTES.has(name) ? value === 'true' : value;
  return claims;
}

function sign(claims: JWTPayload, key: SigningKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(key.privateKey);
}

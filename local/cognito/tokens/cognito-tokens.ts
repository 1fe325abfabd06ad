// Tokens shaped as Cognito issues them (see docs/aws-authorizer-semantics.md, "Tokens Cognito
// issues"), replacing cognito-local's generator, which signs both tokens with one shipped static key,
// puts the issuer at localhost:9229 and gives the ID token `email_verified` only.
import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { AppClient, TokenGenerator, User } from '../wiring/cognito-local-core';
import type { SigningKey, SigningKeys } from './signing-keys';
import { RefreshGrants } from './refresh-grants';
import { lifetimeSeconds } from './token-validity';

/** What InitiateAuth / AdminInitiateAuth access tokens carry: Cognito grants custom scopes only at the OAuth endpoints. */
export const USER_API_SCOPE = 'aws.cognito.signin.user.admin';

const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);

export interface ClientCredentialsToken {
  accessToken: string;
  expiresIn: number;
}

export interface IssueOptions {
  /** The access token's scopes; default: the user-API scope alone, as InitiateAuth grants. */
  scopes?: readonly string[];
  /** Echoed in the ID token (OIDC authorization requests). */
  nonce?: string;
  /** Default true; the OAuth endpoints issue an ID token only for the openid scope. */
  idToken?: boolean;
  /** Default true; a refresh issues no new refresh token unless the client rotates refresh tokens. */
  refreshToken?: boolean;
  /** A rotated refresh token keeps the sign-in's expiry (epoch ms); default: the client's lifetime from now. */
  refreshTokenExpiresAt?: number;
  /** A refresh carries the original sign-in's auth_time and origin_jti. */
  session?: { authTime: number; originJti: string };
}

export interface IssuedTokens {
  AccessToken: string;
  IdToken?: string;
  RefreshToken?: string;
}

export class CognitoTokens implements TokenGenerator {
  /** On this instance's clock, so grants expire and are forgotten when its tokens say they do. */
  readonly refreshGrants = new RefreshGrants(() => this.now());

  constructor(
    /** Generated in the background while the instance starts; awaited on first use. */
    private readonly keys: Promise<SigningKeys>,
    private readonly issuerOf: (poolId: string) => string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** cognito-local's sign-ins (password, challenge answers): ID, access and refresh tokens, user-API scope. */
  async generate(
    _ctx: unknown,
    user: User,
    userGroups: readonly string[],
    client: AppClient,
  ): Promise<{ AccessToken: string; IdToken: string; RefreshToken: string }> {
    const issued = await this.issue(user, userGroups, client, {});
    return { AccessToken: issued.AccessToken, IdToken: issued.IdToken ?? '', RefreshToken: issued.RefreshToken ?? '' };
  }

  async issue(
    user: User,
    userGroups: readonly string[],
    client: AppClient,
    options: IssueOptions,
  ): Promise<IssuedTokens> {
    const iat = Math.floor(this.now() / 1000);
    const attributes = Object.fromEntries(
      (user.Attributes ?? []).filter((a) => a.Name && a.Value !== undefined).map((a) => [a.Name, a.Value as string]),
    );
    const sub = attributes.sub ?? user.Username;
    const groups = userGroups.length > 0 ? { 'cognito:groups': [...userGroups] } : {};
    const authTime = options.session?.authTime ?? iat;
    const originJti = options.session?.originJti ?? randomUUID();
    const session = {
      iss: this.issuerOf(client.UserPoolId),
      origin_jti: originJti,
      event_id: randomUUID(),
      auth_time: authTime,
      iat,
    };

    const idClaims: JWTPayload = {
      ...userAttributeClaims(attributes),
      sub,
      ...groups,
      'cognito:username': user.Username,
      ...(options.nonce !== undefined ? { nonce: options.nonce } : {}),
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
      scope: (options.scopes ?? [USER_API_SCOPE]).join(' '),
      ...session,
      exp: iat + lifetimeSeconds(client, 'AccessToken'),
      jti: randomUUID(),
      username: user.Username,
    };
    this.refreshGrants.noteSession(client.UserPoolId, user.Username, originJti);
    const keys = await this.keys;
    const [IdToken, AccessToken] = await Promise.all([
      options.idToken === false ? undefined : sign(idClaims, keys.id),
      sign(accessClaims, keys.access),
    ]);
    if (options.refreshToken === false) return { AccessToken, IdToken };
    // Cognito's refresh tokens are opaque to clients; a random string keeps anyone from decoding one.
    const RefreshToken = randomBytes(48).toString('base64url');
    this.refreshGrants.record(RefreshToken, {
      poolId: client.UserPoolId,
      clientId: client.ClientId,
      username: user.Username,
      scopes: options.scopes,
      authTime,
      originJti,
      expiresAt: options.refreshTokenExpiresAt ?? this.now() + lifetimeSeconds(client, 'RefreshToken') * 1000,
      revoked: false,
    });
    return { AccessToken, IdToken, RefreshToken };
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
}

/** User attributes as ID token claims: strings, except the *_verified flags, which Cognito sends as booleans. */
function userAttributeClaims(attributes: Record<string, string>): Record<string, string | boolean> {
  const claims: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(attributes))
    claims[name] = BOOLEAN_ATTRIBUTES.has(name) ? value === 'true' : value;
  return claims;
}

function sign(claims: JWTPayload, key: SigningKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ kid: key.kid, alg: 'RS256' }).sign(key.privateKey);
}

// One app client's settings in the Cognito API's own terms (CreateUserPoolClient), derived once from the
// resolved props: the module maps them onto aws_cognito_user_pool_client, the local stack sends them to
// the local Cognito, so the two cannot drift. Pure: no cdktf, no AWS SDK.
import type { ResolvedClient, ResolvedPool } from './resolve';

export interface ClientSettings {
  GenerateSecret: boolean;
  ExplicitAuthFlows: string[];
  AllowedOAuthFlowsUserPoolClient: boolean;
  AllowedOAuthFlows?: string[];
  AllowedOAuthScopes?: string[];
  SupportedIdentityProviders?: string[];
  CallbackURLs?: string[];
  LogoutURLs?: string[];
  PreventUserExistenceErrors: 'ENABLED';
  EnableTokenRevocation: true;
  AccessTokenValidity: number;
  IdTokenValidity: number;
  RefreshTokenValidity: number;
  TokenValidityUnits: { AccessToken: 'minutes'; IdToken: 'minutes'; RefreshToken: 'days' };
  /** Only for a client that rotates: left out, Cognito's default (DISABLED) applies. */
  RefreshTokenRotation?: { Feature: 'ENABLED'; RetryGracePeriodSeconds: number };
}

export function clientSettings(client: ResolvedClient, pool: ResolvedPool): ClientSettings {
  const oauth = client.oauthFlows.length > 0;
  const validity = pool.tokenValidity;
  return {
    GenerateSecret: client.generateSecret,
    // Cognito turns an empty list into its defaults (SRP and custom auth), so a client that signs no one
    // in keeps only the refresh flow, which cannot be switched off.
    ExplicitAuthFlows:
      client.explicitAuthFlows.length > 0
        ? client.explicitAuthFlows.map((flow) => `ALLOW_${flow}`)
        : ['ALLOW_REFRESH_TOKEN_AUTH'],
    AllowedOAuthFlowsUserPoolClient: oauth,
    AllowedOAuthFlows: oauth ? client.oauthFlows : undefined,
    AllowedOAuthScopes: oauth ? client.oauthScopes : undefined,
    SupportedIdentityProviders: oauth ? ['COGNITO'] : undefined,
    CallbackURLs: client.callbackUrls.length > 0 ? client.callbackUrls : undefined,
    LogoutURLs: client.logoutUrls.length > 0 ? client.logoutUrls : undefined,
    PreventUserExistenceErrors: 'ENABLED',
    EnableTokenRevocation: true,
    AccessTokenValidity: validity.accessTokenMinutes,
    IdTokenValidity: validity.idTokenMinutes,
    RefreshTokenValidity: validity.refreshTokenDays,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    ...(client.refreshTokenRotation
      ? {
          RefreshTokenRotation: {
            Feature: 'ENABLED',
            RetryGracePeriodSeconds: client.refreshTokenRotation.retryGracePeriodSeconds,
          },
        }
      : {}),
  };
}

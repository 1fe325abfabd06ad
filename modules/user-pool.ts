// The Cognito side: the user pool, a resource server per custom-scope prefix, the app clients and the
// hosted-UI domain, all from the resolved props (the local stack provisions from the same ResolvedProps).
import { Construct } from 'constructs';
import { frameworkOf } from './cdk';
import type { CognitoUserPool, CognitoUserPoolConfig } from '@cdktf/provider-aws/lib/cognito-user-pool';
import type { CognitoResourceServer } from '@cdktf/provider-aws/lib/cognito-resource-server';
import type { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client';
import {
  RECOVERY_MECHANISM,
  usernameAttributesOf,
  type ResolvedClient,
  type ResolvedPool,
  type ResolvedProps,
} from '../stack/resolve';
import { clientSettings } from '../stack/client-settings';

export interface UserPoolProps {
  /** Validated where resolved (stack/validate-props.ts): Cognito accepts the pool, clients and domain as they are. */
  resolved: ResolvedProps;
  /** Region of the deployment (a token), for the hosted-UI host name of a prefix domain. */
  region: string;
  tags?: Record<string, string>;
}

export class UserPool extends Construct {
  readonly pool: CognitoUserPool;
  readonly clients: Record<string, CognitoUserPoolClient> = {};
  readonly resourceServers: CognitoResourceServer[];
  /** Host name of the hosted UI and OAuth endpoints. */
  readonly hostedUiDomain: string;

  constructor(scope: Construct, id: string, props: UserPoolProps) {
    super(scope, id);
    const { aws } = frameworkOf(this);
    const { resolved } = props;
    const hostedUi = resolved.domain;
    this.pool = new aws.CognitoUserPool(this, 'pool', poolConfig(resolved.pool, props.tags));

    this.resourceServers = resolved.resourceServers.map(
      (server) =>
        new aws.CognitoResourceServer(this, `resource-server-${server.identifier}`, {
          userPoolId: this.pool.id,
          identifier: server.identifier,
          name: server.identifier,
          scope: server.scopes.map((scope) => ({
            scopeName: scope,
            scopeDescription: `${server.identifier}/${scope}`,
          })),
        }),
    );

    for (const client of Object.values(resolved.clients)) {
      this.clients[client.name] = new aws.CognitoUserPoolClient(this, `client-${client.name}`, {
        ...clientConfig(client, resolved.pool),
        userPoolId: this.pool.id,
        // A client allowed a custom scope fails to create until its resource server exists.
        dependsOn: this.resourceServers,
      });
    }

    const domain = new aws.CognitoUserPoolDomain(this, 'domain', {
      userPoolId: this.pool.id,
      ...('prefix' in hostedUi
        ? { domain: hostedUi.prefix }
        : { domain: hostedUi.customDomain, certificateArn: hostedUi.certificateArn }),
    });
    if ('prefix' in hostedUi) {
      this.hostedUiDomain = `${domain.domain}.auth.${props.region}.amazoncognito.com`;
    } else {
      // Cognito serves a custom domain from CloudFront; the alias makes the name resolve. Cognito also
      // requires the parent domain to have an A record before it accepts the custom domain.
      new aws.Route53Record(this, 'domain-alias', {
        zoneId: hostedUi.route53ZoneId,
        name: hostedUi.customDomain,
        type: 'A',
        alias: {
          name: domain.cloudfrontDistribution,
          zoneId: domain.cloudfrontDistributionZoneId,
          evaluateTargetHealth: false,
        },
      });
      this.hostedUiDomain = domain.domain;
    }
  }
}

function poolConfig(pool: ResolvedPool, tags: Record<string, string> | undefined): CognitoUserPoolConfig {
  const usernameAttributes = usernameAttributesOf(pool);
  const policy = pool.passwordPolicy;
  const message = pool.verificationMessage;
  return {
    name: pool.name,
    usernameAttributes,
    // Users who sign in with an address must be able to prove they own it.
    autoVerifiedAttributes: usernameAttributes,
    passwordPolicy: {
      minimumLength: policy.minimumLength,
      requireLowercase: policy.requireLowercase,
      requireUppercase: policy.requireUppercase,
      requireNumbers: policy.requireNumbers,
      requireSymbols: policy.requireSymbols,
      temporaryPasswordValidityDays: policy.temporaryPasswordValidityDays,
    },
    mfaConfiguration: pool.mfa,
    softwareTokenMfaConfiguration: pool.mfa === 'OFF' ? undefined : { enabled: true },
    accountRecoverySetting: {
      recoveryMechanism: [
        {
          name: RECOVERY_MECHANISM[pool.accountRecovery],
          priority: 1,
        },
      ],
    },
    verificationMessageTemplate:
      message.emailSubject || message.emailMessage || message.smsMessage
        ? {
            defaultEmailOption: 'CONFIRM_WITH_CODE',
            emailSubject: message.emailSubject,
            emailMessage: message.emailMessage,
            smsMessage: message.smsMessage,
          }
        : undefined,
    adminCreateUserConfig: { allowAdminCreateUserOnly: pool.adminOnlySignUp },
    deletionProtection: pool.deletionProtection ? 'ACTIVE' : 'INACTIVE',
    userPoolTier: pool.featurePlan,
    signInPolicy: { allowedFirstAuthFactors: pool.allowedFirstAuthFactors },
    tags,
  };
}

/** The client's settings (client-settings.ts) as aws_cognito_user_pool_client attributes. */
function clientConfig(client: ResolvedClient, pool: ResolvedPool) {
  const s = clientSettings(client, pool);
  return {
    name: client.name,
    generateSecret: s.GenerateSecret,
    explicitAuthFlows: s.ExplicitAuthFlows,
    allowedOauthFlowsUserPoolClient: s.AllowedOAuthFlowsUserPoolClient,
    allowedOauthFlows: s.AllowedOAuthFlows,
    allowedOauthScopes: s.AllowedOAuthScopes,
    supportedIdentityProviders: s.SupportedIdentityProviders,
    callbackUrls: s.CallbackURLs,
    logoutUrls: s.LogoutURLs,
    preventUserExistenceErrors: s.PreventUserExistenceErrors,
    enableTokenRevocation: s.EnableTokenRevocation,
    accessTokenValidity: s.AccessTokenValidity,
    idTokenValidity: s.IdTokenValidity,
    refreshTokenValidity: s.RefreshTokenValidity,
    tokenValidityUnits: [
      {
        accessToken: s.TokenValidityUnits.AccessToken,
        idToken: s.TokenValidityUnits.IdToken,
        refreshToken: s.TokenValidityUnits.RefreshToken,
      },
    ],
    refreshTokenRotation: s.RefreshTokenRotation && [
      {
        feature: s.RefreshTokenRotation.Feature,
        retryGracePeriodSeconds: s.RefreshTokenRotation.RetryGracePeriodSeconds,
      },
    ],
  };
}

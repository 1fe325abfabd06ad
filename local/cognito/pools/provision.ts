// Provisions one pool in a local Cognito from the same ResolvedProps the module turns into Terraform
// resources (modules/user-pool.ts), through the AWS SDK, as a deployment would, so what the local stack
// runs against is configured like what AWS would run.
import {
  CognitoIdentityProviderClient,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  SetUserPoolMfaConfigCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ClientOutput, PoolOutput } from '../../../stack/outputs';
import {
  RECOVERY_MECHANISM,
  usernameAttributesOf,
  type ResolvedClient,
  type ResolvedPool,
  type ResolvedProps,
} from '../../../stack/resolve';
import { clientSettings } from '../../../stack/client-settings';
import type { LocalCognito } from '../wiring/local-cognito';

export type ProvisionedPool = PoolOutput & { client_secrets: Record<string, string> };

/** The local endpoint checks no signature; the SDK still wants credentials to sign with. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export function userPoolRequest(pool: ResolvedPool): CreateUserPoolCommandInput {
  const usernameAttributes = usernameAttributesOf(pool);
  const policy = pool.passwordPolicy;
  const message = pool.verificationMessage;
  return {
    PoolName: pool.name,
    UsernameAttributes: usernameAttributes,
    AutoVerifiedAttributes: usernameAttributes,
    Policies: {
      PasswordPolicy: {
        MinimumLength: policy.minimumLength,
        RequireLowercase: policy.requireLowercase,
        RequireUppercase: policy.requireUppercase,
        RequireNumbers: policy.requireNumbers,
        RequireSymbols: policy.requireSymbols,
        TemporaryPasswordValidityDays: policy.temporaryPasswordValidityDays,
      },
      SignInPolicy: { AllowedFirstAuthFactors: pool.allowedFirstAuthFactors },
    },
    UserPoolTier: pool.featurePlan,
    MfaConfiguration: pool.mfa,
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: RECOVERY_MECHANISM[pool.accountRecovery], Priority: 1 }] },
    VerificationMessageTemplate:
      message.emailSubject || message.emailMessage || message.smsMessage
        ? {
            DefaultEmailOption: 'CONFIRM_WITH_CODE',
            EmailSubject: message.emailSubject,
            EmailMessage: message.emailMessage,
            SmsMessage: message.smsMessage,
          }
        : undefined,
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: pool.adminOnlySignUp },
    DeletionProtection: pool.deletionProtection ? 'ACTIVE' : 'INACTIVE',
  };
}

/** The same client settings the module gives aws_cognito_user_pool_client (stack/client-settings.ts). */
export function userPoolClientRequest(
  poolId: string,
  client: ResolvedClient,
  pool: ResolvedPool,
): CreateUserPoolClientCommandInput {
  // The SDK types flows and units as string-literal unions; clientSettings writes exactly those values.
  return {
    UserPoolId: poolId,
    ClientName: client.name,
    ...clientSettings(client, pool),
  } as CreateUserPoolClientCommandInput;
}

export interface ProvisionOptions {
  /**
   * The `iss` the pool's tokens carry, for a document that hard-codes an AWS issuer (an HTTP API jwt
   * authorizer naming https://cognito-idp.<region>.amazonaws.com/<poolId>), or made from the new pool's id
   * (`gatehouse local --issuer aws`: awsIssuerOf). The JWKS and discovery document stay local.
   */
  issuer?: string | ((poolId: string) => string);
  /**
   * Local only: client name -> the id that client gets instead of a generated one (a document's jwt audience
   * hard-coding a real pool's client ids). See LocalCognito.assignClientId.
   */
  clientIds?: Record<string, string>;
}

export async function provisionPool(
  cognito: LocalCognito,
  resolved: ResolvedProps,
  options: ProvisionOptions = {},
): Promise<ProvisionedPool> {
  const unknownNames = Object.keys(options.clientIds ?? {}).filter((name) => !Object.hasOwn(resolved.clients, name));
  if (unknownNames.length > 0)
    throw new Error(
      `clientIds names no client of the props: ${unknownNames.join(', ')} (clients: ${Object.keys(resolved.clients).join(', ')}).`,
    );
  const sdk = new CognitoIdentityProviderClient({
    endpoint: cognito.url,
    region: cognito.region,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  try {
    const created = await sdk.send(new CreateUserPoolCommand(userPoolRequest(resolved.pool)));
    const poolId = created.UserPool?.Id;
    const poolArn = created.UserPool?.Arn;
    if (!poolId || !poolArn)
      throw new Error(`the local Cognito at ${cognito.url} created pool "${resolved.pool.name}" without an id or ARN`);
    // As the module's software_token_mfa_configuration: a pool with MFA signs in with authenticator apps.
    if (resolved.pool.mfa !== 'OFF')
      await sdk.send(
        new SetUserPoolMfaConfigCommand({
          UserPoolId: poolId,
          MfaConfiguration: resolved.pool.mfa,
          SoftwareTokenMfaConfiguration: { Enabled: true },
        }),
      );
    // As the module's aws_cognito_user_pool_domain: DescribeUserPool then names it (the local hosted UI itself
    // is served at the instance's URL whatever the domain).
    const { domain } = resolved;
    await sdk.send(
      new CreateUserPoolDomainCommand(
        'prefix' in domain
          ? { UserPoolId: poolId, Domain: domain.prefix }
          : {
              UserPoolId: poolId,
              Domain: domain.customDomain,
              CustomDomainConfig: { CertificateArn: domain.certificateArn },
            },
      ),
    );
    if (options.issuer !== undefined)
      cognito.overrideIssuer(poolId, typeof options.issuer === 'string' ? options.issuer : options.issuer(poolId));

    // Clients may be allowed custom scopes only once their resource servers exist.
    await Promise.all(
      resolved.resourceServers.map((server) =>
        sdk.send(
          new CreateResourceServerCommand({
            UserPoolId: poolId,
            Identifier: server.identifier,
            Name: server.identifier,
            Scopes: server.scopes.map((scope) => ({
              ScopeName: scope,
              ScopeDescription: `${server.identifier}/${scope}`,
            })),
          }),
        ),
      ),
    );

    const clients: Record<string, ClientOutput> = {};
    const secrets: Record<string, string> = {};
    await Promise.all(
      Object.values(resolved.clients).map(async (client) => {
        const result = await sdk.send(
          new CreateUserPoolClientCommand(userPoolClientRequest(poolId, client, resolved.pool)),
        );
        const generatedId = result.UserPoolClient?.ClientId;
        if (!generatedId)
          throw new Error(`the local Cognito at ${cognito.url} created client "${client.name}" without an id`);
        const chosenId = options.clientIds?.[client.name];
        if (chosenId !== undefined) await cognito.assignClientId(poolId, generatedId, chosenId);
        const id = chosenId ?? generatedId;
        clients[client.name] = {
          id,
          has_secret: client.generateSecret,
          auth_flows: client.explicitAuthFlows,
          oauth_flows: client.oauthFlows,
          oauth_scopes: client.oauthScopes,
          callback_urls: client.callbackUrls,
        };
        const secret = result.UserPoolClient?.ClientSecret;
        if (client.generateSecret && secret) secrets[client.name] = secret;
      }),
    );

    return {
      user_pool_id: poolId,
      user_pool_arn: poolArn,
      issuer: cognito.issuerOf(poolId),
      jwks_url: cognito.jwksUrlOf(poolId),
      discovery_url: cognito.discoveryUrlOf(poolId),
      cognito_endpoint: cognito.url,
      token_endpoint: cognito.tokenEndpoint,
      clients,
      client_secrets: secrets,
    };
  } finally {
    sdk.destroy();
  }
}

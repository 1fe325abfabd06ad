// Props of the SecuredApi construct. Kept free of cdktf imports: the local stack provisions
// from these same types and must start without loading cdktf. The ranges below are AWS's; resolveProps
// refuses a value outside them (stack/validate-props.ts) before anything is created.
import type { ApiModel } from '../openapi/model/types';

export type SignInAttribute = 'email' | 'phone_number' | 'username';
/** USER_AUTH is choice-based sign-in (UserPoolOptions.signInPolicy); it needs featurePlan ESSENTIALS or PLUS. */
export type ExplicitAuthFlow =
  | 'USER_PASSWORD_AUTH'
  | 'USER_SRP_AUTH'
  | 'REFRESH_TOKEN_AUTH'
  | 'ADMIN_USER_PASSWORD_AUTH'
  | 'CUSTOM_AUTH'
  | 'USER_AUTH';
/** First factors of choice-based sign-in (Cognito's SignInPolicyType.AllowedFirstAuthFactors). */
export type FirstAuthFactor = 'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';
/** Cognito's feature plans (UserPoolTier). */
export type FeaturePlan = 'LITE' | 'ESSENTIALS' | 'PLUS';
export type OAuthFlow = 'code' | 'implicit' | 'client_credentials';

export interface PasswordPolicy {
  /**
   * Cognito allows 6 to 99.
   * @default 12
   */
  readonly minimumLength?: number;
  /**
   * Each of these four classes required.
   * @default true
   */
  readonly requireLowercase?: boolean;
  readonly requireUppercase?: boolean;
  readonly requireNumbers?: boolean;
  readonly requireSymbols?: boolean;
  /**
   * Cognito allows 0 to 365.
   * @default 7
   */
  readonly temporaryPasswordValidityDays?: number;
}

export interface TokenValidity {
  /**
   * Cognito allows 5 minutes to 1 day, so 5 to 1440.
   * @default 60
   */
  readonly accessTokenMinutes?: number;
  /**
   * Cognito allows 5 minutes to 1 day, so 5 to 1440.
   * @default 60
   */
  readonly idTokenMinutes?: number;
  /**
   * Cognito allows 1 hour to 10 years; in whole days, 1 to 3650.
   * @default 30
   */
  readonly refreshTokenDays?: number;
}

export interface UserPoolOptions {
  /**
   * Cognito allows 1 to 128 letters, digits, spaces or + = , . @ - _.
   * @default `<name prefix>-users`
   */
  readonly name?: string;
  /**
   * The document's own template variables (Terraform templatefile names, CloudFormation logical ids or
   * `Resource.Attribute`, Fn::Sub variables) bound to a placeholder such as `{{lambda:orders}}` or a literal,
   * when `spec` is a path; the project file's `variables`.
   * @default {}
   */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * Attributes a user signs in with instead of a username; ['username'] keeps plain usernames.
   * @default ['email']
   */
  readonly signInAttributes?: SignInAttribute[];
  readonly passwordPolicy?: PasswordPolicy;
  /**
   * 'ON' and 'OPTIONAL' enable software-token (TOTP) MFA.
   * @default 'OFF'
   */
  readonly mfa?: 'OFF' | 'OPTIONAL' | 'ON';
  /** @default 'email' */
  readonly accountRecovery?: 'email' | 'phone' | 'none';
  /** Messages must hold the code placeholder {####}: email 6 to 20000 characters, SMS 6 to 140, subject 1 to 140. */
  readonly verificationMessage?: { emailSubject?: string; emailMessage?: string; smsMessage?: string };
  /**
   * Only administrators create users (no self sign-up).
   * @default true
   */
  readonly adminOnlySignUp?: boolean;
  /**
   * A pool holding users must not vanish with a stray `cdktf destroy`.
   * @default true
   */
  readonly deletionProtection?: boolean;
  readonly tokenValidity?: TokenValidity;
  /**
   * Cognito's feature plan (UserPoolTier). Choice-based sign-in (a client with USER_AUTH, first factors other
   * than PASSWORD) needs ESSENTIALS or PLUS.
   * @default 'ESSENTIALS', Cognito's own default for a new pool
   */
  readonly featurePlan?: FeaturePlan;
  /**
   * What users may sign in with first in choice-based sign-in (clients with 'USER_AUTH' in explicitAuthFlows):
   * 1 to 4 of PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN, each once. Factors other than PASSWORD need featurePlan
   * ESSENTIALS or PLUS; EMAIL_OTP and SMS_OTP also need the pool to send e-mail through SES or SMS through SNS
   * on AWS, which these props do not configure.
   * @default { allowedFirstAuthFactors: ['PASSWORD'] }
   */
  readonly signInPolicy?: { allowedFirstAuthFactors: FirstAuthFactor[] };
}

export interface AppClientOptions {
  /**
   * A confidential client gets a secret; required for client_credentials.
   * @default true when oauthFlows has client_credentials, otherwise false
   */
  readonly generateSecret?: boolean;
  /** @default ['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH'] for clients without client_credentials, none otherwise */
  readonly explicitAuthFlows?: ExplicitAuthFlow[];
  /**
   * code and implicit need callbackUrls; client_credentials goes on a client of its own.
   * @default []
   */
  readonly oauthFlows?: OAuthFlow[];
  /**
   * OAuth scopes the client may request.
   * @default for client_credentials, every custom scope of the document; for code/implicit, ['openid', 'email',
   * 'profile'] plus every custom scope of the document; none otherwise
   */
  readonly oauthScopes?: string[];
  /**
   * At most 100 each: absolute, no fragment, https (http for localhost only) or an app scheme (myapp://).
   * @default []
   */
  readonly callbackUrls?: string[];
  readonly logoutUrls?: string[];
  /**
   * Refresh-token rotation: each refresh (GetTokensFromRefreshToken, or the token endpoint's refresh_token
   * grant) also returns a new refresh token, and the one it replaces stops working after the grace period.
   * Cognito then refuses REFRESH_TOKEN_AUTH for this client. `true` rotates without a grace period.
   * @default false
   */
  readonly refreshTokenRotation?: boolean | RefreshTokenRotation;
}

export interface RefreshTokenRotation {
  /**
   * Seconds the replaced refresh token keeps working, so a client can retry a refresh whose answer it lost.
   * Cognito allows 0 to 60.
   * @default 0
   */
  readonly retryGracePeriodSeconds?: number;
}

/**
 * A prefix: 1 to 63 lower-case letters, digits and inner hyphens, without the words aws, amazon or cognito.
 * A custom domain: its certificate from ACM in us-east-1 (Cognito serves it from CloudFront).
 */
export type HostedUiDomain =
  { prefix: string } | { customDomain: string; certificateArn: string; route53ZoneId: string };

export interface LambdaFunctionOptions {
  /** Folder holding the handler's code, zipped at synth time. Relative to the working directory. */
  readonly sourceDir: string;
  /** @default 'index.handler' */
  readonly handler?: string;
  /** @default 'nodejs20.x' */
  readonly runtime?: string;
  /**
   * Lambda allows 1 to 900.
   * @default 10
   */
  readonly timeoutSeconds?: number;
  /**
   * Lambda allows 128 to 10240.
   * @default 256
   */
  readonly memoryMb?: number;
  readonly environment?: Record<string, string>;
  /**
   * Run the function in these private subnets of a VPC (the guide's Lambda behind the API). Its role then
   * also gets AWSLambdaVPCAccessExecutionRole, which lets Lambda create the network interfaces it needs.
   * @default none: the function runs outside any VPC
   */
  readonly vpc?: FunctionVpc;
}

export interface FunctionVpc {
  /** 1 to 16 subnet ids (`subnet-` and 8 or 17 hex digits), or references to subnets of this stack. */
  readonly subnetIds: string[];
  /** 1 to 5 security group ids (`sg-` and 8 or 17 hex digits), or references to groups of this stack. */
  readonly securityGroupIds: string[];
}

/** API Gateway's endpoint types for a custom domain; an HTTP API has only REGIONAL. */
export type ApiEndpointType = 'REGIONAL' | 'EDGE';

/** A custom domain name for the API (aws_api_gateway_domain_name, or aws_apigatewayv2_domain_name for an HTTP API). */
export interface ApiDomainOptions {
  /** A fully qualified host name, e.g. `api.example.com`. */
  readonly domainName: string;
  /**
   * The ACM certificate for `domainName`: in the stack's own region for REGIONAL, in us-east-1 for EDGE
   * (an edge-optimized domain is served by CloudFront, which takes certificates from us-east-1 only).
   */
  readonly certificateArn: string;
  /**
   * EDGE only for a REST API.
   * @default 'REGIONAL'
   */
  readonly endpointType?: ApiEndpointType;
  /**
   * The path under the domain that serves the stage: `v1` maps https://api.example.com/v1/pets to
   * /pets of the stage. Segments of letters, digits and - . _ ~, separated by `/`.
   * @default none: the stage is served at the root of the domain
   */
  readonly basePath?: string;
  /**
   * The Route53 hosted zone that gets the alias record pointing `domainName` at API Gateway.
   * @default none: no record is made, point the name at the domain yourself
   */
  readonly route53ZoneId?: string;
  /**
   * Turn off the API's default `execute-api` endpoint, so only the custom domain answers (REST APIs then
   * answer 403 Forbidden on it).
   * @default false
   */
  readonly disableExecuteApiEndpoint?: boolean;
}

export interface AccessLoggingOptions {
  /**
   * One of CloudWatch's periods (1, 3, 5, 7, 14, 30, 60, 90, ... 3653 days); 0 keeps them for ever.
   * @default 30
   */
  readonly retentionDays?: number;
}

export interface SecuredApiProps {
  /**
   * The OpenAPI document: its path (read when the construct is created, relative to the working directory),
   * or a model already loaded with `loadApiModel`.
   */
  readonly spec: string | ApiModel;
  /**
   * Prefix of the AWS names of this API's resources (user pool, functions, log groups, the default domain
   * prefix). 1 to 63 characters.
   * @default the stack's name for a construct with the id `api`, otherwise `<stack name>-<id>`, so several
   * SecuredApi in one stack get names of their own
   */
  readonly name?: string;
  /**
   * The document's own template variables (Terraform templatefile names, CloudFormation logical ids or
   * `Resource.Attribute`, Fn::Sub variables) bound to a placeholder such as `{{lambda:orders}}` or a literal,
   * when `spec` is a path; the project file's `variables`.
   * @default {}
   */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * 1 to 128 letters, digits, - and _ (an HTTP API may also use `$default`).
   * @default 'prod'
   */
  readonly stageName?: string;
  readonly userPool?: UserPoolOptions;
  /**
   * App clients by name.
   * @default DEFAULT_CLIENTS: `web` (public, for people) and `machine` (client_credentials)
   */
  readonly clients?: Record<string, AppClientOptions>;
  /**
   * Hosted-UI domain.
   * @default the prefix `<name prefix>-<stage>` lower-cased
   */
  readonly domain?: HostedUiDomain;
  /**
   * A custom domain for the API, beside the hosted UI's `domain`.
   * @default none: the API is reached at its `execute-api` URL only
   */
  readonly apiDomain?: ApiDomainOptions;
  /**
   * Lambda functions that `{{lambda:<name>}}` placeholders in integration URIs refer to. Each is named
   * `<name prefix>-<name>`, which Lambda allows 1 to 64 letters, digits, - and _.
   * @default {}
   */
  readonly functions?: Record<string, LambdaFunctionOptions>;
  /**
   * Backend base URLs (absolute http or https) that `{{backend:<name>}}` placeholders refer to.
   * @default {}
   */
  readonly backends?: Record<string, string>;
  /**
   * Stage access logs to CloudWatch.
   * @default false
   */
  readonly accessLogging?: boolean | AccessLoggingOptions;
  /**
   * Keys 1 to 128 characters, not starting with `aws:`; values at most 256.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** A public client for people (password and SRP sign-in) and a confidential one for machines. */
export const DEFAULT_CLIENTS: Readonly<Record<string, AppClientOptions>> = Object.freeze({
  web: { generateSecret: false },
  machine: { generateSecret: true, oauthFlows: ['client_credentials'] },
});

export const DEFAULT_STAGE = 'prod';
export const DEFAULT_USER_AUTH_FLOWS: readonly ExplicitAuthFlow[] = [
  'USER_PASSWORD_AUTH',
  'USER_SRP_AUTH',
  'REFRESH_TOKEN_AUTH',
];
export const DEFAULT_PASSWORD_POLICY: Required<PasswordPolicy> = Object.freeze({
  minimumLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 7,
});
export const DEFAULT_TOKEN_VALIDITY: Required<TokenValidity> = Object.freeze({
  accessTokenMinutes: 60,
  idTokenMinutes: 60,
  refreshTokenDays: 30,
});

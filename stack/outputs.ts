// The outputs contract between the module (Terraform outputs), the local stack (its outputs file) and
// the contract harness (which reads either). Pure types and names: no cdktf here.

export interface ClientOutput {
  id: string;
  /** True when the client has a secret: SECRET_HASH is then required on InitiateAuth. */
  has_secret: boolean;
  /** Sign-in flows as the props name them (`USER_PASSWORD_AUTH`, no `ALLOW_` prefix); [] for a machine client. */
  auth_flows: string[];
  oauth_flows: string[];
  oauth_scopes: string[];
  /** Where the hosted UI may send a user back to (code and implicit flows). */
  callback_urls: string[];
}

/** A client's hosted-UI sign-up links, one per OAuth flow for people it allows (the guide's SignupGetCodeURL, SignupGetTokenURL). */
export interface SignUpUrls {
  code?: string;
  implicit?: string;
}

/** One user pool as the harness needs it to obtain tokens. */
export interface PoolOutput {
  user_pool_id: string;
  user_pool_arn: string;
  issuer: string;
  jwks_url: string;
  /**
   * The pool's OpenID configuration, when it is not at `<issuer>/.well-known/openid-configuration`: the local
   * stack writes it, since its keys and discovery stay local whatever issuer its tokens carry.
   */
  discovery_url?: string;
  /** Cognito Identity Provider API endpoint (https://cognito-idp.<region>.amazonaws.com on AWS). */
  cognito_endpoint: string;
  /** OAuth2 token endpoint of the pool's domain. */
  token_endpoint: string;
  clients: Record<string, ClientOutput>;
}

export interface StackOutputs extends PoolOutput {
  api_url: string;
  api_kind: 'rest' | 'http';
  stage: string;
  region: string;
  hosted_ui_domain: string;
  hosted_ui_sign_in_url: string;
  /**
   * The stage on the API's custom domain (https://<domain>/<base path>); '' or absent when it has none. The
   * harness then runs its checks there rather than at api_url.
   */
  api_custom_domain_url?: string;
  /** True when the execute-api endpoint (api_url) is turned off, so only the custom domain answers. */
  execute_api_endpoint_disabled?: boolean;
  /** Hosted-UI sign-up links by client name; {} when the pool allows no self sign-up. */
  hosted_ui_sign_up_urls?: Record<string, SignUpUrls>;
  /** Sensitive: client name -> secret, for clients that have one. */
  client_secrets: Record<string, string>;
  /**
   * Pools other than the main one, keyed by user pool ARN, for documents whose authorizers name pools by a
   * hard-coded ARN. Written by the local stack; against AWS the harness can be given these by file.
   */
  extra_pools?: Record<string, PoolOutput & { client_secrets: Record<string, string> }>;
}

/** Output names, as Terraform and the outputs file spell them. */
export const OUTPUT_NAMES = [
  'api_url',
  'api_kind',
  'stage',
  'region',
  'user_pool_id',
  'user_pool_arn',
  'issuer',
  'jwks_url',
  'cognito_endpoint',
  'token_endpoint',
  'hosted_ui_domain',
  'hosted_ui_sign_in_url',
  'hosted_ui_sign_up_urls',
  'api_custom_domain_url',
  'execute_api_endpoint_disabled',
  'clients',
  'client_secrets',
] as const satisfies readonly (keyof StackOutputs)[];

export type OutputName = (typeof OUTPUT_NAMES)[number];

/** Each output's Terraform description, as `terraform output` and `cdktf output` readers see it; one per name. */
export const OUTPUT_DESCRIPTIONS: Readonly<Record<OutputName, string>> = {
  api_url: 'Invoke URL of the API stage (https://<api id>.execute-api.<region>.amazonaws.com/<stage>).',
  api_kind: 'Kind of the API: "rest" (API Gateway REST API) or "http" (HTTP API), as the OpenAPI document says.',
  stage: 'Name of the deployed stage.',
  region: 'AWS region the stack is deployed to.',
  user_pool_id: 'Id of the Cognito user pool (<region>_<id>).',
  user_pool_arn: 'ARN of the Cognito user pool that the authorizers trust.',
  issuer: 'Issuer (iss) of the tokens the user pool signs: https://cognito-idp.<region>.amazonaws.com/<pool id>.',
  jwks_url: "URL of the user pool's signing keys (JWKS).",
  cognito_endpoint: 'Cognito Identity Provider API endpoint of the region.',
  token_endpoint: "OAuth2 token endpoint of the user pool's hosted-UI domain.",
  hosted_ui_domain: 'Host name of the hosted UI and the OAuth2 endpoints.',
  hosted_ui_sign_in_url:
    'Sign-in page of the hosted UI, with the authorize query of the first client that signs people in through it.',
  hosted_ui_sign_up_urls:
    'Sign-up pages of the hosted UI by app client: the code and the implicit (token) flow where the client allows them; none when only administrators create users.',
  api_custom_domain_url:
    'URL of the API stage on its custom domain (https://<domain>/<base path>); empty when the API has none.',
  execute_api_endpoint_disabled:
    'Whether the default execute-api endpoint (api_url) is turned off, so that only the custom domain answers.',
  clients: 'App clients by name: id, whether it has a secret, sign-in flows, OAuth flows, scopes and callback URLs.',
  client_secrets: 'Secrets of the app clients that have one, by client name (sensitive).',
};

export const SENSITIVE_OUTPUTS: readonly (keyof StackOutputs)[] = ['client_secrets'];

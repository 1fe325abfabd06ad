// The module's Terraform outputs, named exactly as stack/outputs.ts says, so `cdktf output` gives the
// contract harness the same file the local stack writes.
import { Construct } from 'constructs';
import { frameworkOf } from './cdk';
import type { TerraformOutput } from 'cdktf';
import type { ClientOutput, OutputName, StackOutputs } from '../stack/outputs';
import { OUTPUT_DESCRIPTIONS, OUTPUT_NAMES, SENSITIVE_OUTPUTS } from '../stack/outputs';
import { hostedUiSignInUrl, hostedUiSignUpUrls, type ResolvedProps } from '../stack/resolve';
import type { UserPool } from './user-pool';

export interface StackOutputsProps {
  apiUrl: string;
  /** '' when the API has no custom domain. */
  apiCustomDomainUrl: string;
  executeApiEndpointDisabled: boolean;
  apiKind: StackOutputs['api_kind'];
  stageName: string;
  region: string;
  issuer: string;
  userPool: UserPool;
  resolved: ResolvedProps;
  /** Put before each output's Terraform name, so several SecuredApi in one stack have outputs of their own. */
  namePrefix: string;
}

export class StackOutputsTf extends Construct {
  readonly byName: Record<OutputName, TerraformOutput>;

  constructor(scope: Construct, id: string, props: StackOutputsProps) {
    super(scope, id);
    const { core } = frameworkOf(this);
    const { userPool, resolved } = props;
    const clients: Record<string, ClientOutput> = {};
    const clientIds: Record<string, string> = {};
    const secrets: Record<string, string> = {};
    for (const client of Object.values(resolved.clients)) {
      const resource = userPool.clients[client.name];
      clientIds[client.name] = resource.id;
      clients[client.name] = {
        id: resource.id,
        has_secret: client.generateSecret,
        auth_flows: client.explicitAuthFlows,
        oauth_flows: client.oauthFlows,
        oauth_scopes: client.oauthScopes,
        callback_urls: client.callbackUrls,
      };
      if (client.generateSecret) secrets[client.name] = resource.clientSecret;
    }
    const domain = userPool.hostedUiDomain;
    const values: Record<OutputName, unknown> = {
      api_url: props.apiUrl,
      api_kind: props.apiKind,
      stage: props.stageName,
      region: props.region,
      user_pool_id: userPool.pool.id,
      user_pool_arn: userPool.pool.arn,
      issuer: props.issuer,
      jwks_url: `${props.issuer}/.well-known/jwks.json`,
      cognito_endpoint: `https://cognito-idp.${props.region}.amazonaws.com`,
      token_endpoint: `https://${domain}/oauth2/token`,
      hosted_ui_domain: domain,
      hosted_ui_sign_in_url: hostedUiSignInUrl(`https://${domain}`, resolved, clientIds),
      hosted_ui_sign_up_urls: hostedUiSignUpUrls(`https://${domain}`, resolved, clientIds),
      api_custom_domain_url: props.apiCustomDomainUrl,
      execute_api_endpoint_disabled: props.executeApiEndpointDisabled,
      clients,
      client_secrets: secrets,
    };
    const byName = {} as Record<OutputName, TerraformOutput>;
    for (const name of OUTPUT_NAMES) {
      const output = new core.TerraformOutput(this, name, {
        value: values[name],
        description: OUTPUT_DESCRIPTIONS[name],
        sensitive: SENSITIVE_OUTPUTS.includes(name),
      });
      // Stable names: `terraform output` shows them as written in outputs.ts (after the API's prefix, if any);
      // `cdktf output` nests them under the construct's path, where the harness finds them by that path.
      output.overrideLogicalId(`${props.namePrefix}${name}`);
      byName[name] = output;
    }
    this.byName = byName;
  }
}

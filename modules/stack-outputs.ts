// The module's Terraform outputs, named exactly as modules/outputs.ts says, so `cdktf output` gives the
// contract harness the same file the local stack writes.
import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import type { ClientOutput, StackOutputs } from './outputs';
import { OUTPUT_NAMES, SENSITIVE_OUTPUTS } from './outputs';
import type { ResolvedProps } from './resolve';
import type { UserPool } from './user-pool';

type OutputName = (typeof OUTPUT_NAMES)[number];

export interface StackOutputsProps {
  apiUrl: string;
  apiKind: StackOutputs['api_kind'];
  stageName: string;
  region: string;
  issuer: string;
  userPool: UserPool;
  resolved: ResolvedProps;
}

export class StackOutputsTf extends Construct {
  readonly byName: Record<OutputName, TerraformOutput>;

  constructor(scope: Construct, id: string, props: StackOutputsProps) {
    super(scope, id);
    const { userPool, resolved } = props;
    const clients: Record<string, ClientOutput> = {};
    const secrets: Record<string, string> = {};
    for (const client of Object.values(resolved.clients)) {
      const resource = userPool.clients[client.name];
      clients[client.name] = {
        id: resource.id,
        has_secret: client.generateSecret,
        auth_flows: client.explicitAuthFlows,
        oauth_flows: client.oauthFlows,
        oauth_scopes: client.oauthScopes,
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
      hosted_ui_sign_in_url: signInUrl(domain, resolved, userPool),
      clients,
      client_secrets: secrets,
    };
    const byName = {} as Record<OutputName, TerraformOutput>;
    for (const name of OUTPUT_NAMES) {
      const output = new TerraformOutput(this, name, { value: values[name], sensitive: SENSITIVE_OUTPUTS.includes(name) });
      // Stable names: `cdktf output` and the harness read them as written in outputs.ts.
      output.overrideLogicalId(name);
      byName[name] = output;
    }
    this.byName = byName;
  }
}

/** The hosted UI's sign-in page for the first client that signs people in through it, else its bare login page. */
function signInUrl(domain: string, resolved: ResolvedProps, userPool: UserPool): string {
  const client = Object.values(resolved.clients).find(
    (c) => c.callbackUrls.length > 0 && (c.oauthFlows.includes('code') || c.oauthFlows.includes('implicit')),
  );
  if (!client) return `https://${domain}/login`;
  const responseType = client.oauthFlows.includes('code') ? 'code' : 'token';
  const query = `client_id=${userPool.clients[client.name].id}&response_type=${responseType}&scope=${encodeURIComponent(client.oauthScopes.join(' '))}&redirect_uri=${encodeURIComponent(client.callbackUrls[0])}`;
  return `https://${domain}/login?${query}`;
}

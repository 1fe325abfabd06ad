// The one file that knows which CDK for Terraform an app runs on: CDK Terrain (`cdktn`, `@cdktn/provider-aws`),
// the maintained fork, or cdktf (`cdktf`, `@cdktf/provider-aws`), archived on 2025-12-10. Both have the same API
// and the same provider submodules, so the constructs are typed against cdktf and take their classes from
// here. A construct tree must be built from one library: a token one library made, the other cannot resolve.
import type { IConstruct } from 'constructs';
import type * as Cdktf from 'cdktf';

export type FrameworkName = 'cdktn' | 'cdktf';

interface FrameworkPackages {
  core: string;
  provider: string;
}

const PACKAGES: Record<FrameworkName, FrameworkPackages> = {
  cdktn: { core: 'cdktn', provider: '@cdktn/provider-aws' },
  cdktf: { core: 'cdktf', provider: '@cdktf/provider-aws' },
};

/** The provider classes the constructs use, each with the submodule that holds it (loaded on first use). */
export interface AwsClasses {
  AwsProvider: typeof import('@cdktf/provider-aws/lib/provider').AwsProvider;
  ApiGatewayBasePathMapping: typeof import('@cdktf/provider-aws/lib/api-gateway-base-path-mapping').ApiGatewayBasePathMapping;
  ApiGatewayDeployment: typeof import('@cdktf/provider-aws/lib/api-gateway-deployment').ApiGatewayDeployment;
  ApiGatewayDomainName: typeof import('@cdktf/provider-aws/lib/api-gateway-domain-name').ApiGatewayDomainName;
  ApiGatewayRestApi: typeof import('@cdktf/provider-aws/lib/api-gateway-rest-api').ApiGatewayRestApi;
  ApiGatewayStage: typeof import('@cdktf/provider-aws/lib/api-gateway-stage').ApiGatewayStage;
  Apigatewayv2Api: typeof import('@cdktf/provider-aws/lib/apigatewayv2-api').Apigatewayv2Api;
  Apigatewayv2ApiMapping: typeof import('@cdktf/provider-aws/lib/apigatewayv2-api-mapping').Apigatewayv2ApiMapping;
  Apigatewayv2DomainName: typeof import('@cdktf/provider-aws/lib/apigatewayv2-domain-name').Apigatewayv2DomainName;
  Apigatewayv2Stage: typeof import('@cdktf/provider-aws/lib/apigatewayv2-stage').Apigatewayv2Stage;
  CloudwatchLogGroup: typeof import('@cdktf/provider-aws/lib/cloudwatch-log-group').CloudwatchLogGroup;
  CognitoResourceServer: typeof import('@cdktf/provider-aws/lib/cognito-resource-server').CognitoResourceServer;
  CognitoUserPool: typeof import('@cdktf/provider-aws/lib/cognito-user-pool').CognitoUserPool;
  CognitoUserPoolClient: typeof import('@cdktf/provider-aws/lib/cognito-user-pool-client').CognitoUserPoolClient;
  CognitoUserPoolDomain: typeof import('@cdktf/provider-aws/lib/cognito-user-pool-domain').CognitoUserPoolDomain;
  DataAwsPartition: typeof import('@cdktf/provider-aws/lib/data-aws-partition').DataAwsPartition;
  DataAwsRegion: typeof import('@cdktf/provider-aws/lib/data-aws-region').DataAwsRegion;
  IamRole: typeof import('@cdktf/provider-aws/lib/iam-role').IamRole;
  IamRolePolicyAttachment: typeof import('@cdktf/provider-aws/lib/iam-role-policy-attachment').IamRolePolicyAttachment;
  LambdaFunction: typeof import('@cdktf/provider-aws/lib/lambda-function').LambdaFunction;
  LambdaPermission: typeof import('@cdktf/provider-aws/lib/lambda-permission').LambdaPermission;
  Route53Record: typeof import('@cdktf/provider-aws/lib/route53-record').Route53Record;
}

const SUBMODULES: Record<keyof AwsClasses, string> = {
  AwsProvider: 'provider',
  ApiGatewayBasePathMapping: 'api-gateway-base-path-mapping',
  ApiGatewayDeployment: 'api-gateway-deployment',
  ApiGatewayDomainName: 'api-gateway-domain-name',
  ApiGatewayRestApi: 'api-gateway-rest-api',
  ApiGatewayStage: 'api-gateway-stage',
  Apigatewayv2Api: 'apigatewayv2-api',
  Apigatewayv2ApiMapping: 'apigatewayv2-api-mapping',
  Apigatewayv2DomainName: 'apigatewayv2-domain-name',
  Apigatewayv2Stage: 'apigatewayv2-stage',
  CloudwatchLogGroup: 'cloudwatch-log-group',
  CognitoResourceServer: 'cognito-resource-server',
  CognitoUserPool: 'cognito-user-pool',
  CognitoUserPoolClient: 'cognito-user-pool-client',
  CognitoUserPoolDomain: 'cognito-user-pool-domain',
  DataAwsPartition: 'data-aws-partition',
  DataAwsRegion: 'data-aws-region',
  IamRole: 'iam-role',
  IamRolePolicyAttachment: 'iam-role-policy-attachment',
  LambdaFunction: 'lambda-function',
  LambdaPermission: 'lambda-permission',
  Route53Record: 'route53-record',
};

export interface Framework {
  name: FrameworkName;
  /** `cdktf` or `cdktn`: the same API. */
  core: typeof Cdktf;
  aws: AwsClasses;
}

const loaded = new Map<FrameworkName, Framework>();

function installed(name: FrameworkName): boolean {
  try {
    require.resolve(PACKAGES[name].core);
    require.resolve(`${PACKAGES[name].provider}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Whether the library's core is in the module cache (required by us or by the caller's app). */
function isLoaded(name: FrameworkName): boolean {
  return require.cache[require.resolve(PACKAGES[name].core)] !== undefined;
}

/** Loads one framework (its core now, each provider class on first use). */
export function loadFramework(name: FrameworkName): Framework {
  const known = loaded.get(name);
  if (known) return known;
  const packages = PACKAGES[name];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- which package is chosen at run time
  const core = require(packages.core) as typeof Cdktf;
  const aws = {} as AwsClasses;
  for (const key of Object.keys(SUBMODULES) as (keyof AwsClasses)[])
    Object.defineProperty(aws, key, {
      enumerable: true,
      get: () =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above; the provider's index is huge, so by submodule
        (require(`${packages.provider}/lib/${SUBMODULES[key]}`) as Record<string, unknown>)[key],
    });
  const framework: Framework = { name, core, aws };
  loaded.set(name, framework);
  return framework;
}

/**
 * The framework for an app of one's own (`gatehouse synth`, main.ts): GATEHOUSE_CDK when set, otherwise CDK
 * Terrain when it is installed, otherwise cdktf.
 */
export function defaultFramework(env: NodeJS.ProcessEnv = process.env): Framework {
  const wanted = env.GATEHOUSE_CDK;
  if (wanted !== undefined && wanted !== 'cdktn' && wanted !== 'cdktf')
    throw new Error(`GATEHOUSE_CDK is "${wanted}": set it to cdktn or cdktf, or leave it unset.`);
  const name = (wanted as FrameworkName | undefined) ?? (installed('cdktn') ? 'cdktn' : 'cdktf');
  if (!installed(name))
    throw new Error(
      name === 'cdktn'
        ? 'CDK Terrain is not installed: npm install cdktn @cdktn/provider-aws constructs'
        : 'Neither CDK Terrain nor cdktf is installed: npm install cdktn @cdktn/provider-aws constructs (or cdktf @cdktf/provider-aws)',
    );
  return loadFramework(name);
}

/** The framework whose App is the root of `scope`: a construct joins the tree its caller built. */
export function frameworkOf(scope: IConstruct): Framework {
  const root = scope.node.root;
  for (const name of ['cdktf', 'cdktn'] as const) {
    // Only a library already loaded can have made the root; loading the other one to ask costs a second.
    if (!installed(name) || !isLoaded(name)) continue;
    const framework = loadFramework(name);
    if (root instanceof framework.core.App) return framework;
  }
  return defaultFramework();
}

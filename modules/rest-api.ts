// A REST API (API Gateway v1) imported from the bound document, a deployment that follows every change of
// the document, and a stage.
import { Construct } from 'constructs';
import { frameworkOf } from './cdk';
import type { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import type { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import type { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { AccessLoggingOptions } from '../stack/props';
import { AccessLogs } from './access-logs';
import { allowApiToInvoke } from './lambda-functions';
import { allowApiToInvokeAuthorizers } from './authorizer-permissions';

export interface RestApiProps {
  name: string;
  /** The bound document as a JSON string (see terraform-body.ts). */
  body: string;
  /** SHA-256 of the document as written (ApiModel.bodyHash). */
  documentHash: string;
  stageName: string;
  /** Functions the integrations call, by name, and the names to grant invoke permission for. */
  functions: Record<string, LambdaFunction>;
  invokedFunctions: string[];
  /** Functions the Lambda authorizers call (authorizer-permissions.ts). */
  authorizerFunctions?: string[];
  accessLogging?: true | AccessLoggingOptions;
  /** Name prefix of the access-log group. */
  namePrefix: string;
  tags?: Record<string, string>;
  /** Only the custom domain answers (apiDomain.disableExecuteApiEndpoint). */
  disableExecuteApiEndpoint?: boolean;
}

export class RestApi extends Construct {
  readonly api: ApiGatewayRestApi;
  readonly deployment: ApiGatewayDeployment;
  readonly stage: ApiGatewayStage;

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const { aws, core } = frameworkOf(this);
    // A warning at import can mean a part of the document was dropped, an authorizer included: refuse it.
    this.api = new aws.ApiGatewayRestApi(this, 'api', {
      name: props.name,
      body: props.body,
      failOnWarnings: true,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
      tags: props.tags,
    });

    // A REST API serves only what was deployed, and a deployment is immutable: a new one is made whenever
    // the document changes (its hash) or a bound value does (the hash of the body as imported, e.g. after
    // the pool is replaced). create_before_destroy keeps the stage pointing at a live deployment.
    this.deployment = new aws.ApiGatewayDeployment(this, 'deployment', {
      restApiId: this.api.id,
      triggers: {
        document: props.documentHash,
        bound_body: core.Fn.sha256(this.api.body),
        // Turning execute-api off takes effect with the next deployment (AWS's "Disable the default endpoint
        // for REST APIs"); the key is there only while it is off, so other stacks keep their deployment.
        ...(props.disableExecuteApiEndpoint ? { execute_api_endpoint: 'disabled' } : {}),
      },
      lifecycle: { createBeforeDestroy: true },
    });

    // REST stages write to CloudWatch through the account-level role (aws_api_gateway_account,
    // cloudwatch_role_arn), set once per account and region outside this module; without it the stage
    // update fails with "CloudWatch Logs role ARN must be set in account settings".
    const logs = props.accessLogging
      ? new AccessLogs(this, 'access-logs', {
          name: `/aws/apigateway/${props.namePrefix}/${props.stageName}/access`,
          options: props.accessLogging,
          tags: props.tags,
        })
      : undefined;

    this.stage = new aws.ApiGatewayStage(this, 'stage', {
      restApiId: this.api.id,
      deploymentId: this.deployment.id,
      stageName: props.stageName,
      accessLogSettings: logs ? { destinationArn: logs.destinationArn, format: logs.format } : undefined,
      tags: props.tags,
    });

    allowApiToInvoke(this, props.functions, props.invokedFunctions, this.api.executionArn);
    allowApiToInvokeAuthorizers(this, props.functions, props.authorizerFunctions ?? [], this.api.executionArn);
  }

  get invokeUrl(): string {
    return this.stage.invokeUrl;
  }
}

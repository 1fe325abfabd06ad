// An HTTP API (API Gateway v2) imported from the bound document, with an auto-deployed stage.
import { Construct } from 'constructs';
import { frameworkOf } from './cdk';
import type { Apigatewayv2Api } from '@cdktf/provider-aws/lib/apigatewayv2-api';
import type { Apigatewayv2Stage } from '@cdktf/provider-aws/lib/apigatewayv2-stage';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { AccessLoggingOptions } from '../stack/props';
import { AccessLogs } from './access-logs';
import { allowApiToInvoke } from './lambda-functions';
import { allowApiToInvokeAuthorizers } from './authorizer-permissions';

export interface HttpApiProps {
  name: string;
  /** The bound document as a JSON string (see terraform-body.ts). */
  body: string;
  stageName: string;
  functions: Record<string, LambdaFunction>;
  invokedFunctions: string[];
  /** Functions the Lambda authorizers call (authorizer-permissions.ts). */
  authorizerFunctions?: string[];
  accessLogging?: true | AccessLoggingOptions;
  namePrefix: string;
  tags?: Record<string, string>;
  /** Only the custom domain answers (apiDomain.disableExecuteApiEndpoint). */
  disableExecuteApiEndpoint?: boolean;
}

export class HttpApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const { aws } = frameworkOf(this);
    // A warning at import can mean a part of the document was dropped, an authorizer included: refuse it.
    this.api = new aws.Apigatewayv2Api(this, 'api', {
      name: props.name,
      protocolType: 'HTTP',
      body: props.body,
      failOnWarnings: true,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint,
      tags: props.tags,
    });

    // HTTP APIs log through a service-linked role: no account-level setting needed, unlike REST.
    const logs = props.accessLogging
      ? new AccessLogs(this, 'access-logs', {
          name: `/aws/apigateway/${props.namePrefix}/${props.stageName}/access`,
          options: props.accessLogging,
          tags: props.tags,
        })
      : undefined;

    // auto_deploy publishes every change of the imported routes, so no deployment resource is needed.
    this.stage = new aws.Apigatewayv2Stage(this, 'stage', {
      apiId: this.api.id,
      name: props.stageName,
      autoDeploy: true,
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

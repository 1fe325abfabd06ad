// The per-method style many teams write by hand or generate: one aws_api_gateway_resource per path
// segment and, per operation, a method, an integration, a method response and an integration response
// (a mock answers nothing without one), plus the authorizers, a deployment and a stage. Built from the
// same model and the same @cdktf/provider-aws bindings (imported from their own paths, as the module
// does), so synth-scale.ts compares like with like.
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response';
import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage';
import { CognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool';
import type { ApiModel, Operation } from '../../openapi/model/types';

export interface PerMethodApiProps {
  model: ApiModel;
  stageName: string;
}

/** A construct id from a path and method; the path alone is not unique once methods share it. */
function idOf(...parts: string[]): string {
  return parts
    .join('-')
    .replace(/[{}+]/g, '')
    .replace(/[^A-Za-z0-9-]+/g, '_');
}

export class PerMethodApi extends Construct {
  constructor(scope: Construct, id: string, props: PerMethodApiProps) {
    super(scope, id);
    const { model } = props;
    if (model.kind !== 'rest')
      throw new Error(`${model.file}: the per-method style is a REST API comparison; this document is an HTTP API.`);
    const pool = new CognitoUserPool(this, 'pool', { name: `${idOf(model.title)}-users` });
    const api = new ApiGatewayRestApi(this, 'api', { name: model.title });

    const authorizerIds: Record<string, string> = {};
    for (const [name, authorizer] of Object.entries(model.authorizers)) {
      if (authorizer.kind !== 'cognito_user_pools')
        throw new Error(
          `${model.file}#${authorizer.pointer}: the per-method style here writes Cognito authorizers only.`,
        );
      authorizerIds[name] = new ApiGatewayAuthorizer(this, idOf('authorizer', name), {
        restApiId: api.id,
        name,
        type: 'COGNITO_USER_POOLS',
        identitySource: `method.request.header.${authorizer.tokenHeader}`,
        providerArns: authorizer.providerArns.map((arn) => (arn === '{{userPoolArn}}' ? pool.arn : arn)),
      }).id;
    }

    // One resource per distinct path prefix, parents first.
    const resourceIds = new Map<string, string>([['', api.rootResourceId]]);
    const resourceFor = (routePath: string): string => {
      let prefix = '';
      for (const segment of routePath.split('/').filter(Boolean)) {
        const parent = resourceIds.get(prefix)!;
        prefix = `${prefix}/${segment}`;
        if (!resourceIds.has(prefix))
          resourceIds.set(
            prefix,
            new ApiGatewayResource(this, idOf('resource', prefix), {
              restApiId: api.id,
              parentId: parent,
              pathPart: segment,
            }).id,
          );
      }
      return resourceIds.get(prefix)!;
    };

    const deployedIds: string[] = [];
    for (const op of model.operations)
      deployedIds.push(...this.operation(op, api.id, resourceFor(op.path), authorizerIds));

    // The usual redeploy trigger of this style: a hash over everything the deployment serves.
    const deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId: api.id,
      triggers: { redeployment: Fn.sha1(Fn.jsonencode(deployedIds)) },
      lifecycle: { createBeforeDestroy: true },
    });
    new ApiGatewayStage(this, 'stage', { restApiId: api.id, deploymentId: deployment.id, stageName: props.stageName });
  }

  /** The four resources of one operation; returns the ids the deployment must follow. */
  private operation(
    op: Operation,
    restApiId: string,
    resourceId: string,
    authorizerIds: Record<string, string>,
  ): string[] {
    if (op.integration.type !== 'mock')
      throw new Error(
        `${op.pointer}: the per-method style here writes mock integrations only (got ${op.integration.type}).`,
      );
    const base = idOf(op.method, op.path);
    const pathParameters = Object.fromEntries(
      op.parameters.filter((p) => p.in === 'path').map((p) => [`method.request.path.${p.name}`, true]),
    );
    if (op.auth.kind !== 'public' && (op.auth.kind !== 'authorizer' || op.auth.apiKeyRequired))
      throw new Error(
        `${op.pointer}: the per-method style here writes Cognito authorizers only (got ${op.auth.kind}).`,
      );
    const secured = op.auth.kind === 'authorizer' ? op.auth : undefined;
    const method = new ApiGatewayMethod(this, `${base}-method`, {
      restApiId,
      resourceId,
      httpMethod: op.method,
      authorization: secured ? 'COGNITO_USER_POOLS' : 'NONE',
      authorizerId: secured ? authorizerIds[secured.authorizer] : undefined,
      authorizationScopes: secured && secured.scopes.length > 0 ? secured.scopes : undefined,
      requestParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
    });
    const integration = new ApiGatewayIntegration(this, `${base}-integration`, {
      restApiId,
      resourceId,
      httpMethod: method.httpMethod,
      type: 'MOCK',
      requestTemplates: op.integration.requestTemplates,
      passthroughBehavior: op.integration.passthroughBehavior?.toUpperCase(),
    });
    const status = String(op.successStatus);
    const methodResponse = new ApiGatewayMethodResponse(this, `${base}-response`, {
      restApiId,
      resourceId,
      httpMethod: method.httpMethod,
      statusCode: status,
    });
    const answer =
      op.integration.responses.find((r) => r.statusCode === op.successStatus) ?? op.integration.responses[0];
    const integrationResponse = new ApiGatewayIntegrationResponse(this, `${base}-integration-response`, {
      restApiId,
      resourceId,
      httpMethod: method.httpMethod,
      statusCode: methodResponse.statusCode,
      responseTemplates: answer?.responseTemplates,
      dependsOn: [integration],
    });
    return [method.id, integration.id, methodResponse.id, integrationResponse.id];
  }
}

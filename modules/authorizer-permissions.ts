// API Gateway may call a Lambda authorizer's function only with the function's permission: one
// aws_lambda_permission per function an authorizer's authorizerUri names through `{{lambda:<name>}}`, for the
// service principal, scoped to this API's authorizers (source ARN `<execution ARN>/authorizers/*`, the form
// "arn:aws:execute-api:<region>:<account>:<api id>/authorizers/<authorizer id>" of "Control access to REST
// APIs using Lambda authorizers" and of HTTP APIs' Lambda authorizers). An authorizerUri with a literal ARN
// names a function this stack does not own: its permission is its owner's to grant.
import type { Construct } from 'constructs';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { ApiModel } from '../openapi/model/types';
import { allowApiToInvoke } from './lambda-functions';

/** The `{{lambda:<name>}}` functions of the document's Lambda authorizers, sorted, once each. */
export function authorizerFunctionNames(model: ApiModel): string[] {
  const names = new Set<string>();
  for (const authorizer of Object.values(model.lambdaAuthorizers))
    if (authorizer.functionName) names.add(authorizer.functionName);
  return [...names].sort();
}

export function allowApiToInvokeAuthorizers(
  scope: Construct,
  functions: Record<string, LambdaFunction>,
  names: string[],
  executionArn: string,
): void {
  allowApiToInvoke(scope, functions, names, executionArn, 'authorizers');
}

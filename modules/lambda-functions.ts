// The Lambda functions `{{lambda:<name>}}` integrations call: code zipped from a folder at synth time,
// each with its own role that may only write its logs (and, for a function in a VPC, manage its network
// interfaces there).
import * as path from 'node:path';
import { Construct } from 'constructs';
import { frameworkOf } from './cdk';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { LambdaFunctionOptions } from '../stack/props';
import { functionNameOf } from '../stack/validate-props';

export interface LambdaFunctionsProps {
  functions: Record<string, LambdaFunctionOptions>;
  /** Prefix of function and role names, e.g. the stack name. */
  namePrefix: string;
  /** The deployment's partition (a token), for the managed policy's ARN. */
  partition: string;
  tags?: Record<string, string>;
}

const LAMBDA_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export class LambdaFunctions extends Construct {
  readonly byName: Record<string, LambdaFunction> = {};

  constructor(scope: Construct, id: string, props: LambdaFunctionsProps) {
    super(scope, id);
    const { aws, core } = frameworkOf(this);
    for (const [name, options] of Object.entries(props.functions)) {
      // A name Lambda would refuse was refused where the props were resolved (stack/validate-props.ts).
      const functionName = functionNameOf(props.namePrefix, name);
      const code = new core.TerraformAsset(this, `${name}-code`, {
        path: path.resolve(options.sourceDir),
        type: core.AssetType.ARCHIVE,
      });
      const role = new aws.IamRole(this, `${name}-role`, {
        name: `${functionName}-role`.slice(0, 64),
        assumeRolePolicy: LAMBDA_TRUST_POLICY,
        tags: props.tags,
      });
      const logging = new aws.IamRolePolicyAttachment(this, `${name}-logs`, {
        role: role.name,
        policyArn: `arn:${props.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`,
      });
      // Lambda creates and deletes the function's network interfaces in the subnets with the function's role.
      const vpcAccess = options.vpc
        ? new aws.IamRolePolicyAttachment(this, `${name}-vpc-access`, {
            role: role.name,
            policyArn: `arn:${props.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
          })
        : undefined;
      this.byName[name] = new aws.LambdaFunction(this, name, {
        functionName,
        role: role.arn,
        handler: options.handler ?? 'index.handler',
        runtime: options.runtime ?? 'nodejs20.x',
        timeout: options.timeoutSeconds ?? 10,
        memorySize: options.memoryMb ?? 256,
        filename: code.path,
        sourceCodeHash: code.assetHash,
        environment: options.environment ? { variables: options.environment } : undefined,
        vpcConfig: options.vpc
          ? { subnetIds: options.vpc.subnetIds, securityGroupIds: options.vpc.securityGroupIds }
          : undefined,
        tags: props.tags,
        // Without the policies in place the first invocations could not write their logs, and a function in
        // a VPC fails to create until its role may make network interfaces.
        dependsOn: vpcAccess ? [logging, vpcAccess] : [logging],
      });
    }
  }
}

/**
 * Lets the API invoke each function its integrations (or its Lambda authorizers) call. One permission per
 * function covering every stage, method and route of this API, or every authorizer of it: one per route would
 * soon pass Lambda's 20 KB policy limit.
 */
export function allowApiToInvoke(
  scope: Construct,
  functions: Record<string, LambdaFunction>,
  names: string[],
  executionArn: string,
  caller: 'integrations' | 'authorizers' = 'integrations',
): void {
  const { aws } = frameworkOf(scope);
  for (const name of names)
    new aws.LambdaPermission(scope, caller === 'authorizers' ? `invoke-authorizer-${name}` : `invoke-${name}`, {
      functionName: functions[name].functionName,
      action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com',
      sourceArn: caller === 'authorizers' ? `${executionArn}/authorizers/*` : `${executionArn}/*/*`,
    });
}

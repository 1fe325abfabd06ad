// Functions in private subnets as cdktf synthesizes them: the VPC config, the VPC access policy on the
// function's role, and a function without vpc left as it was.
import { loadApiModel } from '../openapi/model/load';
import type { ApiModel } from '../openapi/model/types';
import { appProps } from '../stack/app-props';
import type { LambdaFunctionOptions } from '../stack/props';
import { HELLO_FUNCTION, HELLO_HTTP, removeTempDirs, resourcesOf, synthesize, type Block } from './test-helpers';

let hello: ApiModel;
beforeAll(async () => {
  hello = await loadApiModel(HELLO_HTTP);
});
afterAll(removeTempDirs);

const VPC = {
  subnetIds: ['subnet-0123456789abcdef0', 'subnet-89abcdef'],
  securityGroupIds: ['sg-0fedcba9876543210'],
};

function synthesizeWith(hello_: LambdaFunctionOptions) {
  return synthesize({ spec: hello, clients: appProps(HELLO_HTTP).clients, functions: { hello: hello_ } }).json;
}

function attachmentsOf(json: ReturnType<typeof synthesizeWith>): Block[] {
  return Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'));
}

describe('a function with vpc', () => {
  it('runs in the subnets with the security groups', () => {
    const json = synthesizeWith({ ...HELLO_FUNCTION.hello, vpc: VPC });
    const [fn] = Object.values(resourcesOf(json, 'aws_lambda_function'));
    expect(fn.vpc_config).toEqual({ subnet_ids: VPC.subnetIds, security_group_ids: VPC.securityGroupIds });
  });

  it('gets AWSLambdaVPCAccessExecutionRole on its own role, and is created after it', () => {
    const json = synthesizeWith({ ...HELLO_FUNCTION.hello, vpc: VPC });
    const [[roleId]] = Object.entries(resourcesOf(json, 'aws_iam_role'));
    const [[attachmentId, vpcAccess]] = Object.entries(resourcesOf(json, 'aws_iam_role_policy_attachment')).filter(
      ([, block]) => String(block.policy_arn).endsWith('/AWSLambdaVPCAccessExecutionRole'),
    );
    expect(vpcAccess).toEqual({
      role: `\${aws_iam_role.${roleId}.name}`,
      policy_arn: expect.stringMatching(
        /^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:iam::aws:policy\/service-role\/AWSLambdaVPCAccessExecutionRole$/,
      ),
    });
    const [fn] = Object.values(resourcesOf(json, 'aws_lambda_function'));
    expect(fn.depends_on).toContain(`aws_iam_role_policy_attachment.${attachmentId}`);
  });

  it('takes subnets and groups made in the same stack, whose ids are known only at apply', () => {
    const json = synthesizeWith({
      ...HELLO_FUNCTION.hello,
      vpc: { subnetIds: ['${aws_subnet.private_a.id}'], securityGroupIds: ['${aws_security_group.lambda.id}'] },
    });
    const [fn] = Object.values(resourcesOf(json, 'aws_lambda_function'));
    expect(fn.vpc_config).toEqual({
      subnet_ids: ['${aws_subnet.private_a.id}'],
      security_group_ids: ['${aws_security_group.lambda.id}'],
    });
  });
});

describe('a function without vpc', () => {
  it('has no VPC config and only the logging policy', () => {
    const json = synthesizeWith(HELLO_FUNCTION.hello);
    const [fn] = Object.values(resourcesOf(json, 'aws_lambda_function'));
    expect(fn).not.toHaveProperty('vpc_config');
    expect(attachmentsOf(json).map((a) => String(a.policy_arn).split('/').pop())).toEqual([
      'AWSLambdaBasicExecutionRole',
    ]);
  });
});

// API Gateway may call each Lambda authorizer's function: the synthesized stack grants apigateway.amazonaws.com
// lambda:InvokeFunction on it, scoped to this API's authorizers, for REST and HTTP APIs, and grants nothing for
// an authorizer naming a function of another account (its owner grants that). Synthesized with cdktf Testing
// from the auth-kinds documents the local stack's tests run (local/fixtures/auth-kinds).
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import type { LambdaFunctionOptions, SecuredApiProps } from '../stack/props';
import { authorizerFunctionNames } from './authorizer-permissions';
import { appProps } from '../stack/app-props';
import {
  HELLO_FUNCTION,
  HELLO_HTTP,
  removeTempDirs,
  resourcesOf,
  synthesize,
  type Block,
  type SynthesizedStack,
} from './test-helpers';

const FIXTURES = path.join(__dirname, '..', 'local/fixtures/auth-kinds');
const FUNCTIONS = path.join(FIXTURES, 'functions');
const fn = (handler: string) => ({ sourceDir: FUNCTIONS, handler: `authorizers.${handler}` });

afterAll(removeTempDirs);

/** Each aws_lambda_permission as the function it names (the Terraform reference) and its source ARN. */
function permissions(json: SynthesizedStack): { functionName: string; sourceArn: string; block: Block }[] {
  return Object.values(resourcesOf(json, 'aws_lambda_permission')).map((block) => ({
    functionName: String(block.function_name),
    sourceArn: String(block.source_arn),
    block,
  }));
}

/** The logical id of the aws_lambda_function deployed for `name` (its function_name ends with it). */
function functionId(json: SynthesizedStack, name: string): string {
  const found = Object.entries(resourcesOf(json, 'aws_lambda_function')).filter(([, b]) =>
    String(b.function_name).endsWith(`-${name}`),
  );
  expect(found).toHaveLength(1);
  return found[0][0];
}

const cases: {
  kind: string;
  file: string;
  apiType: string;
  functions: Record<string, LambdaFunctionOptions>;
  authorizers: string[];
}[] = [
  {
    kind: 'rest',
    file: 'rest.yaml',
    apiType: 'aws_api_gateway_rest_api',
    functions: { echo: fn('echo'), 'token-auth': fn('token'), 'request-auth': fn('request') },
    authorizers: ['request-auth', 'token-auth'],
  },
  {
    kind: 'http',
    file: 'http.json',
    apiType: 'aws_apigatewayv2_api',
    functions: { echo: fn('echo'), 'simple-auth': fn('simple'), 'policy-auth': fn('policy') },
    authorizers: ['policy-auth', 'simple-auth'],
  },
];

describe.each(cases)('$kind API ($file)', ({ file, apiType, functions, authorizers }) => {
  test("grants API Gateway lambda:InvokeFunction on each authorizer function, from this API's authorizers only", async () => {
    const model = await loadApiModel(path.join(FIXTURES, file));
    expect(authorizerFunctionNames(model)).toEqual(authorizers);
    const props: SecuredApiProps & { spec: typeof model } = { spec: model, functions };
    const { json } = synthesize(props);
    const apiId = Object.keys(resourcesOf(json, apiType))[0];
    const granted = permissions(json).filter((p) => p.sourceArn.endsWith('/authorizers/*'));
    expect(granted.map((p) => [p.functionName, p.sourceArn, p.block.principal, p.block.action]).sort()).toEqual(
      authorizers
        .map((name) => [
          `\${aws_lambda_function.${functionId(json, name)}.function_name}`,
          `\${${apiType}.${apiId}.execution_arn}/authorizers/*`,
          'apigateway.amazonaws.com',
          'lambda:InvokeFunction',
        ])
        .sort(),
    );
    // The integration's function keeps its own grant, for the API's methods; the ghost authorizer (another
    // account's function, by ARN) gets none.
    expect(
      permissions(json)
        .filter((p) => p.sourceArn.endsWith('/*/*'))
        .map((p) => p.functionName),
    ).toEqual([`\${aws_lambda_function.${functionId(json, 'echo')}.function_name}`]);
    expect(JSON.stringify(permissions(json))).not.toContain('ghost');
  });
});

test('a document without Lambda authorizers synthesizes no authorizer permission', async () => {
  const { json } = synthesize({
    spec: await loadApiModel(HELLO_HTTP),
    clients: appProps(HELLO_HTTP).clients,
    functions: HELLO_FUNCTION,
  });
  expect(permissions(json).filter((p) => p.sourceArn.includes('/authorizers/'))).toEqual([]);
});

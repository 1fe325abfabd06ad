// Template variables bound on read: Terraform templatefile, CloudFormation Fn::Sub (long and !Sub), Fn::GetAtt,
// Ref and Fn::Join become the strings (numbers, booleans) the project file's variables give; API Gateway's own
// variables stay for it to resolve; an unbound name is an error saying what to add to the project file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintSpec } from '../index';
import type { TemplateVariables } from './template-variables';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-templates-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function lint(name: string, text: string, variables: TemplateVariables = {}) {
  fs.writeFileSync(path.join(dir, name), text);
  const result = await lintSpec(path.join(dir, name), { variables });
  // Scoped REST methods warn that they take access tokens only: true, and not what these tests are about.
  const found = result.problems
    .filter((p) => p.rule !== 'rest-scopes-need-access-token')
    .map((p) => [p.severity, p.rule, p.pointer]);
  return { ...result, found };
}

const lines = (...l: string[]) => l.join('\n') + '\n';
const COGNITO_SCHEME = [
  'components:',
  '  securitySchemes:',
  '    CognitoAuth:',
  '      type: apiKey',
  '      name: Authorization',
  '      in: header',
  '      x-amazon-apigateway-authtype: cognito_user_pools',
  '      x-amazon-apigateway-authorizer:',
  '        type: cognito_user_pools',
];

describe('Terraform templatefile', () => {
  const doc = lines(
    'openapi: 3.0.1',
    'info: { title: "${api_title}", version: "1" }',
    'paths:',
    '  /orders:',
    '    post:',
    '      security: [{ CognitoAuth: [orders/write] }]',
    '      x-amazon-apigateway-integration:',
    '        type: aws_proxy',
    '        httpMethod: POST',
    '        uri: "${orders_lambda_invoke_arn}"',
    '        timeoutInMillis: "${timeout}"',
    '  /legacy/{proxy+}:',
    '    x-amazon-apigateway-any-method:',
    '      security: [{ CognitoAuth: [orders/write] }]',
    '      x-amazon-apigateway-integration:',
    '        type: http_proxy',
    '        httpMethod: ANY',
    '        uri: "${legacy_url}/{proxy}"',
    '        requestParameters: { integration.request.path.proxy: method.request.path.proxy }',
    '  /hello:',
    '    get:',
    '      security: [{ CognitoAuth: [orders/write] }]',
    '      x-amazon-apigateway-integration:',
    '        type: mock',
    // $${...} is how a template writes a literal ${...}; in a mapping template ${x} is Velocity's own.
    '        requestTemplates: { application/json: \'{"statusCode": 200}\' }',
    '        responses:',
    '          default:',
    '            statusCode: "200"',
    '            responseTemplates: { application/json: \'{"stage": "$${stageVariables.name}", "id": "${context.requestId}"}\' }',
    ...COGNITO_SCHEME,
    '        providerARNs: ["${user_pool_arn}"]',
  );
  const variables = {
    api_title: 'Orders',
    orders_lambda_invoke_arn: '{{lambda:orders}}',
    timeout: '5000',
    legacy_url: '{{backend:legacy}}',
    user_pool_arn: '{{userPoolArn}}',
  };

  it('binds every variable, a number where the field is one, and keeps Velocity and escaped references', async () => {
    const { model, found } = await lint('api.yaml.tftpl', doc, variables);
    expect(found).toEqual([]);
    expect(model!.title).toBe('Orders');
    expect(model!.authorizers.CognitoAuth).toMatchObject({ providerArns: ['{{userPoolArn}}'] });
    expect(model!.operations.map((o) => o.integration)).toEqual([
      { type: 'aws_proxy', uri: '{{lambda:orders}}', functionName: 'orders', payloadFormatVersion: '1.0' },
      expect.objectContaining({ type: 'http_proxy', uri: '{{backend:legacy}}/{proxy}' }),
      expect.objectContaining({ type: 'mock' }),
    ]);
    const orders = (model!.body.paths as Record<string, Record<string, Record<string, unknown>>>)['/orders'].post;
    // An integer field given as a template string is emitted as the integer.
    expect(orders['x-amazon-apigateway-integration']).toMatchObject({ timeoutInMillis: 5000 });
    const mock = model!.operations[2].integration as { responses: { responseTemplates: Record<string, string> }[] };
    expect(mock.responses[0].responseTemplates['application/json']).toBe(
      '{"stage": "${stageVariables.name}", "id": "${context.requestId}"}',
    );
  });

  it('names an unbound variable, every place it is used, and the line to add to the project file', async () => {
    const { orders_lambda_invoke_arn: _unbound, ...others } = variables;
    const { model, found, problems } = await lint(
      'api.yaml.tftpl',
      doc.replace('uri: "${legacy_url}/{proxy}"', 'uri: "${orders_lambda_invoke_arn}"'),
      others,
    );
    expect(model).toBeUndefined();
    const unbound = problems.filter((p) => p.rule === 'template-variable-unbound');
    expect(unbound.map((p) => p.pointer)).toEqual(['/paths/~1orders/post/x-amazon-apigateway-integration/uri']);
    expect(unbound[0].message).toContain('"orders_lambda_invoke_arn"');
    expect(unbound[0].message).toContain(
      '/paths/~1orders/post/x-amazon-apigateway-integration/uri, /paths/~1legacy~1{proxy+}/x-amazon-apigateway-any-method/x-amazon-apigateway-integration/uri',
    );
    expect(unbound[0].fix).toContain('variables:\n  orders_lambda_invoke_arn: "{{lambda:orders}}"');
    expect(found).toContainEqual(['warning', 'template-variable-unused', '']);
  });

  it('refuses a value bound to a numeric field that is not a number, and a template directive', async () => {
    const { found } = await lint(
      'api.yaml.tftpl',
      doc.replace('api_title', 'api_title}%{ if prod }-prod%{ endif }${x'),
      { ...variables, timeout: 'soon', x: '' },
    );
    expect(found).toEqual(
      expect.arrayContaining([
        ['error', 'template-directive', '/info/title'],
        ['error', 'template-variable-type', '/paths/~1orders/post/x-amazon-apigateway-integration/timeoutInMillis'],
      ]),
    );
  });
});

describe('CloudFormation intrinsics', () => {
  it('long forms (an AWS::Include body): Fn::Sub with and without a map, Fn::GetAtt both ways, Ref, Fn::Join', async () => {
    const doc = {
      swagger: '2.0',
      info: { title: { 'Fn::Join': ['-', [{ Ref: 'AWS::StackName' }, 'orders']] }, version: '1' },
      paths: {
        '/orders': {
          get: {
            security: [{ CognitoAuth: ['orders/read'] }],
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: {
                'Fn::Sub':
                  'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${OrdersFunction.Arn}/invocations',
              },
            },
          },
          post: {
            security: [{ CognitoAuth: ['orders/read'] }],
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'POST',
              uri: { 'Fn::Sub': ['${Base}/orders?src=${!literal}', { Base: { Ref: 'LegacyUrl' } }] },
            },
          },
        },
      },
      securityDefinitions: {
        CognitoAuth: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authorizer': {
            type: 'cognito_user_pools',
            providerARNs: [{ 'Fn::GetAtt': ['UserPool', 'Arn'] }],
          },
        },
      },
    };
    const { model, found } = await lint('api.json', JSON.stringify(doc), {
      'AWS::StackName': 'shop',
      'OrdersFunction.Arn': '{{lambda:orders}}',
      LegacyUrl: '{{backend:legacy}}',
      'UserPool.Arn': '{{userPoolArn}}',
    });
    expect(found).toEqual([]);
    expect(model!.title).toBe('shop-orders');
    // The invoke URI around a function ARN bound to {{lambda:x}} is {{lambda:x}}: it already stands for it.
    expect(model!.operations.map((o) => (o.integration as { uri: string }).uri)).toEqual([
      '{{lambda:orders}}',
      '{{backend:legacy}}/orders?src=${literal}',
    ]);
    expect(model!.authorizers.CognitoAuth).toMatchObject({ providerArns: ['{{userPoolArn}}'] });
    expect(JSON.stringify(model!.body)).not.toContain('Fn::');
  });

  it('YAML short tags: !Sub, !GetAtt, !Ref, !Join; AWS import variables stay for API Gateway', async () => {
    const { model, found } = await lint(
      'api.yaml',
      lines(
        'openapi: 3.0.1',
        'info:',
        '  title: !Join [" ", [!Ref ApiName, API]]',
        '  version: "1"',
        'paths:',
        '  /orders:',
        '    get:',
        '      security: [{ CognitoAuth: [orders/read] }]',
        '      x-amazon-apigateway-integration:',
        '        type: aws_proxy',
        '        httpMethod: POST',
        '        uri: !Sub arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ReportsFunction}/invocations',
        '        timeoutInMillis: !Ref Timeout',
        '    post:',
        '      security: [{ CognitoAuth: [orders/read] }]',
        '      x-amazon-apigateway-integration:',
        '        type: aws_proxy',
        '        httpMethod: POST',
        '        uri: !Sub',
        '          - arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn}/invocations',
        '          - { Fn: !GetAtt OrdersFunction.Arn }',
        ...COGNITO_SCHEME,
        '        providerARNs:',
        '          - !Sub arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${PoolId}',
      ),
      {
        ApiName: 'Orders',
        ReportsFunction: 'arn:aws:lambda:eu-west-1:123456789012:function:reports',
        Timeout: '10000',
        'OrdersFunction.Arn': '{{lambda:orders}}',
        PoolId: 'eu-west-1_AbC123',
      },
    );
    expect(found).toEqual([]);
    expect(model!.title).toBe('Orders API');
    expect(model!.operations.map((o) => (o.integration as { uri: string }).uri)).toEqual([
      'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:reports/invocations',
      '{{lambda:orders}}',
    ]);
    expect(model!.authorizers.CognitoAuth).toMatchObject({
      providerArns: ['arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/eu-west-1_AbC123'],
    });
    const get = (model!.body.paths as Record<string, Record<string, Record<string, Record<string, unknown>>>>)[
      '/orders'
    ].get;
    expect(get['x-amazon-apigateway-integration'].timeoutInMillis).toBe(10000);
  });

  it('refuses what it cannot evaluate, and quotes a Resource.Attribute name in the line to add', async () => {
    const { found, problems } = await lint(
      'api.yaml',
      lines(
        'openapi: 3.0.1',
        'info: { title: !If [IsProd, Prod, Dev], version: "1" }',
        'paths:',
        '  /orders:',
        '    get:',
        '      security: [{ CognitoAuth: [orders/read] }]',
        '      x-amazon-apigateway-integration:',
        '        type: aws_proxy',
        '        httpMethod: POST',
        '        uri: !GetAtt OrdersFunction.Arn',
        ...COGNITO_SCHEME,
        '        providerARNs: ["{{userPoolArn}}"]',
      ),
    );
    expect(found.filter((f) => f[0] === 'error')).toEqual([
      ['error', 'template-intrinsic-unsupported', '/info/title'],
      ['error', 'template-variable-unbound', '/paths/~1orders/get/x-amazon-apigateway-integration/uri'],
    ]);
    expect(problems.find((p) => p.rule === 'template-variable-unbound')!.fix).toBe(
      'Bind it in the project file (gatehouse.config.yaml):\nvariables:\n  "OrdersFunction.Arn": "{{lambda:orders}}"',
    );
  });

  it("takes ${stageVariables.x} in Fn::Sub for Sub's own variable, as CloudFormation does, and says how to escape it", async () => {
    const { found, problems } = await lint(
      'api.yaml',
      lines(
        'openapi: 3.0.1',
        'info: { title: Orders, version: "1" }',
        'paths:',
        '  /orders:',
        '    get:',
        '      security: [{ CognitoAuth: [orders/read] }]',
        '      x-amazon-apigateway-integration:',
        '        type: http_proxy',
        '        httpMethod: GET',
        '        uri: !Sub "https://${stageVariables.host}/orders"',
        ...COGNITO_SCHEME,
        '        providerARNs: ["{{userPoolArn}}"]',
      ),
    );
    expect(found).toEqual([
      ['error', 'template-variable-unbound', '/paths/~1orders/get/x-amazon-apigateway-integration/uri'],
    ]);
    expect(problems[0].fix).toContain('${!stageVariables.host}');
  });

  it('binds intrinsics in a file the document $refs, and says which file holds an unbound one', async () => {
    fs.mkdirSync(path.join(dir, 'paths'));
    fs.writeFileSync(
      path.join(dir, 'paths', 'orders.yaml'),
      lines(
        'get:',
        '  security: [{ CognitoAuth: [orders/read] }]',
        '  x-amazon-apigateway-integration:',
        '    type: aws_proxy',
        '    httpMethod: POST',
        '    uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${OrdersFunction.Arn}/invocations"',
      ),
    );
    const root = lines(
      'openapi: 3.0.1',
      'info: { title: Orders, version: "1" }',
      'paths:',
      '  /orders: { $ref: "./paths/orders.yaml" }',
      ...COGNITO_SCHEME,
      '        providerARNs: [!GetAtt UserPool.Arn]',
    );
    const bound = await lint('api.yaml', root, {
      'OrdersFunction.Arn': '{{lambda:orders}}',
      'UserPool.Arn': '{{userPoolArn}}',
    });
    expect(bound.found).toEqual([]);
    expect(bound.model!.operations[0].integration).toMatchObject({ uri: '{{lambda:orders}}', functionName: 'orders' });
    const unbound = await lint('api.yaml', root, { 'UserPool.Arn': '{{userPoolArn}}' });
    expect(unbound.found).toEqual([
      ['error', 'template-variable-unbound', '/paths/~1orders/get/x-amazon-apigateway-integration/uri'],
    ]);
    expect(unbound.problems[0].message).toContain(
      '(written in paths/orders.yaml#/get/x-amazon-apigateway-integration/uri)',
    );
  });
});

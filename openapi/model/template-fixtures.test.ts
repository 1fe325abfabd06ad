// Documents as teams keep them for their own deploy tool (openapi/fixtures/templates): a SAM DefinitionBody with
// short-form tags, a CloudFormation AWS::Include body with long-form intrinsics, Terraform templatefile
// documents in JSON and YAML; OpenAPI 2.0, 3.0 and 3.1. Each lints clean, unchanged, with the variables a
// project file would give, and yields the model written out here.
import * as path from 'node:path';
import { lintSpec } from '../index';
import type { ApiModel, Json } from './types';
import type { TemplateVariables } from './template-variables';

const TEMPLATES = path.resolve(__dirname, '..', 'fixtures', 'templates');

async function load(name: string, variables: TemplateVariables) {
  const { model, problems } = await lintSpec(path.join(TEMPLATES, name), { variables });
  return { model: model as ApiModel, found: problems.map((p) => [p.severity, p.rule, p.pointer]) };
}

/** Every string of the body: none may still hold a template reference or an intrinsic. */
function strings(value: Json): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}
const leftovers = (model: ApiModel) =>
  strings(model.body).filter((s) => /Fn::|\$\{(?!AWS::(Region|Partition|AccountId)\}|stageVariables\.)/.test(s));

const integrationOf = (model: ApiModel, pathKey: string, method: string) =>
  ((model.body.paths as Record<string, Record<string, Record<string, Json>>>)[pathKey][method][
    'x-amazon-apigateway-integration'
  ] ?? {}) as Record<string, Json>;

describe('SAM DefinitionBody (OpenAPI 3.0, YAML, !Sub / !GetAtt / !Ref)', () => {
  const variables = {
    'AWS::StackName': 'shop',
    'ListOrdersFunction.Arn': '{{lambda:listOrders}}',
    IntegrationTimeout: '10000',
    'CreateOrderFunction.Arn': '{{lambda:createOrder}}',
    InvoiceServiceUrl: '{{backend:invoices}}',
    'UserPool.Arn': '{{userPoolArn}}',
    'PartnerAuthorizerFunction.Arn': '{{lambda:partnerAuth}}',
  };

  it('lints clean (its scoped methods take access tokens, as they say) and models every operation', async () => {
    const { model, found } = await load('sam-orders.yaml', variables);
    expect(found).toEqual([
      ['warning', 'rest-scopes-need-access-token', '/paths/~1orders/get/security/0/CognitoAuth'],
      ['warning', 'rest-scopes-need-access-token', '/paths/~1orders/post/security/0/CognitoAuth'],
    ]);
    expect(model).toMatchObject({
      format: 'openapi-3.0',
      kind: 'rest',
      title: 'shop-orders',
      version: '2024-05-01',
      apiKeySource: 'HEADER',
      binaryMediaTypes: ['application/pdf'],
      scopes: ['orders/read', 'orders/write'],
    });
    expect(model.authorizers).toEqual({
      CognitoAuth: {
        kind: 'cognito_user_pools',
        name: 'CognitoAuth',
        pointer: '/components/securitySchemes/CognitoAuth',
        tokenHeader: 'authorization',
        providerArns: ['{{userPoolArn}}'],
      },
    });
    expect(model.lambdaAuthorizers).toEqual({
      PartnerToken: {
        kind: 'lambda',
        name: 'PartnerToken',
        pointer: '/components/securitySchemes/PartnerToken',
        type: 'token',
        uri: '{{lambda:partnerAuth}}',
        functionName: 'partnerAuth',
        identitySources: ['method.request.header.X-Partner-Token'],
        resultTtlSeconds: 0,
        simpleResponses: false,
      },
    });
    const bodyAndParams = { validator: 'body-and-params', body: true, parameters: true };
    expect(model.operations.map((o) => [o.id, o.auth, o.integration, o.requestValidation])).toEqual([
      [
        'listOrders',
        {
          kind: 'authorizer',
          authorizer: 'CognitoAuth',
          scopes: ['orders/read'],
          pointer: '/paths/~1orders/get/security/0/CognitoAuth',
        },
        { type: 'aws_proxy', uri: '{{lambda:listOrders}}', functionName: 'listOrders', payloadFormatVersion: '1.0' },
        bodyAndParams,
      ],
      [
        'createOrder',
        {
          kind: 'authorizer',
          authorizer: 'CognitoAuth',
          scopes: ['orders/write'],
          pointer: '/paths/~1orders/post/security/0/CognitoAuth',
        },
        { type: 'aws_proxy', uri: '{{lambda:createOrder}}', functionName: 'createOrder', payloadFormatVersion: '1.0' },
        bodyAndParams,
      ],
      [
        'getInvoice',
        {
          kind: 'lambda',
          authorizer: 'PartnerToken',
          pointer: '/paths/~1orders~1{orderId}~1invoice/get/security/0/PartnerToken',
          apiKeyRequired: true,
        },
        {
          type: 'http_proxy',
          uri: '{{backend:invoices}}/invoices/{orderId}',
          httpMethod: 'GET',
          requestParameters: { 'integration.request.path.orderId': 'method.request.path.orderId' },
        },
        { validator: 'params-only', body: false, parameters: true },
      ],
      ['health', { kind: 'public' }, expect.objectContaining({ type: 'mock' }), bodyAndParams],
    ]);
    expect(model.operations[1].requestBody).toEqual({
      contentType: 'application/json',
      required: true,
      example: { item: 'pet-food', quantity: 1 },
    });
    expect(integrationOf(model, '/orders', 'get').timeoutInMillis).toBe(10000);
    expect(leftovers(model)).toEqual([]);
  });

  it('without its variables: one error per unbound name, and none of what an unbound value causes', async () => {
    const { model, found } = await load('sam-orders.yaml', {});
    expect(model).toBeUndefined();
    // Not also "is neither a user pool ARN" or "is not an http(s) URL" for the same fields.
    expect(found).toEqual([
      ['error', 'template-variable-unbound', '/info/title'],
      ['error', 'template-variable-unbound', '/paths/~1orders/get/x-amazon-apigateway-integration/uri'],
      ['error', 'template-variable-unbound', '/paths/~1orders/get/x-amazon-apigateway-integration/timeoutInMillis'],
      ['error', 'template-variable-unbound', '/paths/~1orders/post/x-amazon-apigateway-integration/uri/Fn::Sub/1/Fn'],
      [
        'error',
        'template-variable-unbound',
        '/paths/~1orders~1{orderId}~1invoice/get/x-amazon-apigateway-integration/uri',
      ],
      [
        'error',
        'template-variable-unbound',
        '/components/securitySchemes/CognitoAuth/x-amazon-apigateway-authorizer/providerARNs/0',
      ],
      [
        'error',
        'template-variable-unbound',
        '/components/securitySchemes/PartnerToken/x-amazon-apigateway-authorizer/authorizerUri',
      ],
    ]);
  });
});

describe('CloudFormation AWS::Include body (Swagger 2.0, JSON, long-form intrinsics)', () => {
  it('lints clean and models the Cognito authorizer, the API key and the integrations', async () => {
    const { model, found } = await load('inventory-include.json', {
      'AWS::StackName': 'shop',
      'ItemsFunction.Arn': '{{lambda:items}}',
      WarehouseHost: 'warehouse.internal.example.com',
      'InventoryUserPool.Arn': '{{userPoolArn}}',
      AuthorizerCacheSeconds: '300',
    });
    expect(found).toEqual([['warning', 'rest-no-access-token-method', '/paths']]);
    expect(model).toMatchObject({
      format: 'swagger-2.0',
      kind: 'rest',
      title: 'shop-inventory',
      version: '3',
      apiKeySource: 'HEADER',
    });
    expect(model.authorizers.InventoryPool).toEqual({
      kind: 'cognito_user_pools',
      name: 'InventoryPool',
      pointer: '/securityDefinitions/InventoryPool',
      tokenHeader: 'authorization',
      providerArns: ['{{userPoolArn}}'],
      resultTtlSeconds: 300,
    });
    const pool = (extra: object, at: string) => ({
      kind: 'authorizer',
      authorizer: 'InventoryPool',
      scopes: [],
      pointer: `${at}/security/0/InventoryPool`,
      ...extra,
    });
    expect(model.operations.map((o) => [o.id, o.auth, o.integration])).toEqual([
      [
        'listItems',
        pool({}, '/paths/~1items/get'),
        { type: 'aws_proxy', uri: '{{lambda:items}}', functionName: 'items', payloadFormatVersion: '1.0' },
      ],
      [
        'addItem',
        pool({ apiKeyRequired: true }, '/paths/~1items/post'),
        { type: 'aws_proxy', uri: '{{lambda:items}}', functionName: 'items', payloadFormatVersion: '1.0' },
      ],
      [
        'getItem',
        pool({}, '/paths/~1items~1{sku}/get'),
        { type: 'http', uri: 'https://warehouse.internal.example.com/items/{sku}' },
      ],
    ]);
    expect(model.operations[1].requestBody).toEqual({
      contentType: 'application/json',
      required: true,
      example: { sku: 'sku-1' },
    });
    // The authorizer's TTL, a Ref, is a number in the body.
    const schemes = model.body.securityDefinitions as Record<string, Record<string, Record<string, Json>>>;
    expect(schemes.InventoryPool['x-amazon-apigateway-authorizer'].authorizerResultTtlInSeconds).toBe(300);
    expect(leftovers(model)).toEqual([]);
  });
});

describe('Terraform templatefile (OpenAPI 3.0, JSON, HTTP API)', () => {
  it('lints clean and models the jwt authorizer, IAM, the reusable integration and CORS', async () => {
    const { model, found } = await load('notes-http.json.tftpl', {
      api_name: 'notes',
      app_origin: 'https://notes.example.com',
      cors_max_age: '600',
      archive_url: '{{backend:archive}}',
      timeout_ms: '15000',
      notes_function_arn: '{{lambda:notes}}',
      max_note_length: '2000',
      jwt_issuer: '{{issuer}}',
      web_client_id: '{{clientId:web}}',
      cli_client_id: '{{clientId:cli}}',
    });
    expect(found).toEqual([]);
    expect(model).toMatchObject({
      format: 'openapi-3.0',
      kind: 'http',
      title: 'notes',
      scopes: ['notes/read', 'notes/write'],
    });
    expect(model.cors).toEqual({
      allowOrigins: ['https://notes.example.com'],
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['authorization', 'content-type'],
      exposeHeaders: [],
      maxAge: 600,
      allowCredentials: false,
    });
    expect(model.authorizers.NotesJwt).toEqual({
      kind: 'jwt',
      name: 'NotesJwt',
      pointer: '/components/securitySchemes/NotesJwt',
      tokenSource: { in: 'header', name: 'authorization' },
      tokenHeader: 'authorization',
      issuer: '{{issuer}}',
      audience: ['{{clientId:web}}', '{{clientId:cli}}'],
    });
    const notes = { type: 'aws_proxy', uri: '{{lambda:notes}}', functionName: 'notes', payloadFormatVersion: '2.0' };
    expect(model.operations.map((o) => [o.id, o.method, o.auth.kind, o.integration])).toEqual([
      ['listNotes', 'GET', 'authorizer', notes],
      ['addNote', 'POST', 'authorizer', notes],
      [
        'archive',
        'ANY',
        'iam',
        { type: 'http_proxy', uri: '{{backend:archive}}/{proxy}', httpMethod: 'ANY', requestParameters: {} },
      ],
      // $${...} in a template is a literal ${...}: the stage variable, resolved by API Gateway per request.
      [
        'status',
        'GET',
        'public',
        {
          type: 'http_proxy',
          uri: 'https://${stageVariables.statusHost}/status',
          httpMethod: 'GET',
          requestParameters: {},
        },
      ],
    ]);
    const components = model.body.components as Record<string, Record<string, Record<string, Json>>>;
    expect(components['x-amazon-apigateway-integrations'].notes.timeoutInMillis).toBe(15000);
    expect(components.schemas.Note).toMatchObject({ properties: { text: { maxLength: 2000 } } });
    expect(leftovers(model)).toEqual([]);
  });
});

describe('Terraform templatefile (OpenAPI 3.1, YAML, HTTP API)', () => {
  it('lints clean and models the Lambda request authorizer and the IAM route', async () => {
    const { model, found } = await load('reports-31.yaml.tftpl', {
      api_name: 'reports',
      api_version: '2',
      reports_invoke_arn: '{{lambda:reports}}',
      rebuild_timeout_ms: '30000',
      authorizer_invoke_arn: '{{lambda:reportsAuth}}',
      authorizer_ttl: '60',
      simple_responses: 'true',
    });
    expect(found).toEqual([]);
    expect(model).toMatchObject({
      format: 'openapi-3.1',
      kind: 'http',
      title: 'reports',
      version: '2',
      authorizers: {},
    });
    expect(model.lambdaAuthorizers).toEqual({
      ReportsAuthorizer: {
        kind: 'lambda',
        name: 'ReportsAuthorizer',
        pointer: '/components/securitySchemes/ReportsAuthorizer',
        type: 'request',
        uri: '{{lambda:reportsAuth}}',
        functionName: 'reportsAuth',
        identitySources: ['$request.header.Authorization', '$context.routeKey'],
        resultTtlSeconds: 60,
        payloadFormatVersion: '2.0',
        simpleResponses: true,
      },
    });
    expect(model.operations.map((o) => [o.id, o.auth, o.parameters])).toEqual([
      [
        'getReport',
        {
          kind: 'lambda',
          authorizer: 'ReportsAuthorizer',
          pointer: '/paths/~1reports~1{reportId}/get/security/0/ReportsAuthorizer',
        },
        [{ name: 'reportId', in: 'path', required: true, example: 'r-2024-05' }],
      ],
      ['rebuildReports', { kind: 'iam', pointer: '/paths/~1admin~1rebuild/post/x-amazon-apigateway-auth' }, []],
    ]);
    expect(integrationOf(model, '/admin/rebuild', 'post').timeoutInMillis).toBe(30000);
    expect(leftovers(model)).toEqual([]);
  });
});

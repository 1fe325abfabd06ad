// What API Gateway's import accepts, lint accepts: each case on a document written for it, with the AWS page
// that shows import taking it. A warning only where the result weakens security or surprises; the
// secure-by-default rule (no effective security and not `security: []`) stays an error.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintSpec } from '../index';
import type { LintResult } from './load';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-accepted-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let counter = 0;
async function lint(text: string, ext = 'yaml'): Promise<LintResult & { found: string[][] }> {
  const file = path.join(dir, `doc-${++counter}.${ext}`);
  fs.writeFileSync(file, text);
  const result = await lintSpec(file);
  return { ...result, found: result.problems.map((p) => [p.severity, p.rule, p.pointer]) };
}

const lines = (...l: string[]) => l.join('\n') + '\n';
const MOCK = `x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' } }`;
const COGNITO = (type = 'cognito_user_pools', arn = '{{userPoolArn}}') =>
  `{ type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authorizer: { type: ${type}, providerARNs: ["${arn}"] } }`;
/** One scoped operation, so the REST-only ID-token warning stays out of the way. */
const restDoc = (operation: string[], schemes: string[] = [`    CognitoAuth: ${COGNITO()}`], head = 'openapi: 3.0.3') =>
  lines(
    head,
    'info: { title: T, version: "1" }',
    'paths:',
    '  /pets:',
    '    get:',
    ...operation.map((l) => `      ${l}`),
    'components:',
    '  securitySchemes:',
    ...schemes,
  );

describe('accepted as API Gateway imports it', () => {
  it('`swagger: 2.0` written as a number; the body carries "2.0"', async () => {
    // Unquoted in YAML, 2.0 is a number. The body API Gateway imports says "2.0" either way.
    const { model, found } = await lint(
      lines(
        'swagger: 2.0',
        'info: { title: T, version: "1" }',
        'paths:',
        '  /pets:',
        '    get:',
        '      security: []',
        '      responses: { "200": { description: ok } }',
        `      ${MOCK}`,
      ),
    );
    expect(found).toEqual([]);
    expect(model).toMatchObject({ format: 'swagger-2.0', kind: 'rest' });
    expect(model!.body.swagger).toBe('2.0');
  });

  it('no info.version', async () => {
    // The x-amazon-apigateway-api-key-source page's OpenAPI 2.0 example: "info": { "title": "Test1" }
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-api-key-source.html).
    const { model, found } = await lint(
      lines(
        'openapi: 3.0.1',
        'info: { title: T }',
        'paths:',
        '  /pets:',
        '    get:',
        '      security: []',
        '      responses: { "200": { description: ok } }',
        `      ${MOCK}`,
      ),
    );
    expect(found).toEqual([]);
    expect(model!.version).toBe('0');
  });

  it('`responses: {}`, and no responses at all', async () => {
    // "responses": {} in the x-amazon-apigateway-any-method and authorizer examples and in "Configure a method to
    // use API keys with an OpenAPI definition"; none in the x-amazon-apigateway-integrations example
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-usage-plan-oas.html).
    for (const responses of ['responses: {}', '']) {
      const { model, found } = await lint(
        restDoc(['security: [{ CognitoAuth: [pets/read] }]', responses, MOCK].filter(Boolean)),
      );
      expect(found).toEqual([['warning', 'rest-scopes-need-access-token', '/paths/~1pets/get/security/0/CognitoAuth']]);
      expect(model!.operations[0].successStatus).toBe(200);
    }
  });

  it('upper-case authorizer, integration and passthrough types, read as AWS reads them', async () => {
    // AWS's own HTTP API examples write "type": "HTTP_PROXY" and "AWS_PROXY" ("Working with OpenAPI definitions
    // for HTTP APIs", https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html); the
    // REST API reference spells the types COGNITO_USER_POOLS, MOCK, HTTP, AWS; LocalStack's importer, checked
    // against AWS, upper-cases the authorizer type, the integration type and passthroughBehavior before use.
    const integration = (type: string, extra = '') =>
      `x-amazon-apigateway-integration: { type: ${type}, httpMethod: POST, uri: "https://backend.example.com/"${extra} }`;
    const { model, found } = await lint(
      lines(
        'openapi: 3.0.3',
        'info: { title: T, version: "1" }',
        'paths:',
        ...[
          [
            '/mock',
            `x-amazon-apigateway-integration: { type: MOCK, passthroughBehavior: WHEN_NO_MATCH, requestTemplates: { application/json: '{"statusCode": 200}' } }`,
          ],
          ['/http', integration('HTTP')],
          ['/proxy', integration('HTTP_PROXY')],
          ['/aws', integration('AWS')],
          ['/lambda', 'x-amazon-apigateway-integration: { type: AWS_PROXY, httpMethod: POST, uri: "{{lambda:pets}}" }'],
        ].flatMap(([p, i]) => [
          `  ${p}:`,
          '    get:',
          '      security: [{ CognitoAuth: [pets/read] }]',
          '      responses: { "200": { description: ok } }',
          `      ${i}`,
        ]),
        'components:',
        '  securitySchemes:',
        `    CognitoAuth: ${COGNITO('COGNITO_USER_POOLS')}`,
      ),
    );
    expect(found.filter((f) => f[0] === 'error')).toEqual([]);
    expect(model!.kind).toBe('rest');
    expect(model!.authorizers.CognitoAuth.kind).toBe('cognito_user_pools');
    expect(model!.operations.map((o) => o.integration.type)).toEqual([
      'mock',
      'http',
      'http_proxy',
      'aws',
      'aws_proxy',
    ]);
  });

  it('AWS import variables in providerARNs and integration URIs, kept for API Gateway to resolve', async () => {
    // "AWS variables for OpenAPI import": ${AWS::AccountId}, ${AWS::Partition}, ${AWS::Region}, resolved at import
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/import-api-aws-variables.html); stage variables
    // in an integration URI are resolved per request.
    const arn = 'arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${AWS::Region}_AbC123';
    const uri =
      'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:Pets/invocations';
    const { model, found } = await lint(
      lines(
        'openapi: 3.0.3',
        'info: { title: T, version: "1" }',
        'paths:',
        '  /pets:',
        '    get:',
        '      security: [{ CognitoAuth: [pets/read] }]',
        `      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: "${uri}" }`,
        '  /legacy:',
        '    get:',
        '      security: [{ CognitoAuth: [pets/read] }]',
        '      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: "https://${stageVariables.legacyHost}/pets" }',
        'components:',
        '  securitySchemes:',
        `    CognitoAuth: ${COGNITO('cognito_user_pools', arn)}`,
      ),
    );
    expect(found.filter((f) => f[0] === 'error')).toEqual([]);
    expect(model!.authorizers.CognitoAuth).toMatchObject({ providerArns: [arn] });
    expect(model!.operations.map((o) => (o.integration as { uri: string }).uri)).toEqual([
      uri,
      'https://${stageVariables.legacyHost}/pets',
    ]);
  });

  it('{{lambda:...}} in components.x-amazon-apigateway-integrations, referenced with $ref', async () => {
    // "x-amazon-apigateway-integrations object": integrations defined once in components and referenced with
    // "$ref": "#/components/x-amazon-apigateway-integrations/<name>"
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-extensions-integrations.html).
    const { model, found } = await lint(
      lines(
        'openapi: 3.0.1',
        'info: { title: T, version: "1" }',
        'paths:',
        '  /pets:',
        '    get:',
        '      security: [{ Jwt: [] }]',
        '      x-amazon-apigateway-integration: { $ref: "#/components/x-amazon-apigateway-integrations/pets" }',
        '  /toys:',
        '    get:',
        '      security: [{ Jwt: [] }]',
        '      x-amazon-apigateway-integration: { $ref: "#/components/x-amazon-apigateway-integrations/pets" }',
        'components:',
        '  x-amazon-apigateway-integrations:',
        '    pets: { type: aws_proxy, httpMethod: POST, uri: "{{lambda:pets}}", payloadFormatVersion: "2.0" }',
        '  securitySchemes:',
        '    Jwt:',
        '      type: oauth2',
        '      x-amazon-apigateway-authorizer:',
        '        type: jwt',
        '        jwtConfiguration: { issuer: "{{issuer}}", audience: ["{{clientId:web}}"] }',
      ),
    );
    expect(found).toEqual([]);
    expect(model!.kind).toBe('http');
    expect(model!.operations.map((o) => o.integration)).toEqual([
      { type: 'aws_proxy', uri: '{{lambda:pets}}', functionName: 'pets', payloadFormatVersion: '2.0' },
      { type: 'aws_proxy', uri: '{{lambda:pets}}', functionName: 'pets', payloadFormatVersion: '2.0' },
    ]);
    expect(model!.placeholders.map((p) => p.pointer)).toContain(
      '/components/x-amazon-apigateway-integrations/pets/uri',
    );
    // The $ref stays in the body: API Gateway resolves it.
    expect(model!.body.paths).toMatchObject({
      '/pets': {
        get: { 'x-amazon-apigateway-integration': { $ref: '#/components/x-amazon-apigateway-integrations/pets' } },
      },
    });
  });

  it('a jwt authorizer reading the token from the query string, on an oauth2 scheme without flows', async () => {
    // apigatewayv2 Authorizer.identitySource: "For JWT, a single entry ... Currently only header-based and query
    // parameter-based selections are supported" (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-authorizers.html);
    // the x-amazon-apigateway-authorizer page's HTTP API example is an oauth2 scheme without flows.
    const { model, found } = await lint(
      lines(
        'openapi: 3.0.1',
        'info: { title: T, version: "1" }',
        'paths:',
        '  /stream:',
        '    get:',
        '      security: [{ Jwt: [] }]',
        '      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: GET, uri: "https://backend.example.com/stream", payloadFormatVersion: 1.0 }',
        'components:',
        '  securitySchemes:',
        '    Jwt:',
        '      type: oauth2',
        '      x-amazon-apigateway-authorizer:',
        '        type: jwt',
        '        identitySource: $request.querystring.access_token',
        '        jwtConfiguration: { issuer: "{{issuer}}", audience: ["{{clientId:web}}"] }',
      ),
    );
    expect(found).toEqual([]);
    expect(model!.authorizers.Jwt).toMatchObject({
      kind: 'jwt',
      tokenSource: { in: 'querystring', name: 'access_token' },
      tokenHeader: '',
    });
  });

  it('a jwt issuer found from openIdConnectUrl, and payloadFormatVersion written as a number', async () => {
    // The authorizer page's second HTTP API example "uses the OpenAPI openIdConnectUrl property to automatically
    // detect the issuer"; "payloadFormatVersion": 1.0 (a number) in "Working with OpenAPI definitions for HTTP APIs".
    const { model, found } = await lint(
      lines(
        '{',
        '  "openapi": "3.0.1",',
        '  "info": { "title": "T", "version": "1" },',
        '  "paths": { "/hello": { "get": {',
        '    "security": [{ "Oidc": [] }],',
        '    "x-amazon-apigateway-integration": { "type": "AWS_PROXY", "httpMethod": "POST", "uri": "{{lambda:hello}}", "payloadFormatVersion": 1.0 }',
        '  } } },',
        '  "components": { "securitySchemes": { "Oidc": {',
        '    "type": "openIdConnect",',
        '    "openIdConnectUrl": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/openid-configuration",',
        '    "x-amazon-apigateway-authorizer": { "type": "jwt", "jwtConfiguration": { "audience": ["{{clientId:web}}"] }, "identitySource": "$request.header.Authorization" }',
        '  } } }',
        '}',
      ),
      'json',
    );
    expect(found).toEqual([
      [
        'warning',
        'jwt-issuer-not-module-pool',
        '/components/securitySchemes/Oidc/x-amazon-apigateway-authorizer/jwtConfiguration/issuer',
      ],
    ]);
    expect(model!.authorizers.Oidc).toMatchObject({
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
    });
    expect(model!.operations[0].integration).toMatchObject({ type: 'aws_proxy', payloadFormatVersion: '1.0' });
  });

  it('x-amazon-apigateway-gateway-responses on an HTTP API: ignored by AWS, so a warning', async () => {
    // "Custom gateway responses": REST API only ("Choose between REST APIs and HTTP APIs",
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html); import ignores it.
    const { model, found } = await lint(
      lines(
        'openapi: 3.0.1',
        'info: { title: T, version: "1" }',
        'x-amazon-apigateway-importexport-version: "1.0"',
        'x-amazon-apigateway-gateway-responses: { UNAUTHORIZED: { statusCode: 401 } }',
        'paths:',
        '  /hello:',
        '    get:',
        '      security: []',
        '      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: "{{lambda:hello}}", payloadFormatVersion: "2.0" }',
      ),
    );
    expect(found).toEqual([['warning', 'gateway-responses-on-http-api', '/x-amazon-apigateway-gateway-responses']]);
    expect(model!.gatewayResponses).toEqual({});
  });
});

describe('IAM, Lambda authorizers and API keys: their own auth kinds', () => {
  it('IAM from x-amazon-apigateway-authtype: awsSigv4, on REST and HTTP APIs, and from x-amazon-apigateway-auth', async () => {
    // "x-amazon-apigateway-authtype property": "define IAM authorization across several operations that share the
    // same security scheme ... awsSigv4" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authtype.html);
    // "x-amazon-apigateway-auth object": "Specify AWS_IAM to use IAM permissions. Values are case insensitive"
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-auth.html).
    const sigv4 =
      '    Sigv4: { type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4 }';
    const rest = await lint(
      restDoc(['security: [{ Sigv4: [] }]', 'responses: { default: { description: ok } }', MOCK], [sigv4]),
    );
    expect(rest.found).toEqual([]);
    expect(rest.model!.operations[0].auth).toEqual({
      kind: 'iam',
      scheme: 'Sigv4',
      pointer: '/paths/~1pets/get/security/0/Sigv4',
    });
    const http = await lint(
      lines(
        'openapi: 3.0.1',
        'info: { title: T, version: "1" }',
        'x-amazon-apigateway-importexport-version: "1.0"',
        'paths:',
        '  /signed:',
        '    get:',
        '      security: [{ Sigv4: [] }]',
        '      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: "{{lambda:hello}}", payloadFormatVersion: "2.0" }',
        '  /also-signed:',
        '    get:',
        '      x-amazon-apigateway-auth: { type: aws_iam }',
        '      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: "{{lambda:hello}}", payloadFormatVersion: "2.0" }',
        'components:',
        '  securitySchemes:',
        sigv4,
      ),
    );
    expect(http.found).toEqual([]);
    expect(http.model!.kind).toBe('http');
    expect(http.model!.operations.map((o) => o.auth)).toEqual([
      { kind: 'iam', scheme: 'Sigv4', pointer: '/paths/~1signed/get/security/0/Sigv4' },
      { kind: 'iam', pointer: '/paths/~1also-signed/get/x-amazon-apigateway-auth' },
    ]);
  });

  it('REST Lambda authorizers, token and request, into model.lambdaAuthorizers', async () => {
    // The x-amazon-apigateway-authorizer page's REST examples: a token authorizer on an apiKey scheme naming the
    // header, and a request authorizer with "method.request.header.HeaderAuth1, method.request.querystring.QueryString1".
    const { model, found } = await lint(
      lines(
        'openapi: 3.0.3',
        'info: { title: T, version: "1" }',
        'paths:',
        '  /token:',
        '    get:',
        '      security: [{ TokenAuth: [] }]',
        `      ${MOCK}`,
        '  /request:',
        '    get:',
        '      security: [{ RequestAuth: [] }]',
        `      ${MOCK}`,
        'components:',
        '  securitySchemes:',
        '    TokenAuth:',
        '      type: apiKey',
        '      name: X-Token',
        '      in: header',
        '      x-amazon-apigateway-authtype: oauth2',
        '      x-amazon-apigateway-authorizer:',
        '        type: token',
        '        authorizerUri: "{{lambda:tokenAuth}}"',
        '        identityValidationExpression: "^Bearer [-0-9a-zA-Z._]*$"',
        '        authorizerResultTtlInSeconds: 60',
        '    RequestAuth:',
        '      type: apiKey',
        '      name: Unused',
        '      in: header',
        '      x-amazon-apigateway-authtype: custom',
        '      x-amazon-apigateway-authorizer:',
        '        type: request',
        '        authorizerUri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:auth/invocations',
        '        authorizerCredentials: arn:aws:iam::123456789012:role/invoke-authorizer',
        '        identitySource: "method.request.header.HeaderAuth1, method.request.querystring.QueryString1"',
      ),
    );
    expect(found).toEqual([]);
    expect(model!.kind).toBe('rest');
    expect(model!.authorizers).toEqual({});
    expect(model!.lambdaAuthorizers).toEqual({
      TokenAuth: {
        kind: 'lambda',
        name: 'TokenAuth',
        pointer: '/components/securitySchemes/TokenAuth',
        type: 'token',
        uri: '{{lambda:tokenAuth}}',
        functionName: 'tokenAuth',
        identitySources: ['method.request.header.X-Token'],
        identityValidationExpression: '^Bearer [-0-9a-zA-Z._]*$',
        resultTtlSeconds: 60,
        payloadFormatVersion: undefined,
        simpleResponses: false,
        credentials: undefined,
      },
      RequestAuth: {
        kind: 'lambda',
        name: 'RequestAuth',
        pointer: '/components/securitySchemes/RequestAuth',
        type: 'request',
        uri: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:auth/invocations',
        functionName: undefined,
        identitySources: ['method.request.header.HeaderAuth1', 'method.request.querystring.QueryString1'],
        identityValidationExpression: undefined,
        resultTtlSeconds: 300,
        payloadFormatVersion: undefined,
        simpleResponses: false,
        credentials: 'arn:aws:iam::123456789012:role/invoke-authorizer',
      },
    });
    expect(model!.operations.map((o) => o.auth)).toEqual([
      { kind: 'lambda', authorizer: 'TokenAuth', pointer: '/paths/~1token/get/security/0/TokenAuth' },
      { kind: 'lambda', authorizer: 'RequestAuth', pointer: '/paths/~1request/get/security/0/RequestAuth' },
    ]);
  });

  it('an HTTP API Lambda authorizer with payload 2.0 and simple responses; scopes on it are ignored, so a warning', async () => {
    // The authorizer page's HTTP API Lambda example: type request, identitySource $request.header.Authorization,
    // authorizerPayloadFormatVersion "2.0", enableSimpleResponses true.
    const { model, found } = await lint(
      lines(
        'openapi: 3.0.1',
        'info: { title: T, version: "1" }',
        'paths:',
        '  /hello:',
        '    get:',
        '      security: [{ LambdaAuth: [hello/read] }]',
        '      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: "{{lambda:hello}}", payloadFormatVersion: "2.0" }',
        'components:',
        '  securitySchemes:',
        '    LambdaAuth:',
        '      type: apiKey',
        '      name: Authorization',
        '      in: header',
        '      x-amazon-apigateway-authorizer:',
        '        type: request',
        '        identitySource: $request.header.Authorization',
        '        authorizerUri: "{{lambda:auth}}"',
        '        authorizerPayloadFormatVersion: "2.0"',
        '        authorizerResultTtlInSeconds: 300',
        '        enableSimpleResponses: true',
      ),
    );
    expect(found).toEqual([['warning', 'scopes-ignored', '/paths/~1hello/get/security/0/LambdaAuth']]);
    expect(model!.kind).toBe('http');
    expect(model!.lambdaAuthorizers.LambdaAuth).toMatchObject({
      type: 'request',
      functionName: 'auth',
      identitySources: ['$request.header.Authorization'],
      payloadFormatVersion: '2.0',
      simpleResponses: true,
    });
    expect(model!.placeholders.map((p) => p.pointer)).toContain(
      '/components/securitySchemes/LambdaAuth/x-amazon-apigateway-authorizer/authorizerUri',
    );
  });

  it('API keys: the api_key scheme alone (a warning: keys do not authorize) and beside an authorizer', async () => {
    // "Configure a method to use API keys with an OpenAPI definition": security [{ api_key: [] }] with api_key an
    // apiKey scheme named x-api-key in header; "Don't use API keys for authentication or authorization"
    // ("Usage plans and API keys for REST APIs").
    const { model, found } = await lint(
      lines(
        'swagger: "2.0"',
        'info: { title: keys-api, version: "1" }',
        'x-amazon-apigateway-api-key-source: header',
        'paths:',
        '  /pets:',
        '    get:',
        '      security: [{ api_key: [] }]',
        '      responses: {}',
        `      ${MOCK}`,
        '    post:',
        '      security: [{ CognitoAuth: [pets/write], api_key: [] }]',
        '      responses: {}',
        `      ${MOCK}`,
        'securityDefinitions:',
        '  api_key: { type: apiKey, name: x-api-key, in: header }',
        `  CognitoAuth: ${COGNITO()}`,
      ),
    );
    expect(found).toEqual([
      ['warning', 'api-key-only', '/paths/~1pets/get/security/0/api_key'],
      ['warning', 'rest-scopes-need-access-token', '/paths/~1pets/post/security/0/CognitoAuth'],
    ]);
    expect(model!.apiKeySource).toBe('HEADER');
    expect(model!.operations.map((o) => o.auth)).toEqual([
      { kind: 'api_key', scheme: 'api_key', pointer: '/paths/~1pets/get/security/0/api_key' },
      {
        kind: 'authorizer',
        authorizer: 'CognitoAuth',
        scopes: ['pets/write'],
        pointer: '/paths/~1pets/post/security/0/CognitoAuth',
        apiKeyRequired: true,
      },
    ]);
  });

  it('an API key source of AUTHORIZER warns where no Lambda authorizer supplies the key', async () => {
    // "AUTHORIZER for receiving the API key from the UsageIdentifierKey from a Lambda authorizer".
    const { found } = await lint(
      restDoc(
        ['security: [{ CognitoAuth: [pets/read], api_key: [] }]', MOCK],
        [`    CognitoAuth: ${COGNITO()}`, '    api_key: { type: apiKey, name: X-API-Key, in: header }'],
        'openapi: 3.0.3\nx-amazon-apigateway-api-key-source: AUTHORIZER',
      ),
    );
    expect(found).toContainEqual(['warning', 'api-key-source-authorizer', '/paths/~1pets/get/security/0/CognitoAuth']);
  });

  it('refuses an HTTP API operation secured by an API key alone: HTTP APIs have no API keys', async () => {
    const { model, found } = await lint(
      lines(
        'openapi: 3.0.1',
        'info: { title: T, version: "1" }',
        'x-amazon-apigateway-importexport-version: "1.0"',
        'paths:',
        '  /hello:',
        '    get:',
        '      security: [{ api_key: [] }]',
        '      x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, uri: "{{lambda:hello}}", payloadFormatVersion: "2.0" }',
        'components:',
        '  securitySchemes:',
        '    api_key: { type: apiKey, name: x-api-key, in: header }',
      ),
    );
    expect(model).toBeUndefined();
    expect(found).toEqual([['error', 'api-key-on-http-api', '/paths/~1hello/get/security/0/api_key']]);
  });

  it('still refuses an operation with no effective security that is not public on purpose', async () => {
    // x-amazon-apigateway-auth NONE opens the method to API Gateway; gatehouse asks for security: [] instead.
    const { found } = await lint(restDoc(['x-amazon-apigateway-auth: { type: NONE }', MOCK]));
    expect(found).toEqual([['error', 'security-missing', '/paths/~1pets/get']]);
  });
});

describe('extensions: carried into the body unchanged, in the model where they change the outcome', () => {
  const extensions = {
    'x-amazon-apigateway-request-validators': {
      all: { validateRequestBody: true, validateRequestParameters: true },
      'params-only': { validateRequestBody: false, validateRequestParameters: true },
    },
    'x-amazon-apigateway-request-validator': 'all',
    'x-amazon-apigateway-binary-media-types': ['application/octet-stream', 'image/*'],
    'x-amazon-apigateway-api-key-source': 'HEADER',
    'x-amazon-apigateway-minimum-compression-size': 1024,
    'x-amazon-apigateway-endpoint-configuration': { disableExecuteApiEndpoint: true },
    'x-amazon-apigateway-policy': {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: ['execute-api:/*'] }],
    },
    'x-amazon-apigateway-tag-value': 'pets',
    'x-amazon-apigateway-documentation': {
      version: '1',
      documentationParts: [{ location: { type: 'API' }, properties: { description: 'Pets' } }],
    },
  };

  it('REST: request validators per operation, binary media types, the any method', async () => {
    // "x-amazon-apigateway-request-validator": "The API-level validator applies to all of the methods unless it is
    // overridden by the method-level validator" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-request-validator.html).
    const doc = {
      openapi: '3.0.3',
      info: { title: 'T', version: '1' },
      ...extensions,
      paths: {
        '/pets': {
          post: {
            security: [{ CognitoAuth: ['pets/write'] }],
            'x-amazon-apigateway-request-validator': 'params-only',
            'x-amazon-apigateway-integration': {
              type: 'mock',
              requestTemplates: { 'application/json': '{"statusCode": 200}' },
            },
          },
          'x-amazon-apigateway-any-method': {
            security: [{ CognitoAuth: ['pets/write'] }],
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'ANY',
              uri: 'https://backend.example.com/pets',
            },
          },
        },
      },
      components: {
        securitySchemes: {
          CognitoAuth: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['{{userPoolArn}}'] },
          },
        },
      },
    };
    const { model, found } = await lint(JSON.stringify(doc, null, 2), 'json');
    expect(found.filter(([, rule]) => rule !== 'rest-scopes-need-access-token')).toEqual([]);
    expect(model!.operations.map((o) => [o.method, o.requestValidation])).toEqual([
      ['POST', { validator: 'params-only', body: false, parameters: true }],
      ['ANY', { validator: 'all', body: true, parameters: true }],
    ]);
    expect(model!.binaryMediaTypes).toEqual(['application/octet-stream', 'image/*']);
    expect(model!.apiKeySource).toBe('HEADER');
    for (const [key, value] of Object.entries(extensions)) expect([key, model!.body[key]]).toEqual([key, value]);
  });

  it('REST: a request validator that is not defined is refused, naming the defined ones', async () => {
    const { found, problems } = await lint(
      restDoc(
        ['security: [{ CognitoAuth: [pets/read] }]', 'x-amazon-apigateway-request-validator: strict', MOCK],
        undefined,
        'openapi: 3.0.3\nx-amazon-apigateway-request-validators: { basic: { validateRequestBody: true } }',
      ),
    );
    expect(found).toEqual([
      ['error', 'request-validator-unknown', '/paths/~1pets/get/x-amazon-apigateway-request-validator'],
      ['warning', 'rest-scopes-need-access-token', '/paths/~1pets/get/security/0/CognitoAuth'],
    ]);
    expect(problems[0].message).toContain('(defined: basic)');
  });

  it('HTTP API: REST-only extensions are carried but warned of where ignoring them weakens or surprises', async () => {
    const doc = {
      openapi: '3.0.1',
      info: { title: 'T', version: '1' },
      'x-amazon-apigateway-importexport-version': '1.0',
      ...extensions,
      'x-amazon-apigateway-cors': { allowOrigins: ['https://app.example.com'], allowMethods: ['GET'] },
      paths: {
        '/hello': {
          get: {
            security: [],
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri: '{{lambda:hello}}',
              payloadFormatVersion: '2.0',
            },
          },
        },
      },
    };
    const { model, found } = await lint(JSON.stringify(doc), 'json');
    expect(found).toEqual([
      ['warning', 'minimum-compression-size-on-http-api', '/x-amazon-apigateway-minimum-compression-size'],
      ['warning', 'policy-on-http-api', '/x-amazon-apigateway-policy'],
      ['warning', 'api-key-source-on-http-api', '/x-amazon-apigateway-api-key-source'],
      ['warning', 'binary-media-types-on-http-api', '/x-amazon-apigateway-binary-media-types'],
      ['warning', 'request-validators-on-http-api', '/x-amazon-apigateway-request-validators'],
    ]);
    expect(model!.binaryMediaTypes).toEqual([]);
    expect(model!.operations[0].requestValidation).toBeUndefined();
    expect(model!.cors).toMatchObject({ allowOrigins: ['https://app.example.com'] });
    for (const [key, value] of Object.entries(extensions)) expect([key, model!.body[key]]).toEqual([key, value]);
  });
});

// Documents lint used to pass with exit 0 although API Gateway (or HTTP) refuses them, each now an error with
// its pointer and fix; and the near misses that stay accepted. Evidence per case is cited beside it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintSpec } from './load';
import { MAX_MAPPING_TEMPLATE_BYTES } from './aws-refusals';
import type { JsonObject } from './types';
import type { SpecProblem } from './problems';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-refusals-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const MOCK = {
  type: 'mock',
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  responses: { default: { statusCode: '200' } },
};

function operation(id: string, extra: JsonObject = {}): JsonObject {
  return {
    operationId: id,
    security: [],
    responses: { '200': { description: 'ok' } },
    'x-amazon-apigateway-integration': MOCK,
    ...extra,
  };
}

/** An HTTP API has no mock integrations: its operations call a Lambda function. */
function httpOperation(id: string, extra: JsonObject = {}): JsonObject {
  return operation(id, {
    'x-amazon-apigateway-integration': {
      type: 'aws_proxy',
      httpMethod: 'POST',
      uri: '{{lambda:pets}}',
      payloadFormatVersion: '2.0',
    },
    ...extra,
  });
}

const HTTP_SCHEMES = {
  securitySchemes: {
    Jwt: {
      type: 'oauth2',
      flows: {},
      'x-amazon-apigateway-authorizer': {
        type: 'jwt',
        identitySource: '$request.header.Authorization',
        jwtConfiguration: { issuer: '{{issuer}}', audience: ['{{clientId:web}}'] },
      },
    },
  },
};

function lint(paths: JsonObject, top: JsonObject = {}, name = 'doc.json'): Promise<{ problems: SpecProblem[] }> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ openapi: '3.0.3', info: { title: 'T', version: '1' }, paths, ...top }));
  return lintSpec(file);
}

function errors(problems: SpecProblem[]): SpecProblem[] {
  return problems.filter((p) => p.severity === 'error');
}

describe('mapping template size', () => {
  // "Quotas for configuring and running a REST API in API Gateway"
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html):
  // "Maximum mapping template size | 300 KB | No" (cannot be increased).
  const withTemplate = (bytes: number) =>
    operation('big', {
      'x-amazon-apigateway-integration': { ...MOCK, requestTemplates: { 'application/json': 'x'.repeat(bytes) } },
    });

  test('a REST mapping template over 300 KB is an error at the template', async () => {
    const { problems } = await lint({ '/pets': { get: withTemplate(MAX_MAPPING_TEMPLATE_BYTES + 1) } });
    expect(errors(problems)).toEqual([
      expect.objectContaining({
        rule: 'mapping-template-size',
        pointer: '/paths/~1pets/get/x-amazon-apigateway-integration/requestTemplates/application~1json',
        message: expect.stringContaining('300 KB'),
      }),
    ]);
  });

  test('a template of exactly 300 KB passes', async () => {
    const { problems } = await lint({ '/pets': { get: withTemplate(MAX_MAPPING_TEMPLATE_BYTES) } });
    expect(errors(problems)).toEqual([]);
  });
});

test('a header parameter with an empty name is an error at its name', async () => {
  // An HTTP field name is a token, one or more tchar (RFC 9110 §5.1), so no request carries a header named "";
  // what API Gateway import says of it is unverified, so the rule rests on HTTP alone.
  const { problems } = await lint({
    '/pets': { get: operation('list', { parameters: [{ name: '', in: 'header', schema: { type: 'string' } }] }) },
  });
  expect(errors(problems)).toEqual([
    expect.objectContaining({ rule: 'parameter-name-empty', pointer: '/paths/~1pets/get/parameters/0/name' }),
  ]);
});

test.each(['rest', 'http'])(
  '%s: a query string in a path key is an error naming the query parameters to declare',
  async (kind) => {
    // RFC 3986 §3.3-3.4: the path ends at the first "?", so a request path never holds one. REST: CreateResource
    // allows only "a-zA-Z0-9._-:" in a path part (the message cited in lint.test.ts). HTTP: by RFC 3986 alone.
    const { problems } = await lint(
      { '/pets?kind=cat': { get: kind === 'http' ? httpOperation('list') : operation('list') } },
      kind === 'http' ? { components: HTTP_SCHEMES } : {},
    );
    expect(errors(problems)).toEqual([
      expect.objectContaining({
        rule: 'path-query-string',
        pointer: '/paths/~1pets?kind=cat',
        fix: expect.stringContaining('"kind"'),
      }),
    ]);
  },
);

test('$ref "#" (the whole document) is an error at the $ref', async () => {
  // Unverified against AWS: the adversarial run found it accepted with exit 0. "#" names the OpenAPI
  // document itself, which holds the $ref: no schema or path item can be that value.
  const { problems } = await lint(
    { '/pets': { get: operation('list') } },
    { components: { schemas: { Pet: { $ref: '#' } } } },
  );
  expect(errors(problems)).toEqual([
    expect.objectContaining({ rule: 'ref-whole-document', pointer: '/components/schemas/Pet/$ref' }),
  ]);
});

test('a path item that $refs itself (which yielded 0 operations, silently) is an error at the $ref', async () => {
  const { problems } = await lint({ '/pets': { $ref: '#/paths/~1pets' }, '/cats': { get: operation('cats') } });
  expect(errors(problems)).toEqual([expect.objectContaining({ rule: 'ref-self', pointer: '/paths/~1pets/$ref' })]);
});

test('two $ref objects that name each other are an error at the first', async () => {
  const { problems } = await lint(
    { '/pets': { get: operation('list') } },
    { components: { schemas: { A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } } } },
  );
  expect(errors(problems).map((p) => [p.rule, p.pointer])).toEqual([
    ['ref-self', '/components/schemas/A/$ref'],
    ['ref-self', '/components/schemas/B/$ref'],
  ]);
});

test('a recursive schema (a property naming its own schema) stays accepted', async () => {
  const node = { type: 'object', properties: { child: { $ref: '#/components/schemas/Node' } } };
  const { problems } = await lint({ '/pets': { get: operation('list') } }, { components: { schemas: { Node: node } } });
  expect(errors(problems)).toEqual([]);
});

test('a key written twice in a JSON document is an error with its line, as YAML already is', async () => {
  const file = path.join(dir, 'dup.json');
  const text = `{"openapi": "3.0.3", "info": {"title": "T", "version": "1"},\n "paths": {"/pets": ${JSON.stringify({ get: operation('a') })},\n  "/pets": ${JSON.stringify({ get: operation('b') })}}}`;
  fs.writeFileSync(file, text);
  const { problems } = await lintSpec(file);
  expect(errors(problems)).toEqual([
    expect.objectContaining({
      rule: 'document-syntax',
      message: expect.stringContaining('"/pets" is written twice in the object at /paths'),
      fix: expect.stringContaining('line 3'),
    }),
  ]);
});

describe('routes API Gateway cannot tell apart, and the ones it can', () => {
  // Trailing slash: API Gateway routes /pets/ as /pets (rule path-same-resource, evidence in lint.test.ts).
  test('/pets secured and /pets/ public is an error naming both pointers', async () => {
    const secured = httpOperation('secured', { security: [{ Jwt: [] }] });
    const { problems } = await lint(
      { '/pets': { get: secured }, '/pets/': { get: httpOperation('open') } },
      { components: HTTP_SCHEMES },
    );
    expect(errors(problems)).toEqual([
      expect.objectContaining({
        rule: 'path-same-resource',
        pointer: '/paths/~1pets~1',
        message: expect.stringContaining('/paths/~1pets'),
      }),
    ]);
  });

  // Case: resource paths are case-sensitive, so /pets and /Pets are two resources. Evidence (no AWS page says it
  // in so many words, so this rests on practice): serverless/serverless#11956 reports API Gateway serving both
  // /Path and /path as separate resources. The local route table is case-sensitive too (route-collisions.test.ts).
  test('/pets and /Pets are two resources: no route error', async () => {
    const { problems } = await lint({ '/pets': { get: operation('lower') }, '/Pets': { get: operation('upper') } });
    expect(errors(problems)).toEqual([]);
  });

  // REST: "A sibling ({id}) of this resource already has a variable path part -- only one is allowed".
  test('REST: /pets/{id} and /pets/{petId} are an error naming both paths', async () => {
    const param = (name: string) => ({
      parameters: [{ name, in: 'path', required: true, schema: { type: 'string' } }],
    });
    const { problems } = await lint({
      '/pets/{id}': { get: operation('byId', param('id')) },
      '/pets/{petId}': { delete: operation('remove', param('petId')) },
    });
    expect(errors(problems)).toEqual([
      expect.objectContaining({
        rule: 'path-variable-sibling',
        pointer: '/paths/~1pets~1{petId}',
        message: expect.stringContaining('/pets/{id}'),
      }),
    ]);
  });
});

describe('identityValidationExpression is checked as the Java regex API Gateway compiles', () => {
  const withExpression = (expression: string) => ({
    components: {
      securitySchemes: {
        CognitoAuth: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'cognito_user_pools',
          'x-amazon-apigateway-authorizer': {
            type: 'cognito_user_pools',
            providerARNs: ['{{userPoolArn}}'],
            identityValidationExpression: expression,
          },
        },
      },
    },
  });
  const secured = { '/pets': { get: operation('list', { security: [{ CognitoAuth: [] }] }) } };

  test('(?i)^…$ and \\A…\\z, valid Java, are accepted (JavaScript refused the first)', async () => {
    for (const expression of ['(?i)^{{clientId:web}}$', '\\A{{clientId:web}}\\z'])
      expect(errors((await lint(secured, withExpression(expression))).problems)).toEqual([]);
  });

  test('a possessive quantifier is refused with why and the fix', async () => {
    const { problems } = await lint(secured, withExpression('^[a-z0-9]++$'));
    expect(errors(problems)).toEqual([
      expect.objectContaining({
        rule: 'authorizer-validation-regex',
        pointer: '/components/securitySchemes/CognitoAuth/x-amazon-apigateway-authorizer/identityValidationExpression',
        message: expect.stringContaining('possessive'),
      }),
    ]);
  });
});

// The model of each example document and each fixture, field by field: what every other part of gatehouse
// (module, local stack, harness) reads instead of the document.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import YAML from 'yaml';
import { canonicalJson, lintSpec, loadApiModel } from '../index';
import type { ApiModel, Json, MockIntegration } from './types';
import type { components as PetsComponents, operations as PetsOperations } from '../types/pets';

const OPENAPI = path.resolve(__dirname, '..');
const PETS = path.join(OPENAPI, 'pets.yaml');
const HELLO = path.join(OPENAPI, 'hello-http.yaml');
const FIXTURES = path.join(OPENAPI, 'fixtures');

// Typed by the generated types: if the document's schemas change so these bodies no longer fit, tsc fails.
const createPetBody: PetsComponents['schemas']['NewPet'] = { type: 'dog', price: 99.5 };
const purchaseBody: PetsOperations['purchasePet']['requestBody']['content']['application/json'] = { petId: 1 };

function mock(status: number, template: string): MockIntegration {
  return {
    type: 'mock',
    requestTemplates: { 'application/json': `{"statusCode": ${status}}` },
    responses: [
      {
        selectionPattern: 'default',
        statusCode: status,
        responseTemplates: { 'application/json': template },
        responseParameters: {},
      },
    ],
    passthroughBehavior: 'when_no_match',
  };
}

function withoutBody(model: ApiModel): Omit<ApiModel, 'body' | 'bodyHash'> {
  const { body: _body, bodyHash: _hash, ...rest } = model;
  return rest;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-model-'));
}

describe('pets.yaml (REST API)', () => {
  let model: ApiModel;
  beforeAll(async () => {
    model = await loadApiModel(PETS);
  });

  it('models every operation, authorizer, gateway response and placeholder exactly', () => {
    const S = '/components/securitySchemes';
    expect(withoutBody(model)).toEqual({
      file: PETS,
      format: 'openapi-3.0',
      kind: 'rest',
      title: 'Pets',
      version: '1.0.0',
      authorizers: {
        CognitoAuth: {
          kind: 'cognito_user_pools',
          name: 'CognitoAuth',
          pointer: `${S}/CognitoAuth`,
          tokenHeader: 'authorization',
          providerArns: ['{{userPoolArn}}'],
        },
        PetsHeaderAuth: {
          kind: 'cognito_user_pools',
          name: 'PetsHeaderAuth',
          pointer: `${S}/PetsHeaderAuth`,
          tokenHeader: 'x-pets-token',
          identityValidationExpression: '^{{clientId:web}}$',
          providerArns: ['{{userPoolArn}}'],
        },
      },
      lambdaAuthorizers: {},
      binaryMediaTypes: [],
      operations: [
        {
          id: 'listPets',
          operationId: 'listPets',
          method: 'GET',
          path: '/pets',
          pointer: '/paths/~1pets/get',
          auth: {
            kind: 'authorizer',
            authorizer: 'CognitoAuth',
            scopes: [],
            pointer: '/paths/~1pets/get/security/0/CognitoAuth',
          },
          successStatus: 200,
          parameters: [{ name: 'type', in: 'query', required: false, example: 'dog' }],
          integration: mock(
            200,
            '[{"id": 1, "type": "dog", "price": 249.99}, {"id": 2, "type": "cat", "price": 124.99}]',
          ),
        },
        {
          id: 'createPet',
          operationId: 'createPet',
          method: 'POST',
          path: '/pets',
          pointer: '/paths/~1pets/post',
          auth: {
            kind: 'authorizer',
            authorizer: 'CognitoAuth',
            scopes: [],
            pointer: '/paths/~1pets/post/security/0/CognitoAuth',
          },
          successStatus: 201,
          parameters: [],
          requestBody: { contentType: 'application/json', required: true, example: createPetBody },
          integration: mock(201, '{"message": "created", "requestId": "$context.requestId"}'),
        },
        {
          id: 'getPet',
          operationId: 'getPet',
          method: 'GET',
          path: '/pets/{petId}',
          pointer: '/paths/~1pets~1{petId}/get',
          auth: {
            kind: 'authorizer',
            authorizer: 'PetsHeaderAuth',
            scopes: [],
            pointer: '/paths/~1pets~1{petId}/get/security/0/PetsHeaderAuth',
          },
          successStatus: 200,
          parameters: [{ name: 'petId', in: 'path', required: true, example: '1' }],
          integration: mock(200, '{"id": 1, "type": "dog", "price": 249.99}'),
        },
        {
          id: 'purchasePet',
          operationId: 'purchasePet',
          method: 'POST',
          path: '/purchase',
          pointer: '/paths/~1purchase/post',
          auth: {
            kind: 'authorizer',
            authorizer: 'CognitoAuth',
            scopes: ['pets/purchase'],
            pointer: '/paths/~1purchase/post/security/0/CognitoAuth',
          },
          successStatus: 200,
          parameters: [],
          requestBody: { contentType: 'application/json', required: true, example: purchaseBody },
          integration: mock(200, '{"message": "purchased"}'),
        },
        {
          id: 'health',
          operationId: 'health',
          method: 'GET',
          path: '/health',
          pointer: '/paths/~1health/get',
          auth: { kind: 'public' },
          successStatus: 200,
          parameters: [],
          integration: mock(200, '{"message": "ok"}'),
        },
        {
          id: 'petstoreProxy',
          operationId: 'petstoreProxy',
          method: 'ANY',
          path: '/proxy/{proxy+}',
          pointer: '/paths/~1proxy~1{proxy+}/x-amazon-apigateway-any-method',
          auth: {
            kind: 'authorizer',
            authorizer: 'CognitoAuth',
            scopes: [],
            pointer: '/paths/~1proxy~1{proxy+}/x-amazon-apigateway-any-method/security/0/CognitoAuth',
          },
          successStatus: 200,
          parameters: [{ name: 'proxy', in: 'path', required: true, example: 'pets' }],
          integration: {
            type: 'http_proxy',
            uri: '{{backend:petstore}}/{proxy}',
            httpMethod: 'ANY',
            requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
          },
        },
      ],
      gatewayResponses: {
        UNAUTHORIZED: {
          type: 'UNAUTHORIZED',
          statusCode: 401,
          headers: { 'Access-Control-Allow-Origin': '*', 'WWW-Authenticate': 'Bearer realm="pets"' },
          templates: { 'application/json': '{"message":$context.error.messageString}' },
        },
      },
      placeholders: [
        {
          pointer: '/paths/~1proxy~1{proxy+}/x-amazon-apigateway-any-method/x-amazon-apigateway-integration/uri',
          placeholder: { kind: 'backend', name: 'petstore' },
        },
        {
          pointer: `${S}/CognitoAuth/x-amazon-apigateway-authorizer/providerARNs/0`,
          placeholder: { kind: 'userPoolArn' },
        },
        {
          pointer: `${S}/PetsHeaderAuth/x-amazon-apigateway-authorizer/identityValidationExpression`,
          placeholder: { kind: 'clientId', name: 'web' },
        },
        {
          pointer: `${S}/PetsHeaderAuth/x-amazon-apigateway-authorizer/providerARNs/0`,
          placeholder: { kind: 'userPoolArn' },
        },
      ],
      scopes: ['pets/purchase'],
    });
  });

  it('keeps the document as written as the body API Gateway imports', () => {
    expect(model.body).toEqual(YAML.parse(fs.readFileSync(PETS, 'utf8')));
  });

  it('warns only that the scoped method takes access tokens', async () => {
    const { problems } = await lintSpec(PETS);
    expect(problems.map((p) => [p.severity, p.rule, p.pointer])).toEqual([
      ['warning', 'rest-scopes-need-access-token', '/paths/~1purchase/post/security/0/CognitoAuth'],
    ]);
  });
});

describe('hello-http.yaml (HTTP API)', () => {
  it('models the jwt authorizer, the Lambda routes and the placeholders exactly, with no problems', async () => {
    const { model, problems } = await lintSpec(HELLO);
    expect(problems).toEqual([]);
    const J = '/components/securitySchemes/CognitoJwt';
    const lambda = { type: 'aws_proxy', uri: '{{lambda:hello}}', functionName: 'hello', payloadFormatVersion: '2.0' };
    const route = (id: string, p: string, scopes: string[]) => ({
      id,
      operationId: id,
      method: 'GET',
      path: p,
      pointer: `/paths/~1${p.slice(1)}/get`,
      auth: {
        kind: 'authorizer',
        authorizer: 'CognitoJwt',
        scopes,
        pointer: `/paths/~1${p.slice(1)}/get/security/0/CognitoJwt`,
      },
      successStatus: 200,
      parameters: [],
      integration: lambda,
    });
    expect(withoutBody(model!)).toEqual({
      file: HELLO,
      format: 'openapi-3.0',
      kind: 'http',
      title: 'Hello',
      version: '1.0.0',
      authorizers: {
        CognitoJwt: {
          kind: 'jwt',
          name: 'CognitoJwt',
          pointer: J,
          tokenSource: { in: 'header', name: 'authorization' },
          tokenHeader: 'authorization',
          issuer: '{{issuer}}',
          audience: ['{{clientId:web}}', '{{clientId:spa}}', '{{clientId:machine}}'],
        },
      },
      lambdaAuthorizers: {},
      binaryMediaTypes: [],
      operations: [
        route('sayHello', '/hello', []),
        route('listReports', '/reports', ['hello/read']),
        {
          id: 'ping',
          operationId: 'ping',
          method: 'GET',
          path: '/ping',
          pointer: '/paths/~1ping/get',
          auth: { kind: 'public' },
          successStatus: 200,
          parameters: [],
          integration: lambda,
        },
      ],
      gatewayResponses: {},
      placeholders: [
        {
          pointer: '/paths/~1hello/get/x-amazon-apigateway-integration/uri',
          placeholder: { kind: 'lambda', name: 'hello' },
        },
        {
          pointer: '/paths/~1reports/get/x-amazon-apigateway-integration/uri',
          placeholder: { kind: 'lambda', name: 'hello' },
        },
        {
          pointer: '/paths/~1ping/get/x-amazon-apigateway-integration/uri',
          placeholder: { kind: 'lambda', name: 'hello' },
        },
        { pointer: `${J}/x-amazon-apigateway-authorizer/jwtConfiguration/issuer`, placeholder: { kind: 'issuer' } },
        {
          pointer: `${J}/x-amazon-apigateway-authorizer/jwtConfiguration/audience/0`,
          placeholder: { kind: 'clientId', name: 'web' },
        },
        {
          pointer: `${J}/x-amazon-apigateway-authorizer/jwtConfiguration/audience/1`,
          placeholder: { kind: 'clientId', name: 'spa' },
        },
        {
          pointer: `${J}/x-amazon-apigateway-authorizer/jwtConfiguration/audience/2`,
          placeholder: { kind: 'clientId', name: 'machine' },
        },
      ],
      scopes: ['hello/read'],
    });
  });
});

describe('bodyHash', () => {
  /** Rebuilds every mapping with its keys in reverse order: same document, different text. */
  function reverseKeys(value: Json): Json {
    if (Array.isArray(value)) return value.map(reverseKeys);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, reverseKeys(v)]),
      );
    return value;
  }

  it('is the same when only the order of keys changes', async () => {
    const dir = tempDir();
    const reordered = path.join(dir, 'pets.yaml');
    const original = YAML.parse(fs.readFileSync(PETS, 'utf8')) as Json;
    fs.writeFileSync(reordered, YAML.stringify(reverseKeys(original)));
    expect(fs.readFileSync(reordered, 'utf8')).not.toEqual(fs.readFileSync(PETS, 'utf8'));
    expect((await loadApiModel(reordered)).bodyHash).toBe((await loadApiModel(PETS)).bodyHash);
  });

  it.each([
    ['a response template', '{"message": "ok"}', '{"message": "OK"}'],
    ['a scope', '[pets/purchase]', '[pets/buy]'],
    ['the gateway response status', 'statusCode: 401', 'statusCode: 403'],
  ])('changes when %s changes', async (_what, from, to) => {
    const text = fs.readFileSync(PETS, 'utf8');
    expect(text).toContain(from);
    const edited = path.join(tempDir(), 'pets.yaml');
    fs.writeFileSync(edited, text.replace(from, to));
    expect((await loadApiModel(edited)).bodyHash).not.toBe((await loadApiModel(PETS)).bodyHash);
  });

  it('changes when a file the document $refs changes', async () => {
    const dir = tempDir();
    fs.cpSync(path.join(FIXTURES, 'multi-file'), dir, { recursive: true });
    const before = (await loadApiModel(path.join(dir, 'api.yaml'))).bodyHash;
    const schemas = path.join(dir, 'components', 'schemas.yaml');
    fs.writeFileSync(schemas, fs.readFileSync(schemas, 'utf8').replace('example: Rex', 'example: Bella'));
    const after = await loadApiModel(path.join(dir, 'api.yaml'));
    expect(after.bodyHash).not.toBe(before);
    expect(after.operations.find((o) => o.id === 'adopt')?.requestBody?.example).toEqual({
      name: 'Bella',
      species: 'dog',
    });
  });
});

describe('fixtures: valid variants load', () => {
  it('Swagger 2.0: securityDefinitions authorizer, body parameter with root consumes, x-example, lowest 2xx', async () => {
    const { model, problems } = await lintSpec(path.join(FIXTURES, 'swagger2-rest.yaml'));
    expect(problems.map((p) => [p.severity, p.rule, p.pointer])).toEqual([
      ['warning', 'rest-no-access-token-method', '/paths'],
    ]);
    expect(model).toMatchObject({
      format: 'swagger-2.0',
      kind: 'rest',
      title: 'Orders',
      version: '2.1.0',
      scopes: [],
      gatewayResponses: {},
    });
    expect(model!.authorizers).toEqual({
      UserPool: {
        kind: 'cognito_user_pools',
        name: 'UserPool',
        pointer: '/securityDefinitions/UserPool',
        tokenHeader: 'authorization',
        providerArns: ['{{userPoolArn}}'],
        resultTtlSeconds: 300,
      },
    });
    const [create, get] = model!.operations;
    expect(create).toMatchObject({
      id: 'createOrder',
      method: 'POST',
      successStatus: 201,
      auth: {
        kind: 'authorizer',
        authorizer: 'UserPool',
        scopes: [],
        pointer: '/paths/~1orders/post/security/0/UserPool',
      },
      requestBody: { contentType: 'application/json', required: true, example: { item: 'pet-food', quantity: 1 } },
      integration: { type: 'mock' },
    });
    expect(get).toMatchObject({
      id: 'getOrder',
      path: '/orders/{orderId}',
      parameters: [
        { name: 'orderId', in: 'path', required: true, example: 'ord-42' },
        { name: 'X-Trace', in: 'header', required: false, example: 'example' },
      ],
      integration: { type: 'http_proxy', uri: '{{backend:orders}}/orders/{orderId}', httpMethod: 'GET' },
    });
    expect(model!.placeholders.map((p) => p.pointer)).toEqual([
      '/paths/~1orders~1{orderId}/get/x-amazon-apigateway-integration/uri',
      '/securityDefinitions/UserPool/x-amazon-apigateway-authorizer/providerARNs/0',
    ]);
  });

  it('OpenAPI 3.1: type arrays, examples arrays, jwt from a custom header, payload format 1.0', async () => {
    const { model, problems } = await lintSpec(path.join(FIXTURES, 'openapi31-http.yaml'));
    expect(problems).toEqual([]);
    expect(model).toMatchObject({ format: 'openapi-3.1', kind: 'http', title: 'Notes', scopes: ['notes/write'] });
    expect(model!.authorizers.NotesJwt).toEqual({
      kind: 'jwt',
      name: 'NotesJwt',
      pointer: '/components/securitySchemes/NotesJwt',
      tokenSource: { in: 'header', name: 'x-notes-token' },
      tokenHeader: 'x-notes-token',
      issuer: '{{issuer}}',
      audience: ['{{clientId:web}}', '{{clientId:machine}}'],
    });
    expect(model!.operations).toEqual([
      expect.objectContaining({
        id: 'addNote',
        successStatus: 204,
        auth: {
          kind: 'authorizer',
          authorizer: 'NotesJwt',
          scopes: ['notes/write'],
          pointer: '/paths/~1notes/post/security/0/NotesJwt',
        },
        requestBody: {
          contentType: 'application/json',
          required: false,
          example: { text: 'remember the milk', pinned: true },
        },
        integration: { type: 'aws_proxy', uri: '{{lambda:notes}}', functionName: 'notes', payloadFormatVersion: '1.0' },
      }),
      expect.objectContaining({
        id: 'getNote',
        parameters: [
          { name: 'id', in: 'path', required: true, example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' },
          { name: 'fields', in: 'query', required: false, example: 'text' },
        ],
        integration: {
          type: 'http_proxy',
          uri: '{{backend:notes}}/notes/{id}',
          httpMethod: 'GET',
          requestParameters: {},
        },
      }),
    ]);
  });

  it('multi-file: $refs across files are inlined into the body, pointers stay logical, problems name the file', async () => {
    const file = path.join(FIXTURES, 'multi-file', 'api.yaml');
    const { model, problems } = await lintSpec(file);
    expect(model).toMatchObject({ format: 'openapi-3.0', kind: 'rest', title: 'Shelter', scopes: ['shelter/adopt'] });
    expect(model!.operations.map((o) => [o.id, o.method, o.path, o.pointer, o.successStatus])).toEqual([
      ['listAnimals', 'GET', '/animals', '/paths/~1animals/get', 200],
      ['adopt', 'POST', '/adoptions', '/paths/~1adoptions/post', 201],
    ]);
    expect(model!.operations[1].requestBody).toEqual({
      contentType: 'application/json',
      required: true,
      example: { name: 'Rex', species: 'dog' },
    });
    expect(model!.authorizers.ShelterAuth).toMatchObject({
      kind: 'cognito_user_pools',
      providerArns: ['{{userPoolArn}}'],
    });
    // API Gateway imports one document: no $ref may point outside it.
    expect(JSON.stringify(model!.body)).not.toMatch(/"\$ref":"\.{0,2}\//);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      severity: 'warning',
      rule: 'rest-scopes-need-access-token',
      file,
      pointer: '/paths/~1adoptions/post/security/0/ShelterAuth',
    });
    expect(problems[0].message).toContain('(written in paths/adoptions.yaml#/adoptions/post/security/0/ShelterAuth)');
  });

  it('JSON: a REST API with ANY, a literal pool ARN, a public method and a DEFAULT_4XX gateway response', async () => {
    const { model, problems } = await lintSpec(path.join(FIXTURES, 'rest.json'));
    expect(problems.map((p) => p.rule)).toEqual(['rest-scopes-need-access-token']);
    expect(model!.authorizers.InventoryAuth).toMatchObject({
      providerArns: ['arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123'],
    });
    expect(model!.operations.map((o) => [o.id, o.method, o.auth.kind])).toEqual([
      ['items', 'ANY', 'authorizer'],
      ['status', 'GET', 'public'],
    ]);
    expect(model!.gatewayResponses).toEqual({
      DEFAULT_4XX: {
        type: 'DEFAULT_4XX',
        statusCode: undefined,
        headers: { 'Access-Control-Allow-Origin': '*' },
        templates: {},
      },
    });
    expect(model!.placeholders).toEqual([
      {
        pointer: '/paths/~1items/x-amazon-apigateway-any-method/x-amazon-apigateway-integration/uri',
        placeholder: { kind: 'backend', name: 'inventory' },
      },
    ]);
  });
});

describe('canonicalJson', () => {
  // What it was written as first (a string per value, joined): the text it must keep giving.
  const joined = (value: Json): string => {
    if (Array.isArray(value)) return `[${value.map(joined).join(',')}]`;
    if (typeof value === 'object' && value !== null)
      return `{${Object.keys(value)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${joined(value[k])}`)
        .join(',')}}`;
    return JSON.stringify(value);
  };
  test('sorts keys at every level and writes what the joined form wrote, odd values included', () => {
    const value = {
      z: [3, 'a"b', null, true, { b: 1, a: [{}] }, [], NaN, undefined],
      a: { é: '\u2028', '': -0, y: undefined },
      m: 1e21,
    } as unknown as Json;
    expect(canonicalJson(value)).toBe(joined(value));
    expect(canonicalJson(value)).toBe(
      '{"a":{"":0,"y":undefined,"é":"\u2028"},"m":1e+21,"z":[3,"a\\"b",null,true,{"a":[{}],"b":1},[],null,]}',
    );
    for (const scalar of ['x', 1, null, true]) expect(canonicalJson(scalar)).toBe(joined(scalar));
    // What JSON escapes, in keys and values: quotes, backslashes, control characters, lone surrogates.
    const escapes = {
      'k\\"\u0001': ['tab\there', 'back\\slash', '\u001f', '😀', '\ud800 lone', '\udc00', 'plain'],
    };
    expect(canonicalJson(escapes)).toBe(joined(escapes));
    expect(canonicalJson(escapes)).toContain('"\\ud800 lone"');
  });

  test("a model's bodyHash is SHA-256 of the joined form of its body, a body of many 64 KB pieces included", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-hash-'));
    const file = path.join(dir, 'api.yaml');
    const doc = YAML.parse(fs.readFileSync(PETS, 'utf8')) as { info: Record<string, Json> };
    doc.info['x-pad'] = Array.from({ length: 5000 }, (_, i) => ({ [`k${5000 - i}`]: 'v'.repeat(40), i }));
    fs.writeFileSync(file, YAML.stringify(doc));
    try {
      const model = await loadApiModel(file);
      expect(JSON.stringify(model.body).length).toBeGreaterThan(4 * 65536);
      expect(model.bodyHash).toBe(createHash('sha256').update(joined(model.body)).digest('hex'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

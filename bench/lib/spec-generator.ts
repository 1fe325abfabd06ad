// Generates OpenAPI documents of any size shaped like the ones platform teams run: resource groups with
// collection and item routes, path parameters (one and two levels), mixed methods and success statuses,
// request bodies, OAuth scopes on writes, a few public routes; a REST API behind a {{userPoolArn}}
// authorizer with mock integrations, so the module can synth it and the local stack can serve it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { JsonObject } from '../../openapi/model/types';

export const READ_SCOPE = 'bench/read';
export const WRITE_SCOPE = 'bench/write';

type Auth = 'id-token' | 'read-scope' | 'write-scope' | 'public';

interface Route {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: (group: number) => string;
  status: number;
  auth: Auth;
  body: boolean;
}

// One resource group; the document repeats it with fresh paths until it has the operations asked for.
const GROUP: Route[] = [
  { method: 'get', path: (g) => `/g${g}/items`, status: 200, auth: 'id-token', body: false },
  { method: 'post', path: (g) => `/g${g}/items`, status: 201, auth: 'write-scope', body: true },
  { method: 'get', path: (g) => `/g${g}/items/{itemId}`, status: 200, auth: 'read-scope', body: false },
  { method: 'put', path: (g) => `/g${g}/items/{itemId}`, status: 200, auth: 'write-scope', body: true },
  { method: 'delete', path: (g) => `/g${g}/items/{itemId}`, status: 204, auth: 'id-token', body: false },
  { method: 'patch', path: (g) => `/g${g}/items/{itemId}/parts/{partId}`, status: 200, auth: 'id-token', body: true },
  { method: 'get', path: (g) => `/g${g}/status`, status: 200, auth: 'public', body: false },
];

const pathParameter = (name: string): JsonObject => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
  example: 7,
});

function operation(route: Route, group: number, index: number): JsonObject {
  const id = `${route.method}${route
    .path(group)
    .replace(/[{}]/g, '')
    .split('/')
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join('')}`;
  const parameters = [...route.path(group).matchAll(/\{(\w+)\}/g)].map((m) => pathParameter(m[1]));
  const security: JsonObject[] =
    route.auth === 'public'
      ? []
      : [
          {
            CognitoAuth: route.auth === 'read-scope' ? [READ_SCOPE] : route.auth === 'write-scope' ? [WRITE_SCOPE] : [],
          },
        ];
  const success: JsonObject =
    route.status === 204
      ? { description: 'Done' }
      : { description: 'Done', content: { 'application/json': { schema: { $ref: '#/components/schemas/Message' } } } };
  const responses: JsonObject = { [String(route.status)]: success };
  if (route.auth !== 'public')
    responses['401'] = {
      description: 'No valid token',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    };
  const integrationResponse: JsonObject = { statusCode: String(route.status) };
  if (route.status !== 204)
    integrationResponse.responseTemplates = { 'application/json': `{"message": "operation ${index}"}` };
  return {
    operationId: id,
    summary: `Operation ${index} (${route.auth})`,
    security,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Item' },
                example: { name: 'widget', quantity: 3 },
              },
            },
          },
        }
      : {}),
    responses,
    'x-amazon-apigateway-integration': {
      type: 'mock',
      requestTemplates: { 'application/json': `{"statusCode": ${route.status}}` },
      responses: { default: integrationResponse },
      passthroughBehavior: 'when_no_match',
    },
  };
}

/** An OpenAPI 3.0 document with exactly `operations` operations. */
export function generateSpec(operations: number, title = `Bench ${operations}`): JsonObject {
  if (!Number.isInteger(operations) || operations < 1)
    throw new RangeError(`operations must be a positive integer, got ${operations}`);
  const paths: Record<string, JsonObject> = {};
  for (let index = 0; index < operations; index++) {
    const group = Math.floor(index / GROUP.length);
    const route = GROUP[index % GROUP.length];
    const routePath = route.path(group);
    paths[routePath] ??= {};
    paths[routePath][route.method] = operation(route, group, index);
  }
  return {
    openapi: '3.0.3',
    info: { title, version: '1.0.0', description: `Generated for the benchmarks: ${operations} operations.` },
    paths,
    components: {
      securitySchemes: {
        CognitoAuth: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'cognito_user_pools',
          'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['{{userPoolArn}}'] },
        },
      },
      schemas: {
        Message: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
        Error: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } },
        Item: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, quantity: { type: 'integer' } },
        },
      },
    },
  };
}

/** Writes the document as YAML into `dir` and returns its path. */
export function writeGeneratedSpec(dir: string, operations: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${operations}.yaml`);
  fs.writeFileSync(file, stringify(generateSpec(operations), { lineWidth: 0 }));
  return file;
}

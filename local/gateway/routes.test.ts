// Route selection: literal before {param} before {proxy+}, exact method before ANY; REST chooses the
// resource first (parents included), HTTP APIs choose among routes that have the method. The table never
// lets one operation take another's route: what lint refuses is an internal error here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { parse } from 'yaml';
import { buildModel } from '../../openapi/model/build-model';
import { lintSpec } from '../../openapi/model/load';
import { ProblemError } from '../../openapi/model/problems';
import type { ApiKind, JsonObject, Operation, OperationAuth, OperationMethod } from '../../openapi/model/types';
import { startLocalGateway, type LocalGateway } from './index';
import { RouteInvariantError, RouteTable } from './routes';
import { modelOf, startTestIssuer, testPlaceholders } from './test-support';

const SECURED: OperationAuth = { kind: 'authorizer', authorizer: 'CognitoAuth', scopes: [] };

const op = (method: OperationMethod, path: string, auth: OperationAuth = { kind: 'public' }): Operation => ({
  id: `${method} ${path}`,
  method,
  path,
  pointer: `/paths/${path.replace(/\//g, '~1')}/${method.toLowerCase()}`,
  auth,
  successStatus: 200,
  parameters: [],
  integration: { type: 'mock', requestTemplates: {}, responses: [] },
});

const ROUTES = [
  op('GET', '/pets'),
  op('GET', '/pets/{petId}'),
  op('GET', '/pets/mine'),
  op('ANY', '/pets/{petId}/toys'),
  op('DELETE', '/pets/{petId}/toys'),
  op('ANY', '/{proxy+}'),
  op('GET', '/files/{path+}'),
  op('GET', '/'),
];

function matched(kind: ApiKind, method: string, path: string) {
  const result = new RouteTable(ROUTES, kind).match(method, path);
  return result.found
    ? { id: result.match.operation.id, params: result.match.pathParameters, raw: result.match.rawPathParameters }
    : undefined;
}

describe.each<ApiKind>(['rest', 'http'])('%s routing', (kind) => {
  test('a literal segment wins over a {param}', () => {
    expect(matched(kind, 'GET', '/pets/mine')?.id).toBe('GET /pets/mine');
    expect(matched(kind, 'GET', '/pets/7')).toMatchObject({ id: 'GET /pets/{petId}', params: { petId: '7' } });
  });
  test('an exact method wins over ANY', () => {
    expect(matched(kind, 'DELETE', '/pets/7/toys')?.id).toBe('DELETE /pets/{petId}/toys');
    expect(matched(kind, 'PATCH', '/pets/7/toys')?.id).toBe('ANY /pets/{petId}/toys');
  });
  test('greedy {proxy+} takes the rest of the path, at least one segment; backtracking reaches it', () => {
    expect(matched(kind, 'GET', '/files/a/b/c.txt')).toMatchObject({
      id: 'GET /files/{path+}',
      params: { path: 'a/b/c.txt' },
    });
    expect(matched(kind, 'GET', '/pets/7/toys/ball/red')).toMatchObject({
      id: 'ANY /{proxy+}',
      params: { proxy: 'pets/7/toys/ball/red' },
    });
  });
  test('path parameters are decoded; raw ones keep the encoding for proxies', () => {
    expect(matched(kind, 'GET', '/pets/a%20b')).toMatchObject({ params: { petId: 'a b' }, raw: { petId: 'a%20b' } });
  });
  test('the root and a trailing slash', () => {
    expect(matched(kind, 'GET', '/')?.id).toBe('GET /');
    expect(matched(kind, 'GET', '/pets/')?.id).toBe('GET /pets');
  });
});

describe('where REST and HTTP APIs differ', () => {
  test('REST: a resource without the method is not found, even when a greedy route would take it', () => {
    expect(matched('rest', 'POST', '/pets')).toBeUndefined();
  });
  test('HTTP: a route with the method is looked for further down, so the greedy ANY route takes it', () => {
    expect(matched('http', 'POST', '/pets')?.id).toBe('ANY /{proxy+}');
  });
  test('without a greedy route both refuse an unknown path', () => {
    const table = (kind: ApiKind) => new RouteTable([op('GET', '/pets')], kind);
    expect(table('rest').match('GET', '/cats').found).toBe(false);
    expect(table('http').match('GET', '/cats').found).toBe(false);
    expect(table('http').match('POST', '/pets').found).toBe(false);
  });
});

describe('what the model refuses, the table asserts', () => {
  test('a greedy variable before the end is an internal error, not a diagnosis for the author', () => {
    let thrown: unknown;
    try {
      new RouteTable([op('GET', '/files/{path+}/meta')], 'http');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RouteInvariantError);
    expect(thrown).not.toBeInstanceOf(ProblemError);
    expect(String(thrown)).toMatch(/\/paths\/~1files~1\{path\+\}~1meta\/get: \{path\+\} is not the last segment/);
  });

  test.each<ApiKind>(['rest', 'http'])('%s: /pets and /pets/ are one route, refused whichever comes first', (kind) => {
    const secured = op('GET', '/pets', SECURED);
    const open = op('GET', '/pets/');
    for (const operations of [
      [secured, open],
      [open, secured],
    ])
      expect(() => new RouteTable(operations, kind)).toThrow(
        /GET \/pets\/? \(.*\) and GET \/pets\/? \(.*\) map to one route/,
      );
  });

  test('HTTP: two routes differing only in variable names are one route', () => {
    expect(() => new RouteTable([op('GET', '/pets/{id}'), op('GET', '/pets/{petId}')], 'http')).toThrow(
      RouteInvariantError,
    );
  });

  test('HTTP: routes sharing a position each read their own variable names', () => {
    const table = new RouteTable(
      [op('GET', '/pets/{id}'), op('DELETE', '/pets/{petId}'), op('PUT', '/pets/{x+}')],
      'http',
    );
    const params = (method: string, p: string) => {
      const r = table.match(method, p);
      return r.found ? r.match.pathParameters : undefined;
    };
    expect(params('GET', '/pets/7')).toEqual({ id: '7' });
    expect(params('DELETE', '/pets/7')).toEqual({ petId: '7' });
    expect(params('PUT', '/pets/7/a')).toEqual({ x: '7/a' });
  });
});

describe('a secured /pets beside a public /pets/ (openapi/broken/path-same-resource.yaml)', () => {
  const file = path.resolve(__dirname, '..', '..', 'openapi', 'broken', 'path-same-resource.yaml');

  test('lint refuses the document', async () => {
    const result = await lintSpec(file);
    expect(result.model).toBeUndefined();
    expect(result.problems).toContainEqual(
      expect.objectContaining({ severity: 'error', rule: 'path-same-resource', pointer: '/paths/~1pets~1' }),
    );
  });

  test('a gateway given its model anyway (lint skipped) refuses to start, so it never serves /pets unsecured', async () => {
    const body = parse(fs.readFileSync(file, 'utf8')) as JsonObject;
    const deref = (await new SwaggerParser().validate(structuredClone(body) as never)) as unknown as JsonObject;
    const { model } = buildModel(file, deref, body);
    expect(model.operations.map((o) => [o.method, o.path, o.auth.kind])).toEqual([
      ['GET', '/pets', 'authorizer'],
      ['GET', '/pets/', 'public'],
    ]);
    const pool = await startTestIssuer();
    let gateway: LocalGateway | undefined;
    let refusal: unknown;
    try {
      gateway = await startLocalGateway({
        model,
        placeholders: testPlaceholders({ userPoolArn: pool.arn }),
        pools: { [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl } },
        functions: {},
        stage: 'prod',
      });
    } catch (error) {
      refusal = error;
    } finally {
      await gateway?.stop();
      await pool.stop();
    }
    expect(refusal).toBeInstanceOf(RouteInvariantError);
  });

  test('written once, GET /pets/ reaches the secured /pets over real HTTP: 401 without a token, 200 with one', async () => {
    const text = fs.readFileSync(file, 'utf8');
    const model = await modelOf(text.slice(0, text.indexOf('  /pets/:\n')) + text.slice(text.indexOf('components:')));
    const pool = await startTestIssuer();
    const gateway = await startLocalGateway({
      model,
      placeholders: testPlaceholders({ userPoolArn: pool.arn }),
      pools: { [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl } },
      functions: {},
      stage: 'prod',
    });
    try {
      for (const p of ['/pets', '/pets/']) {
        expect((await fetch(`${gateway.url}${p}`)).status).toBe(401);
        const withToken = await fetch(`${gateway.url}${p}`, { headers: { Authorization: await pool.idToken() } });
        expect(withToken.status).toBe(200);
      }
    } finally {
      await gateway.stop();
      await pool.stop();
    }
  });
});

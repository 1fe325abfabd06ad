// Route selection: literal before {param} before {proxy+}, exact method before ANY; REST chooses the
// resource first (parents included), HTTP APIs choose among routes that have the method.
import type { ApiKind, Operation, OperationMethod } from '../../openapi/model/types';
import { RouteTable } from './routes';

const op = (method: OperationMethod, path: string): Operation => ({
  id: `${method} ${path}`,
  method,
  path,
  pointer: `/paths/${path.replace(/\//g, '~1')}/${method.toLowerCase()}`,
  auth: { kind: 'public' },
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

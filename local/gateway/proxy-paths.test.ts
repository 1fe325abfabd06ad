// Path values never move a request outside its integration URI's prefix (issue 14, item 4): encoded dot
// segments, encoded slashes and backslashes and double encoding in {proxy+} (http_proxy) or {id} (http)
// are refused before anything is sent. How AWS answers these is unverified (no AWS source found): the local
// gateway refuses with 400 and a message naming the cause, and the test asserts the status, that the
// body says why, and that the backend saw nothing.
import type { ApiKind } from '../../openapi/model/types';
import { startLocalGateway, type LocalGateway } from './index';
import { send } from './raw-client';
import { modelOf, startEchoServer, testPlaceholders, type EchoServer } from './test-support';

const REST_DOC = `
openapi: 3.0.3
info: { title: Proxy paths, version: 1.0.0 }
paths:
  /api/{proxy+}:
    x-amazon-apigateway-any-method:
      security: []
      parameters: [{ name: proxy, in: path, required: true, schema: { type: string } }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: ANY
        uri: "{{backend:echo}}/public-api/v1/{proxy}"
        requestParameters: { integration.request.path.proxy: method.request.path.proxy }
  /items/{id}:
    get:
      security: []
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: http
        httpMethod: GET
        uri: "{{backend:echo}}/public-api/v1/items/{id}"
        requestParameters: { integration.request.path.id: method.request.path.id }
        responses: { default: { statusCode: "200" } }
`;

const HTTP_DOC = `
openapi: 3.0.1
info: { title: Proxy paths, version: 1.0.0 }
x-amazon-apigateway-importexport-version: "1.0"
paths:
  /api/{proxy+}:
    x-amazon-apigateway-any-method:
      security: []
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: ANY, uri: "{{backend:echo}}/public-api/v1/{proxy}", payloadFormatVersion: "1.0" }
`;

/** Request paths (after /prod) that try to leave /public-api/v1/ once something decodes or normalises them. */
const TRICKS: [string, string][] = [
  ['%2e%2e segments', '/api/%2e%2e/%2e%2e/admin/secrets'],
  ['%2E%2E segments', '/api/%2E%2E/%2E%2E/admin/secrets'],
  ['%2E. and .%2e', '/api/%2E./.%2e/admin/secrets'],
  ['literal .. segments', '/api/../../admin/secrets'],
  ['a single dot segment', '/api/./%2e/admin'],
  ['..%2f (an encoded slash)', '/api/..%2f..%2fadmin%2fsecrets'],
  ['..%2F (upper case)', '/api/..%2F..%2Fadmin'],
  ['..%5c (an encoded backslash)', '/api/..%5c..%5cadmin'],
  ['literal backslashes', '/api/..\\..\\admin'],
  ['double encoding %252e%252e', '/api/%252e%252e/%252e%252e/admin/secrets'],
  ['double-encoded slash ..%252f', '/api/..%252f..%252fadmin'],
];

let echo: EchoServer;
const gateways = {} as Record<ApiKind, LocalGateway>;

beforeAll(async () => {
  echo = await startEchoServer();
  for (const kind of ['rest', 'http'] as const)
    gateways[kind] = await startLocalGateway({
      model: await modelOf(kind === 'rest' ? REST_DOC : HTTP_DOC),
      placeholders: testPlaceholders({ backends: { echo: echo.url } }),
      pools: {},
      functions: {},
      stage: 'prod',
    });
});

afterAll(async () => {
  await Promise.all(Object.values(gateways).map((g) => g.stop()));
  await echo?.stop();
});

function get(kind: ApiKind, path: string) {
  const url = new URL(gateways[kind].url);
  return send(url.origin, `${url.pathname}${path}`);
}

describe.each(['rest', 'http'] as const)('%s http_proxy /api/{proxy+} -> /public-api/v1/{proxy}', (kind) => {
  test('an ordinary path, dots inside names included, reaches the backend under the prefix', async () => {
    const r = await get(kind, '/api/v1..2/file.tar.gz?x=1');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ url: '/public-api/v1/v1..2/file.tar.gz?x=1' });
  });

  test.each(TRICKS)('%s: 400, and nothing reaches the backend', async (_what, path) => {
    const before = echo.requests.length;
    const r = await get(kind, path);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ message: expect.stringMatching(/dot segment|slash/) });
    expect(echo.requests.slice(before)).toEqual([]);
  });

  test('whatever was sent, the backend saw only paths under the prefix', () => {
    for (const seen of echo.requests) expect(seen.url.startsWith('/public-api/v1/')).toBe(true);
  });
});

describe('REST http integration /items/{id} -> /public-api/v1/items/{id}', () => {
  test('an ordinary id reaches the backend', async () => {
    const r = await get('rest', '/items/pet.7');
    expect(r.status).toBe(200);
    expect(echo.requests[echo.requests.length - 1].url).toBe('/public-api/v1/items/pet.7');
  });
  test.each([
    ['%2e%2e', '/items/%2e%2e'],
    ['%2E.', '/items/%2E.'],
    ['..%2fadmin', '/items/..%2fadmin'],
    ['%252e%252e', '/items/%252e%252e'],
  ])('%s: 400, and nothing reaches the backend', async (_what, path) => {
    const before = echo.requests.length;
    const r = await get('rest', path);
    expect(r.status).toBe(400);
    expect(echo.requests.slice(before)).toEqual([]);
  });
});

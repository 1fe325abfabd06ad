// Every broken document yields exactly the problems openapi/broken/expected.json lists for it, at the right
// pointer; and the real CLI reports them the way a pipeline sees them (exit code, stderr, no stack trace).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { lintSpec } from '../index';

const REPO = path.resolve(__dirname, '..', '..');
const BROKEN = path.join(REPO, 'openapi', 'broken');

interface Expected {
  rule: string;
  pointer: string;
  severity?: 'error' | 'warning';
  /** Text the message must hold, e.g. the second pointer or the file the problem is written in. */
  messageIncludes?: string;
  /** Text the fix must hold. */
  fixIncludes?: string;
}

/**
 * Route-shape rules, each with the evidence for its severity: an error where API Gateway refuses the document
 * at import, or where no request could reach one of two operations as written; a warning where it accepts
 * the document but the result surprises, or where what it does is unverified. Pages cited:
 * - "Create routes for HTTP APIs" (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html)
 * - "Amazon API Gateway important notes" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html)
 * - LocalStack's tests/aws/services/apigateway/test_apigateway_api.snapshot.json, recorded against AWS
 */
const ROUTE_SHAPES: Record<string, Expected[]> = {
  // Import refuses it. HTTP APIs: "Create routes for HTTP APIs": "The greedy path variable
  // must be at the end of the resource path." REST APIs: CreateResource under a {proxy+} resource answers
  // "Cannot create a child of a resource with a greedy path variable: {proxy+}" (LocalStack's snapshot of
  // TestApiGatewayApiResource::test_create_proxy_resource_validation, recorded against AWS, which cites
  // "Set up a proxy integration with a proxy resource"). A second greedy variable is always one not last.
  'path-greedy-not-last.yaml': [
    { rule: 'path-greedy-not-last', pointer: '/paths/~1files~1{path+}~1meta', fixIncludes: '/files/{path+}' },
  ],
  // REST import refuses it: CreateResource answers "Resource's path part only allow a-zA-Z0-9._-: or a valid
  // greedy path variable and curly braces at the beginning and the end and an optional plus sign before the
  // closing brace" (AWS's BadRequestException text, as moto and LocalStack reproduce it). HTTP APIs: unverified,
  // so a warning there (see the route-shape tests below).
  'path-variable-name.yaml': [
    { rule: 'path-variable-name', pointer: '/paths/~1pets~1{pet id}', fixIncludes: '{pet_id}' },
  ],
  // REST import refuses it: "Amazon API Gateway important notes", REST APIs: "Path segments
  // can only contain alphanumeric characters, hyphens, periods, commas, and curly braces. Path parameters must
  // be separate path segments", and the CreateResource message above. HTTP APIs: unverified, a warning.
  'path-segment-characters.yaml': [
    {
      rule: 'path-segment-characters',
      pointer: '/paths/~1reports~1{reportId}.pdf',
      fixIncludes: '/reports/{reportId}',
    },
  ],
  // Unverified for both kinds (no AWS page says what import does with one name twice), so a warning.
  'path-variable-repeated.yaml': [
    {
      rule: 'path-variable-repeated',
      pointer: '/paths/~1pets~1{id}~1toys~1{id}',
      severity: 'warning',
      fixIncludes: '{id2}',
    },
  ],
  // API Gateway ignores a trailing slash when it routes (LocalStack's router: "trailing slashes are ignored in
  // APIGW"; Powertools for AWS Lambda PR #1577: API Gateway routes /my/path and /my/path/ the same way), so the
  // secured GET /pets and the public GET /pets/ are one route and one of them is served for both. What import
  // makes of the pair is unverified; gatehouse refuses it because one operation could never be reached.
  'path-same-resource.yaml': [
    {
      rule: 'path-same-resource',
      pointer: '/paths/~1pets~1',
      messageIncludes: 'at /paths/~1pets)',
      fixIncludes: 'once (/pets)',
    },
    { rule: 'rest-no-access-token-method', pointer: '/paths', severity: 'warning' },
  ],
  // REST import refuses it: CreateResource of a second variable child answers "A sibling ({proxy+}) of this
  // resource already has a variable path part -- only one is allowed" (the LocalStack snapshot above), and
  // deployments of /x/{id} beside /x/{otherId} are reported failing with it (Serverless, Jets). HTTP APIs:
  // unverified, a warning.
  'path-variable-sibling.yaml': [
    {
      rule: 'path-variable-sibling',
      pointer: '/paths/~1pets~1{petId}',
      messageIncludes: '{id}',
      fixIncludes: '/pets/{id}',
    },
  ],
  // HTTP APIs pick the route that matches best ("Create routes for HTTP APIs", "Routing API requests"); two routes that differ
  // only in variable names match the same requests equally, so one operation is never reached. What import does
  // is unverified; gatehouse refuses it for that reason. (REST: path-variable-sibling.)
  'route-duplicate.yaml': [
    { rule: 'route-duplicate', pointer: '/paths/~1pets~1{petId}/get', messageIncludes: '/paths/~1pets~1{id}/get' },
  ],
  // Unverified whether import refuses a parameter `in: path` that the path does not carry, so a warning. The
  // opposite (a path variable no parameter declares) gets no rule: HTTP APIs read no parameters, and REST import
  // declares method.request.path.<name> itself (LocalStack's import: "AWS adds the requestParameter
  // automatically"); tested below.
  'path-parameter-not-in-path.yaml': [
    {
      rule: 'path-parameter-not-in-path',
      pointer: '/paths/~1pets~1{petId}/get/parameters/0',
      severity: 'warning',
      fixIncludes: 'name: petId',
    },
  ],
  // API Gateway accepts it ("Create routes for HTTP APIs": "a $default route that acts as a catch-all for
  // requests that don't match any other routes"; "x-amazon-apigateway-any-method object": isDefaultRoute);
  // gatehouse refuses it because its local gateway and harness cannot route it as API Gateway does.
  'path-default-route.yaml': [{ rule: 'path-default-route', pointer: '/paths/~1$default', fixIncludes: '/{proxy+}' }],
};

const expected: Record<string, Expected[]> = {
  ...(JSON.parse(fs.readFileSync(path.join(BROKEN, 'expected.json'), 'utf8')) as Record<string, Expected[]>),
  ...ROUTE_SHAPES,
};
const isError = (e: Expected) => (e.severity ?? 'error') === 'error';

/** Every document file under openapi/broken (multi-file parts other than the entry are not listed). */
function brokenDocuments(dir = BROKEN): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory())
      return fs.existsSync(path.join(full, 'api.yaml')) ? [path.relative(BROKEN, path.join(full, 'api.yaml'))] : [];
    return /\.(ya?ml|json)$/.test(e.name) && e.name !== 'expected.json' ? [e.name] : [];
  });
}

describe('openapi/broken', () => {
  it('lists every broken document in expected.json or ROUTE_SHAPES, and covers at least 22 rules', () => {
    expect(Object.keys(expected).sort()).toEqual(brokenDocuments().sort());
    const errorRules = new Set(Object.values(expected).flatMap((list) => list.filter(isError).map((e) => e.rule)));
    expect(errorRules.size).toBeGreaterThanOrEqual(22);
    // Each document exists to show one error, or, for a rule that only warns, that one warning and nothing else.
    for (const [name, list] of Object.entries(expected)) {
      const shown = list.some(isError) ? list.filter(isError) : list;
      expect([name, shown]).toEqual([name, [expect.anything()]]);
    }
  });

  it.each(Object.entries(expected))('%s yields exactly its expected problems', async (name, problems) => {
    const file = path.join(BROKEN, name);
    const result = await lintSpec(file);
    // A document with an error yields no model; one that only warns is still usable.
    expect(result.model === undefined).toBe(problems.some(isError));
    const got = result.problems.map((p) => ({ severity: p.severity, rule: p.rule, pointer: p.pointer }));
    const want = problems.map((e) => ({ severity: e.severity ?? 'error', rule: e.rule, pointer: e.pointer }));
    expect(got).toEqual(want);
    for (const [i, e] of problems.entries()) {
      const p = result.problems[i];
      expect(p.message.length).toBeGreaterThan(10);
      expect(p.fix.length).toBeGreaterThan(5);
      if (e.messageIncludes) expect(p.message).toContain(e.messageIncludes);
      if (e.fixIncludes) expect(p.fix).toContain(e.fixIncludes);
    }
  });

  it('points at the line of a syntax error', async () => {
    const { problems } = await lintSpec(path.join(BROKEN, 'yaml-syntax.yaml'));
    expect(problems[0]).toMatchObject({ file: path.join(BROKEN, 'yaml-syntax.yaml') });
    expect(problems[0].fix).toMatch(/line 4, column 1/);
  });

  it('names the file that failed to parse when it is not the entry document', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lint-'));
    fs.writeFileSync(
      path.join(dir, 'api.yaml'),
      'openapi: 3.0.3\ninfo: { title: x, version: "1" }\npaths:\n  /a:\n    $ref: "./a.yaml"\n',
    );
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'get: {\n  responses: [\n');
    const { problems } = await lintSpec(path.join(dir, 'api.yaml'));
    expect(problems).toEqual([expect.objectContaining({ rule: 'document-syntax', file: path.join(dir, 'a.yaml') })]);
  });

  it('refuses a YAML alias bomb as a problem of the file, without a crash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lint-'));
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of ['ab', 'bc', 'cd', 'de', 'ef', 'fg'])
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    fs.writeFileSync(path.join(dir, 'api.yaml'), levels.join('\n'));
    const { problems } = await lintSpec(path.join(dir, 'api.yaml'));
    expect(problems).toEqual([
      expect.objectContaining({ rule: 'document-limit-expanded-values', file: path.join(dir, 'api.yaml') }),
    ]);
    expect(problems[0].message).toContain('alias');
  });

  it('names the file holding a broken $ref and the pointer of the $ref', async () => {
    const { problems } = await lintSpec(path.join(BROKEN, 'broken-ref.yaml'));
    expect(problems).toEqual([
      expect.objectContaining({
        rule: 'ref-unresolved',
        file: path.join(BROKEN, 'broken-ref.yaml'),
        pointer: '/components/schemas/Pet',
      }),
    ]);
    expect(problems[0].message).toContain('does-not-exist.yaml');
  });

  it('reports every problem of a document at once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lint-'));
    const file = path.join(dir, 'many.yaml');
    // Three independent mistakes in one document: all three come back from one run.
    fs.writeFileSync(
      file,
      fs
        .readFileSync(path.join(REPO, 'openapi', 'pets.yaml'), 'utf8')
        .replace('type: http_proxy', 'type: lambda')
        .replace('- CognitoAuth: [pets/purchase]', '- CognitoAuht: [pets/purchase]')
        .replace('  UNAUTHORIZED:\n', '  UNAUTHORISED:\n'),
    );
    const { problems } = await lintSpec(file);
    expect(
      problems
        .filter((p) => p.severity === 'error')
        .map((p) => p.rule)
        .sort(),
    ).toEqual(['gateway-response-type', 'integration-unsupported-type', 'security-unknown-scheme']);
  });
});

describe('schema problems', () => {
  async function lintText(name: string, text: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-schema-'));
    try {
      fs.writeFileSync(path.join(dir, name), text);
      return await lintSpec(path.join(dir, name));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const mock = `x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' } }`;
  const cognito = `{ type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authorizer: { type: cognito_user_pools, providerARNs: ["{{userPoolArn}}"] } }`;

  it('come in the same run as the model problems, each naming its cause and fix', async () => {
    // Schema mistakes and an API Gateway mistake (no integration) together: one run reports all of them.
    const { model, problems } = await lintText(
      'api.yaml',
      [
        'openapi: 3.0.3',
        'info: { title: Many, version: "1" }',
        'paths:',
        '  /orders/{orderId}:',
        '    GET: { security: [{ CognitoAuth: [] }] }',
        '    get:',
        '      parameters:',
        '        - { name: orderId, in: path, schema: { type: string } }',
        '        - { name: filter, in: body, schema: { type: string } }',
        '      security: [{ CognitoAuth: [] }]',
        '      responses: { "200": { content: {} } }',
        `      ${mock}`,
        '  /pets:',
        '    get:',
        '      security: [{ Jwt: [] }]',
        '      responses: { "200": { description: ok } }',
        'securityDefinitions:',
        `  CognitoAuth: ${cognito}`,
        'components:',
        '  securitySchemes:',
        '    Jwt: { type: oauth2 }',
        '    Bearer: { type: bearer }',
      ].join('\n'),
    );
    expect(model).toBeUndefined();
    const found = problems.map((p) => [p.rule, p.pointer]);
    expect(found).toEqual([
      ['swagger2-field-in-openapi3', '/securityDefinitions'],
      ['method-key', '/paths/~1orders~1{orderId}/GET'],
      ['parameter-path-required', '/paths/~1orders~1{orderId}/get/parameters/0'],
      ['parameter-in', '/paths/~1orders~1{orderId}/get/parameters/1/in'],
      ['response-description', '/paths/~1orders~1{orderId}/get/responses/200'],
      ['security-scheme-type', '/components/securitySchemes/Bearer/type'],
      // The oauth2 scheme's missing flows are the schema's complaint; that no authorizer enforces it is the mistake.
      ['authorizer-missing', '/components/securitySchemes/Jwt'],
      ['authorizer-missing', '/components/securitySchemes/Bearer'],
      ['integration-missing', '/paths/~1pets/get'],
    ]);
    const byRule = Object.fromEntries(problems.map((p) => [p.rule, p]));
    expect(byRule['swagger2-field-in-openapi3'].message).toContain('without its authorizer');
    expect(byRule['swagger2-field-in-openapi3'].fix).toContain('components.securitySchemes');
    expect(byRule['method-key'].fix).toBe('Write get.');
    expect(byRule['parameter-path-required'].message).toContain('"orderId"');
    expect(byRule['parameter-path-required'].fix).toContain('required: true');
    expect(byRule['parameter-in'].fix).toContain('requestBody');
    expect(byRule['security-scheme-type'].message).toContain('"bearer"');
    for (const p of problems) expect(p.fix).not.toMatch(/valid OpenAPI at this place/);
  });

  it('name the fields a security scheme of its type needs', async () => {
    const { problems } = await lintText(
      'api.yaml',
      [
        'openapi: 3.0.3',
        'info: { title: Fields, version: "1" }',
        'paths:',
        '  /pets:',
        '    get:',
        '      security: [{ Keyless: [] }]',
        '      responses: { "200": { description: ok } }',
        `      ${mock}`,
        'components:',
        '  securitySchemes:',
        '    Keyless:',
        '      type: apiKey',
        '      in: body',
        '      x-amazon-apigateway-authorizer: { type: request, identitySource: method.request.header.Auth, authorizerUri: "{{lambda:auth}}" }',
      ].join('\n'),
    );
    const fields = problems.filter((p) => p.rule === 'security-scheme-fields');
    expect(fields.map((p) => p.pointer)).toEqual([
      '/components/securitySchemes/Keyless',
      '/components/securitySchemes/Keyless/in',
    ]);
    expect(fields[0].message).toContain('needs name and in');
    expect(fields[0].fix).toContain('name: Authorization');
  });

  it('say which type a value must have, echoing it', async () => {
    const { problems } = await lintText(
      'api.json',
      JSON.stringify({ openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: {}, tags: [{ name: 7 }] }),
    );
    expect(problems).toEqual([
      expect.objectContaining({ rule: 'openapi-schema', pointer: '/tags/0/name', fix: 'Quote it: "7".' }),
    ]);
    expect(problems[0].message).toContain('is 7 (a number), but must be a string');
  });

  it('name a field no form of the object has, whichever form was meant', async () => {
    // A comma in a YAML flow mapping starts a new key: "as a PDF" becomes a field of the response.
    const { problems } = await lintText(
      'api.yaml',
      [
        'openapi: 3.0.3',
        'info: { title: T, version: "1" }',
        'paths:',
        '  /invoice:',
        '    get:',
        '      security: []',
        '      responses: { "200": { description: The invoice, as a PDF } }',
        `      ${mock}`,
      ].join('\n'),
    );
    expect(problems).toEqual([
      expect.objectContaining({ rule: 'openapi-schema', pointer: '/paths/~1invoice/get/responses/200/as a PDF' }),
    ]);
    expect(problems[0].message).toBe('"as a PDF" is not a field of response 200 of GET /invoice in OpenAPI 3.0.');
  });

  it('Swagger 2.0: a path variable no parameter declares is accepted, as for OpenAPI 3', async () => {
    // API Gateway declares method.request.path.<name> itself (LocalStack's import: "AWS adds the requestParameter
    // automatically"); swagger-parser's own Swagger 2.0 check refused it, and it no longer runs.
    const { model, problems } = await lintText(
      'api.yaml',
      [
        'swagger: "2.0"',
        'info: { title: Orders, version: "1" }',
        'paths:',
        '  /orders/{orderId}:',
        '    get:',
        '      security: []',
        '      responses: { "200": { description: ok } }',
        `      ${mock}`,
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(model!.operations[0].parameters).toEqual([
      { name: 'orderId', in: 'path', required: true, example: 'example' },
    ]);
  });
});

/** A document whose operations are all public: mock integrations on a REST API, http_proxy on an HTTP API. */
function routesDocument(kind: 'rest' | 'http', routes: [path: string, method: string][]): string {
  const integration =
    kind === 'rest'
      ? `{ type: mock, requestTemplates: { application/json: '{"statusCode": 200}' }, responses: { default: { statusCode: "200" } } }`
      : `{ type: http_proxy, httpMethod: ANY, uri: "https://backend.example.com/" }`;
  const byPath = new Map<string, string[]>();
  for (const [p, method] of routes) byPath.set(p, [...(byPath.get(p) ?? []), method]);
  const paths = [...byPath]
    .map(
      ([p, methods]) =>
        `  "${p}":\n` +
        methods
          .map(
            (m) =>
              `    ${m}:\n      security: []\n      responses: { "200": { description: ok } }\n      x-amazon-apigateway-integration: ${integration}\n`,
          )
          .join(''),
    )
    .join('');
  const version = kind === 'http' ? 'x-amazon-apigateway-importexport-version: "1.0"\n' : '';
  return `openapi: 3.0.3\ninfo: { title: Routes, version: 1.0.0 }\n${version}paths:\n${paths}`;
}

async function lintRoutes(kind: 'rest' | 'http', routes: [string, string][]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-routes-'));
  try {
    fs.writeFileSync(path.join(dir, 'api.yaml'), routesDocument(kind, routes));
    const result = await lintSpec(path.join(dir, 'api.yaml'));
    return { ...result, found: result.problems.map((p) => [p.severity, p.rule, p.pointer]) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('route shapes', () => {
  it('refuses what only REST import is known to refuse, and warns an HTTP API of it', async () => {
    const routes: [string, string][] = [
      ['/pets/{pet id}', 'get'],
      ['/reports/{reportId}.pdf', 'get'],
    ];
    expect((await lintRoutes('rest', routes)).found).toEqual([
      ['error', 'path-variable-name', '/paths/~1pets~1{pet id}'],
      ['error', 'path-segment-characters', '/paths/~1reports~1{reportId}.pdf'],
    ]);
    const http = await lintRoutes('http', routes);
    expect(http.found).toEqual([
      ['warning', 'path-variable-name', '/paths/~1pets~1{pet id}'],
      ['warning', 'path-segment-characters', '/paths/~1reports~1{reportId}.pdf'],
    ]);
    expect(http.problems[0].message).toMatch(/unverified/);
    expect(http.model).toBeDefined();
  });

  it('accepts a path variable no parameter declares, as API Gateway does, and the root path', async () => {
    const result = await lintRoutes('rest', [
      ['/', 'get'],
      ['/pets/{petId}', 'get'],
      ['/files/{path+}', 'get'],
    ]);
    expect(result.found).toEqual([]);
    const petId = result.model?.operations.find((o) => o.path === '/pets/{petId}')?.parameters;
    expect(petId).toEqual([expect.objectContaining({ name: 'petId', in: 'path', required: true })]);
  });

  it('reports two greedy variables in one path once', async () => {
    expect((await lintRoutes('http', [['/a/{x+}/{y+}', 'get']])).found).toEqual([
      ['error', 'path-greedy-not-last', '/paths/~1a~1{x+}~1{y+}'],
    ]);
  });

  it('refuses an empty segment, and says which slash to drop', async () => {
    const result = await lintRoutes('rest', [['/pets//toys', 'get']]);
    expect(result.found).toEqual([['error', 'path-segment-characters', '/paths/~1pets~1~1toys']]);
    expect(result.problems[0].fix).toContain('/pets/toys');
  });

  it('REST: a {proxy+} beside a {param} is a second variable child; HTTP APIs route the most specific', async () => {
    const routes: [string, string][] = [
      ['/{proxy+}', 'x-amazon-apigateway-any-method'],
      ['/{id}', 'get'],
    ];
    expect((await lintRoutes('rest', routes)).found).toEqual([['error', 'path-variable-sibling', '/paths/~1{id}']]);
    expect((await lintRoutes('http', routes)).found).toEqual([]);
  });

  it('HTTP: two names for one position warn on different methods and are refused on the same one', async () => {
    expect(
      (
        await lintRoutes('http', [
          ['/pets/{id}', 'get'],
          ['/pets/{petId}', 'delete'],
        ])
      ).found,
    ).toEqual([['warning', 'path-variable-sibling', '/paths/~1pets~1{petId}']]);
    expect(
      (
        await lintRoutes('http', [
          ['/pets/{id}', 'get'],
          ['/pets/{petId}', 'get'],
        ])
      ).found,
    ).toEqual([['error', 'route-duplicate', '/paths/~1pets~1{petId}/get']]);
  });

  it('refuses /pets beside /pets/ on an HTTP API too, and one path with a trailing slash alone is fine', async () => {
    expect(
      (
        await lintRoutes('http', [
          ['/pets/', 'get'],
          ['/pets', 'post'],
        ])
      ).found,
    ).toEqual([['error', 'path-same-resource', '/paths/~1pets']]);
    expect((await lintRoutes('rest', [['/pets/', 'get']])).found).toEqual([]);
  });

  it('REST has no $default route: /$default is a path with a character a resource cannot hold', async () => {
    expect((await lintRoutes('rest', [['/$default', 'x-amazon-apigateway-any-method']])).found).toEqual([
      ['error', 'path-segment-characters', '/paths/~1$default'],
    ]);
  });
});

describe('gatehouse lint (the real CLI)', () => {
  const run = promisify(execFile);
  async function lint(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run('node', [path.join(REPO, 'bin', 'gatehouse.js'), 'lint', ...args], {
        cwd: REPO,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it.each([
    ['security-missing.yaml', '/paths/~1pets/get'],
    ['scopes-with-validation-expression.yaml', '/paths/~1pets/get/security/0/CognitoAuth'],
    [
      'jwt-audience-missing.json',
      '/components/securitySchemes/CognitoJwt/x-amazon-apigateway-authorizer/jwtConfiguration',
    ],
    ['yaml-syntax.yaml', ''],
    ['broken-ref.yaml', '/components/schemas/Pet'],
  ])('exits 2 on %s, naming the file and pointer on stderr, without a stack trace', async (name, pointer) => {
    const { code, stdout, stderr } = await lint(`openapi/broken/${name}`);
    expect(code).toBe(2);
    // formatProblem writes `file#pointer`, or the file alone when the pointer is the whole document.
    expect(stderr).toContain(`openapi/broken/${name}${pointer === '' ? '' : `#${pointer}`} [`);
    expect(stderr).toMatch(/fix: /);
    expect(`${stdout}\n${stderr}`).not.toMatch(/^ {4}at /m);
    expect(stdout).toMatch(new RegExp(`^openapi/broken/${name.replace('.', '\\.')}: 1 error`, 'm'));
  });

  it.each(['openapi/pets.yaml', 'openapi/hello-http.yaml'])('exits 0 on %s and prints a summary', async (spec) => {
    const { code, stdout } = await lint(spec);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^${spec.replace('.', '\\.')}: 0 errors, \\d+ warnings? \\((REST|HTTP) API`, 'm'),
    );
  });

  it('prints warnings without failing', async () => {
    const { code, stderr } = await lint('openapi/pets.yaml');
    expect(code).toBe(0);
    expect(stderr).toContain(
      'warning openapi/pets.yaml#/paths/~1purchase/post/security/0/CognitoAuth [rest-scopes-need-access-token]',
    );
  });

  it('--json prints the problems as data', async () => {
    const { code, stdout } = await lint('--json', 'openapi/broken/unknown-scheme.yaml');
    expect(code).toBe(2);
    const report = JSON.parse(stdout) as {
      file: string;
      errors: number;
      warnings: number;
      problems: { rule: string; pointer: string }[];
    };
    expect(report).toMatchObject({ file: path.join(BROKEN, 'unknown-scheme.yaml'), errors: 1, warnings: 0 });
    expect(report.problems.map((p) => [p.rule, p.pointer])).toEqual([
      ['security-unknown-scheme', '/paths/~1pets/get/security/0/CognitoAuht'],
    ]);
  });

  it('exits 2 with usage when no document is named, and for a file that does not exist', async () => {
    const none = await lint();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: gatehouse lint');
    const missing = await lint('openapi/nope.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[file-not-found]');
  });

  it('writes no files', async () => {
    // Run where it could write: the document's folder as the working directory, and HOME and TMPDIR empty
    // folders of their own. Every file in the three, with its size and modification time, is the same after.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lint-writes-'));
    try {
      const [work, home, tmp] = ['work', 'home', 'tmp'].map((name) => path.join(root, name));
      for (const dir of [work, home, tmp]) fs.mkdirSync(dir);
      fs.copyFileSync(path.join(BROKEN, 'security-missing.yaml'), path.join(work, 'api.yaml'));
      // bin/gatehouse.js runs the TypeScript through tsx, which caches what it compiled in TMPDIR/tsx-<uid>;
      // that cache is the development launcher's (the installed package runs dist/ without tsx), so it is set aside,
      // as are gatehouse's own compile caches there (the schema's validator, the built CLI's modules), which
      // hold compiled code, not anything of the document.
      const snapshot = () =>
        fs
          .readdirSync(root, { recursive: true, encoding: 'utf8' })
          .filter((name) => !/^tmp[/\\](tsx|gatehouse-schema-cache|gatehouse-compile-cache)-\d+/.test(name))
          .sort()
          .map((name) => {
            const stat = fs.statSync(path.join(root, name));
            // A folder's mtime also shows a file written and removed again; TMPDIR's own changes with tsx's cache.
            return name === 'tmp' ? 'tmp dir' : `${name} ${stat.isDirectory() ? 'dir' : stat.size} ${stat.mtimeMs}`;
          });
      const before = snapshot();
      expect(before.map((line) => line.split(' ')[0])).toEqual(['home', 'tmp', 'work', path.join('work', 'api.yaml')]);
      const run = promisify(execFile);
      const failure = await run('node', [path.join(REPO, 'bin', 'gatehouse.js'), 'lint', 'api.yaml'], {
        cwd: work,
        env: { ...process.env, HOME: home, TMPDIR: tmp },
      }).catch((error: { code: number; stderr: string }) => error);
      // It did lint: exit 2 with the document's error (so a run that failed to start cannot pass).
      expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('[security-missing]') });
      expect(snapshot()).toEqual(before);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

// Documents written to hurt the machine that lints them are refused quickly, each with the limit or rule it
// crossed, the pointer and the fix: YAML alias bombs, files too large or too deep, and $refs that would fetch
// over the network or read files outside the document's folder (which synth would deploy in the API's body).
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DOCUMENT_LIMITS } from './document-limits';
import { lintSpec } from './load';
import { lintSpecSync } from './load-sync';
import type { SpecProblem } from './problems';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-hostile-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const OPERATION = `
    get:
      operationId: listPets
      security: []
      responses:
        "200": { description: The pets }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: "200" } }`;

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** A valid document with `extra` appended at the top level. */
function documentWith(extra: string): string {
  return `openapi: 3.0.3\ninfo: { title: Hostile, version: 1.0.0 }\npaths:\n  /pets:${OPERATION}\n${extra}`;
}

/** Depth 8, 9 aliases per level: 9^8 (43 million) values from about 1.1 KB. */
function aliasBomb(): string {
  const lines = [
    'x-a0: &a0 ["lol-lol-lol-lol-lol", "lol-lol-lol-lol-lol", "lol-lol-lol-lol-lol", "lol-lol-lol-lol-lol", "lol-lol-lol-lol-lol", "lol-lol-lol-lol-lol", "lol-lol-lol-lol-lol", "lol-lol-lol-lol-lol", "lol-lol-lol-lol-lol"]',
  ];
  for (let i = 1; i <= 8; i++)
    lines.push(
      `x-a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return documentWith(lines.join('\n') + '\n');
}

function errors(problems: SpecProblem[]): SpecProblem[] {
  return problems.filter((p) => p.severity === 'error');
}

test('a 1.1 KB YAML alias bomb of depth 8 is refused, naming the limit of expanded values and the fix', async () => {
  const text = aliasBomb();
  expect(text.length).toBeGreaterThan(1000);
  expect(text.length).toBeLessThan(1300);
  const result = await lintSpec(write('bomb.yaml', text));
  expect(result.model).toBeUndefined();
  expect(errors(result.problems)).toEqual([
    expect.objectContaining({
      rule: 'document-limit-expanded-values',
      pointer: expect.stringMatching(/^\/x-a\d$/),
      message: expect.stringContaining('1,000,000 values'),
      fix: expect.stringContaining('$ref'),
    }),
  ]);
});

// YAML lets an anchor name be declared again; an alias names the last one before it (YAML 1.2 §7.1). The
// aliases are counted in one pass (yaml's Alias.resolve walks the whole document per alias, which made a
// 1,000-operation document of shared objects take a minute), so the pass must keep to that rule.
describe('an alias counts what the last anchor of its name before it holds', () => {
  const big = `[${Array.from({ length: 2000 }, () => '1').join(', ')}]`;
  const aliases = (n: number) => Array.from({ length: n }, () => '  - *x').join('\n');
  test('a small anchor declared again as a large one: the aliases after it expand the large one (refused)', async () => {
    const text = `openapi: 3.0.3\nx-small: &x 1\nx-big: &x ${big}\nx-uses:\n${aliases(600)}\n`;
    const result = await lintSpec(write('redeclared-large.yaml', text));
    expect(errors(result.problems).map((p) => p.rule)).toEqual(['document-limit-expanded-values']);
  });
  test('a large anchor declared again as a small one: the aliases after it expand the small one (within limits)', async () => {
    const text = `openapi: 3.0.3\nx-big: &x ${big}\nx-small: &x 1\nx-uses:\n${aliases(600)}\n`;
    const result = await lintSpec(write('redeclared-small.yaml', text));
    expect(errors(result.problems).map((p) => p.rule)).not.toContain('document-limit-expanded-values');
  });
});

test('the alias bomb is refused through the synchronous load (the child process) too', () => {
  const result = lintSpecSync(write('bomb.yaml', aliasBomb()));
  expect(errors(result.problems).map((p) => p.rule)).toEqual(['document-limit-expanded-values']);
});

test('a document that reuses one anchor for many operations stays well within the limit', async () => {
  const paths = Array.from({ length: 300 }, (_, i) => `  /pets${i}: *op`).join('\n');
  const text = `openapi: 3.0.3\ninfo: { title: Reuse, version: 1.0.0 }\nx-op: &op${OPERATION.replace(/listPets/, 'listPets')}\npaths:\n${paths}\n`;
  const result = await lintSpec(write('reuse.yaml', text.replace(/operationId: listPets\n/, '')));
  expect(errors(result.problems).filter((p) => p.rule.startsWith('document-limit'))).toEqual([]);
});

test('JSON nested deeper than the limit is refused at the pointer where it crosses it', async () => {
  const depth = DOCUMENT_LIMITS.depth + 10;
  const nested = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const file = write(
    'deep.json',
    `{"openapi":"3.0.3","info":{"title":"Deep","version":"1"},"paths":{},"x-deep":${nested}}`,
  );
  const result = await lintSpec(file);
  expect(errors(result.problems)).toEqual([
    expect.objectContaining({
      rule: 'document-limit-depth',
      pointer: expect.stringMatching(/^\/x-deep(\/a)+$/),
      message: expect.stringContaining(`more than ${DOCUMENT_LIMITS.depth} deep`),
    }),
  ]);
});

test('YAML nested deeper than the limit (through aliases) is refused', async () => {
  const lines = ['x-d0: &d0 { leaf: 1 }'];
  for (let i = 1; i <= DOCUMENT_LIMITS.depth + 5; i++) lines.push(`x-d${i}: &d${i} { next: *d${i - 1} }`);
  const result = await lintSpec(write('deep.yaml', documentWith(lines.join('\n') + '\n')));
  expect(errors(result.problems).map((p) => p.rule)).toEqual(['document-limit-depth']);
});

test('a file over the size limit is refused before it is parsed', async () => {
  const file = write('huge.yaml', documentWith(`x-pad: "${'x'.repeat(DOCUMENT_LIMITS.fileBytes)}"\n`));
  const result = await lintSpec(file);
  expect(errors(result.problems)).toEqual([
    expect.objectContaining({
      rule: 'document-limit-file-bytes',
      pointer: '',
      message: expect.stringContaining(DOCUMENT_LIMITS.fileBytes.toLocaleString('en-US')),
    }),
  ]);
});

test('a $ref to an http URL is refused at its pointer and never fetched', async () => {
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    res.end('type: string\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const file = write(
      'remote.yaml',
      documentWith(`components:\n  schemas:\n    Pet:\n      $ref: "http://127.0.0.1:${port}/pet.yaml#/Pet"\n`),
    );
    const result = await lintSpec(file);
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        rule: 'ref-remote',
        pointer: '/components/schemas/Pet/$ref',
        fix: expect.stringContaining('./pet.yaml#/Pet'),
      }),
    ]);
    expect(requests).toBe(0);
  } finally {
    server.close();
  }
});

test('a $ref to a file outside the document folder is refused and its content goes nowhere', async () => {
  write('outside/secret.yaml', 'Secret: { type: string, description: TOP-SECRET-VALUE }\n');
  const file = write(
    'api/doc.yaml',
    documentWith('components:\n  schemas:\n    Pet:\n      $ref: "../outside/secret.yaml#/Secret"\n'),
  );
  const result = await lintSpec(file);
  expect(result.model).toBeUndefined();
  expect(errors(result.problems)).toEqual([
    expect.objectContaining({
      rule: 'ref-outside-folder',
      file,
      pointer: '/components/schemas/Pet/$ref',
      message: expect.stringContaining(path.join(dir, 'api')),
    }),
  ]);
  expect(JSON.stringify(result)).not.toContain('TOP-SECRET-VALUE');
});

test('a file the document $refs may not $ref outside the folder either; the problem names that file', async () => {
  write('outside/secret.yaml', 'Secret: { type: string }\n');
  const sub = write('api/schemas.yaml', 'Pet:\n  $ref: "../outside/secret.yaml#/Secret"\n');
  const file = write(
    'api/doc.yaml',
    documentWith('components:\n  schemas:\n    Pet:\n      $ref: "./schemas.yaml#/Pet"\n'),
  );
  const result = await lintSpec(file);
  expect(errors(result.problems)).toEqual([
    expect.objectContaining({ rule: 'ref-outside-folder', file: sub, pointer: '/Pet/$ref' }),
  ]);
});

test('a symbolic link in the folder that leads outside it is not followed', async () => {
  write('outside/secret.yaml', 'Secret: { type: string, description: TOP-SECRET-VALUE }\n');
  fs.mkdirSync(path.join(dir, 'api'));
  fs.symlinkSync(path.join(dir, 'outside', 'secret.yaml'), path.join(dir, 'api', 'linked.yaml'));
  const file = write(
    'api/doc.yaml',
    documentWith('components:\n  schemas:\n    Pet:\n      $ref: "./linked.yaml#/Secret"\n'),
  );
  const result = await lintSpec(file);
  expect(result.model).toBeUndefined();
  expect(errors(result.problems)).toEqual([
    expect.objectContaining({
      rule: 'ref-outside-folder',
      file: path.join(dir, 'api', 'linked.yaml'),
      message: expect.stringContaining(path.join(dir, 'outside', 'secret.yaml')),
    }),
  ]);
  expect(JSON.stringify(result)).not.toContain('TOP-SECRET-VALUE');
});

test('refRoot widens the folder $refs may name files in', async () => {
  write('shared/pet.yaml', 'Pet: { type: object }\n');
  const file = write(
    'api/doc.yaml',
    documentWith('components:\n  schemas:\n    Pet:\n      $ref: "../shared/pet.yaml#/Pet"\n'),
  );
  expect(errors((await lintSpec(file, { refRoot: dir })).problems)).toEqual([]);
});

// js-yaml refuses a key written twice, at the line and column of the second key.
describe('a key written twice in a YAML map', () => {
  test('is a syntax error at the line and column of the second one', async () => {
    const text = 'openapi: 3.0.3\ninfo: { title: T, version: "1" }\npaths:\n  /pets: {}\n  /pets: {}\n';
    const result = await lintSpec(write('dup-key.yaml', text));
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        rule: 'document-syntax',
        message: expect.stringContaining('Map keys must be unique'),
        fix: expect.stringContaining('line 5, column 3'),
      }),
    ]);
  });
  // YAML tells the number 1 from the string "1", but the document becomes JSON, where an object has one key "1":
  // reading both would keep one value and drop the other without a word, so the map is refused instead.
  test('the number 1 and the string "1" are the same key once read, and refused as one written twice', async () => {
    const text = 'openapi: 3.0.3\ninfo: { title: T, version: "1" }\nx-codes: { 1: a, "1": b }\npaths: {}\n';
    const result = await lintSpec(write('dup-number-key.yaml', text));
    expect(errors(result.problems)).toEqual([
      expect.objectContaining({
        rule: 'document-syntax',
        message: expect.stringContaining('Map keys must be unique'),
        fix: expect.stringContaining('line 3, column 18'),
      }),
    ]);
  });
});

test('YAML nested far deeper than the reader goes is the depth limit, not a crash', async () => {
  const depth = 100_000;
  const result = await lintSpec(
    write('very-deep.yaml', documentWith(`x-deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`)),
  );
  expect(errors(result.problems)).toEqual([
    expect.objectContaining({
      rule: 'document-limit-depth',
      message: expect.stringContaining(`more than ${DOCUMENT_LIMITS.depth} deep`),
    }),
  ]);
});

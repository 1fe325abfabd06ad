// read.ts skips swagger-parser's resolve and bundle when bundling would give the entry back as it is. These
// check that claim against the full bundle: for every document in the repository's fixtures, and for the
// $refs bundle rewrites (which must take the full path).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Json, JsonObject } from './types';
import { parseText } from './parse-text';
import { bundlesToItself } from './read';

const REPO = path.resolve(__dirname, '..', '..');
const DOCUMENT_FOLDERS = ['openapi', 'local/fixtures', 'contract-tests/fixtures'];
const DOCUMENT_FILE = /\.(ya?ml|json|json\.(tftpl|tpl|tmpl))$/i;

function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(full);
    return DOCUMENT_FILE.test(entry.name) ? [full] : [];
  });
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every fixture file that reads as an OpenAPI or Swagger document, as read.ts hands it to swagger-parser. */
function fixtureDocuments(): { file: string; entry: JsonObject }[] {
  const found: { file: string; entry: JsonObject }[] = [];
  for (const file of DOCUMENT_FOLDERS.flatMap((folder) => filesUnder(path.join(REPO, folder)))) {
    let root: Json;
    try {
      root = parseText(file, fs.readFileSync(file, 'utf8'));
    } catch {
      continue; // the broken fixtures that are not YAML or JSON at all
    }
    if (!isObject(root) || (root.openapi === undefined && root.swagger === undefined)) continue;
    found.push({ file, entry: typeof root.swagger === 'number' ? { ...root, swagger: '2.0' } : root });
  }
  return found;
}

/**
 * Equal values in the same key order (the body is serialized as it is). Not toStrictEqual: structuredClone
 * makes objects of Node's realm, not the test's.
 */
function expectSame(file: string, bundled: Json, entry: Json): void {
  expect({ file, body: bundled }).toEqual({ file, body: entry });
  expect({ file, text: JSON.stringify(bundled) }).toEqual({ file, text: JSON.stringify(entry) });
}

async function fullBundle(file: string, entry: JsonObject): Promise<Json> {
  return (await new SwaggerParser().bundle(
    file,
    structuredClone(entry) as never,
    {
      resolve: { external: true, http: false },
    } as never,
  )) as unknown as Json;
}

test('for every fixture document bundling would give back as it is, the full bundle deep-equals it', async () => {
  const documents = fixtureDocuments();
  let fast = 0;
  for (const { file, entry } of documents) {
    if (!bundlesToItself(entry)) continue;
    fast++;
    let bundled: Json;
    try {
      bundled = await fullBundle(file, entry);
    } catch (error) {
      // A document swagger-parser refuses (its version fields): the fast path runs the same check.
      const refused = (error as Error).message;
      await expect(new SwaggerParser().parse(file, entry as never)).rejects.toThrow(refused);
      continue;
    }
    expectSame(file, bundled, entry);
  }
  // Most fixtures are single files; the ones with external $refs take the full path.
  expect(fast).toBeGreaterThan(30);
  expect(fast).toBeLessThan(documents.length);
});

describe('$refs that bundle rewrites take the full path', () => {
  const document = (components: JsonObject, schema: JsonObject): JsonObject => ({
    openapi: '3.0.3',
    info: { title: 'T', version: '1' },
    paths: {
      '/pets': {
        get: {
          responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } },
        },
      },
    },
    components: { schemas: components },
  });
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-read-'));
    fs.writeFileSync(path.join(dir, 'pet.yaml'), 'type: object\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each([
    [
      'a pointer through another $ref',
      document(
        { A: { $ref: '#/components/schemas/B' }, B: { type: 'object', properties: { id: { type: 'string' } } } },
        { $ref: '#/components/schemas/A/properties/id' },
      ),
    ],
    [
      'a $ref to a $ref',
      document({ A: { $ref: '#/components/schemas/B' }, B: { type: 'string' } }, { $ref: '#/components/schemas/A' }),
    ],
    [
      'a pointer URL parsing encodes (a space)',
      document({ 'My Pet': { type: 'string' } }, { $ref: '#/components/schemas/My Pet' }),
    ],
    ['a $ref to another file', document({}, { $ref: './pet.yaml' })],
  ])('%s', async (_name, entry) => {
    const file = path.join(dir, 'api.yaml');
    expect(bundlesToItself(entry)).toBe(false);
    expect(JSON.stringify(await fullBundle(file, entry))).not.toEqual(JSON.stringify(entry));
  });

  test('a recursive schema, a %-encoded and a ~-escaped pointer are written back as they are', async () => {
    const entry = document(
      {
        Node: { type: 'object', properties: { child: { $ref: '#/components/schemas/Node' } } },
        'a/b c': { type: 'string' },
      },
      { allOf: [{ $ref: '#/components/schemas/Node' }, { $ref: '#/components/schemas/a~1b%20c' }] },
    );
    expect(bundlesToItself(entry)).toBe(true);
    expectSame('api.yaml', await fullBundle(path.join(dir, 'api.yaml'), entry), entry);
  });
});

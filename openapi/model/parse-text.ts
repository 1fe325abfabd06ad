// Parses one file of a document: JSON strictly, anything else as YAML. CloudFormation's short-form intrinsic
// tags (!Sub, !Ref, !GetAtt, !Join ...) are read as their long forms ({"Fn::Sub": ...}), so a SAM
// DefinitionBody extract reads as the same document its long form would be; template-variables.ts binds them.
import * as jsYaml from 'js-yaml';
import { CORE_SCHEMA, load, Type, YAMLException } from 'js-yaml';
import type { Json } from './types';
import { DOCUMENT_LIMITS, fileTooLarge, tooDeep, tooManyValues } from './document-limits';
import { checkJsonShape } from './json-shape';

/** A file that is not JSON or YAML; line and column are 1-based, when known. */
export class TextSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? reason : `${reason} (${line}:${column})`);
  }
}

/** Short-form tag -> the long form's key ("Intrinsic function reference", CloudFormation User Guide). */
const INTRINSICS: Record<string, string> = Object.fromEntries([
  ['!Ref', 'Ref'],
  ['!Condition', 'Condition'],
  ...[
    'Base64',
    'Cidr',
    'FindInMap',
    'GetAtt',
    'GetAZs',
    'ImportValue',
    'Join',
    'Select',
    'Split',
    'Sub',
    'Transform',
    'And',
    'Equals',
    'If',
    'Not',
    'Or',
    'Length',
    'ToJsonString',
  ].map((name) => [`!${name}`, `Fn::${name}`]),
]);

/**
 * The file's content. Throws a TextSyntaxError for a file that is not JSON or YAML (a key written twice
 * included, in JSON as in YAML) and a DocumentLimitError for one over DOCUMENT_LIMITS.
 */
export function parseText(file: string, text: string): Json {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > DOCUMENT_LIMITS.fileBytes) throw fileTooLarge(bytes);
  // A Terraform template of a JSON document is JSON too (api.json.tftpl, api.json.tpl), once its bare references are.
  if (/\.json\.(tftpl|tpl|tmpl)$/i.test(file)) return parseJson(quoteBareReferences(text));
  return /\.json$/i.test(file) ? parseJson(text) : parseYaml(text);
}

const BARE_REFERENCE = /\$\{[A-Za-z_][A-Za-z0-9_-]*\}/y;

/**
 * A JSON template writes a number or a boolean as a bare `${name}` (`"maxAge": ${max_age}`), which is JSON only
 * once Terraform has rendered it. Each bare reference outside a string is quoted, so the template parses; the
 * binder writes the value back as a number or boolean where the field is one (template-variables.ts). Columns
 * after a quoted reference on its line move by two; lines do not.
 */
function quoteBareReferences(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') {
        out += text.slice(i, i + 2);
        i++;
        continue;
      }
      if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '$') {
      BARE_REFERENCE.lastIndex = i;
      const reference = BARE_REFERENCE.exec(text)?.[0];
      if (reference) {
        out += `"${reference}"`;
        i += reference.length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function parseJson(text: string): Json {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (error) {
    // V8 names the position in some messages only; the excerpt of the text it quotes is left out.
    const message = (error instanceof Error ? error.message : String(error)).replace(/, ".*" is not valid JSON$/s, '');
    const at = /position (\d+)/.exec(message);
    if (!at) throw new TextSyntaxError(message);
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    throw new TextSyntaxError(
      message.replace(/ in JSON at position \d+.*$/, ''),
      line,
      before.length - before.lastIndexOf('\n'),
    );
  }
  const duplicate = checkJsonShape(text);
  if (duplicate)
    throw new TextSyntaxError(
      `Map keys must be unique: "${duplicate.key}" is written twice in the object at ${duplicate.pointer || '/'} (JSON.parse would keep the later one silently)`,
      duplicate.line,
      duplicate.column,
    );
  return value;
}

const KINDS = ['scalar', 'sequence', 'mapping'] as const;

/** A tag on nothing (`!Ref` alone) tags the empty string, as yaml read it. */
const orEmpty = (data: unknown): unknown => (data === null ? '' : data);

/** Each short form, on a scalar, a sequence or a mapping, becomes { <long form>: <the value, untagged> }. */
const INTRINSIC_TYPES = Object.entries(INTRINSICS).flatMap(([tag, long]) =>
  KINDS.map((kind) => new Type(tag, { kind, construct: (data: unknown) => ({ [long]: orEmpty(data) }) })),
);

/**
 * Any other tag (`!Foo`, `!<tag:x>`, `!!unknown`) keeps the value as written, a scalar as its string: what yaml
 * did with a tag it did not know. A multi type of the empty prefix matches every tag no other type names.
 */
const UNKNOWN_TAG_TYPES = KINDS.map((kind) => new Type('', { kind, multi: true, construct: orEmpty }));

// The YAML 1.2 core schema's numbers as the yaml package resolved them (a plain `0b11`, `-0x1f` or `1_000` is a
// string; `-.5` and `1e400` are numbers), where js-yaml's own int and float differ at those edges.
const INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

const CORE_INT = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && INT.test(data),
  construct: (data: string) =>
    data.startsWith('0o')
      ? parseInt(data.slice(2), 8)
      : data.startsWith('0x')
        ? parseInt(data.slice(2), 16)
        : parseInt(data, 10),
});

const CORE_FLOAT = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && FLOAT.test(data),
  construct: (data: string) => {
    if (/\.nan$/i.test(data)) return NaN;
    if (/\.inf$/i.test(data)) return data.startsWith('-') ? -Infinity : Infinity;
    return parseFloat(data);
  },
});

// js-yaml's types, which its typings leave out; the explicit YAML 1.1 tags yaml also read (!!timestamp,
// !!binary, !!set, !!omap, !!pairs), each only where written: a plain 2001-01-01 stays a string.
const { binary, omap, pairs, set, timestamp } = (jsYaml as unknown as { types: Record<string, Type> }).types;

/**
 * The core schema (no implicit timestamps, and `<<` an ordinary key: no merge keys) with yaml's numbers, the
 * intrinsic tags and the unknown-tag fallback.
 */
const SCHEMA = CORE_SCHEMA.extend({
  implicit: [CORE_INT, CORE_FLOAT],
  explicit: [timestamp, binary, omap, pairs, set, ...INTRINSIC_TYPES, ...UNKNOWN_TAG_TYPES],
});

/**
 * How deep js-yaml's recursive reader may nest before it stops (one level per collection). Twice the depth limit,
 * so the measure below names the pointer of a document nested a little too deep, while one nested a hundred
 * thousand deep is the same problem rather than a stack overflow.
 */
const READER_DEPTH = 2 * DOCUMENT_LIMITS.depth;

/** What js-yaml loads from a file (its typings leave maxDepth out). */
function loadYaml(text: string, listener?: jsYaml.LoadOptions['listener']): unknown {
  return load(text, { schema: SCHEMA, maxDepth: READER_DEPTH, listener } as jsYaml.LoadOptions);
}

/**
 * Read with js-yaml 4 rather than yaml's parseDocument, which builds a node tree first: a 10,000-operation
 * synth took 13.7 s of CPU with yaml, 7.2 s with js-yaml (its 10 MB document read in 0.45 s against 3-4 s).
 * What a file reads as is unchanged but for keys: a null key is "null" (yaml made it ""), and keys that are one
 * JSON key (1 and "1") are refused as written twice. A `%YAML 1.1` directive no longer switches to YAML 1.1's
 * schema (yes/no booleans).
 */
function parseYaml(text: string): Json {
  let value: unknown;
  try {
    value = loadYaml(text);
  } catch (error) {
    // The reader's own depth bound comes first; this is the backstop on a smaller stack (a worker thread).
    if (error instanceof RangeError && /call stack/.test(error.message)) throw tooDeep([]);
    if (!(error instanceof YAMLException)) throw error;
    throw syntaxError(text, error);
  }
  // Aliases are shared objects: measured before anything walks them, an alias bomb is refused in the time it
  // takes to count its distinct values.
  measureExpanded(value, text.includes('&'));
  return value === undefined ? null : (value as Json);
}

function syntaxError(text: string, error: YAMLException): Error {
  const { reason, mark } = error;
  if (reason.startsWith('nesting exceeded maxDepth')) return tooDeep([]);
  if (reason === 'duplicated mapping key')
    return new TextSyntaxError('Map keys must be unique', mark.line + 1, mark.column + 1);
  if (reason.startsWith('expected a single document')) {
    const at = secondDocumentAt(text);
    return new TextSyntaxError('Source contains multiple documents (a file holds one document)', at?.line, at?.column);
  }
  return mark ? new TextSyntaxError(reason, mark.line + 1, mark.column + 1) : new TextSyntaxError(reason);
}

/** The `---` line that starts the second document, found by reading again (only for this error). */
function secondDocumentAt(text: string): { line: number; column: number } | undefined {
  let position: number | undefined;
  try {
    loadYaml(text, (event, state) => {
      // The first node opened once the first document is read is the second document's.
      const read = (state as unknown as { documents: unknown[] }).documents.length;
      if (event === 'open' && position === undefined && read === 1) position = state.position;
    });
  } catch {
    // The first read failed for the same reason.
  }
  if (position === undefined) return undefined;
  const marker = text.lastIndexOf('\n---', position);
  const lines = text.slice(0, marker === -1 ? position : marker + 1).split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

interface Measure {
  values: number;
  height: number;
}

const SCALAR: Measure = { values: 1, height: 1 };

/**
 * Counts the values the document holds with every alias expanded, and how deep they nest, in time linear in
 * the distinct objects (an object an alias shares is measured once); throws a DocumentLimitError at the first
 * value over a limit, naming its pointer. An alias inside the node it names is a cycle: over the depth limit.
 * @param shares whether the text may hold an anchor (it has an `&`): without one nothing is shared, and the
 * walk keeps no record of what it has measured (a quarter of its 0.17 s for a 10,000-operation document)
 */
function measureExpanded(root: unknown, shares: boolean): void {
  const measured = new Map<object, Measure>();
  const inProgress = new Set<object>();
  // One path, pushed and popped, rather than a copy per value.
  const path: (string | number)[] = [];
  const measure = (value: unknown): Measure => {
    if (path.length > DOCUMENT_LIMITS.depth) throw tooDeep(path);
    if (value === null || typeof value !== 'object') return SCALAR;
    if (shares) {
      const known = measured.get(value);
      if (known) {
        if (path.length + known.height > DOCUMENT_LIMITS.depth) throw tooDeep(path);
        return known;
      }
      if (inProgress.has(value)) throw tooDeep(path);
      inProgress.add(value);
    }
    let values = 1;
    let height = 0;
    const array = Array.isArray(value);
    const keys = array ? undefined : Object.keys(value);
    const length = keys ? keys.length : (value as unknown[]).length;
    for (let i = 0; i < length; i++) {
      const segment = keys ? keys[i] : i;
      path.push(segment);
      const m = measure((value as Record<string | number, unknown>)[segment]);
      path.pop();
      values += m.values;
      if (m.height > height) height = m.height;
      if (values > DOCUMENT_LIMITS.expandedValues) throw tooManyValues(path);
    }
    const m = { values, height: height + 1 };
    if (shares) {
      inProgress.delete(value);
      measured.set(value, m);
    }
    return m;
  };
  measure(root);
}

// Parses one file of a document: JSON strictly, anything else as YAML. CloudFormation's short-form intrinsic
// tags (!Sub, !Ref, !GetAtt, !Join ...) are read as their long forms ({"Fn::Sub": ...}), so a SAM
// DefinitionBody extract reads as the same document its long form would be; template-variables.ts binds them.
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Pair,
  Scalar,
  visit,
  YAMLMap,
  type Node,
} from 'yaml';
import type { Document } from 'yaml';
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

function parseYaml(text: string): Json {
  // yaml's own uniqueKeys compares each key with every earlier one of its map: quadratic in a `paths` of
  // 10,000 keys (a quarter of a 10,000-operation synth). The same rule, checked once per key with a Set.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: true, lineCounter });
  const error = doc.errors[0];
  if (error) {
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new TextSyntaxError(reason, error.linePos?.[0].line, error.linePos?.[0].col);
  }
  const duplicate = firstDuplicateKey(doc);
  if (duplicate) {
    const at = lineCounter.linePos(duplicate.range?.[0] ?? 0);
    throw new TextSyntaxError('Map keys must be unique', at.line, at.col);
  }
  // Each tagged node becomes { <long form>: <the node, untagged> }; the visit then goes on into it.
  visit(doc, {
    Node(_key, node) {
      const long = node.tag === undefined ? undefined : INTRINSICS[node.tag];
      if (long === undefined) return undefined;
      node.tag = undefined;
      const wrapper = new YAMLMap<Scalar, Node>();
      wrapper.items.push(new Pair(new Scalar(long), node));
      return wrapper;
    },
  });
  // Measured before anything is expanded: an alias bomb is refused in the time it takes to count its nodes.
  measureExpanded(doc);
  // measureExpanded is the one alias bound (its limit is documented); yaml's own count, which weighs aliases
  // differently, would refuse some documents within it with a message that names no limit.
  let value: Json | undefined;
  try {
    value = doc.toJS({ maxAliasCount: -1 }) as Json | undefined;
  } catch (error) {
    // yaml refuses an alias bomb here ("Excessive alias count ..."): a problem of the file, not a crash.
    throw new TextSyntaxError(error instanceof Error ? error.message : String(error));
  }
  return value === undefined ? null : value;
}

interface Measure {
  values: number;
  height: number;
}

/**
 * Counts the values the document holds with every alias expanded, and how deep they nest, in time linear in
 * the written nodes (each anchored node is measured once); throws a DocumentLimitError at the first value over
 * a limit, naming its pointer.
 */
function measureExpanded(doc: Document): void {
  const targets = aliasTargets(doc);
  const measured = new Map<unknown, Measure>();
  const inProgress = new Set<unknown>();
  const measure = (node: unknown, path: (string | number)[]): Measure => {
    if (path.length > DOCUMENT_LIMITS.depth) throw tooDeep(path);
    if (isAlias(node)) {
      const target: unknown = targets.get(node);
      if (target === undefined) return { values: 1, height: 1 };
      // yaml turns an alias inside the node it names into a cycle that nothing downstream can walk.
      if (inProgress.has(target)) throw tooDeep(path);
      const m = measured.get(target) ?? measure(target, path);
      if (path.length + m.height > DOCUMENT_LIMITS.depth) throw tooDeep(path);
      return m;
    }
    const known = measured.get(node);
    if (known) return known;
    let values = 1;
    let height = 0;
    const add = (child: unknown, segment: string | number) => {
      const m = measure(child, [...path, segment]);
      values += m.values;
      height = Math.max(height, m.height);
      if (values > DOCUMENT_LIMITS.expandedValues) throw tooManyValues(path);
    };
    inProgress.add(node);
    if (isMap(node) || isSeq(node)) {
      node.items.forEach((item: unknown, index: number) => {
        if (isPair(item)) {
          const key = isScalar(item.key) ? String(item.key.value) : index;
          if (item.key !== null && !isScalar(item.key)) add(item.key, key);
          add(item.value, key);
        } else add(item, index);
      });
    }
    inProgress.delete(node);
    const m = { values, height: height + 1 };
    measured.set(node, m);
    return m;
  };
  measure(doc.contents, []);
}

/**
 * What each alias names, found in one pass. yaml's Alias.resolve walks the whole document for every alias, so a
 * document with a thousand aliases of one anchor (as yaml.stringify writes repeated objects) took a minute.
 * Same rule as resolve: the last node with that anchor before the alias, in document order.
 */
function aliasTargets(doc: Document): Map<unknown, Node> {
  const latest = new Map<string, Node>();
  const targets = new Map<unknown, Node>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = latest.get(node.source);
        if (target) targets.set(node, target);
      } else if (node.anchor) latest.set(node.anchor, node);
    },
  });
  return targets;
}

/**
 * The first key written twice in one map, as yaml's uniqueKeys decides it: scalar keys of the same value (a
 * number and a string are different keys; `<<` is an ordinary key, merge keys being off); other keys never
 * equal.
 */
function firstDuplicateKey(doc: Document): Scalar | undefined {
  let found: Scalar | undefined;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const item of map.items) {
        const key: unknown = item.key;
        if (!isScalar(key)) continue;
        const id = `${typeof key.value}:${String(key.value)}`;
        if (seen.has(id)) {
          found = key;
          return visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
  return found;
}

// Parses one file of a document: JSON strictly, anything else as YAML. CloudFormation's short-form intrinsic
// tags (!Sub, !Ref, !GetAtt, !Join ...) are read as their long forms ({"Fn::Sub": ...}), so a SAM
// DefinitionBody extract reads as the same document its long form would be; template-variables.ts binds them.
import { parseDocument, Pair, Scalar, visit, YAMLMap, type Node } from 'yaml';
import type { Json } from './types';

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

export function parseText(file: string, text: string): Json {
  // A Terraform template of a JSON document is JSON too (api.json.tftpl, api.json.tpl).
  return /\.json(\.(tftpl|tpl|tmpl))?$/i.test(file) ? parseJson(text) : parseYaml(text);
}

function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
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
}

function parseYaml(text: string): Json {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const reason = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new TextSyntaxError(reason, error.linePos?.[0].line, error.linePos?.[0].col);
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
  // yaml weighs each alias by the aliases inside what it names, so nested alias bombs pass this at once while a
  // long document reusing plain anchors (an operation written once, aliased per path) stays well within it.
  let value: Json | undefined;
  try {
    value = doc.toJS({ maxAliasCount: 100_000 }) as Json | undefined;
  } catch (error) {
    // yaml refuses an alias bomb here ("Excessive alias count ..."): a problem of the file, not a crash.
    throw new TextSyntaxError(error instanceof Error ? error.message : String(error));
  }
  return value === undefined ? null : value;
}

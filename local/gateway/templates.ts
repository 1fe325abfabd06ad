// `$context` variables and the small part of mapping templates the local gateway renders. No VTL: only
// variable references are substituted (`$context.x`, `$!context.x`, `${context.x}`, `$context.a['b:c']`).
import type { IncomingHttpHeaders } from 'node:http';

/** A nested object of strings: `$context.identity.sourceIp` is `context.identity.sourceIp`. */
export interface ContextTree {
  [key: string]: string | number | null | undefined | ContextTree;
}

const PARTS = String.raw`((?:\.[A-Za-z0-9_-]+|\['[^']*'\]|\["[^"]*"\])+)`;
const REFERENCE = new RegExp(String.raw`\$!?\{context${PARTS}\}|\$!?context${PARTS}`, 'g');
const PART = /\.([A-Za-z0-9_-]+)|\['([^']*)'\]|\["([^"]*)"\]/g;

/** A template split once into literal text and `$context` paths, in order. */
type CompiledTemplate = (string | string[])[];

// Templates come from the document, so there are few of them; parsing each on every request cost more
// than the rest of a mock request.
const compiled = new Map<string, CompiledTemplate>();

function compile(template: string): CompiledTemplate {
  let parts = compiled.get(template);
  if (parts) return parts;
  parts = [];
  let last = 0;
  for (const m of template.matchAll(REFERENCE)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push(pathOf(m[1] ?? m[2] ?? ''));
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  compiled.set(template, parts);
  return parts;
}

/** Replaces every `$context` reference in a template; an unknown one becomes empty, as in API Gateway. */
export function renderTemplate(template: string, context: ContextTree): string {
  let out = '';
  for (const part of compile(template)) {
    if (typeof part === 'string') out += part;
    else {
      const value = lookup(context, part);
      if (value !== undefined && value !== null) out += String(value);
    }
  }
  return out;
}

/** A value of `context.a.b` (response parameter syntax, no `$`). */
export function contextValue(context: ContextTree, reference: string): string | undefined {
  const m = /^context((?:\.[A-Za-z0-9_-]+|\['[^']*'\])+)$/.exec(reference);
  if (!m) return undefined;
  const value = lookup(context, pathOf(m[1]));
  return value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
}

function pathOf(parts: string): string[] {
  return [...parts.matchAll(PART)].map((m) => m[1] ?? m[2] ?? m[3]);
}

function lookup(tree: ContextTree, path: string[]): ContextTree[string] {
  let value: ContextTree[string] = tree;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[key];
  }
  return typeof value === 'object' && value !== null ? undefined : value;
}

/**
 * A response parameter's value: `'literal'` (the model drops the quotes, so anything that is not a
 * reference is taken literally), `method.request.header|querystring|path.X`, or `context.x`.
 */
export function parameterValue(
  value: string,
  request: { headers: IncomingHttpHeaders; query: URLSearchParams; pathParameters: Record<string, string> },
  context: ContextTree,
): string | undefined {
  const quoted = /^'(.*)'$/.exec(value);
  if (quoted) return quoted[1];
  const source = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(value);
  if (source) {
    if (source[1] === 'header') {
      const header = request.headers[source[2].toLowerCase()];
      return Array.isArray(header) ? header.join(',') : header;
    }
    if (source[1] === 'querystring') return request.query.get(source[2]) ?? undefined;
    return request.pathParameters[source[2]];
  }
  if (value.startsWith('context.')) return contextValue(context, value);
  return value;
}

/** API Gateway's `$context.requestTime` format: `09/Apr/2015:12:34:56 +0000`. */
export function clfTime(epochMs: number): string {
  // Requests of one second share the string.
  const second = Math.floor(epochMs / 1000);
  if (second !== lastClf.second) lastClf = { second, text: formatClf(new Date(second * 1000)) };
  return lastClf.text;
}

let lastClf = { second: NaN, text: '' };

const pad2 = (n: number): string => String(n).padStart(2, '0');

function formatClf(d: Date): string {
  return `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
}

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

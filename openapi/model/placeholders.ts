// `{{...}}` placeholders: values the module (or the local stack) fills in with the resources it creates.
import type { Json, JsonObject, Placeholder, PlaceholderUse } from './types';
import { pointerOf, type ProblemList } from './problems';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const NAMED = /^(clientId|lambda|backend):([A-Za-z0-9_-]+)$/;

export const PLACEHOLDER_FORMS =
  '{{userPoolArn}}, {{issuer}}, {{region}}, {{clientId:<client>}}, {{lambda:<function>}}, {{backend:<name>}}';

export function parsePlaceholder(inner: string): Placeholder | undefined {
  if (inner === 'userPoolArn' || inner === 'issuer' || inner === 'region') return { kind: inner };
  const named = NAMED.exec(inner);
  if (!named) return undefined;
  return { kind: named[1] as 'clientId' | 'lambda' | 'backend', name: named[2] };
}

export function placeholderText(p: Placeholder): string {
  return 'name' in p ? `{{${p.kind}:${p.name}}}` : `{{${p.kind}}}`;
}

/** Every placeholder in the document, with its pointer; unknown ones are reported. */
export function findPlaceholders(body: Json, problems: ProblemList): PlaceholderUse[] {
  const uses: PlaceholderUse[] = [];
  walkStrings(body, [], (value, segments) => {
    for (const match of value.matchAll(PLACEHOLDER)) {
      const placeholder = parsePlaceholder(match[1]);
      const pointer = pointerOf(...segments);
      if (placeholder) uses.push({ pointer, placeholder });
      else
        problems.error(
          'placeholder-unknown',
          pointer,
          `Unknown placeholder "${match[0]}".`,
          `Use one of ${PLACEHOLDER_FORMS}, or write the value itself.`,
        );
    }
  });
  return uses;
}

/**
 * A copy of the document with every placeholder replaced by `resolve(placeholder)`. The module passes
 * cdktf token strings, the local stack plain values; a placeholder inside a longer string is replaced in place.
 */
export function bindPlaceholders(body: JsonObject, resolve: (p: Placeholder) => string): JsonObject {
  return mapStrings(body, (value) =>
    value.replace(PLACEHOLDER, (whole, inner: string) => {
      const placeholder = parsePlaceholder(inner);
      return placeholder ? resolve(placeholder) : whole;
    }),
  ) as JsonObject;
}

/** Replaces placeholders in one string. */
export function bindString(value: string, resolve: (p: Placeholder) => string): string {
  return bindPlaceholders({ v: value }, resolve).v as string;
}

export function mapStrings(value: Json, map: (s: string) => string): Json {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (value && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, map);
    return out;
  }
  return value;
}

/** `segments` is one array, pushed and popped (not a copy per value): `visit` reads it only while it runs. */
function walkStrings(value: Json, segments: string[], visit: (s: string, segments: string[]) => void): void {
  if (typeof value === 'string') visit(value, segments);
  else if (Array.isArray(value))
    for (let i = 0; i < value.length; i++) {
      segments.push(String(i));
      walkStrings(value[i], segments, visit);
      segments.pop();
    }
  else if (value && typeof value === 'object')
    for (const k of Object.keys(value)) {
      segments.push(k);
      walkStrings(value[k], segments, visit);
      segments.pop();
    }
}

/**
 * One string cut into its literal text and its placeholders, in order (unknown `{{...}}` stay text). For
 * callers that must treat the two differently, e.g. the module escapes Terraform template syntax in the
 * text only.
 */
export function splitOnPlaceholders(value: string): (string | Placeholder)[] {
  const parts: (string | Placeholder)[] = [];
  let text = '';
  let last = 0;
  for (const match of value.matchAll(PLACEHOLDER)) {
    const placeholder = parsePlaceholder(match[1]);
    text += value.slice(last, match.index);
    last = match.index + match[0].length;
    if (!placeholder) {
      text += match[0];
      continue;
    }
    if (text) parts.push(text);
    parts.push(placeholder);
    text = '';
  }
  text += value.slice(last);
  if (text) parts.push(text);
  return parts;
}

// Reads parts of the imported document (the model's `body`) that the model does not carry: an operation's
// integration as written and its documented responses. The body keeps its internal `$ref`s, so they are
// followed here.
import type { Json, JsonObject } from '../../openapi/model/types';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The value at a JSON pointer, following `$ref`s on the way (and at the end). */
export function at(root: JsonObject, pointer: string): Json | undefined {
  let value: Json | undefined = root;
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescape);
  for (const segment of segments) {
    value = follow(root, value);
    if (Array.isArray(value)) value = value[Number(segment)];
    else if (isObject(value)) value = Object.hasOwn(value, segment) ? value[segment] : undefined;
    else return undefined;
  }
  return follow(root, value);
}

/** A `{$ref: '#/...'}` replaced by its target, repeatedly; a cycle or a ref outside the body gives undefined. */
export function follow(root: JsonObject, value: Json | undefined, seen = new Set<string>()): Json | undefined {
  let current = value;
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (!ref.startsWith('#') || seen.has(ref)) return undefined;
    seen.add(ref);
    current = at(root, ref.slice(1));
  }
  return current;
}

/** The value with every `$ref` inside it replaced, for reading schemas; cycles stop at `{}`, depth at 12. */
export function resolved(
  root: JsonObject,
  value: Json | undefined,
  depth = 0,
  path = new Set<string>(),
): Json | undefined {
  if (depth > 12) return {};
  if (isObject(value) && typeof value.$ref === 'string') {
    const ref = value.$ref;
    if (path.has(ref)) return {};
    const target = follow(root, value);
    return resolved(root, target, depth + 1, new Set([...path, ref]));
  }
  if (Array.isArray(value)) return value.map((v) => resolved(root, v, depth + 1, path) ?? null);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) {
      const r = resolved(root, v, depth + 1, path);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return value;
}

export function objectAt(root: JsonObject, pointer: string): JsonObject | undefined {
  const value = at(root, pointer);
  return isObject(value) ? value : undefined;
}

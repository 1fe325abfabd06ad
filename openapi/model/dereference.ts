// The bundled document with every $ref replaced by what it names, for reading. json-schema-ref-parser's
// dereference did this on a full structuredClone of the body: 1.2 s of CPU in a 10,000-operation synth, most of
// it building a JSON pointer string for every key it passes. For the documents nearly everyone writes (every
// $ref a lone `#/...` pointer that resolves to a plain value) the same graph is built here in one copying pass;
// anything else (a $ref with sibling keys, one that does not resolve, a chain that loops, a value that is not
// plain JSON) goes to json-schema-ref-parser as before. dereference.test.ts compares the two graphs.
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Json, JsonObject } from './types';
import { isRefObject as isRef, keptAsWritten, pointerKeys } from './ref-pointers';

type Ref = { $ref: string };

export interface Dereferenced {
  value: JsonObject;
  /** Known to hold no cycle (false when not known: json-schema-ref-parser dereferenced it). */
  acyclic: boolean;
}

/**
 * Arrays and objects of an Object prototype (any realm's: structuredClone makes Node's, in a jest test too) or
 * none: what structuredClone and a plain copy alike. A Date or a Uint8Array (YAML's !!timestamp, !!binary) is not.
 */
function isPlain(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * The value a `#/...` pointer names, following $refs on the way and at the end as json-schema-ref-parser's
 * Pointer does; undefined where it would do something else (a missing or null token, a $ref with siblings,
 * a loop, a pointer it would rewrite).
 */
function target(root: Json, ref: string, seen: Set<string> = new Set()): Json | undefined {
  if (!ref.startsWith('#/') || !keptAsWritten(ref) || seen.has(ref)) return undefined;
  seen.add(ref);
  let value: Json | undefined = root;
  for (const token of pointerKeys(ref)) {
    if (isRef(value)) value = follow(root, value, seen);
    if (typeof value !== 'object' || value === null) return undefined;
    value = Object.prototype.hasOwnProperty.call(value, token) ? (value as Record<string, Json>)[token] : undefined;
    if (value === undefined || value === null) return undefined;
  }
  return isRef(value) ? follow(root, value, seen) : value;
}

function follow(root: Json, ref: JsonObject & Ref, seen: Set<string>): Json | undefined {
  return Object.keys(ref).length === 1 ? target(root, ref.$ref, seen) : undefined;
}

/**
 * The dereferenced copy, or undefined when the document is not one this pass copies exactly. Every $ref
 * becomes its target, one object however many $refs name it; a $ref inside what it names becomes a cycle, as
 * json-schema-ref-parser leaves it. The copy is structuredClone's (native: about a quarter of the time of a
 * copy written here, which measured 0.56 s for a 10,000-operation document), its $ref slots then set by a walk
 * of the body beside it: the body has no cycles, so nothing need remember what it has seen.
 */
export function dereferenceSimple(body: JsonObject): Dereferenced | undefined {
  if (isRef(body)) return undefined;
  const copy = structuredClone(body);
  const targets = new Map<string, Json>();
  const walk = (from: Json[] | JsonObject, to: Json[] | JsonObject): boolean => {
    if (!isPlain(from)) return false;
    const source = from as Record<string, Json>;
    const out = to as Record<string, Json>;
    for (const key of Object.keys(source)) {
      const value = source[key];
      if (typeof value !== 'object' || value === null) continue;
      if (!isRef(value)) {
        if (!walk(value, out[key] as Json[] | JsonObject)) return false;
        continue;
      }
      if (Object.keys(value).length !== 1) return false;
      let found = targets.get(value.$ref);
      if (found === undefined) {
        // Resolved in the copy, so the target is the copy's object (whose own $refs the walk sets in turn).
        found = target(copy, value.$ref);
        if (found === undefined) return false;
        targets.set(value.$ref, found);
      }
      out[key] = found;
    }
    return true;
  };
  if (!walk(body, copy)) return undefined;
  return { value: copy, acyclic: refsAcyclic(body, [...targets.keys()]) };
}

/** The $refs written in a value, not looking past a $ref. */
function refsWithin(value: Json, found: string[]): string[] {
  if (typeof value !== 'object' || value === null) return found;
  if (isRef(value)) found.push(value.$ref);
  else for (const child of Array.isArray(value) ? value : Object.values(value)) refsWithin(child, found);
  return found;
}

/**
 * Whether the dereferenced graph has no cycle. The body is a tree (with YAML's shared values, never a cycle),
 * so a cycle runs through $refs: from a target, down to a $ref written inside it, to that $ref's target, and on
 * back. Each target's own part of the body is walked once.
 */
function refsAcyclic(body: JsonObject, refs: string[]): boolean {
  const targetOf = new Map(refs.map((ref) => [ref, target(body, ref)]));
  const state = new Map<object, 'open' | 'done'>();
  const visit = (node: object): boolean => {
    state.set(node, 'open');
    for (const ref of refsWithin(node as Json, [])) {
      const next = targetOf.get(ref);
      if (typeof next !== 'object' || next === null) continue;
      const seen = state.get(next);
      if (seen === 'open' || (seen === undefined && !visit(next))) return false;
    }
    state.set(node, 'done');
    return true;
  };
  for (const node of targetOf.values())
    if (typeof node === 'object' && node !== null && !state.has(node) && !visit(node)) return false;
  return true;
}

/** json-schema-ref-parser's dereference of a copy: the full rules, for what dereferenceSimple does not take. */
export async function dereferenceFull(body: JsonObject): Promise<JsonObject> {
  // The body is bundled: every $ref left is internal, so nothing outside it is ever resolved here.
  return (await new SwaggerParser().dereference(
    structuredClone(body) as never,
    {
      resolve: { external: false, http: false },
    } as never,
  )) as unknown as JsonObject;
}

/** The document with every $ref resolved; throws as json-schema-ref-parser does for a $ref it cannot resolve. */
export async function dereferenceDocument(body: JsonObject): Promise<Dereferenced> {
  // swagger-parser's checks of the version fields come first, as its dereference runs them (a bound variable
  // may have made info.version a number); they read the fields only.
  await new SwaggerParser().parse(body as never);
  return dereferenceSimple(body) ?? { value: await dereferenceFull(body), acyclic: false };
}

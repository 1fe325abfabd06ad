// How json-schema-ref-parser reads a `$ref` within the document, which read.ts (whether bundling would change
// nothing) and dereference.ts (its own pass over the common case) must match exactly, and ref-guard.ts reads
// file parts the same lenient way.
import type { Json, JsonObject } from './types';

/** An object json-schema-ref-parser takes for a $ref: a non-empty string `$ref`. */
export function isRefObject(value: Json | undefined): value is JsonObject & { $ref: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof value.$ref === 'string' &&
    value.$ref.length > 0
  );
}

/** Printable ASCII, `#` alone or `#/...`: what its URL handling might leave as written. */
const PRINTABLE_POINTER = /^#(?:\/[\x21-\x7e]*)?$/;
/** Characters its URL handling encodes, so a pointer holding one is written back otherwise. */
const URL_REWRITTEN = /["<>`\\#]/;

/** Whether json-schema-ref-parser keeps this internal pointer as written (and resolves it as read here). */
export function keptAsWritten(ref: string): boolean {
  return PRINTABLE_POINTER.test(ref) && !URL_REWRITTEN.test(ref.slice(1));
}

/** URI-decoded, or as written where it is no valid encoding (as json-schema-ref-parser keeps it). */
export function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The keys a `#/a/b` pointer names, each unescaped (`~1`, `~0`) and then URI-decoded leniently. */
export function pointerKeys(ref: string): string[] {
  if (ref.length <= 1) return [];
  return ref
    .slice(2)
    .split('/')
    .map((raw) => decodeLeniently(raw.replace(/~1/g, '/').replace(/~0/g, '~')));
}

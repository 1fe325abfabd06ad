// The API document as the JSON string a Terraform `body` argument holds, with placeholders bound.
//
// Terraform parses every string in cdk.tf.json as a template: `${...}` interpolates and `%{...}` is a
// directive. The user's text (API Gateway mapping templates may hold `${...}`) must therefore reach API
// Gateway literally, while the values bound to placeholders must stay interpolations that Terraform
// resolves. No library does this split, hence the hand-written escaping below. No cdktf import: a bound
// reference is any string cdktf renders as an interpolation (a token string).
import type { Json, JsonObject, Placeholder } from '../openapi/model/types';
import { splitOnPlaceholders } from '../openapi/model/placeholders';

/** What a placeholder is bound to: text known at synth time, or a Terraform reference (cdktf token string). */
export type BoundValue = { text: string } | { reference: string };

/**
 * An empty template directive. It separates a literal `$` from an interpolation that follows it: written
 * next to each other they would read `$${`, Terraform's escape for a literal `${`.
 */
export const TEMPLATE_SEPARATOR = '%{ if true }%{ endif }';

/** Text Terraform's template parser gives back unchanged: `${` -> `$${`, `%{` -> `%%{`. */
export function escapeTemplateText(text: string): string {
  return text.replace(/([$%])\{/g, (_whole, sigil: string) => `${sigil}${sigil}{`);
}

/** One string of the document, bound and made safe for a Terraform template. */
export function bindTemplateString(value: string, resolve: (p: Placeholder) => BoundValue): string {
  let out = '';
  let text = '';
  const flushText = () => {
    out += escapeTemplateText(text);
    text = '';
  };
  for (const part of splitOnPlaceholders(value)) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const bound = resolve(part);
    if ('text' in bound) {
      text += bound.text;
      continue;
    }
    flushText();
    // (A `%` before `${` needs nothing: only `%{` opens a directive.)
    if (out.endsWith('$')) out += TEMPLATE_SEPARATOR;
    out += bound.reference;
  }
  flushText();
  return out;
}

/** The bound document as the JSON string the REST or HTTP API resource imports. */
export function terraformBody(body: JsonObject, resolve: (p: Placeholder) => BoundValue): string {
  return JSON.stringify(bindJson(body, resolve));
}

/** No `{`: no placeholder (`{{...}}`) and nothing Terraform reads (`${`, `%{`), so the text is its own binding. */
const plain = (text: string) => !text.includes('{');

// Keys are text of the same Terraform string as the values, so they are escaped too (never bound: the
// model only looks for placeholders in values). A value with nothing to bind or escape is returned as it is,
// not copied: JSON.stringify writes it the same, and a 10,000-operation body (8 MB) was copied whole (0.5 s
// of CPU and its garbage, measured). Only plain objects are shared so: anything else (a Date from YAML's
// !!timestamp, a `__proto__` key) is copied as before.
function bindJson(value: Json, resolve: (p: Placeholder) => BoundValue): Json {
  if (typeof value === 'string') return plain(value) ? value : bindTemplateString(value, resolve);
  if (Array.isArray(value)) {
    let out: Json[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = bindJson(value[i], resolve);
      if (out === undefined && item !== value[i]) out = value.slice(0, i);
      out?.push(item);
    }
    return out ?? value;
  }
  if (value && typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    let out: JsonObject | undefined = proto === Object.prototype || proto === null ? undefined : {};
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = value[key];
      const boundKey = plain(key) ? key : escapeTemplateText(key);
      const boundItem = bindJson(item, resolve);
      if (out === undefined && (boundKey !== key || boundItem !== item || key === '__proto__')) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]] = value[keys[j]];
      }
      if (out !== undefined) out[boundKey] = boundItem;
    }
    return out ?? value;
  }
  return value;
}

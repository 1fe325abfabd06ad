// Values to send for parameters and bodies: the document's own examples first, else made from the schema.
import type { Json, JsonObject } from './types';

const MAX_DEPTH = 6;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first example found on a parameter/media object, or undefined. */
export function documentedExample(holder: JsonObject | undefined): Json | undefined {
  if (!holder) return undefined;
  if (holder.example !== undefined) return holder.example;
  // Swagger 2.0 has no parameter examples; x-example is the common convention.
  if (holder['x-example'] !== undefined) return holder['x-example'];
  if (isObject(holder.examples)) {
    const first = Object.values(holder.examples)[0];
    if (isObject(first) && first.value !== undefined) return first.value;
  }
  if (Array.isArray(holder['x-examples']) && holder['x-examples'].length > 0) return holder['x-examples'][0];
  return undefined;
}

export function exampleFromSchema(schema: Json | undefined, depth = 0): Json {
  if (!isObject(schema) || depth > MAX_DEPTH) return null;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  for (const key of ['allOf', 'oneOf', 'anyOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0) {
      if (key !== 'allOf') return exampleFromSchema(list[0], depth + 1);
      return Object.assign({}, ...list.map((s) => exampleFromSchema(s, depth + 1)).filter(isObject));
    }
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'integer':
      return typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 1;
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1.5;
    case 'boolean':
      return true;
    case 'array':
      return [exampleFromSchema(schema.items, depth + 1)];
    case 'string':
      return stringForFormat(schema);
    default: {
      if (type === 'object' || isObject(schema.properties)) {
        const out: JsonObject = {};
        for (const [name, prop] of Object.entries(isObject(schema.properties) ? schema.properties : {}))
          out[name] = exampleFromSchema(prop, depth + 1);
        return out;
      }
      return 'example';
    }
  }
}

function stringForFormat(schema: JsonObject): string {
  switch (schema.format) {
    case 'uuid':
      return '3fa85f64-5717-4562-b3fc-2c963f66afa6';
    case 'date':
      return '2026-01-01';
    case 'date-time':
      return '2026-01-01T00:00:00Z';
    case 'email':
      return 'user@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    default: {
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      return 'example'.padEnd(min, 'x');
    }
  }
}

/** A parameter value as it goes into a URL or header. */
export function asParameterString(value: Json): string {
  if (value === null || value === undefined) return 'example';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// What a mapping template and a parameter mapping read: `$input` (the payload, its JSONPath, the method
// request's parameters), `$util`, `$context` with its request/response overrides, and `$stageVariables`
// (none locally). JSONPath is the subset templates use: `$`, `.name`, `['name']`, `[0]`, `[*]`, `.*`.
import type { IncomingHttpHeaders } from 'node:http';
import { parameterValue, type ContextTree } from './templates';
import { VtlError, type Variables } from './vtl';

/** The method request as templates see it. */
export interface MethodRequest {
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
  /** Decoded path parameters, by name. */
  pathParameters: Record<string, string>;
}

/** What `#set($context.requestOverride...)` and `#set($context.responseOverride...)` leave behind. */
export interface Overrides {
  request: { header: Record<string, unknown>; querystring: Record<string, unknown>; path: Record<string, unknown> };
  response: { status?: unknown; header: Record<string, unknown> };
}

export function emptyOverrides(): Overrides {
  return { request: { header: {}, querystring: {}, path: {} }, response: { header: {} } };
}

/**
 * The variables of one template: `payload` is what `$input` reads (the method request's body in a
 * request template, the integration's response in a response template).
 */
export function templateVariables(
  payload: string,
  request: MethodRequest,
  context: ContextTree,
  overrides: Overrides = emptyOverrides(),
): Variables {
  // Built on first use: most templates read one or two of these, many none.
  let parsed: { value: unknown } | undefined;
  const root = () => (parsed ??= { value: parseBody(payload) }).value;
  let input: Record<string, unknown> | undefined;
  let contextView: ContextTree | undefined;
  return (name) => {
    switch (name) {
      case 'input':
        return (input ??= {
          body: () => payload,
          json: (path: unknown) => JSON.stringify(jsonPath(root(), String(path ?? '$'))) ?? 'null',
          path: (path: unknown) => jsonPath(root(), String(path ?? '$')),
          params: (name?: unknown) => (name === undefined ? allParams(request) : param(request, String(name))),
        });
      case 'context':
        return (contextView ??= new Proxy(context, {
          get: (target, key) =>
            key === 'requestOverride'
              ? overrides.request
              : key === 'responseOverride'
                ? overrides.response
                : Reflect.get(target, key),
          // API Gateway's own variables are read-only: `#set($context.requestId = ...)` changes nothing.
          set: () => true,
        }));
      case 'util':
        return UTIL;
      case 'stageVariables':
        return {};
      default:
        return undefined;
    }
  };
}

/** An empty payload reads as `{}`, as in API Gateway; text that is not JSON reads as itself. */
function parseBody(payload: string): unknown {
  if (payload.trim() === '') return {};
  try {
    return JSON.parse(payload) as unknown;
  } catch {
    return payload;
  }
}

function headerList(request: MethodRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value;
  return out;
}

function allParams(request: MethodRequest): Record<string, Record<string, string>> {
  return {
    path: { ...request.pathParameters },
    querystring: Object.fromEntries(request.query),
    header: headerList(request),
  };
}

/** `$input.params('x')`: the path, then the query string, then the headers; empty when none has it. */
function param(request: MethodRequest, name: string): string {
  if (Object.hasOwn(request.pathParameters, name)) return request.pathParameters[name];
  const query = request.query.get(name);
  if (query !== null) return query;
  const header = request.headers[name.toLowerCase()];
  if (header !== undefined) return Array.isArray(header) ? header.join(',') : header;
  return '';
}

const PATH_STEP = /^(?:\.([A-Za-z0-9_$-]+)|\.\*|\[\*\]|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;

/** A JSONPath of the subset; a wildcard makes the result a list. */
export function jsonPath(root: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new VtlError(`JSONPath "${path}" does not start with $`);
  let rest = path.slice(1);
  let values: unknown[] = [root];
  let many = false;
  while (rest.length > 0) {
    const m = PATH_STEP.exec(rest);
    if (!m)
      throw new VtlError(
        `JSONPath "${path}" uses more than the local gateway evaluates ($, .name, ['name'], [0], [*], .*)`,
      );
    rest = rest.slice(m[0].length);
    const wildcard = m[0] === '.*' || m[0] === '[*]';
    const key = m[1] ?? m[3] ?? m[4];
    const next: unknown[] = [];
    for (const v of values) {
      if (wildcard) {
        if (Array.isArray(v)) next.push(...v);
        else if (v && typeof v === 'object') next.push(...Object.values(v));
      } else if (m[2] !== undefined) {
        if (Array.isArray(v)) next.push(v[Number(m[2])]);
      } else if (v && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, key as string))
        next.push((v as Record<string, unknown>)[key as string]);
    }
    many ||= wildcard;
    values = many ? next.filter((v) => v !== undefined) : next;
  }
  return many ? values : values[0];
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  "'": "\\'",
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** Java's StringEscapeUtils.escapeJavaScript, which `$util.escapeJavaScript` is: quotes both ways, `/`, non-ASCII. */
export function escapeJavaScript(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (Object.hasOwn(ESCAPES, ch)) out += ESCAPES[ch];
    else if (code < 0x20 || code > 0x7f)
      for (const unit of ch.split('')) out += `\\u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

const UTIL = {
  escapeJavaScript: (s: unknown) => escapeJavaScript(s === undefined || s === null ? '' : String(s)),
  parseJson: (s: unknown) => {
    try {
      return JSON.parse(String(s)) as unknown;
    } catch {
      throw new VtlError(`$util.parseJson: not JSON (received: ${JSON.stringify(String(s)).slice(0, 80)})`);
    }
  },
  // Java's URLEncoder: space as +, only letters, digits and .-*_ left as they are.
  urlEncode: (s: unknown) =>
    encodeURIComponent(String(s ?? ''))
      .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
      .replace(/%20/g, '+'),
  urlDecode: (s: unknown) => {
    try {
      return decodeURIComponent(String(s ?? '').replace(/\+/g, ' '));
    } catch {
      return String(s ?? '');
    }
  },
  base64Encode: (s: unknown) => Buffer.from(String(s ?? ''), 'utf8').toString('base64'),
  base64Decode: (s: unknown) => Buffer.from(String(s ?? ''), 'base64').toString('utf8'),
};

/** The integration's answer, for `integration.response.*` in response parameters. */
export interface IntegrationAnswer {
  headers: Record<string, string | string[]>;
  body: string;
}

/**
 * A request or response parameter's value: `'literal'`, `method.request.header|multivalueheader|
 * querystring|multivaluequerystring|path.X`, `method.request.body[.path]`, `integration.response.header.X`,
 * `integration.response.body[.path]`, `context.x`, `stageVariables.x` (none locally).
 */
export function mappedValue(
  source: string,
  request: MethodRequest & { body?: string },
  context: ContextTree,
  answer?: IntegrationAnswer,
): string | undefined {
  const body = /^(method\.request|integration\.response)\.body(?:\.(.+))?$/.exec(source);
  if (body) {
    const payload = body[1] === 'method.request' ? request.body : answer?.body;
    if (payload === undefined) return undefined;
    if (!body[2]) return payload;
    const value = jsonPath(parseBody(payload), `$.${body[2]}`);
    return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
  }
  const multi = /^method\.request\.multivalue(header|querystring)\.(.+)$/.exec(source);
  if (multi) {
    if (multi[1] === 'querystring') {
      const all = request.query.getAll(multi[2]);
      return all.length > 0 ? all.join(',') : undefined;
    }
    const header = request.headers[multi[2].toLowerCase()];
    return Array.isArray(header) ? header.join(',') : header;
  }
  const answered = /^integration\.response\.(?:multivalue)?header\.(.+)$/.exec(source);
  if (answered) {
    const name = answered[1].toLowerCase();
    const entry = Object.entries(answer?.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
    return Array.isArray(entry) ? entry.join(',') : entry;
  }
  if (source.startsWith('stageVariables.')) return undefined;
  return parameterValue(source, request, context);
}

// Route-shape rules: the paths API Gateway refuses at import (a greedy variable before the end, characters a
// resource path cannot hold, REST sibling variables) and the paths or routes it cannot tell apart. The AWS
// evidence for each rule's severity is cited next to its broken document in lint.test.ts.
import type { ApiKind, Json, JsonObject, OperationMethod, SpecFormat } from './types';
import { pointerOf, type ProblemList } from './problems';

export type PathSegment =
  { kind: 'literal'; text: string } | { kind: 'variable'; text: string; name: string; greedy: boolean };

export interface ParsedPath {
  segments: PathSegment[];
  /** Whether the path ends in `/` (other than the root); API Gateway routes `/pets/` as `/pets`. */
  trailingSlash: boolean;
}

/**
 * `/pets/{petId}/` -> `pets`, `{petId}` (the trailing slash dropped); `/` -> no segments. A segment is a
 * variable only when braces enclose the whole of it and nothing else.
 */
export function parsePath(path: string): ParsedPath {
  const trailingSlash = path.length > 1 && path.endsWith('/');
  const body = path.slice(path.startsWith('/') ? 1 : 0, trailingSlash ? -1 : undefined);
  return { segments: body === '' ? [] : body.split('/').map(segmentOf), trailingSlash };
}

function segmentOf(text: string): PathSegment {
  const variable = /^\{([^{}]*)\}$/.exec(text);
  if (!variable) return { kind: 'literal', text };
  const greedy = variable[1].endsWith('+');
  return { kind: 'variable', text, name: greedy ? variable[1].slice(0, -1) : variable[1], greedy };
}

/**
 * What CreateResource (and so REST import) accepts: "Resource's path part only allow a-zA-Z0-9._-: or a valid
 * greedy path variable and curly braces at the beginning and the end". The known-issues page lists commas too,
 * so a comma is let through rather than refused on the word of one source.
 */
const LITERAL = /^[A-Za-z0-9._:,-]+$/;
const VARIABLE_NAME = /^[A-Za-z0-9._-]+$/;

interface Context {
  kind: ApiKind;
  /** OpenAPI key (`get`, `x-amazon-apigateway-any-method`) -> method. */
  methods: Record<string, OperationMethod>;
  problems: ProblemList;
}

/** Checks every path of the document, alone and against the paths before it. */
export function checkRouteShapes(
  doc: JsonObject,
  format: SpecFormat,
  kind: ApiKind,
  methods: Record<string, OperationMethod>,
  problems: ProblemList,
): void {
  const ctx: Context = { kind, methods, problems };
  const paths = isObject(doc.paths) ? doc.paths : {};
  const resources = new Map<string, string>();
  const variableChildren = new Map<string, { text: string; path: string }>();
  const routes = new Map<string, string>();
  for (const [path, value] of Object.entries(paths)) {
    // `x-` keys are extensions, not paths.
    if (!path.startsWith('/')) continue;
    const item = isObject(value) ? value : {};
    const { segments } = parsePath(path);
    if (kind === 'http' && isDefaultRoute(path, item)) {
      defaultRoute(path, problems);
      continue;
    }
    checkGreedyLast(path, segments, problems);
    if (path.includes('?')) queryString(path, problems);
    else checkLiterals(path, segments, ctx);
    checkVariableNames(path, segments, ctx);
    checkRepeatedNames(path, segments, problems);
    if (format !== 'swagger-2.0') checkDeclaredParameters(path, item, segments, ctx);
    const resource = '/' + segments.map((s) => s.text).join('/');
    const same = resources.get(resource);
    if (same !== undefined) {
      sameResource(path, same, paths, ctx);
      continue;
    }
    resources.set(resource, path);
    const duplicated = kind === 'http' && checkDuplicateRoutes(path, item, segments, routes, ctx);
    if (!duplicated) checkSiblingVariables(path, segments, variableChildren, ctx);
  }
}

function checkGreedyLast(path: string, segments: PathSegment[], problems: ProblemList): void {
  const greedy = segments.filter((s) => s.kind === 'variable' && s.greedy);
  const misplaced = segments.findIndex((s, i) => s.kind === 'variable' && s.greedy && i < segments.length - 1);
  if (misplaced === -1) return;
  const variable = segments[misplaced] as PathSegment & { kind: 'variable' };
  const prefix = segments
    .slice(0, misplaced)
    .map((s) => `/${s.text}`)
    .join('');
  const more = greedy.length > 1 ? ` (it has ${greedy.length} greedy variables; only the last segment can be one)` : '';
  problems.error(
    'path-greedy-not-last',
    pointerOf('paths', path),
    `${variable.text} is a greedy path variable but not the last segment of ${path}${more}: API Gateway refuses the import, since a greedy variable takes the rest of the path and a {proxy+} resource can have no children.`,
    `Make ${variable.text} the last segment (${prefix}/${variable.text}), or write {${variable.name}} to match one segment only.`,
  );
}

/**
 * `?` begins a URL's query (RFC 3986 §3.4): a request's path never holds one, so a path key with a query
 * string matches no request, of either API kind.
 */
function queryString(path: string, problems: ProblemList): void {
  const [base, query] = path.split(/\?(.*)/s, 2);
  const names = query
    .split('&')
    .map((pair) => pair.split('=')[0])
    .filter((name) => name !== '');
  problems.error(
    'path-query-string',
    pointerOf('paths', path),
    `Path ${path} holds a query string ("?${query}"): a request's path ends where its query begins, so no request ever matches this path, and API Gateway refuses "?" in a resource path.`,
    `Write the path without it (${base || '/'}) and declare ${names.length ? names.map((n) => `"${n}"`).join(', ') : 'the query parameters'} as parameters with in: query.`,
  );
}

function checkLiterals(path: string, segments: PathSegment[], ctx: Context): void {
  const bad = segments.find((s) => s.kind === 'literal' && !LITERAL.test(s.text));
  if (!bad) return;
  let why: string;
  let fix: string;
  if (bad.text === '') {
    why = 'is empty (two slashes in a row)';
    fix = `Remove the extra slash: ${path.replace(/\/{2,}/g, '/')}.`;
  } else if (/[{}]/.test(bad.text)) {
    why = 'holds a path variable that is not the whole segment';
    fix = `Give the variable a segment of its own (/reports/{reportId}, not /reports/{reportId}.pdf), or pass the suffix as a query parameter.`;
  } else {
    const chars = [...new Set(bad.text.replace(/[A-Za-z0-9._:,-]/g, ''))].map((c) => JSON.stringify(c)).join(', ');
    why = `holds ${chars}`;
    fix = `Use only letters, digits and . _ - : in a path segment, e.g. "${bad.text.replace(/[^A-Za-z0-9._:,-]+/g, '-')}".`;
  }
  report(
    ctx,
    'path-segment-characters',
    pointerOf('paths', path),
    `Segment "${bad.text}" of ${path} ${why}: an API Gateway resource path allows letters, digits and . _ - : in a segment, and a path variable only as a whole segment ({name}).`,
    fix,
  );
}

function checkVariableNames(path: string, segments: PathSegment[], ctx: Context): void {
  const bad = segments.find((s) => s.kind === 'variable' && !VARIABLE_NAME.test(s.name));
  if (!bad || bad.kind !== 'variable') return;
  const named = bad.name === '' ? 'has no name' : `has the name "${bad.name}"`;
  const suggestion = bad.name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'id';
  report(
    ctx,
    'path-variable-name',
    pointerOf('paths', path),
    `Path variable ${bad.text} in ${path} ${named}: API Gateway allows letters, digits and . _ - in a path variable's name.`,
    `Rename it, e.g. {${suggestion}${bad.greedy ? '+' : ''}}, and its parameter with it.`,
  );
}

function checkRepeatedNames(path: string, segments: PathSegment[], problems: ProblemList): void {
  const seen = new Set<string>();
  for (const s of segments) {
    if (s.kind !== 'variable') continue;
    if (seen.has(s.name)) {
      problems.warning(
        'path-variable-repeated',
        pointerOf('paths', path),
        `Path variable "${s.name}" appears twice in ${path}: a request carries one value per name, so the integration sees only one of the two (what API Gateway makes of it is unverified).`,
        `Give each variable its own name, e.g. {${s.name}} and {${s.name}2}.`,
      );
      return;
    }
    seen.add(s.name);
  }
}

/** Parameters `in: path` that no variable of the path carries (OpenAPI 3; Swagger 2 refuses them at validation). */
function checkDeclaredParameters(path: string, item: JsonObject, segments: PathSegment[], ctx: Context): void {
  const variables = segments.flatMap((s) => (s.kind === 'variable' ? [s] : []));
  // `{proxy+}` is declared as `proxy` in AWS's examples; `proxy+` is accepted too.
  const carried = new Set(variables.flatMap((v) => [v.name, `${v.name}+`]));
  const check = (parameters: Json | undefined, base: string[]) => {
    if (!Array.isArray(parameters)) return;
    parameters.forEach((p, i) => {
      if (!isObject(p) || p.in !== 'path' || typeof p.name !== 'string' || carried.has(p.name)) return;
      const listed = variables.length
        ? `its variables: ${variables.map((v) => v.text).join(', ')}`
        : 'it has no variables';
      const undeclared = variables.filter((v) => !declares(item, v.name));
      ctx.problems.warning(
        'path-parameter-not-in-path',
        pointerOf(...base, String(i)),
        `Path parameter "${p.name}" is not a variable of ${path} (${listed}), so no request ever carries it; whether API Gateway refuses it at import is unverified.`,
        undeclared.length === 1
          ? `Name the parameter after the variable it stands for (name: ${undeclared[0].name}), or remove it.`
          : `Add {${p.name}} to the path, or remove the parameter.`,
      );
    });
  };
  check(item.parameters, ['paths', path, 'parameters']);
  for (const [key, op] of Object.entries(item))
    if (methodOf(ctx, key) && isObject(op)) check(op.parameters, ['paths', path, key, 'parameters']);
}

function declares(item: JsonObject, name: string): boolean {
  const lists = [item.parameters, ...Object.values(item).map((op) => (isObject(op) ? op.parameters : undefined))];
  return lists.some(
    (list) => Array.isArray(list) && list.some((p) => isObject(p) && p.in === 'path' && p.name === name),
  );
}

function sameResource(path: string, first: string, paths: JsonObject, ctx: Context): void {
  const methodsOf = (p: string) => {
    const item = paths[p];
    return isObject(item) ? Object.keys(item).flatMap((k) => methodOf(ctx, k) ?? []) : [];
  };
  const earlier = methodsOf(first);
  const shared = methodsOf(path).filter((m) => earlier.includes(m));
  const consequence = shared.length
    ? `so ${shared.join(' and ')}, written under both, is served by one of its two operations whatever security each declares`
    : 'so the two paths are one as far as any request can tell';
  const canonical = first.length > 1 && first.endsWith('/') ? first.slice(0, -1) : first;
  ctx.problems.error(
    'path-same-resource',
    pointerOf('paths', path),
    `${path} and ${first} (at ${pointerOf('paths', first)}) are one resource to API Gateway, which ignores a trailing slash when it routes: a request to either reaches the same operations, ${consequence}.`,
    `Write the path once (${canonical}) and put the operations of both under it.`,
  );
}

/**
 * HTTP APIs: two routes with the same method whose paths differ only in variable names match the same
 * requests. (REST refuses such paths as sibling variables, reported by checkSiblingVariables.)
 */
function checkDuplicateRoutes(
  path: string,
  item: JsonObject,
  segments: PathSegment[],
  routes: Map<string, string>,
  ctx: Context,
): boolean {
  const shape = segments.map((s) => (s.kind === 'literal' ? s.text : s.greedy ? '{+}' : '{}')).join('/');
  let found = false;
  for (const [key, op] of Object.entries(item)) {
    const method = methodOf(ctx, key);
    if (!method || !isObject(op)) continue;
    const route = `${method} /${shape}`;
    const pointer = pointerOf('paths', path, key);
    const other = routes.get(route);
    if (other === undefined) {
      routes.set(route, pointer);
      continue;
    }
    found = true;
    ctx.problems.error(
      'route-duplicate',
      pointer,
      `${method} ${path} matches the same requests as the operation at ${other}: their paths differ only in the names of their variables, so API Gateway can route a request to only one of them.`,
      'Keep one of the two operations, or tell their paths apart with a literal segment (e.g. /pets/by-name/{name}).',
    );
  }
  return found;
}

/**
 * A REST resource has at most one variable child: "A sibling ({id}) of this resource already has a variable
 * path part -- only one is allowed". HTTP APIs give each route its own names and choose the most specific
 * route, so there only two names for one position are worth a word.
 */
function checkSiblingVariables(
  path: string,
  segments: PathSegment[],
  variableChildren: Map<string, { text: string; path: string }>,
  ctx: Context,
): void {
  for (const [i, s] of segments.entries()) {
    if (s.kind !== 'variable') continue;
    const parent =
      '/' +
      segments
        .slice(0, i)
        .map((p) => p.text)
        .join('/');
    const first = variableChildren.get(parent);
    if (!first) {
      variableChildren.set(parent, { text: s.text, path });
      continue;
    }
    if (first.text === s.text) continue;
    const rewritten = '/' + segments.map((p, j) => (j === i ? first.text : p.text)).join('/');
    const firstGreedy = first.text.endsWith('+}');
    if (ctx.kind === 'rest') {
      ctx.problems.error(
        'path-variable-sibling',
        pointerOf('paths', path),
        `${s.text} in ${path} and ${first.text} in ${first.path} are two variables under ${parent}: a REST API resource has at most one variable child, and API Gateway refuses the import ("A sibling (${first.text}) of this resource already has a variable path part -- only one is allowed").`,
        firstGreedy === s.greedy
          ? `Use one name at this position in every path: ${rewritten}.`
          : `Keep one of the two variables under ${parent}, or move one below a literal segment (e.g. ${parent === '/' ? '' : parent}/files/${s.text}).`,
      );
    } else if (firstGreedy === s.greedy) {
      ctx.problems.warning(
        'path-variable-sibling',
        pointerOf('paths', path),
        `${s.text} in ${path} and ${first.text} in ${first.path} name one position under ${parent} differently: each HTTP API route reads its own name, a REST API would refuse the import, and whether an HTTP API accepts it is unverified.`,
        `Use one name at this position in every path: ${rewritten}.`,
      );
    }
    return;
  }
}

/** `/$default` (or `isDefaultRoute: true`) stands for the HTTP API's catch-all route. */
function isDefaultRoute(path: string, item: JsonObject): boolean {
  return path === '/$default' || Object.values(item).some((op) => isObject(op) && op.isDefaultRoute === true);
}

function defaultRoute(path: string, problems: ProblemList): void {
  problems.error(
    'path-default-route',
    pointerOf('paths', path),
    `${path} is the HTTP API's $default route, which API Gateway sends every request no other route matches; gatehouse does not model it, so the local gateway and the contract harness would take it for the literal path ${path}.`,
    'Use x-amazon-apigateway-any-method on /{proxy+} (every path below the root) instead, and on / if the root must be caught too.',
  );
}

/** REST: an error (import refuses it). HTTP: a warning, since only the REST refusal is verified. */
function report(ctx: Context, rule: string, pointer: string, message: string, fix: string): void {
  if (ctx.kind === 'rest') ctx.problems.error(rule, pointer, `${message} REST import refuses it.`, fix);
  else
    ctx.problems.warning(
      rule,
      pointer,
      `${message} REST import refuses it; whether an HTTP API does is unverified.`,
      fix,
    );
}

/** The method an OpenAPI key stands for; keys are case-sensitive (`GET` is no method key). */
function methodOf(ctx: Context, key: string): OperationMethod | undefined {
  return Object.prototype.hasOwnProperty.call(ctx.methods, key) ? ctx.methods[key] : undefined;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

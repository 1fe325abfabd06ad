// Route selection as API Gateway does it: literal segments before {param} before greedy {proxy+}, and an
// exact method before ANY. REST APIs pick the resource first and then its method (parents of a path are
// resources too); HTTP APIs pick among routes that have the method. Route shapes are the model's rules
// (openapi/model/route-shape.ts); the table only asserts the ones it depends on.
import type { ApiKind, Operation } from '../../openapi/model/types';
import { parsePath, type PathSegment } from '../../openapi/model/route-shape';

export interface RouteMatch {
  operation: Operation;
  /** Path parameters, URL-decoded (what Lambda events carry). */
  pathParameters: Record<string, string>;
  /** Path parameters as received, still percent-encoded (what proxies forward). */
  rawPathParameters: Record<string, string>;
}

export type RouteResult = { found: true; match: RouteMatch } | { found: false };

/**
 * A model the route table cannot hold: lint refuses such documents (route-shape.ts), so this is a bug in
 * gatehouse or a model built without lint, never a diagnosis for the document's author.
 */
export class RouteInvariantError extends Error {
  constructor(message: string) {
    super(
      `internal error in the local gateway's route table: ${message} (gatehouse lint should have refused the document)`,
    );
    this.name = 'RouteInvariantError';
  }
}

interface Route {
  operation: Operation;
  /** The operation's own path template: variable names are read from it, so routes sharing a node keep theirs. */
  segments: PathSegment[];
}

/** Variables share a node whatever their names: a position in the path is one node, as API Gateway sees it. */
interface Node {
  literal: Map<string, Node>;
  param?: Node;
  greedy?: Node;
  methods: Map<string, Route>;
}

function newNode(): Node {
  return { literal: new Map(), methods: new Map() };
}

export class RouteTable {
  private readonly root = newNode();

  constructor(
    operations: readonly Operation[],
    private readonly kind: ApiKind,
  ) {
    for (const operation of operations) this.add(operation);
  }

  private add(operation: Operation): void {
    let node = this.root;
    const { segments } = parsePath(operation.path);
    segments.forEach((segment, index) => {
      if (segment.kind === 'variable' && segment.greedy) {
        if (index !== segments.length - 1)
          throw new RouteInvariantError(
            `${operation.pointer}: ${segment.text} is not the last segment of ${operation.path}`,
          );
        node.greedy ??= newNode();
        node = node.greedy;
      } else if (segment.kind === 'variable') {
        node.param ??= newNode();
        node = node.param;
      } else {
        let next = node.literal.get(segment.text);
        if (!next) node.literal.set(segment.text, (next = newNode()));
        node = next;
      }
    });
    // One route, one operation: the second would silently take the first one's requests (and its security).
    const taken = node.methods.get(operation.method);
    if (taken)
      throw new RouteInvariantError(
        `${operation.method} ${operation.path} (${operation.pointer}) and ${taken.operation.method} ${taken.operation.path} (${taken.operation.pointer}) map to one route`,
      );
    node.methods.set(operation.method, { operation, segments });
  }

  /** @param path the path after the stage, as received (percent-encoded), without the query string */
  match(method: string, path: string): RouteResult {
    const segments = splitPath(path);
    // REST picks the resource whatever its methods; HTTP APIs only routes that have the method.
    const node = find(this.root, segments, 0, this.kind === 'rest' ? undefined : method);
    const route = node && methodOf(node, method);
    if (!route) return { found: false };
    const rawPathParameters = parametersOf(route.segments, segments);
    const pathParameters: Record<string, string> = {};
    for (const [name, value] of Object.entries(rawPathParameters)) pathParameters[name] = decodeSegment(value);
    return { found: true, match: { operation: route.operation, pathParameters, rawPathParameters } };
  }
}

function methodOf(node: Node, method: string): Route | undefined {
  return node.methods.get(method) ?? node.methods.get('ANY');
}

/** @param method only nodes with this method (or ANY) end a match; undefined: any node does. */
function accepts(node: Node, method: string | undefined): boolean {
  return method === undefined || methodOf(node, method) !== undefined;
}

function find(node: Node, segments: string[], index: number, method: string | undefined): Node | undefined {
  if (index === segments.length) return accepts(node, method) ? node : undefined;
  const segment = segments[index];
  const literal = node.literal.get(segment);
  const viaLiteral = literal && find(literal, segments, index + 1, method);
  if (viaLiteral) return viaLiteral;
  if (node.param && segment !== '') {
    const viaParam = find(node.param, segments, index + 1, method);
    if (viaParam) return viaParam;
  }
  if (node.greedy && accepts(node.greedy, method)) return node.greedy;
  return undefined;
}

/** The matched route's template against the request's segments: a greedy variable takes the rest. */
function parametersOf(template: PathSegment[], segments: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  template.forEach((t, i) => {
    if (t.kind === 'variable') params[t.name] = t.greedy ? segments.slice(i).join('/') : segments[i];
  });
  return params;
}

/** `/a/b/` -> ['a', 'b']; `/` -> []. One trailing slash is ignored, as API Gateway does. */
function splitPath(path: string): string[] {
  // Index arithmetic rather than two regular expressions: this runs on every request.
  let start = 0;
  while (start < path.length && path.charCodeAt(start) === SLASH) start++;
  let end = path.length;
  if (end > start && path.charCodeAt(end - 1) === SLASH) end--;
  return end === start ? [] : path.slice(start, end).split('/');
}

const SLASH = 0x2f;

function decodeSegment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

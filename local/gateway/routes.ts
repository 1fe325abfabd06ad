// Route selection as API Gateway does it: literal segments before {param} before greedy {proxy+}, and an
// exact method before ANY. REST APIs pick the resource first and then its method (parents of a path are
// resources too); HTTP APIs pick among routes that have the method.
import type { ApiKind, Operation } from '../../openapi/model/types';

export interface RouteMatch {
  operation: Operation;
  /** Path parameters, URL-decoded (what Lambda events carry). */
  pathParameters: Record<string, string>;
  /** Path parameters as received, still percent-encoded (what proxies forward). */
  rawPathParameters: Record<string, string>;
}

export type RouteResult = { found: true; match: RouteMatch } | { found: false };

interface Node {
  literal: Map<string, Node>;
  param?: { name: string; node: Node };
  greedy?: { name: string; node: Node };
  methods: Map<string, Operation>;
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
    const segments = splitPath(operation.path);
    segments.forEach((segment, index) => {
      const variable = /^\{([^{}]+?)(\+)?\}$/.exec(segment);
      if (variable && variable[2]) {
        if (index !== segments.length - 1)
          throw new Error(`${operation.pointer}: {${variable[1]}+} must be the last segment of the path`);
        node.greedy ??= { name: variable[1], node: newNode() };
        node = node.greedy.node;
      } else if (variable) {
        node.param ??= { name: variable[1], node: newNode() };
        node = node.param.node;
      } else {
        let next = node.literal.get(segment);
        if (!next) node.literal.set(segment, (next = newNode()));
        node = next;
      }
    });
    node.methods.set(operation.method, operation);
  }

  /** @param path the path after the stage, as received (percent-encoded), without the query string */
  match(method: string, path: string): RouteResult {
    const segments = splitPath(path);
    // REST picks the resource whatever its methods; HTTP APIs only routes that have the method.
    const found = find(this.root, segments, 0, this.kind === 'rest' ? undefined : method);
    if (!found) return { found: false };
    const operation = methodOf(found.node, method);
    if (!operation) return { found: false };
    const pathParameters: Record<string, string> = {};
    for (const [name, value] of Object.entries(found.params)) pathParameters[name] = decodeSegment(value);
    return { found: true, match: { operation, pathParameters, rawPathParameters: found.params } };
  }
}

function methodOf(node: Node, method: string): Operation | undefined {
  return node.methods.get(method) ?? node.methods.get('ANY');
}

interface Found {
  node: Node;
  params: Record<string, string>;
}

/** @param method only nodes with this method (or ANY) end a match; undefined: any node does. */
function accepts(node: Node, method: string | undefined): boolean {
  return method === undefined || methodOf(node, method) !== undefined;
}

function find(node: Node, segments: string[], index: number, method: string | undefined): Found | undefined {
  if (index === segments.length) return accepts(node, method) ? { node, params: {} } : undefined;
  const segment = segments[index];
  const literal = node.literal.get(segment);
  const viaLiteral = literal && find(literal, segments, index + 1, method);
  if (viaLiteral) return viaLiteral;
  if (node.param && segment !== '') {
    const viaParam = find(node.param.node, segments, index + 1, method);
    if (viaParam) return { node: viaParam.node, params: { [node.param.name]: segment, ...viaParam.params } };
  }
  if (node.greedy && accepts(node.greedy.node, method))
    return { node: node.greedy.node, params: { [node.greedy.name]: segments.slice(index).join('/') } };
  return undefined;
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

// Runs API Gateway mapping templates: the part of Velocity (VTL 1.7) that real templates use, so that mock,
// http and non-proxy Lambda integrations answer locally as their templates say. Each template is parsed once.
//
// Supported: text; references `$a`, `$!a`, `${a}`, `$!{a}` with `.property`, `.method(args)` and `[index]`;
// `#set`, `#if`/`#elseif`/`#else`/`#end`, `#foreach` (with `$foreach.index|count|hasNext|first|last`,
// `$velocityCount`, `$velocityHasNext`; at most 1,000 iterations, API Gateway's limit), `#break`, `#stop`,
// `##` and `#* *#` comments, `#[[ ]]#`, `\$` and `\#`; literals ('text', "interpolated $text", numbers,
// true/false/null, [lists], [1..3] ranges, {"maps": 1}); operators `! not && and || or == eq != ne < lt
// > gt <= le >= ge + - * / %`; the String, List and Map methods templates call (length, contains,
// substring, replaceAll, split, size, get, put, keySet, containsKey ... see METHODS).
// Not supported, and reported when a template is bound: #macro, #define, #parse, #include, #evaluate.
// Differences from Velocity: a reference to nothing renders empty (Velocity prints its source), as
// API Gateway does for `$context` variables it lacks; a directive alone on its line takes the line with it;
// numbers are JavaScript's, so 7.0 is an integer (7.0 / 2 is 3).
import { parseTemplate, VtlError, type Expr, type Node, type Part, type Ref } from './vtl-syntax';

export { VtlError } from './vtl-syntax';

/** The value of a top-level variable (`$input`, `$context`, ...), or undefined. */
export type Variables = (name: string) => unknown;

export interface CompiledTemplate {
  /** Top-level variables the template reads: a mock that never reads `$input` need not wait for the body. */
  reads: Set<string>;
  render(variables: Variables): string;
}

const MAX_ITERATIONS = 1000;
const cache = new Map<string, CompiledTemplate>();

/** The template parsed (once per text); a VtlError for bad syntax or an unsupported directive. */
export function compileTemplate(source: string): CompiledTemplate {
  let compiled = cache.get(source);
  if (compiled) return compiled;
  const nodes = parseTemplate(source);
  const reads = new Set<string>();
  collectReads(nodes, reads);
  // Most templates in real documents are plain text (a mock's `{"statusCode": 200}`): nothing to run.
  const constant = nodes.every((n) => n.kind === 'text')
    ? nodes.map((n) => (n as { text: string }).text).join('')
    : undefined;
  compiled = {
    reads,
    render:
      constant !== undefined
        ? () => constant
        : (variables) => {
            const run = new Run(variables);
            run.nodes(nodes);
            return run.out.join('');
          },
  };
  cache.set(source, compiled);
  return compiled;
}

export function renderVtl(source: string, variables: Variables): string {
  return compileTemplate(source).render(variables);
}

type Flow = 'next' | 'break' | 'stop';

class Run {
  readonly out: string[] = [];
  private readonly locals = new Map<string, unknown>();

  constructor(private readonly variables: Variables) {}

  nodes(nodes: Node[]): Flow {
    for (const node of nodes) {
      const flow = this.node(node);
      if (flow !== 'next') return flow;
    }
    return 'next';
  }

  private node(node: Node): Flow {
    switch (node.kind) {
      case 'text':
        this.out.push(node.text);
        return 'next';
      case 'output': {
        const value = this.ref(node.ref);
        if (value !== undefined && value !== null) this.out.push(show(value));
        return 'next';
      }
      case 'set': {
        const value = this.expr(node.value);
        // Velocity 1.7 leaves the variable as it was when the value is null.
        if (value === undefined || value === null) return 'next';
        this.assign(node.target, value);
        return 'next';
      }
      case 'if': {
        for (const branch of node.branches) if (truthy(this.expr(branch.condition))) return this.nodes(branch.body);
        return node.otherwise ? this.nodes(node.otherwise) : 'next';
      }
      case 'foreach':
        return this.foreach(node);
      case 'break':
        return 'break';
      case 'stop':
        return 'stop';
    }
  }

  private foreach(node: Extract<Node, { kind: 'foreach' }>): Flow {
    const items = iterable(this.expr(node.list));
    if (items.length > MAX_ITERATIONS)
      throw new VtlError(`#foreach over ${items.length} items: API Gateway stops templates at ${MAX_ITERATIONS}`);
    const saved = ['foreach', 'velocityCount', 'velocityHasNext', node.variable].map(
      (name) => [name, this.locals.has(name), this.locals.get(name)] as const,
    );
    try {
      for (let index = 0; index < items.length; index++) {
        const hasNext = index < items.length - 1;
        this.locals.set(node.variable, items[index]);
        this.locals.set('velocityCount', index + 1);
        this.locals.set('velocityHasNext', hasNext);
        this.locals.set('foreach', {
          index,
          count: index + 1,
          hasNext,
          first: index === 0,
          last: !hasNext,
        });
        const flow = this.nodes(node.body);
        if (flow === 'break') break;
        if (flow === 'stop') return 'stop';
      }
    } finally {
      for (const [name, had, value] of saved) {
        if (had) this.locals.set(name, value);
        else this.locals.delete(name);
      }
    }
    return 'next';
  }

  private variable(name: string): unknown {
    return this.locals.has(name) ? this.locals.get(name) : this.variables(name);
  }

  private ref(ref: Ref): unknown {
    let value = this.variable(ref.name);
    for (const part of ref.parts) {
      if (value === undefined || value === null) return undefined;
      value = this.part(value, part);
    }
    return value;
  }

  private part(value: unknown, part: Part): unknown {
    switch (part.kind) {
      case 'property':
        return property(value, part.name);
      case 'index': {
        const index = this.expr(part.index);
        if (Array.isArray(value))
          return typeof index === 'number' ? value[index < 0 ? value.length + index : index] : undefined;
        return property(value, show(index));
      }
      case 'call':
        return call(
          value,
          part.name,
          part.args.map((a) => this.expr(a)),
        );
    }
  }

  private assign(target: Ref, value: unknown): void {
    if (target.parts.length === 0) {
      this.locals.set(target.name, value);
      return;
    }
    const parent = this.ref({ name: target.name, parts: target.parts.slice(0, -1) });
    const last = target.parts[target.parts.length - 1];
    if (last.kind === 'call') throw new VtlError(`#set cannot assign to a method call (.${last.name}(...))`);
    const key = last.kind === 'property' ? last.name : this.expr(last.index);
    if (Array.isArray(parent) && typeof key === 'number') parent[key] = value;
    else if (isMap(parent) && !BLOCKED.has(show(key))) (parent as Record<string, unknown>)[show(key)] = value;
  }

  expr(e: Expr): unknown {
    switch (e.kind) {
      case 'literal':
        return e.value;
      case 'string': {
        const run = new Run((name) => this.variable(name));
        run.nodes(e.parts);
        return run.out.join('');
      }
      case 'ref':
        return this.ref(e.ref);
      case 'list':
        return e.items.map((item) => this.expr(item));
      case 'range': {
        const from = Number(this.expr(e.from));
        const to = Number(this.expr(e.to));
        if (!Number.isInteger(from) || !Number.isInteger(to)) return [];
        if (Math.abs(to - from) >= MAX_ITERATIONS) throw new VtlError(`range [${from}..${to}] is too long`);
        const step = from <= to ? 1 : -1;
        const out: number[] = [];
        for (let n = from; n !== to + step; n += step) out.push(n);
        return out;
      }
      case 'map': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of e.entries) {
          const key = show(this.expr(k));
          if (!BLOCKED.has(key)) out[key] = this.expr(v);
        }
        return out;
      }
      case 'not':
        return !truthy(this.expr(e.arg));
      case 'negate': {
        const v = this.expr(e.arg);
        return typeof v === 'number' ? -v : null;
      }
      case 'binary':
        return this.binary(e);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>): unknown {
    if (e.op === '&&') return truthy(this.expr(e.left)) && truthy(this.expr(e.right));
    if (e.op === '||') return truthy(this.expr(e.left)) || truthy(this.expr(e.right));
    const a = this.expr(e.left);
    const b = this.expr(e.right);
    switch (e.op) {
      case '==':
        return equal(a, b);
      case '!=':
        return !equal(a, b);
      case '<':
      case '>':
      case '<=':
      case '>=': {
        const c = compare(a, b);
        if (c === undefined) return false;
        return e.op === '<' ? c < 0 : e.op === '>' ? c > 0 : e.op === '<=' ? c <= 0 : c >= 0;
      }
      case '+':
        if (typeof a === 'number' && typeof b === 'number') return a + b;
        if (typeof a === 'string' || typeof b === 'string') return show(a) + show(b);
        return null;
      default: {
        if (typeof a !== 'number' || typeof b !== 'number') return null;
        if (e.op === '-') return a - b;
        if (e.op === '*') return a * b;
        if (b === 0) return null;
        // Integers divide as Java integers do.
        if (e.op === '/') return Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
        return a % b;
      }
    }
  }
}

/** Names no template may read or write on an object: they belong to JavaScript, not to the data. */
const BLOCKED = new Set(Object.getOwnPropertyNames(Object.prototype));

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `$a.name`: a map's entry, or a host object's (`$input`, `$context`) value; a function there is a
 * getter (`$input.body` is `$input.body()`), and `$a.getName()` reads `$a.name`, as in Velocity.
 */
function property(value: unknown, name: string): unknown {
  if (!isMap(value) || BLOCKED.has(name)) return undefined;
  const v = Reflect.get(value, name);
  return typeof v === 'function' ? (v as () => unknown).call(value) : v;
}

function call(value: unknown, name: string, args: unknown[]): unknown {
  if (isMap(value) && !BLOCKED.has(name) && Object.hasOwn(value, name) && typeof value[name] === 'function')
    return (value[name] as (...a: unknown[]) => unknown)(...args);
  const type = typeof value === 'string' ? 'string' : Array.isArray(value) ? 'list' : isMap(value) ? 'map' : 'other';
  const own = (table: Record<string, Method>) => (Object.hasOwn(table, name) ? table[name] : undefined);
  const method = own(METHODS[type]) ?? own(METHODS.any);
  // Each method is typed by the receiver it was chosen for above.
  if (method) return (method as (self: unknown, args: unknown[]) => unknown)(value, args);
  const bean = /^(get|is)([A-Z].*)$/.exec(name);
  if (bean && args.length === 0 && isMap(value)) return property(value, bean[2][0].toLowerCase() + bean[2].slice(1));
  throw new VtlError(
    `no method ${name}(${args.length === 0 ? '' : '...'}) on a ${type === 'other' ? typeof value : type}`,
  );
}

type Method = (self: never, args: unknown[]) => unknown;

/** The Java methods templates call on strings, lists and maps, with Java's results. */
const METHODS: Record<'string' | 'list' | 'map' | 'other' | 'any', Record<string, Method>> = {
  string: {
    length: (s: string) => s.length,
    isEmpty: (s: string) => s.length === 0,
    contains: (s: string, [x]) => s.includes(show(x)),
    startsWith: (s: string, [x]) => s.startsWith(show(x)),
    endsWith: (s: string, [x]) => s.endsWith(show(x)),
    indexOf: (s: string, [x]) => s.indexOf(show(x)),
    lastIndexOf: (s: string, [x]) => s.lastIndexOf(show(x)),
    substring: (s: string, [from, to]) => s.substring(Number(from), to === undefined ? undefined : Number(to)),
    charAt: (s: string, [i]) => s.charAt(Number(i)),
    toUpperCase: (s: string) => s.toUpperCase(),
    toLowerCase: (s: string) => s.toLowerCase(),
    trim: (s: string) => s.trim(),
    concat: (s: string, [x]) => s + show(x),
    replace: (s: string, [a, b]) => s.split(show(a)).join(show(b)),
    replaceAll: (s: string, [re, b]) => s.replace(regex(re, 'g'), show(b)),
    replaceFirst: (s: string, [re, b]) => s.replace(regex(re, ''), show(b)),
    matches: (s: string, [re]) => regex(`^(?:${show(re)})$`, '').test(s),
    split: (s: string, [re]) => {
      const parts = s.split(regex(re, ''));
      while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
      return parts;
    },
    equalsIgnoreCase: (s: string, [x]) => s.toLowerCase() === show(x).toLowerCase(),
  },
  list: {
    size: (l: unknown[]) => l.length,
    isEmpty: (l: unknown[]) => l.length === 0,
    get: (l: unknown[], [i]) => l[Number(i)],
    contains: (l: unknown[], [x]) => l.some((item) => equal(item, x)),
    indexOf: (l: unknown[], [x]) => l.findIndex((item) => equal(item, x)),
    add: (l: unknown[], [x]) => {
      if (l.length >= MAX_ITERATIONS * 10) throw new VtlError('a list grew past 10,000 items');
      l.push(x);
      return true;
    },
    addAll: (l: unknown[], [xs]) => {
      l.push(...iterable(xs));
      return true;
    },
    set: (l: unknown[], [i, x]) => {
      const previous = l[Number(i)];
      l[Number(i)] = x;
      return previous;
    },
    remove: (l: unknown[], [i]) => l.splice(Number(i), 1)[0],
    subList: (l: unknown[], [from, to]) => l.slice(Number(from), Number(to)),
  },
  map: {
    get: (m: Record<string, unknown>, [k]) => property(m, show(k)),
    put: (m: Record<string, unknown>, [k, v]) => {
      const key = show(k);
      if (BLOCKED.has(key)) return undefined;
      const previous = m[key];
      m[key] = v;
      return previous;
    },
    putAll: (m: Record<string, unknown>, [other]) => {
      if (isMap(other)) for (const [k, v] of Object.entries(other)) if (!BLOCKED.has(k)) m[k] = v;
      return undefined;
    },
    remove: (m: Record<string, unknown>, [k]) => {
      const key = show(k);
      const previous = Object.hasOwn(m, key) ? m[key] : undefined;
      delete m[key];
      return previous;
    },
    containsKey: (m: Record<string, unknown>, [k]) => Object.hasOwn(m, show(k)),
    containsValue: (m: Record<string, unknown>, [v]) => Object.values(m).some((x) => equal(x, v)),
    keySet: (m: Record<string, unknown>) => Object.keys(m),
    values: (m: Record<string, unknown>) => Object.values(m),
    entrySet: (m: Record<string, unknown>) => Object.entries(m).map(([key, value]) => ({ key, value })),
    size: (m: Record<string, unknown>) => Object.keys(m).length,
    isEmpty: (m: Record<string, unknown>) => Object.keys(m).length === 0,
  },
  other: {
    intValue: (n: number) => Math.trunc(n),
    longValue: (n: number) => Math.trunc(n),
    doubleValue: (n: number) => n,
  },
  any: {
    toString: (v: unknown) => show(v),
    equals: (v: unknown, [x]) => equal(v, x),
  },
};

function regex(pattern: unknown, flags: string): RegExp {
  try {
    return new RegExp(show(pattern), flags);
  } catch {
    throw new VtlError(`"${show(pattern)}" is not a regular expression the local gateway can run`);
  }
}

/** Velocity 1.7: only null and false are false. */
function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

function iterable(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  // A map iterates over its values, as Velocity does.
  if (isMap(value)) return Object.values(value);
  return [];
}

/** Numbers compare as numbers; anything else by its text, as Velocity 1.7 compares unlike types. */
function equal(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null || b === undefined || b === null)
    return (a === undefined || a === null) && (b === undefined || b === null);
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return show(a) === show(b);
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

/** A value as Java prints it: lists `[a, b]`, maps `{k=v}`; null as nothing. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, v]) => typeof v !== 'function')
      .map(([k, v]) => `${k}=${show(v)}`)
      .join(', ')}}`;
  return '';
}

function collectReads(nodes: Node[], reads: Set<string>): void {
  const ref = (r: Ref) => {
    reads.add(r.name);
    for (const p of r.parts) {
      if (p.kind === 'index') expr(p.index);
      if (p.kind === 'call') p.args.forEach(expr);
    }
  };
  const expr = (e: Expr): void => {
    switch (e.kind) {
      case 'string':
        collectReads(e.parts, reads);
        return;
      case 'ref':
        ref(e.ref);
        return;
      case 'list':
        e.items.forEach(expr);
        return;
      case 'range':
        expr(e.from);
        expr(e.to);
        return;
      case 'map':
        for (const [k, v] of e.entries) {
          expr(k);
          expr(v);
        }
        return;
      case 'not':
      case 'negate':
        expr(e.arg);
        return;
      case 'binary':
        expr(e.left);
        expr(e.right);
        return;
      case 'literal':
        return;
    }
  };
  for (const node of nodes) {
    switch (node.kind) {
      case 'output':
        ref(node.ref);
        break;
      case 'set':
        ref(node.target);
        expr(node.value);
        break;
      case 'if':
        for (const b of node.branches) {
          expr(b.condition);
          collectReads(b.body, reads);
        }
        if (node.otherwise) collectReads(node.otherwise, reads);
        break;
      case 'foreach':
        expr(node.list);
        collectReads(node.body, reads);
        break;
      default:
        break;
    }
  }
}

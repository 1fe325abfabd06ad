// The syntax of the Velocity (VTL) subset the local gateway runs in mapping templates, parsed once per
// template into a tree that vtl.ts evaluates. vtl.ts's opening comment lists what is and is not supported.

export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null }
  /** A double-quoted string: interpolated like a template. */
  | { kind: 'string'; parts: Node[] }
  | { kind: 'ref'; ref: Ref }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'range'; from: Expr; to: Expr }
  | { kind: 'map'; entries: [Expr, Expr][] }
  | { kind: 'not'; arg: Expr }
  | { kind: 'negate'; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr };

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

export type Part =
  { kind: 'property'; name: string } | { kind: 'index'; index: Expr } | { kind: 'call'; name: string; args: Expr[] };

export interface Ref {
  name: string;
  parts: Part[];
}

export type Node =
  | { kind: 'text'; text: string }
  /** `$x`, `$!x`, `${x}`: quiet references render nothing for null, others (here) too; `source` is the text. */
  | { kind: 'output'; ref: Ref; source: string }
  | { kind: 'set'; target: Ref; value: Expr }
  | { kind: 'if'; branches: { condition: Expr; body: Node[] }[]; otherwise?: Node[] }
  | { kind: 'foreach'; variable: string; list: Expr; body: Node[] }
  | { kind: 'break' }
  | { kind: 'stop' };

/** A template the local gateway cannot run: bad syntax, or a part of VTL it does not implement. */
export class VtlError extends Error {}

/** Directives of VTL the subset leaves out; a template using one is reported, not half run. */
const UNSUPPORTED = new Set(['macro', 'define', 'parse', 'include', 'evaluate']);
const WORD_OPERATORS: Record<string, BinaryOp | 'not'> = {
  and: '&&',
  or: '||',
  not: 'not',
  eq: '==',
  ne: '!=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
};
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y;
/** `#name`, or `#{name}` where text follows the name directly. */
const DIRECTIVE = /#\{([A-Za-z]+)\}|#([A-Za-z]+)/y;

export function parseTemplate(source: string): Node[] {
  return new Parser(source).template();
}

type Terminator = 'end' | 'else' | 'elseif';

class Parser {
  private i = 0;

  constructor(private readonly s: string) {}

  template(): Node[] {
    const { nodes, ended } = this.block(new Set());
    if (ended) throw this.error(`#${ended.name} without a matching #if or #foreach`);
    return nodes;
  }

  /** Nodes up to one of `terminators` (consumed and returned) or the end of the template. */
  private block(terminators: Set<Terminator>): {
    nodes: Node[];
    ended?: { name: Terminator; condition?: Expr };
  } {
    const nodes: Node[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', text });
      text = '';
    };
    const s = this.s;
    while (this.i < s.length) {
      const ch = s[this.i];
      if (ch === '\\' && (s[this.i + 1] === '$' || s[this.i + 1] === '#')) {
        text += s[this.i + 1];
        this.i += 2;
        continue;
      }
      if (ch === '$') {
        const start = this.i;
        const ref = this.reference(false);
        if (ref) {
          flush();
          nodes.push({ kind: 'output', ref, source: s.slice(start, this.i) });
        } else {
          this.i = start + 1;
          text += '$';
        }
        continue;
      }
      if (ch === '#') {
        if (s.startsWith('##', this.i)) {
          const end = s.indexOf('\n', this.i);
          this.i = end === -1 ? s.length : end + 1;
          continue;
        }
        if (s.startsWith('#*', this.i)) {
          const end = s.indexOf('*#', this.i + 2);
          if (end === -1) throw this.error('#* comment without *#');
          this.i = end + 2;
          continue;
        }
        if (s.startsWith('#[[', this.i)) {
          const end = s.indexOf(']]#', this.i + 3);
          if (end === -1) throw this.error('#[[ without ]]#');
          text += s.slice(this.i + 3, end);
          this.i = end + 3;
          continue;
        }
        const start = this.i;
        DIRECTIVE.lastIndex = start;
        const m = DIRECTIVE.exec(s);
        const name = m ? (m[1] ?? m[2]) : undefined;
        if (!m || name === undefined || !this.isDirective(name)) {
          text += '#';
          this.i++;
          continue;
        }
        if (UNSUPPORTED.has(name))
          throw this.error(`#${name} is not supported by the local gateway's templates`, 'unsupported');
        this.i = start + m[0].length;
        const atLineStart = this.lineStartsAt(start);
        // Called once the directive's arguments are read: alone on its line, it takes the line with it.
        const gobble = () => {
          if (!atLineStart || !this.lineEndsHere()) return;
          text = text.replace(/[ \t]*$/, '');
          this.skipLineEnd();
        };
        if (name === 'end' || name === 'else' || name === 'elseif') {
          const condition = name === 'elseif' ? this.parenthesized() : undefined;
          gobble();
          if (!terminators.has(name)) throw this.error(`#${name} without a matching #if or #foreach`);
          flush();
          return { nodes, ended: { name, condition } };
        }
        const node = this.directive(name, gobble);
        flush();
        nodes.push(node);
        continue;
      }
      // Plain text up to the next character that can start something.
      let next = this.i + 1;
      while (next < s.length && s[next] !== '$' && s[next] !== '#' && s[next] !== '\\') next++;
      text += s.slice(this.i, next);
      this.i = next;
    }
    flush();
    if (terminators.size > 0) throw this.error('#if or #foreach without #end');
    return { nodes };
  }

  private isDirective(name: string): boolean {
    return ['set', 'if', 'elseif', 'else', 'end', 'foreach', 'break', 'stop'].includes(name) || UNSUPPORTED.has(name);
  }

  private directive(name: string, gobble: () => void): Node {
    switch (name) {
      case 'set': {
        this.expect('(');
        this.space();
        if (this.s[this.i] !== '$') throw this.error('#set needs a $reference before =');
        const target = this.reference(true);
        if (!target) throw this.error('#set needs a $reference before =');
        this.space();
        this.expect('=');
        const value = this.expression();
        this.space();
        this.expect(')');
        gobble();
        return { kind: 'set', target, value };
      }
      case 'if': {
        const branches: { condition: Expr; body: Node[] }[] = [];
        let condition = this.parenthesized();
        gobble();
        for (;;) {
          const { nodes, ended } = this.block(new Set<Terminator>(['end', 'else', 'elseif']));
          branches.push({ condition, body: nodes });
          if (ended?.name === 'elseif') {
            condition = ended.condition as Expr;
            continue;
          }
          if (ended?.name === 'else') {
            const rest = this.block(new Set<Terminator>(['end']));
            return { kind: 'if', branches, otherwise: rest.nodes };
          }
          return { kind: 'if', branches };
        }
      }
      case 'foreach': {
        this.expect('(');
        this.space();
        if (this.s[this.i] !== '$') throw this.error('#foreach needs ($item in <list>)');
        const variable = this.reference(true);
        if (!variable || variable.parts.length > 0) throw this.error('#foreach needs ($item in <list>)');
        this.space();
        if (!this.s.startsWith('in', this.i)) throw this.error('#foreach needs ($item in <list>)');
        this.i += 2;
        const list = this.expression();
        this.space();
        this.expect(')');
        gobble();
        const { nodes } = this.block(new Set<Terminator>(['end']));
        return { kind: 'foreach', variable: variable.name, list, body: nodes };
      }
      case 'break':
        gobble();
        return { kind: 'break' };
      default:
        gobble();
        return { kind: 'stop' };
    }
  }

  /**
   * Only blanks between the start of the line and `start`. A directive alone on its line takes the line
   * with it (its indentation and its newline), so that templates can be indented without the output
   * being; what Velocity 1.7 does is less regular.
   */
  private lineStartsAt(start: number): boolean {
    let before = start - 1;
    while (before >= 0 && (this.s[before] === ' ' || this.s[before] === '\t')) before--;
    return before < 0 || this.s[before] === '\n';
  }

  /** Only blanks from here to the end of the line (or of the template). */
  private lineEndsHere(): boolean {
    let j = this.i;
    while (j < this.s.length && (this.s[j] === ' ' || this.s[j] === '\t' || this.s[j] === '\r')) j++;
    return j === this.s.length || this.s[j] === '\n';
  }

  private skipLineEnd(): void {
    while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
    if (this.i < this.s.length) this.i++;
  }

  /**
   * `$name`, `$!name`, `${name}`, `$!{name}` with `.property`, `.method(args)` and `[index]` after it.
   * Returns undefined (position unspecified) where `$` starts no reference; in an expression that is an error.
   */
  private reference(inExpression: boolean): Ref | undefined {
    const s = this.s;
    let j = this.i + 1;
    if (s[j] === '!') j++;
    const braced = s[j] === '{';
    if (braced) j++;
    const name = this.identifierAt(j);
    if (!name) return this.noReference(inExpression);
    this.i = j + name.length;
    const parts: Part[] = [];
    for (;;) {
      if (s[this.i] === '.' && /[A-Za-z_]/.test(s[this.i + 1] ?? '')) {
        const member = this.identifierAt(this.i + 1) as string;
        this.i += 1 + member.length;
        if (s[this.i] === '(') {
          this.i++;
          parts.push({ kind: 'call', name: member, args: this.list(')') });
        } else parts.push({ kind: 'property', name: member });
        continue;
      }
      if (s[this.i] === '[') {
        const save = this.i;
        this.i++;
        try {
          const index = this.expression();
          this.space();
          this.expect(']');
          parts.push({ kind: 'index', index });
          continue;
        } catch (error) {
          if (inExpression) throw error;
          // In text, `$a[` that is no index (JSON such as "$a[1,2]") ends the reference before the bracket.
          this.i = save;
        }
      }
      break;
    }
    if (braced) {
      if (s[this.i] !== '}') return this.noReference(inExpression);
      this.i++;
    }
    return { name, parts };
  }

  private noReference(inExpression: boolean): undefined {
    if (inExpression) throw this.error('expected a $reference');
    return undefined;
  }

  /** An identifier at `at`; a trailing `-` is text after it (`$name-`), as hyphens only join words. */
  private identifierAt(at: number): string | undefined {
    IDENTIFIER.lastIndex = at;
    const m = IDENTIFIER.exec(this.s);
    return m ? m[0].replace(/-+$/, '') : undefined;
  }

  private parenthesized(): Expr {
    this.space();
    this.expect('(');
    const e = this.expression();
    this.space();
    this.expect(')');
    return e;
  }

  /** Comma-separated expressions up to `close` (consumed). */
  private list(close: string): Expr[] {
    const items: Expr[] = [];
    this.space();
    if (this.s[this.i] === close) {
      this.i++;
      return items;
    }
    for (;;) {
      items.push(this.expression());
      this.space();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect(close);
      return items;
    }
  }

  expression(): Expr {
    return this.binary(0);
  }

  private static readonly LEVELS: BinaryOp[][] = [
    ['||'],
    ['&&'],
    ['==', '!='],
    ['<=', '>=', '<', '>'],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private binary(level: number): Expr {
    if (level === Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const op = this.operator(Parser.LEVELS[level]);
      if (!op) return left;
      const right = this.binary(level + 1);
      left = { kind: 'binary', op, left, right };
    }
  }

  /** One of `ops` next (symbol or word form), consumed; undefined otherwise. */
  private operator(ops: BinaryOp[]): BinaryOp | undefined {
    this.space();
    const s = this.s;
    for (const op of ops) {
      if (!s.startsWith(op, this.i)) continue;
      // `=` alone is no operator; `<` must not be the start of `<=` when looking for `<`.
      if ((op === '<' || op === '>') && s[this.i + 1] === '=') continue;
      this.i += op.length;
      return op;
    }
    const word = /[a-z]+/y;
    word.lastIndex = this.i;
    const m = word.exec(s);
    const mapped = m ? WORD_OPERATORS[m[0]] : undefined;
    if (
      m &&
      mapped &&
      mapped !== 'not' &&
      ops.includes(mapped) &&
      !/[A-Za-z0-9_]/.test(s[this.i + m[0].length] ?? '')
    ) {
      this.i += m[0].length;
      return mapped;
    }
    return undefined;
  }

  private unary(): Expr {
    this.space();
    const s = this.s;
    if (s[this.i] === '!' && s[this.i + 1] !== '=') {
      this.i++;
      return { kind: 'not', arg: this.unary() };
    }
    if (s.startsWith('not', this.i) && !/[A-Za-z0-9_]/.test(s[this.i + 3] ?? '')) {
      this.i += 3;
      return { kind: 'not', arg: this.unary() };
    }
    if (s[this.i] === '-' && !/\d/.test(s[this.i + 1] ?? '')) {
      this.i++;
      return { kind: 'negate', arg: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expr {
    this.space();
    const s = this.s;
    const ch = s[this.i];
    if (ch === '$') return { kind: 'ref', ref: this.reference(true) as Ref };
    if (ch === '"' || ch === "'") return this.stringLiteral(ch);
    if (ch === '(') {
      this.i++;
      const e = this.expression();
      this.space();
      this.expect(')');
      return e;
    }
    if (ch === '[') {
      this.i++;
      this.space();
      if (s[this.i] === ']') {
        this.i++;
        return { kind: 'list', items: [] };
      }
      const first = this.expression();
      this.space();
      if (s.startsWith('..', this.i)) {
        this.i += 2;
        const to = this.expression();
        this.space();
        this.expect(']');
        return { kind: 'range', from: first, to };
      }
      const items = [first];
      while (s[this.i] === ',') {
        this.i++;
        items.push(this.expression());
        this.space();
      }
      this.expect(']');
      return { kind: 'list', items };
    }
    if (ch === '{') {
      this.i++;
      const entries: [Expr, Expr][] = [];
      this.space();
      if (s[this.i] === '}') {
        this.i++;
        return { kind: 'map', entries };
      }
      for (;;) {
        const key = this.expression();
        this.space();
        this.expect(':');
        entries.push([key, this.expression()]);
        this.space();
        if (s[this.i] === ',') {
          this.i++;
          continue;
        }
        this.expect('}');
        return { kind: 'map', entries };
      }
    }
    const number = /-?\d+(\.\d+)?/y;
    number.lastIndex = this.i;
    const n = number.exec(s);
    if (n) {
      this.i += n[0].length;
      return { kind: 'literal', value: Number(n[0]) };
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const)
      if (s.startsWith(word, this.i) && !/[A-Za-z0-9_]/.test(s[this.i + word.length] ?? '')) {
        this.i += word.length;
        return { kind: 'literal', value };
      }
    throw this.error(ch === undefined ? 'the template ends inside an expression' : `unexpected "${ch}"`);
  }

  /**
   * 'text' is taken as written; "text" is interpolated like a template. As in Velocity 1.7, a backslash
   * keeps a quote inside the string and stays in its value.
   */
  private stringLiteral(quote: string): Expr {
    const s = this.s;
    let j = this.i + 1;
    while (j < s.length && s[j] !== quote) j += s[j] === '\\' && quote === '"' ? 2 : 1;
    if (j >= s.length) throw this.error('a string without its closing quote');
    const body = s.slice(this.i + 1, j);
    this.i = j + 1;
    if (quote === "'") return { kind: 'literal', value: body };
    return {
      kind: 'string',
      parts: body.includes('$') || body.includes('#') ? parseTemplate(body) : [{ kind: 'text', text: body }],
    };
  }

  private space(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private expect(ch: string): void {
    if (this.s[this.i] !== ch) throw this.error(`expected "${ch}"`);
    this.i++;
  }

  private error(message: string, kind: 'syntax' | 'unsupported' = 'syntax'): VtlError {
    const line = this.s.slice(0, this.i).split('\n').length;
    return new VtlError(kind === 'unsupported' ? `${message} (line ${line})` : `${message} at line ${line}`);
  }
}

// identityValidationExpression as API Gateway applies it: a java.util.regex.Pattern, tested with matches() on
// the whole `aud` claim. JavaScript's RegExp reads many Java expressions differently (`\A`, `\z` and `(?i)` are
// errors or other things, `$` ignores a final line break, `\s` takes Unicode spaces, `[a[b]]` is no union), so
// the expression is translated once here, and the lint, the local gateway and the contract harness all use the
// translation. What has no JavaScript equivalent (possessive quantifiers, atomic groups, flags set midway) is
// refused with the reason, so nothing is evaluated with a meaning Java does not give it.

export type JavaRegex =
  | {
      ok: true;
      /** Matches a whole value, as Java's Matcher.matches() does (never a part of it). */
      regex: RegExp;
    }
  | { ok: false; reason: string; fix: string };

/** Java's line terminators (Pattern: "Line terminators"); with UNIX_LINES (d) only \n. */
const TERMINATORS = '\\n\\r\\u{85}\\u{2028}\\u{2029}';

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
  x: boolean;
  d: boolean;
}

class Refused extends Error {
  constructor(
    readonly reason: string,
    readonly fix: string,
  ) {
    super(reason);
  }
}

const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\u{0}-\\u{7f}',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '\\u{21}-\\u{2f}\\u{3a}-\\u{40}\\u{5b}-\\u{60}\\u{7b}-\\u{7e}',
  Graph: '\\u{21}-\\u{7e}',
  Print: '\\u{20}-\\u{7e}',
  Blank: '\\u{20}\\t',
  Cntrl: '\\u{0}-\\u{1f}\\u{7f}',
  XDigit: '0-9a-fA-F',
  Space: '\\u{20}\\t\\n\\u{b}\\f\\r',
};

/** Compiles a Java regular expression into a RegExp that accepts exactly the values matches() accepts. */
export function compileJavaRegex(expression: string): JavaRegex {
  try {
    const source = new Translator(expression).translate();
    return { ok: true, regex: source.regex };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason, fix: error.fix };
    // The translation is valid Java that JavaScript still refuses (a case not foreseen): refused, not guessed.
    return {
      ok: false,
      reason: `it is not a regular expression gatehouse can evaluate as Java does (${error instanceof Error ? error.message : String(error)})`,
      fix: 'Simplify the expression, e.g. ^(clientIdA|clientIdB)$.',
    };
  }
}

/** Whether the expression accepts the whole value, with Java's meaning; an expression that does not compile accepts nothing. */
export function javaMatches(expression: string, value: string): boolean {
  const compiled = compileJavaRegex(expression);
  return compiled.ok && compiled.regex.test(value);
}

class Translator {
  private readonly chars: string[];
  private pos = 0;
  private groups = 0;
  /** Groups open around pos. */
  private depth = 0;
  private readonly flags: Flags = { i: false, s: false, m: false, x: false, d: false };

  constructor(expression: string) {
    this.chars = Array.from(expression);
  }

  translate(): { regex: RegExp } {
    this.leadingFlags();
    const body = this.alternation();
    if (this.pos < this.chars.length) throw invalid(`unmatched ")" at index ${this.pos}`);
    // No m or s flag in JavaScript: ^ and $ of the wrapper are the whole input's, and the Java anchors inside
    // were written out. `v` gives nested classes and intersection, as Java's classes have.
    return { regex: new RegExp(`^(?:${body})$`, this.flags.i ? 'iv' : 'v') };
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private next(): string {
    const c = this.chars[this.pos++];
    if (c === undefined) throw invalid('it ends in the middle of a construct');
    return c;
  }

  /** `(?i)`, `(?is)`, `(?-x)` ... at the very start set the flags for the whole expression. */
  private leadingFlags(): void {
    for (;;) {
      const m = /^\(\?([idmsuxU]*)(?:-([idmsuxU]*))?\)/.exec(this.chars.slice(this.pos).join(''));
      if (!m) return;
      this.setFlags(m[1], m[2] ?? '');
      this.pos += Array.from(m[0]).length;
    }
  }

  private setFlags(on: string, off: string): void {
    for (const [letters, value] of [
      [on, true],
      [off, false],
    ] as const) {
      for (const f of letters) {
        if (f === 'U')
          throw new Refused(
            'it sets (?U) (UNICODE_CHARACTER_CLASS), which gatehouse does not model',
            'Drop (?U), and write the Unicode classes meant, e.g. \\p{L} for any letter.',
          );
        // u (UNICODE_CASE) only widens what (?i) folds: JavaScript's i flag folds Unicode case already.
        if (f === 'u') continue;
        this.flags[f as keyof Flags] = value;
      }
    }
  }

  private skipComments(): void {
    if (!this.flags.x) return;
    for (;;) {
      const c = this.peek();
      if (c !== undefined && /\s/.test(c)) this.pos++;
      else if (c === '#') while (this.peek() !== undefined && this.peek() !== '\n') this.pos++;
      else return;
    }
  }

  private alternation(): string {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.sequence());
    }
    return branches.join('|');
  }

  private sequence(): string {
    let out = '';
    for (;;) {
      this.skipComments();
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') return out;
      // matches() must end at the input's end, so a top-level branch's trailing $ means just that: JavaScript's $
      // (no m flag), and the translation reads as the expression does (^abc$ -> ^(?:^abc$)$).
      if (this.depth === 0 && c === '$' && this.endsBranch()) {
        this.pos++;
        out += '$';
        continue;
      }
      const atom = this.atom();
      out += atom.text + (atom.quantifiable ? this.quantifier() : this.noQuantifier());
    }
  }

  /** Whether the `$` at pos is the last thing of its branch. */
  private endsBranch(): boolean {
    const at = this.pos;
    this.pos++;
    this.skipComments();
    const next = this.peek();
    this.pos = at;
    return next === undefined || next === '|';
  }

  private noQuantifier(): string {
    this.skipComments();
    const c = this.peek();
    if (c === '*' || c === '+' || c === '?') throw invalid(`dangling quantifier "${c}" at index ${this.pos}`);
    return '';
  }

  private quantifier(): string {
    this.skipComments();
    let q = '';
    const c = this.peek();
    if (c === '*' || c === '+' || c === '?') q = this.next();
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.chars.slice(this.pos).join(''));
      if (!m)
        throw invalid(`"{" at index ${this.pos} is not a repetition ({n}, {n,} or {n,m}); write \\{ for the brace`);
      if (m[3] && Number(m[3]) < Number(m[1])) throw invalid(`repetition ${m[0]} has its maximum below its minimum`);
      q = m[0];
      this.pos += m[0].length;
    } else return '';
    const mode = this.peek();
    if (mode === '?') q += this.next();
    else if (mode === '+')
      throw new Refused(
        `it uses the possessive quantifier ${q}+ (index ${this.pos}), which JavaScript cannot evaluate`,
        `Write the greedy ${q} instead: for a client id, whose value is matched whole, it accepts the same values unless a later part needs a character the possessive one would have kept.`,
      );
    return q;
  }

  private atom(): { text: string; quantifiable: boolean } {
    const c = this.next();
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return { text: this.characterClass(), quantifiable: true };
      case '.':
        return { text: this.flags.s ? '[\\s\\S]' : `[^${this.terminators()}]`, quantifiable: true };
      case '^':
        // Without MULTILINE, Java's ^ is JavaScript's without the m flag: the start of the input.
        return { text: this.flags.m ? `(?<![^${this.terminators()}])` : '^', quantifiable: false };
      case '$':
        return { text: this.flags.m ? `(?=[${this.terminators()}]|(?![\\s\\S]))` : this.endZ(), quantifiable: false };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw invalid(`dangling quantifier "${c}" at index ${this.pos - 1}`);
      case '{':
        throw invalid(`"{" at index ${this.pos - 1} repeats nothing; write \\{ for the brace`);
      default:
        return { text: literal(c), quantifiable: true };
    }
  }

  private terminators(): string {
    return this.flags.d ? '\\n' : TERMINATORS;
  }

  /** `\Z`, and `$` without MULTILINE: the end, or just before a line terminator that ends the input. */
  private endZ(): string {
    const terminator = this.flags.d ? '\\n' : `(?:\\r\\n|[${TERMINATORS}])`;
    return `(?=${terminator}?(?![\\s\\S]))`;
  }

  private group(): { text: string; quantifiable: boolean } {
    let open = '(';
    if (this.peek() === '?') {
      this.pos++;
      const rest = this.chars.slice(this.pos).join('');
      const named = /^<([A-Za-z][A-Za-z0-9]*)>/.exec(rest);
      if (rest.startsWith(':') || rest.startsWith('=') || rest.startsWith('!')) open = `(?${this.next()}`;
      else if (rest.startsWith('<=') || rest.startsWith('<!')) open = `(?${this.next()}${this.next()}`;
      else if (named) {
        this.groups++;
        open = `(?<${named[1]}>`;
        this.pos += named[0].length;
      } else if (rest.startsWith('>'))
        throw new Refused(
          `it uses an atomic group (?>...) (index ${this.pos - 2}), which JavaScript cannot evaluate`,
          'Write a non-capturing group (?:...) instead; for a client id matched whole it accepts the same values unless what follows the group needs a character the group would have kept.',
        );
      else {
        const flags = /^([idmsuxU]*)(?:-([idmsuxU]*))?([:)])/.exec(rest);
        if (!flags) throw invalid(`unknown group construct "(?${rest.slice(0, 2)}" at index ${this.pos - 2}`);
        throw new Refused(
          `it sets inline flags (?${flags[0].slice(0, -1)}) after the start of the expression (index ${this.pos - 2}), which gatehouse evaluates only at the very start`,
          `Move the flags to the start of the expression (e.g. (?i)^web-[a-z0-9]+$), where they apply to all of it.`,
        );
      }
    } else this.groups++;
    this.depth++;
    const body = this.alternation();
    this.depth--;
    if (this.peek() !== ')') throw invalid('a group is not closed');
    this.pos++;
    // Lookarounds cannot be repeated in JavaScript's unicode modes; in Java repeating one changes nothing.
    const lookaround = /^\(\?<?[=!]$/.test(open);
    return { text: `${open}${body})`, quantifiable: !lookaround };
  }

  private escape(): { text: string; quantifiable: boolean } {
    const c = this.next();
    const zeroWidth = (text: string) => ({ text, quantifiable: false });
    const one = (text: string) => ({ text, quantifiable: true });
    switch (c) {
      case 'A':
      case 'G':
        // \G is where the previous match ended: for matches(), the start.
        return zeroWidth('(?<![\\s\\S])');
      case 'z':
        return zeroWidth('(?![\\s\\S])');
      case 'Z':
        return zeroWidth(this.endZ());
      case 'b':
      case 'B':
        return zeroWidth(`\\${c}`);
      case 'R':
        return one('(?:\\r\\n|[\\n\\u{b}\\f\\r\\u{85}\\u{2028}\\u{2029}])');
      case 'Q': {
        let text = '';
        while (this.pos < this.chars.length && !(this.peek() === '\\' && this.peek(1) === 'E'))
          text += literal(this.next());
        if (this.pos < this.chars.length) this.pos += 2;
        return one(text === '' ? '(?:)' : `(?:${text})`);
      }
      case 'k': {
        const m = /^<([A-Za-z][A-Za-z0-9]*)>/.exec(this.chars.slice(this.pos).join(''));
        if (!m) throw invalid('\\k must name a group: \\k<name>');
        this.pos += m[0].length;
        return one(`\\k<${m[1]}>`);
      }
      default:
        if (/[1-9]/.test(c)) {
          let n = c;
          while (this.peek() !== undefined && /\d/.test(this.peek()!) && Number(n + this.peek()) <= this.groups)
            n += this.next();
          return one(`\\${n}`);
        }
        return one(this.classEscape(c, false));
    }
  }

  /**
   * An escape that stands for characters, in class syntax when `inClass` (a nested class or members) and as
   * an atom otherwise.
   */
  private classEscape(c: string, inClass: boolean): string {
    const set = (members: string, negated = false) => `[${negated ? '^' : ''}${members}]`;
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return `\\${c}`;
      case 's':
      case 'S':
        // Java's \s is [ \t\n\x0B\f\r]; JavaScript's takes every Unicode space.
        return set(POSIX.Space, c === 'S');
      case 'h':
      case 'H':
        return set('\\u{20}\\t\\u{a0}\\u{1680}\\u{180e}\\u{2000}-\\u{200a}\\u{202f}\\u{205f}\\u{3000}', c === 'H');
      case 'v':
      case 'V':
        return set('\\n\\u{b}\\f\\r\\u{85}\\u{2028}\\u{2029}', c === 'V');
      case 't':
        return '\\t';
      case 'n':
        return '\\n';
      case 'r':
        return '\\r';
      case 'f':
        return '\\f';
      case 'a':
        return '\\u{7}';
      case 'e':
        return '\\u{1b}';
      case '0': {
        let octal = '';
        while (octal.length < 3 && /[0-7]/.test(this.peek() ?? '') && Number.parseInt(octal + this.peek(), 8) <= 0o377)
          octal += this.next();
        if (octal === '') throw invalid('\\0 must be followed by an octal number, e.g. \\011');
        return codePoint(Number.parseInt(octal, 8));
      }
      case 'x': {
        const rest = this.chars.slice(this.pos).join('');
        const m = /^(?:([0-9a-fA-F]{2})|\{([0-9a-fA-F]+)\})/.exec(rest);
        if (!m) throw invalid('\\x must be followed by two hex digits or {hex}');
        this.pos += m[0].length;
        const value = Number.parseInt(m[1] ?? m[2], 16);
        if (value > 0x10ffff) throw invalid(`\\x{${m[2]}} is beyond Unicode`);
        return codePoint(value);
      }
      case 'u': {
        const m = /^[0-9a-fA-F]{4}/.exec(this.chars.slice(this.pos, this.pos + 4).join(''));
        if (!m) throw invalid('\\u must be followed by four hex digits');
        this.pos += 4;
        return codePoint(Number.parseInt(m[0], 16));
      }
      case 'c':
        return codePoint(this.next().codePointAt(0)! ^ 64);
      case 'p':
      case 'P':
        return this.property(c === 'P', inClass);
      default:
        if (/[A-Za-z0-9]/.test(c)) throw invalid(`\\${c} is not an escape Java knows`);
        return inClass ? codePoint(c.codePointAt(0)!) : literal(c);
    }
  }

  private property(negated: boolean, inClass: boolean): string {
    let name: string;
    if (this.peek() === '{') {
      this.pos++;
      name = '';
      while (this.peek() !== '}') name += this.next();
      this.pos++;
    } else name = this.next();
    const posix = POSIX[name];
    if (posix !== undefined) return `[${negated ? '^' : ''}${posix}]`;
    // Java's general categories (L, Lu, IsL), scripts (IsLatin) and binary properties (IsAlphabetic).
    const bare = name.replace(/^Is/, '');
    for (const candidate of [bare, `Script=${bare}`]) {
      try {
        new RegExp(`\\p{${candidate}}`, 'v');
        return `\\${negated ? 'P' : 'p'}{${candidate}}`;
      } catch {
        // Not this reading of the name; try the next.
      }
    }
    void inClass;
    throw new Refused(
      `it uses \\p{${name}}, a Java character property gatehouse does not model`,
      'Use a POSIX class (\\p{Alnum}), a general category (\\p{L}) or an explicit class ([a-z0-9]).',
    );
  }

  /** A Java class `[...]` (after the `[`), as a JavaScript `v` class: unions nest, `&&` intersects. */
  private characterClass(): string {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const operands: string[][] = [[]];
    let first = true;
    for (;;) {
      const c = this.next();
      if (c === ']' && !first) break;
      first = false;
      if (this.flags.x && /\s/.test(c)) continue;
      if (c === '&' && this.peek() === '&') {
        this.pos++;
        operands.push([]);
        continue;
      }
      const members = operands[operands.length - 1];
      if (c === '[') {
        members.push(this.characterClass());
        continue;
      }
      const start = c === '\\' ? this.classEscape(this.next(), true) : codePoint(c.codePointAt(0)!);
      // A range: a single character, '-', a single character (not '-]', where '-' is literal).
      if (
        this.peek() === '-' &&
        this.peek(1) !== ']' &&
        this.peek(1) !== undefined &&
        this.peek(1) !== '[' &&
        isSingle(start)
      ) {
        this.pos++;
        const e = this.next();
        const end = e === '\\' ? this.classEscape(this.next(), true) : codePoint(e.codePointAt(0)!);
        if (!isSingle(end)) throw invalid(`a range ends in a class (${end})`);
        if (valueOf(end) < valueOf(start)) throw invalid('a range in a class goes backwards');
        members.push(`${start}-${end}`);
      } else members.push(start);
    }
    const union = (items: string[]) =>
      items.length === 1 && items[0].startsWith('[') ? items[0] : `[${items.join('')}]`;
    // Java: an empty operand of && (as in [a&&]) stands for nothing to intersect with; drop it.
    const sets = operands.filter((o) => o.length > 0);
    if (sets.length === 0) throw invalid('a character class is empty');
    const body = sets.length === 1 ? sets[0].join('') : sets.map(union).join('&&');
    return `[${negated ? '^' : ''}${body}]`;
  }
}

function invalid(reason: string): Refused {
  return new Refused(
    `it is not a valid Java regular expression: ${reason}`,
    'Fix the expression, e.g. ^{{clientId:web}}$ or ^[a-z0-9]{26}$.',
  );
}

/** A code point as JavaScript `v` syntax accepts it anywhere. */
function codePoint(value: number): string {
  const c = String.fromCodePoint(value);
  return /[A-Za-z0-9_]/.test(c) ? c : `\\u{${value.toString(16)}}`;
}

/** A literal character outside a class: syntax characters escaped, other printable ASCII as written. */
function literal(c: string): string {
  if ('^$\\.*+?()[]{}|/'.includes(c)) return `\\${c}`;
  if (/^[\x20-\x7e]$/.test(c)) return c;
  return codePoint(c.codePointAt(0)!);
}

function isSingle(member: string): boolean {
  return /^(\\u\{[0-9a-f]+\}|[A-Za-z0-9_]|\\[tnrf])$/.test(member);
}

function valueOf(member: string): number {
  const m = /^\\u\{([0-9a-f]+)\}$/.exec(member);
  if (m) return Number.parseInt(m[1], 16);
  const named: Record<string, number> = { '\\t': 9, '\\n': 10, '\\r': 13, '\\f': 12 };
  return named[member] ?? member.codePointAt(0)!;
}

// What JSON.parse lets through in a JSON file: a key written twice in one object (the later silently wins,
// where YAML refuses the same document) and nesting deep enough to overflow the recursive steps after the
// parse. Run over text JSON.parse has accepted, so it only tracks structure, never syntax.
import { DOCUMENT_LIMITS, tooDeep } from './document-limits';
import { pointerOf } from './problems';

/** A key written twice in one object; line and column (1-based) of the second. */
export interface DuplicateKey {
  key: string;
  /** Pointer of the object holding both. */
  pointer: string;
  line: number;
  column: number;
}

interface Frame {
  kind: 'object' | 'array';
  keys: Set<string>;
  /** The array's next index, or the object's current key. */
  at: string | number;
  expectKey: boolean;
}

/**
 * The first duplicate key, or undefined; throws a DocumentLimitError when the nesting is over the depth limit.
 * @param text JSON that JSON.parse accepts
 */
export function checkJsonShape(text: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  const path = (): (string | number)[] => stack.slice(0, -1).map((f) => f.at);
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= DOCUMENT_LIMITS.depth) throw tooDeep(stack.map((f) => f.at));
      stack.push({ kind: c === 0x7b ? 'object' : 'array', keys: new Set(), at: 0, expectKey: c === 0x7b });
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      i++;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top.kind === 'array') top.at = (top.at as number) + 1;
      else top.expectKey = true;
      i++;
    } else if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, end)) as string;
        if (top.keys.has(key)) {
          const before = text.slice(0, i);
          return {
            key,
            pointer: pointerOf(...path()),
            line: before.split('\n').length,
            column: i - before.lastIndexOf('\n'),
          };
        }
        top.keys.add(key);
        top.at = key;
        top.expectKey = false;
      }
      i = end;
    } else {
      i++;
    }
  }
  return undefined;
}

/** Index just past the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i++;
  }
  return i;
}

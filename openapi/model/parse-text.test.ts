// What a YAML file reads as: the rules parse-text.ts keeps from the yaml package it was first written on (YAML
// 1.2 core numbers, timestamps and `<<` as written, unknown tags ignored, the intrinsic short forms as their
// long forms), and the refusals (syntax with line and column, one document per file, aliases that contain
// themselves).
import { DocumentLimitError } from './document-limits';
import { parseText, TextSyntaxError } from './parse-text';

const read = (text: string) => parseText('doc.yaml', text);

function syntaxError(text: string): TextSyntaxError {
  try {
    read(text);
  } catch (error) {
    if (error instanceof TextSyntaxError) return error;
    throw error;
  }
  throw new Error('read without a syntax error');
}

describe('CloudFormation short forms read as their long forms', () => {
  test('on a scalar, a sequence and a mapping; the scalar stays a string', () => {
    expect(read('a: !Ref 12\nb: !If [c, 1, 2]\nc: !Split\n  x: 1\nd: !GetAtt Fn.Arn\n')).toEqual({
      a: { Ref: '12' },
      b: { 'Fn::If': ['c', 1, 2] },
      c: { 'Fn::Split': { x: 1 } },
      d: { 'Fn::GetAtt': 'Fn.Arn' },
    });
  });
  test('nested, and on nothing (the empty string)', () => {
    expect(read('a: !Sub\n  - "${X}"\n  - X: !ImportValue shared\nb: !Ref\n')).toEqual({
      a: { 'Fn::Sub': ['${X}', { X: { 'Fn::ImportValue': 'shared' } }] },
      b: { Ref: '' },
    });
  });
});

test('any other tag keeps the value as written, a scalar as its string', () => {
  expect(read('a: !Foo 12\nb: !Foo [1, 2]\nc: !<tag:x> true\nd: ! 3\ne: !!str 4\nf: !!int "5"\n')).toEqual({
    a: '12',
    b: [1, 2],
    c: 'true',
    d: '3',
    e: '4',
    f: 5,
  });
});

test('timestamps stay strings and `<<` is an ordinary key (no merge keys)', () => {
  expect(
    read('day: 2001-12-14\nat: 2001-12-14t21:59:43.10-05:00\nbase: &b { x: 1 }\nmerged: { <<: *b, y: 2 }\n'),
  ).toEqual({
    day: '2001-12-14',
    at: '2001-12-14t21:59:43.10-05:00',
    base: { x: 1 },
    merged: { '<<': { x: 1 }, y: 2 },
  });
});

test("numbers are YAML 1.2 core's: octal and hex, signs and exponents; other spellings are strings", () => {
  const text =
    'a: [0o17, 0x1F, +12, -.5, 1e3, 1.50, .inf, -.Inf, 0b11, -0x1f, 1_000, 012]\nb: [true, False, ~, null, yes]\n';
  expect(read(text)).toEqual({
    a: [15, 31, 12, -0.5, 1000, 1.5, Infinity, -Infinity, '0b11', '-0x1f', '1_000', 12],
    b: [true, false, null, null, 'yes'],
  });
  expect(read('n: .nan\n')).toEqual({ n: NaN });
});

test('a null key is the key "null", as written (yaml read it as "")', () => {
  expect(read('properties:\n  null: { type: string }\n')).toEqual({ properties: { null: { type: 'string' } } });
});

test('an alias shares what its anchor names; the empty file is null', () => {
  const doc = read('x: &a { k: [1] }\ny: *a\n') as { x: unknown; y: unknown };
  expect(doc.y).toEqual({ k: [1] });
  expect(read('')).toBeNull();
  expect(read('# only a comment\n')).toBeNull();
});

test('an anchor that contains its own alias is refused at the depth limit, where the alias is', () => {
  for (const [text, pointer] of [
    ['a: &x [*x]\n', '/a/0'],
    ['a: &x { b: [*x] }\n', '/a/b/0'],
  ]) {
    expect(() => read(text)).toThrow(DocumentLimitError);
    expect(() => read(text)).toThrow(expect.objectContaining({ limit: 'depth', pointer }));
  }
});

test('a syntax error has its reason and 1-based line and column', () => {
  expect(syntaxError('openapi: 3.0.3\ninfo: { title: Broken, version: 1.0.0\npaths: {}\n')).toMatchObject({
    line: 3,
    column: 1,
  });
  expect(syntaxError('a: *nope\n')).toMatchObject({ reason: expect.stringContaining('nope'), line: 1 });
});

test('a file of two documents is refused at the line of the second', () => {
  expect(syntaxError('a: 1\n---\nb: 2\n')).toMatchObject({
    reason: expect.stringContaining('multiple documents'),
    line: 2,
    column: 1,
  });
  expect(read('---\na: 1\n')).toEqual({ a: 1 });
});

test('a file without anchors is measured as one with them: over the value limit at the same pointer', () => {
  const values = `[${'1,'.repeat(1_000_000)}1]`;
  const refusal = (text: string) => {
    try {
      read(text);
    } catch (error) {
      return error;
    }
    return undefined;
  };
  for (const text of [`x: ${values}\n`, `note: "R&D"\nx: ${values}\n`])
    expect(refusal(text)).toMatchObject({ limit: 'expandedValues', pointer: '/x' });
});

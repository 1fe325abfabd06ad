// identityValidationExpression is evaluated as API Gateway evaluates it: a java.util.regex.Pattern, tested with
// Matcher.matches() on the whole aud claim. Evidence: the Authorizer reference says that for COGNITO_USER_POOLS
// "API Gateway will match the aud field of the incoming token from the client against the specified regular
// expression" (API Gateway API Reference, Authorizer.identityValidationExpression). That it is a Java Pattern
// tested with matches() is not on an AWS page (unverified there): it is how this repository has read the
// expression since the whole-claim rule of stack/bound-authorizers.ts, and issue 14 reports AWS accepting the
// web client's ID token under (?i)^…$. The semantics asserted below (\A, \z, \Z, $, (?i), \s, classes) are
// java.util.regex.Pattern's, as its Javadoc gives them.
import { compileJavaRegex, javaMatches } from './java-regex';

const WEB = '4k3ohn2j8hd4lmd9fr7ab1c2q3';

test('(?i) and other leading Java flags are accepted, with their Java meaning', () => {
  expect(javaMatches(`(?i)^${WEB.toUpperCase()}$`, WEB)).toBe(true);
  expect(javaMatches('(?s)a.c', 'a\nc')).toBe(true);
  expect(javaMatches('a.c', 'a\nc')).toBe(false);
  expect(javaMatches('(?x) web - [a-z]+   # the web clients', 'web-abc')).toBe(true);
  expect(javaMatches('(?iu)^STRASSE$', 'strasse')).toBe(true);
});

test('\\A, \\z and \\Z keep their Java meaning, and matches() takes the whole value', () => {
  expect(javaMatches(`\\A${WEB}\\z`, WEB)).toBe(true);
  expect(javaMatches(`\\A${WEB}\\z`, `${WEB}\n`)).toBe(false);
  // \Z and $ may stand before a final line break, but matches() must still consume it: Java refuses both.
  expect(javaMatches(`${WEB}\\Z`, `${WEB}\n`)).toBe(false);
  expect(javaMatches(`${WEB}$\\n`, `${WEB}\n`)).toBe(true);
  expect(javaMatches('abc', 'xabcx')).toBe(false);
  expect(javaMatches('abc', 'abc')).toBe(true);
  expect(javaMatches('web|spa', 'spa')).toBe(true);
});

test("Java's character classes: \\s is ASCII whitespace only, && intersects, a nested class is a union", () => {
  expect(javaMatches('\\s', '\u00a0')).toBe(false);
  expect(javaMatches('\\s', '\t')).toBe(true);
  expect(javaMatches('[a-z&&[^aeiou]]+', 'bcd')).toBe(true);
  expect(javaMatches('[a-z&&[^aeiou]]+', 'bad')).toBe(false);
  expect(javaMatches('[a[0-9]]+', 'a1a')).toBe(true);
  expect(javaMatches('\\p{Alnum}{26}', WEB)).toBe(true);
  expect(javaMatches('\\Qa.b\\E', 'axb')).toBe(false);
  expect(javaMatches('[-a]+', '-a')).toBe(true);
});

test('possessive quantifiers, atomic groups and flags set midway are refused with the reason and a fix', () => {
  const possessive = compileJavaRegex('[a-z0-9]++');
  expect(possessive).toEqual({
    ok: false,
    reason: expect.stringContaining('possessive'),
    fix: expect.stringContaining('greedy'),
  });
  expect(compileJavaRegex('(?>web)-x')).toEqual(
    expect.objectContaining({ ok: false, reason: expect.stringContaining('atomic group') }),
  );
  expect(compileJavaRegex('web(?i)-x')).toEqual(
    expect.objectContaining({ ok: false, fix: expect.stringContaining('Move the flags to the start') }),
  );
  expect(compileJavaRegex('^[a-z0-9')).toEqual(
    expect.objectContaining({ ok: false, reason: expect.stringContaining('not a valid Java') }),
  );
});

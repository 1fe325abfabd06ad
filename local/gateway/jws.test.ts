// jws.ts's strict reading, unit by unit, and against a reference reading written the plain way (a regex
// for the alphabet, decode and re-encode for the unused bits, TextDecoder for UTF-8): the one-pass reading
// must decide exactly as it does, on hand-picked edges and on random near-base64url text.
import { isCanonicalBase64url, isCanonicalCompactJws, nonNumericTimeClaims, parseCompactJws } from './jws';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const fromBytes = (bytes: number[]) => Buffer.from(bytes).toString('base64url');

/** The reference: canonical means only alphabet characters and the text its bytes encode back to. */
const referenceCanonical = (segment: string) =>
  /^[A-Za-z0-9_-]*$/.test(segment) &&
  segment.length % 4 !== 1 &&
  Buffer.from(segment, 'base64url').toString('base64url') === segment;

function referenceParse(token: string) {
  const segments = token.split('.');
  if (segments.length !== 3 || segments[0] === '' || segments[1] === '' || !segments.every(referenceCanonical))
    return undefined;
  const json = (segment: string) => {
    try {
      const value: unknown = JSON.parse(
        new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(segment, 'base64url')),
      );
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };
  const header = json(segments[0]);
  const payload = json(segments[1]);
  if (!header || !payload || typeof header.alg !== 'string') return undefined;
  return { alg: header.alg, header, payload };
}

describe('isCanonicalBase64url', () => {
  test.each([
    ['', true],
    ['AA', true],
    ['AB', false], // 4 unused bits, one set
    ['AQ', true],
    ['AAA', true],
    ['AAB', false], // 2 unused bits, one set
    ['AAE', true],
    ['AAAA', true],
    ['A', false], // 6 bits: no whole byte
    ['AAAAA', false],
    ['AA==', false],
    ['A+/A', false],
    ['A A', false],
    ['A\tA', false],
    ['A.AA', false],
    ['AÁ', false],
    ['A\u{1F600}', false],
    ['-_-_', true],
  ])('%j: %s', (segment, canonical) => {
    expect(isCanonicalBase64url(segment)).toBe(canonical);
    expect(referenceCanonical(segment)).toBe(canonical);
  });

  test('decides as the reference on random near-base64url text', () => {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= .\u00e9';
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let canonical = 0;
    const mismatches: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      const length = Math.floor(random() * 9);
      // Mostly the alphabet, so that many are canonical and the unused-bits rule decides.
      let segment = '';
      for (let i = 0; i < length; i++) segment += chars[Math.floor(random() * (random() < 0.9 ? 64 : chars.length))];
      const expected = referenceCanonical(segment);
      if (expected) canonical++;
      if (isCanonicalBase64url(segment) !== expected) mismatches.push(segment);
    }
    expect(mismatches).toEqual([]);
    expect(canonical).toBeGreaterThan(2_000);
  });
});

describe('parseCompactJws', () => {
  const header = b64({ alg: 'RS256', kid: 'k' });
  const payload = b64({ sub: 'alice', exp: 1 });
  const signature = fromBytes([1, 2, 3, 4, 5]);

  test('reads alg, header and payload of three canonical segments', () => {
    expect(parseCompactJws(`${header}.${payload}.${signature}`)).toEqual({
      alg: 'RS256',
      header: { alg: 'RS256', kid: 'k' },
      payload: { sub: 'alice', exp: 1 },
    });
    // An empty signature is still a compact JWS here (alg none's shape); verification refuses it.
    expect(parseCompactJws(`${header}.${payload}.`)?.alg).toBe('RS256');
  });

  test.each([
    ['two segments', `${header}.${payload}`],
    ['four segments', `${header}.${payload}.${signature}.${signature}`],
    ['an empty header', `.${payload}.${signature}`],
    ['an empty payload', `${header}..${signature}`],
    ['a header that is not JSON', `${b64('x').slice(0, -1)}.${payload}.${signature}`],
    ['a header that is an array', `${b64(['alg'])}.${payload}.${signature}`],
    ['a payload that is a string', `${header}.${b64('alice')}.${signature}`],
    ['a payload that is null', `${header}.${b64(null)}.${signature}`],
    ['an alg that is no string', `${b64({ alg: 256 })}.${payload}.${signature}`],
    ['no alg', `${b64({ kid: 'k' })}.${payload}.${signature}`],
    ['a payload that is not UTF-8', `${header}.${fromBytes([0x7b, 0xff, 0x7d])}.${signature}`],
    [
      'a payload with a lone surrogate half in UTF-8',
      `${header}.${fromBytes([0x22, 0xed, 0xa0, 0x80, 0x22])}.${signature}`,
    ],
    ['"=" padding on the payload', `${header}.${payload}=.${signature}`],
    ['"+" in the signature', `${header}.${payload}.${signature}+A`],
  ])('refuses %s', (_what, token) => {
    expect(parseCompactJws(token)).toBeUndefined();
    expect(referenceParse(token)).toBeUndefined();
    expect(isCanonicalCompactJws(token) && referenceParse(token) !== undefined).toBe(false);
  });

  test('reads UTF-8 claims (not only ASCII) and drops a leading BOM, as TextDecoder reads it', () => {
    const name = b64({ name: 'Zoë \u{1F600}' });
    expect(parseCompactJws(`${header}.${name}.${signature}`)?.payload).toEqual({ name: 'Zoë \u{1F600}' });
    const bom = fromBytes([0xef, 0xbb, 0xbf, ...Buffer.from('{"sub":"a"}')]);
    expect(parseCompactJws(`${header}.${bom}.${signature}`)?.payload).toEqual({ sub: 'a' });
    expect(referenceParse(`${header}.${bom}.${signature}`)?.payload).toEqual({ sub: 'a' });
  });

  test('decides as the reference when any one character of a token is changed', () => {
    const token = `${header}.${payload}.${fromBytes(Array.from({ length: 256 }, (_, i) => (i * 37) % 256))}`;
    const replacements = ['A', 'B', '-', '_', '+', '/', '=', '.', ' ', '\u00e9'];
    const mismatches: string[] = [];
    let refused = 0;
    for (let i = 0; i < token.length; i++)
      for (const replacement of replacements) {
        const variant = token.slice(0, i) + replacement + token.slice(i + 1);
        const expected = referenceParse(variant);
        if (!expected) refused++;
        if (JSON.stringify(parseCompactJws(variant)) !== JSON.stringify(expected)) mismatches.push(variant);
      }
    expect(mismatches).toEqual([]);
    expect(refused).toBeGreaterThan(1_000);
  });
});

test('nonNumericTimeClaims names exp, nbf and iat when present and not finite numbers', () => {
  expect(nonNumericTimeClaims({ exp: 1, nbf: 2, iat: 3 })).toEqual([]);
  expect(nonNumericTimeClaims({})).toEqual([]);
  expect(
    nonNumericTimeClaims({ exp: '1', nbf: null, iat: Infinity } as unknown as Parameters<
      typeof nonNumericTimeClaims
    >[0]),
  ).toEqual(['exp', 'nbf', 'iat']);
});

test('isCanonicalCompactJws: three canonical segments, header and payload not empty', () => {
  expect(isCanonicalCompactJws('AA.AA.AA')).toBe(true);
  expect(isCanonicalCompactJws('AA.AA.')).toBe(true);
  expect(isCanonicalCompactJws('AA..AA')).toBe(false);
  expect(isCanonicalCompactJws('.AA.AA')).toBe(false);
  expect(isCanonicalCompactJws('AA.AA')).toBe(false);
  expect(isCanonicalCompactJws('AA.AA.AA.AA')).toBe(false);
  expect(isCanonicalCompactJws('AA.AB.AA')).toBe(false);
});

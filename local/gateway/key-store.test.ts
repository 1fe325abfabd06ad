// The KeyStore's own verification (jws-verify.ts, synchronous node:crypto) and its cache keyed by the end of
// the signature: only the very token verified is a hit, and the checks jose made are still made.
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyStore } from './key-store';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function sign(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

const strong = generateKeyPairSync('rsa', { modulusLength: 2048 });
const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
const jwk = (key: KeyObject, kid: string) => ({ ...key.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' });

let server: http.Server;
let jwksUrl: string;
const usualKeys = JSON.stringify({ keys: [jwk(strong.publicKey, 'strong'), jwk(weak.publicKey, 'weak')] });
/** What the JWKS URL answers, and how many times it was asked. */
let body = usualKeys;
let served = 0;

beforeAll(async () => {
  server = http.createServer((_request, response) => {
    served++;
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  body = usualKeys;
});

const exp = () => Math.floor(Date.now() / 1000) + 3600;

test('a token verified twice is remembered; another with the same signature but another payload is not, and fails', async () => {
  const keys = new KeyStore();
  const token = sign({ alg: 'RS256', kid: 'strong' }, { sub: 'alice', exp: exp() }, strong.privateKey);
  expect(await keys.verify(token, jwksUrl, ['RS256'])).toMatchObject({ ok: true });
  expect(keys.remembered(token)).toBeUndefined();
  expect(await keys.verify(token, jwksUrl, ['RS256'])).toMatchObject({ ok: true });
  expect(keys.remembered(token)).toMatchObject({ payload: { sub: 'alice' } });

  const [header, , signature] = token.split('.');
  const tampered = `${header}.${b64({ sub: 'mallory', exp: exp() })}.${signature}`;
  expect(keys.remembered(tampered)).toBeUndefined();
  expect(await keys.verify(tampered, jwksUrl, ['RS256'])).toEqual({
    ok: false,
    reason: 'invalid',
    detail: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  });
  expect(keys.rememberedTokens).toBe(1);
});

test('a token with a crit header is refused as the token’s fault, signature valid or not', async () => {
  const keys = new KeyStore();
  const token = sign({ alg: 'RS256', kid: 'strong', crit: ['b64'], b64: false }, { exp: exp() }, strong.privateKey);
  expect(await keys.verify(token, jwksUrl, ['RS256'])).toMatchObject({ ok: false, reason: 'invalid' });
  expect(keys.rememberedTokens).toBe(0);
});

test('an alg outside the allowed ones is refused before any key is looked at', async () => {
  const keys = new KeyStore();
  const token = sign({ alg: 'RS256', kid: 'strong' }, { exp: exp() }, strong.privateKey);
  expect(await keys.verify(token, jwksUrl, ['RS512'])).toEqual({
    ok: false,
    reason: 'invalid',
    detail: 'ERR_JOSE_ALG_NOT_ALLOWED',
  });
});

test('a JWKS key under 2048 bits is the key source’s fault (keys unavailable), as jose held it', async () => {
  const keys = new KeyStore();
  const token = sign({ alg: 'RS256', kid: 'weak' }, { exp: exp() }, weak.privateKey);
  expect(await keys.verify(token, jwksUrl, ['RS256'])).toMatchObject({
    ok: false,
    reason: 'keys-unavailable',
  });
});

test('once a kid’s key is fetched, the next token of that kid is checked without a promise, with the same checks', async () => {
  const keys = new KeyStore();
  const first = sign({ alg: 'RS256', kid: 'strong' }, { sub: 'alice', exp: exp() }, strong.privateKey);
  const pending = keys.verify(first, jwksUrl, ['RS256']);
  expect(pending).toBeInstanceOf(Promise);
  expect(await pending).toMatchObject({ ok: true });

  const second = sign({ alg: 'RS256', kid: 'strong' }, { sub: 'bob', exp: exp() }, strong.privateKey);
  expect(keys.verify(second, jwksUrl, ['RS256'])).toEqual({
    ok: true,
    payload: { sub: 'bob', exp: expect.any(Number) },
  });
  const forged = sign({ alg: 'RS256', kid: 'strong' }, { sub: 'mallory', exp: exp() }, weak.privateKey);
  expect(keys.verify(forged, jwksUrl, ['RS256'])).toEqual({
    ok: false,
    reason: 'invalid',
    detail: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  });
  // The alg still chooses the key: the JWK says RS256, so an RS512 token of that kid finds none.
  const rs512 = `${b64({ alg: 'RS512', kid: 'strong' })}.${b64({ exp: exp() })}.${createSign('RSA-SHA512')
    .update(`${b64({ alg: 'RS512', kid: 'strong' })}.${b64({ exp: exp() })}`)
    .sign(strong.privateKey)
    .toString('base64url')}`;
  expect(await keys.verify(rs512, jwksUrl, ['RS256', 'RS512'])).toEqual({
    ok: false,
    reason: 'invalid',
    detail: 'ERR_JWKS_NO_MATCHING_KEY',
  });
  // A kid the JWKS does not have is never at hand.
  const unknown = sign({ alg: 'RS256', kid: 'other' }, { exp: exp() }, strong.privateKey);
  expect(await keys.verify(unknown, jwksUrl, ['RS256'])).toMatchObject({ ok: false, reason: 'invalid' });
});

test('a key at hand is dropped with the JWKS it came from: a kid given another key verifies only with that one', async () => {
  const keys = new KeyStore({ jwksMaxAgeMs: 50 });
  const before = sign({ alg: 'RS256', kid: 'strong' }, { sub: 'alice', exp: exp() }, strong.privateKey);
  expect(await keys.verify(before, jwksUrl, ['RS256'])).toMatchObject({ ok: true });
  const rotated = generateKeyPairSync('rsa', { modulusLength: 2048 });
  body = JSON.stringify({ keys: [jwk(rotated.publicKey, 'strong')] });
  const fetched = served;
  await new Promise((resolve) => setTimeout(resolve, 60));

  const oldKey = sign({ alg: 'RS256', kid: 'strong' }, { sub: 'bob', exp: exp() }, strong.privateKey);
  expect(await keys.verify(oldKey, jwksUrl, ['RS256'])).toEqual({
    ok: false,
    reason: 'invalid',
    detail: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  });
  expect(served).toBe(fetched + 1);
  const newKey = sign({ alg: 'RS256', kid: 'strong' }, { sub: 'carol', exp: exp() }, rotated.privateKey);
  expect(await keys.verify(newKey, jwksUrl, ['RS256'])).toMatchObject({ ok: true, payload: { sub: 'carol' } });
});

test('a kid rotated out is no longer at hand once the JWKS is fetched again for a new kid', async () => {
  // Only Date is faked: the unknown kid fetches the JWKS again after jose's 30 s cooldown.
  jest.useFakeTimers({
    now: Date.now(),
    doNotFake: [
      'nextTick',
      'setImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
  try {
    const keys = new KeyStore();
    const old = sign({ alg: 'RS256', kid: 'strong' }, { sub: 'alice', exp: exp() }, strong.privateKey);
    expect(await keys.verify(old, jwksUrl, ['RS256'])).toMatchObject({ ok: true });
    const next = generateKeyPairSync('rsa', { modulusLength: 2048 });
    body = JSON.stringify({ keys: [jwk(next.publicKey, 'next')] });
    jest.setSystemTime(Date.now() + 31_000);

    const rotatedIn = sign({ alg: 'RS256', kid: 'next' }, { sub: 'bob', exp: exp() }, next.privateKey);
    expect(await keys.verify(rotatedIn, jwksUrl, ['RS256'])).toMatchObject({ ok: true, payload: { sub: 'bob' } });
    const rotatedOut = sign({ alg: 'RS256', kid: 'strong' }, { sub: 'carol', exp: exp() }, strong.privateKey);
    expect(await keys.verify(rotatedOut, jwksUrl, ['RS256'])).toEqual({
      ok: false,
      reason: 'invalid',
      detail: 'ERR_JWKS_NO_MATCHING_KEY',
    });
  } finally {
    jest.useRealTimers();
  }
});

test('a full cache evicts its oldest token, entries dropped on expiry included in the count', async () => {
  const keys = new KeyStore({ verifiedTokenLimit: 3 });
  const tokens = Array.from({ length: 8 }, (_, i) =>
    sign({ alg: 'RS256', kid: 'strong' }, { sub: `user-${i}`, exp: exp() }, strong.privateKey),
  );
  const held = () => tokens.flatMap((token, i) => (keys.remembered(token) ? [i] : []));
  // Each verified twice: the cache takes a token from its second verification on.
  const verifyAll = async (batch: string[]) => {
    for (const token of batch)
      for (let i = 0; i < 2; i++) expect(await keys.verify(token, jwksUrl, ['RS256'])).toMatchObject({ ok: true });
  };
  await verifyAll(tokens.slice(0, 5));
  expect(held()).toEqual([2, 3, 4]);

  // A lookup after its expiry drops an entry: the next token then fits without evicting.
  expect(keys.remembered(tokens[3], (exp() + 1) * 1000)).toBeUndefined();
  expect(keys.rememberedTokens).toBe(2);
  await verifyAll([tokens[5]]);
  expect(held()).toEqual([2, 4, 5]);
  await verifyAll(tokens.slice(6));
  expect(held()).toEqual([5, 6, 7]);

  // Emptied by expiry, then filled again: eviction still starts at the oldest left.
  for (const i of [5, 6, 7]) keys.remembered(tokens[i], (exp() + 1) * 1000);
  expect(keys.rememberedTokens).toBe(0);
  await verifyAll(tokens.slice(0, 4));
  expect(held()).toEqual([1, 2, 3]);
});

test('a token seen once is not remembered: fresh tokens leave the cache empty, a repeated one among them is held', async () => {
  const keys = new KeyStore();
  const tokens = Array.from({ length: 20 }, (_, i) =>
    sign({ alg: 'RS256', kid: 'strong' }, { sub: `user-${i}`, exp: exp() }, strong.privateKey),
  );
  for (const token of tokens) expect(await keys.verify(token, jwksUrl, ['RS256'])).toMatchObject({ ok: true });
  expect(keys.rememberedTokens).toBe(0);
  // Seen again after 19 others: its first sighting is still known.
  expect(await keys.verify(tokens[0], jwksUrl, ['RS256'])).toMatchObject({ ok: true });
  expect(keys.rememberedTokens).toBe(1);
  expect(keys.remembered(tokens[0])).toMatchObject({ payload: { sub: 'user-0' } });
  // A token refused is never remembered, however often it is sent.
  const forged = sign({ alg: 'RS256', kid: 'strong' }, { sub: 'mallory', exp: exp() }, weak.privateKey);
  for (let i = 0; i < 3; i++) expect(await keys.verify(forged, jwksUrl, ['RS256'])).toMatchObject({ ok: false });
  expect(keys.rememberedTokens).toBe(1);
});

test('fresh tokens do not push a remembered token out of a full cache', async () => {
  const keys = new KeyStore({ verifiedTokenLimit: 2 });
  const token = (sub: string) => sign({ alg: 'RS256', kid: 'strong' }, { sub, exp: exp() }, strong.privateKey);
  const regulars = [token('regular-1'), token('regular-2')];
  for (const regular of regulars)
    for (let i = 0; i < 2; i++) expect(await keys.verify(regular, jwksUrl, ['RS256'])).toMatchObject({ ok: true });
  for (let i = 0; i < 10; i++)
    expect(await keys.verify(token(`fresh-${i}`), jwksUrl, ['RS256'])).toMatchObject({ ok: true });
  expect(regulars.map((regular) => keys.remembered(regular)?.payload.sub)).toEqual(['regular-1', 'regular-2']);
});

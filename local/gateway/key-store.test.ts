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

beforeAll(async () => {
  const body = JSON.stringify({ keys: [jwk(strong.publicKey, 'strong'), jwk(weak.publicKey, 'weak')] });
  server = http.createServer((_request, response) => response.end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const exp = () => Math.floor(Date.now() / 1000) + 3600;

test('a token verified is remembered; another with the same signature but another payload is not, and fails', async () => {
  const keys = new KeyStore();
  const token = sign({ alg: 'RS256', kid: 'strong' }, { sub: 'alice', exp: exp() }, strong.privateKey);
  await expect(keys.verify(token, jwksUrl, ['RS256'])).resolves.toMatchObject({ ok: true });
  expect(keys.remembered(token)).toMatchObject({ payload: { sub: 'alice' } });

  const [header, , signature] = token.split('.');
  const tampered = `${header}.${b64({ sub: 'mallory', exp: exp() })}.${signature}`;
  expect(keys.remembered(tampered)).toBeUndefined();
  await expect(keys.verify(tampered, jwksUrl, ['RS256'])).resolves.toEqual({
    ok: false,
    reason: 'invalid',
    detail: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  });
  expect(keys.rememberedTokens).toBe(1);
});

test('a token with a crit header is refused as the token’s fault, signature valid or not', async () => {
  const keys = new KeyStore();
  const token = sign({ alg: 'RS256', kid: 'strong', crit: ['b64'], b64: false }, { exp: exp() }, strong.privateKey);
  await expect(keys.verify(token, jwksUrl, ['RS256'])).resolves.toMatchObject({ ok: false, reason: 'invalid' });
  expect(keys.rememberedTokens).toBe(0);
});

test('an alg outside the allowed ones is refused before any key is looked at', async () => {
  const keys = new KeyStore();
  const token = sign({ alg: 'RS256', kid: 'strong' }, { exp: exp() }, strong.privateKey);
  await expect(keys.verify(token, jwksUrl, ['RS512'])).resolves.toEqual({
    ok: false,
    reason: 'invalid',
    detail: 'ERR_JOSE_ALG_NOT_ALLOWED',
  });
});

test('a JWKS key under 2048 bits is the key source’s fault (keys unavailable), as jose held it', async () => {
  const keys = new KeyStore();
  const token = sign({ alg: 'RS256', kid: 'weak' }, { exp: exp() }, weak.privateKey);
  await expect(keys.verify(token, jwksUrl, ['RS256'])).resolves.toMatchObject({
    ok: false,
    reason: 'keys-unavailable',
  });
});

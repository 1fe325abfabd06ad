// Each forgery keeps the real token's claims and breaks exactly one thing; none verifies against the
// pool's key, and each is the attack it claims to be.
import { createHmac } from 'node:crypto';
import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  decodeJwt,
  type JWK,
} from 'jose';
import { Attacker, type Forgery } from './forge';

let attacker: Attacker;
let poolJwk: JWK;
let realToken: string;
let verifyWithPool: (token: string) => Promise<unknown>;

beforeAll(async () => {
  attacker = await Attacker.start();
  const pool = await generateKeyPair('RS256');
  poolJwk = { ...(await exportJWK(pool.publicKey)), kid: 'pool-kid', alg: 'RS256' };
  realToken = await new SignJWT({ token_use: 'id', aud: 'client', sub: 'user' })
    .setProtectedHeader({ alg: 'RS256', kid: 'pool-kid' })
    .setIssuer('https://issuer')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(pool.privateKey);
  const keys = createLocalJWKSet({ keys: [poolJwk] });
  verifyWithPool = (token) => jwtVerify(token, keys, { issuer: 'https://issuer' });
});
afterAll(() => attacker.stop());

const FORGERIES: Forgery[] = [
  'alg-none',
  'hs256-with-public-key',
  'unknown-kid',
  'jku-attacker-key',
  'embedded-jwk-attacker-key',
  'tampered-payload',
];

test("the real token verifies and every forgery of it is refused by a verifier that uses only the pool's JWKS", async () => {
  await expect(verifyWithPool(realToken)).resolves.toBeDefined();
  for (const forgery of FORGERIES) {
    const forged = await attacker.forge(forgery, realToken, { keys: [poolJwk] });
    await expect(verifyWithPool(forged)).rejects.toThrow();
    expect(decodeJwt(forged).sub === 'user' || forgery === 'tampered-payload').toBe(true);
  }
});

test('each forgery is the attack it names', async () => {
  const forge = (f: Forgery) => attacker.forge(f, realToken, { keys: [poolJwk] });
  const none = await forge('alg-none');
  expect(decodeProtectedHeader(none).alg).toBe('none');
  expect(none.endsWith('.')).toBe(true);

  // HS256 keyed with the pool's public key PEM: what a verifier trusting `alg` would compute.
  const hs = await forge('hs256-with-public-key');
  const { exportSPKI, importJWK } = await import('jose');
  const pem = await exportSPKI((await importJWK(poolJwk, 'RS256')) as never);
  const [h, p, s] = hs.split('.');
  expect(createHmac('sha256', pem).update(`${h}.${p}`).digest('base64url')).toBe(s);

  expect(decodeProtectedHeader(await forge('unknown-kid')).kid).not.toBe('pool-kid');

  const jku = await forge('jku-attacker-key');
  expect(decodeProtectedHeader(jku)).toMatchObject({ kid: 'pool-kid', jku: attacker.jwksUrl });
  // A gateway that followed jku would find a key that verifies the token.
  const served = (await (await fetch(attacker.jwksUrl)).json()) as { keys: JWK[] };
  await expect(jwtVerify(jku, createLocalJWKSet(served))).resolves.toBeDefined();

  const embedded = await forge('embedded-jwk-attacker-key');
  const jwk = decodeProtectedHeader(embedded).jwk as JWK;
  await expect(jwtVerify(embedded, createLocalJWKSet({ keys: [{ ...jwk, kid: 'pool-kid' }] }))).resolves.toBeDefined();

  const tampered = await forge('tampered-payload');
  expect(tampered.split('.')[0]).toBe(realToken.split('.')[0]);
  expect(tampered.split('.')[2]).toBe(realToken.split('.')[2]);
  expect(decodeJwt(tampered).sub).toBe('gatehouse-tampered');
});

test('a forgery of the same token is made once; a forgery of another token is its own', async () => {
  const pool = await generateKeyPair('RS256');
  const tokenOf = (sub: string) =>
    new SignJWT({ token_use: 'id', aud: 'client', sub })
      .setProtectedHeader({ alg: 'RS256', kid: 'pool-kid' })
      .setIssuer('https://issuer')
      .setExpirationTime('1h')
      .sign(pool.privateKey);
  const [mine, other] = [await tokenOf('user'), await tokenOf('another-user')];
  const sign = jest.spyOn(SignJWT.prototype, 'sign');
  try {
    const first = await attacker.forge('jku-attacker-key', mine, { keys: [poolJwk] });
    const again = await attacker.forge('jku-attacker-key', mine, { keys: [poolJwk] });
    expect(again).toBe(first);
    expect(sign).toHaveBeenCalledTimes(1);

    for (const forgery of FORGERIES) {
      const forged = await attacker.forge(forgery, other, { keys: [poolJwk] });
      expect(decodeJwt(forged).sub).toBe(forgery === 'tampered-payload' ? 'gatehouse-tampered' : 'another-user');
      expect(forged).not.toBe(await attacker.forge(forgery, mine, { keys: [poolJwk] }));
    }
  } finally {
    sign.mockRestore();
  }
});

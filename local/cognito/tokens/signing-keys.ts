// Fresh RSA keys per local Cognito instance, one for ID tokens and one for access tokens, as Cognito signs
// the two with different keys (different kid) that both appear in the pool's JWKS.
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

const generateRsaKeyPair = promisify(generateKeyPair);

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

export interface SigningKeys {
  id: SigningKey;
  access: SigningKey;
  /** Both public keys, as served at `<issuer>/.well-known/jwks.json`. */
  jwks: { keys: JWK[] };
}

async function signingKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateRsaKeyPair('rsa', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  // A thumbprint kid: stable for the key, distinct between keys, like Cognito's opaque kids.
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { alg: 'RS256', e: jwk.e, kid, kty: 'RSA', n: jwk.n, use: 'sig' } };
}

/** Both keys, generated in parallel on libuv's thread pool. */
export async function generateSigningKeys(): Promise<SigningKeys> {
  const [id, access] = await Promise.all([signingKey(), signingKey()]);
  return { id, access, jwks: { keys: [id.publicJwk, access.publicJwk] } };
}

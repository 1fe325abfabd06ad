// Bad tokens, each made from a real token of the pool so that exactly one thing is wrong with it.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SignJWT,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  type KeyLike,
} from 'jose';

export type Forgery =
  | 'alg-none'
  | 'hs256-with-public-key'
  | 'unknown-kid'
  | 'jku-attacker-key'
  | 'embedded-jwk-attacker-key'
  | 'tampered-payload';

export const MALFORMED_TOKEN = 'this-is-not-a-jwt';

export interface PoolKeys {
  keys: JWK[];
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An RSA key the pool never saw, plus a JWKS server publishing it (for the jku case). */
export class Attacker {
  private constructor(
    private readonly privateKey: KeyLike,
    private readonly publicJwk: JWK,
    private readonly server: http.Server,
    readonly jwksUrl: string,
    private readonly advertisedKids: Set<string>,
  ) {}

  /**
   * Forged tokens by forgery and base token: every operation checked with the same real token gets the same
   * forgery, which is what forge() would compute again (the RS256 and HS256 signatures are deterministic; only
   * unknown-kid's kid would carry another second). Signing per check was ~10 % of a 1,000-operation matrix.
   */
  private readonly forged = new Map<string, Promise<string>>();

  /** The attacker's RSA key pair; generated off the main thread, so a caller may start it before other work. */
  static generateKey(): Promise<{ privateKey: KeyLike; publicKey: KeyLike }> {
    return generateKeyPair('RS256');
  }

  static async start(key = Attacker.generateKey()): Promise<Attacker> {
    const { privateKey, publicKey } = await key;
    const publicJwk = { ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig' };
    const kids = new Set<string>();
    // Serves the attacker key under every kid a forged token claims: a gateway that follows `jku` would
    // find a key that verifies the signature, so only ignoring `jku` makes the check pass.
    const server = http.createServer((_req, res) => {
      const body = JSON.stringify({ keys: [...kids].map((kid) => ({ ...publicJwk, kid })) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    return new Attacker(privateKey, publicJwk, server, `http://127.0.0.1:${port}/.well-known/jwks.json`, kids);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private sign(payload: JWTPayload, header: Record<string, unknown>): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ ...header, alg: 'RS256' }).sign(this.privateKey);
  }

  /**
   * A forged version of `token` (a real token of the pool). `poolKeys` is the pool's JWKS, needed for the
   * HS256 key-confusion case.
   */
  forge(forgery: Forgery, token: string, poolKeys: PoolKeys): Promise<string> {
    const key = `${forgery} ${token}`;
    let forged = this.forged.get(key);
    if (!forged) {
      forged = this.forgeNow(forgery, token, poolKeys);
      // A failure is not kept: the next check tries again.
      forged.catch(() => this.forged.delete(key));
      this.forged.set(key, forged);
    }
    return forged;
  }

  private async forgeNow(forgery: Forgery, token: string, poolKeys: PoolKeys): Promise<string> {
    const claims = decodeJwt(token);
    const header = decodeProtectedHeader(token);
    const poolKid = header.kid ?? poolKeys.keys[0]?.kid ?? 'unknown';
    const now = Math.floor(Date.now() / 1000);
    switch (forgery) {
      case 'alg-none':
        return `${b64json({ alg: 'none', typ: 'JWT', kid: poolKid })}.${b64json(claims)}.`;
      case 'hs256-with-public-key': {
        // Key confusion: a verifier that takes `alg` from the token would use the public key as an HMAC secret.
        const jwk = poolKeys.keys.find((k) => k.kid === poolKid) ?? poolKeys.keys[0];
        if (!jwk) throw new Error("the pool's JWKS holds no key");
        const pem = await exportSPKI((await importJWK({ ...jwk, alg: 'RS256' }, 'RS256')) as KeyLike);
        return new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: poolKid })
          .sign(Buffer.from(pem));
      }
      case 'unknown-kid':
        return this.sign(claims, { kid: `gatehouse-unknown-${now}` });
      case 'jku-attacker-key':
        this.advertisedKids.add(poolKid);
        return this.sign(claims, { kid: poolKid, jku: this.jwksUrl });
      case 'embedded-jwk-attacker-key':
        return this.sign(claims, { kid: poolKid, jwk: this.publicJwk });
      case 'tampered-payload': {
        // The pool's own header and signature over a payload with a later expiry and another subject.
        const [encodedHeader, , signature] = token.split('.');
        const tampered = { ...claims, sub: 'gatehouse-tampered', exp: (claims.exp ?? now) + 24 * 3600 };
        return `${encodedHeader}.${b64json(tampered)}.${signature}`;
      }
    }
  }
}

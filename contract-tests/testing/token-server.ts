// Test support: Cognito's OAuth2 token endpoint for client_credentials, which cognito-local lacks. Behaves
// as the semantics doc describes (HTTP Basic client auth, 400 {"error": ...} on refusal) and signs with
// the pool's key so its tokens verify against the pool's JWKS.
import * as http from 'node:http';
import { randomUUID, createPrivateKey } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';

export interface MachineClient {
  id: string;
  secret: string;
  scopes: string[];
}

export interface TokenServer {
  url: string;
  /** Every token issued, so tests can prove none leaks into a report. */
  issued: string[];
  requests: number;
  stop(): Promise<void>;
}

export async function startTokenServer(options: { issuer: string; keyPem: string; kid: string; clients: MachineClient[]; expiresIn?: number }): Promise<TokenServer> {
  const key = createPrivateKey(options.keyPem);
  const state = { issued: [] as string[], requests: 0 };
  const refuse = (res: http.ServerResponse, error: string) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error }));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (req.method !== 'POST' || req.url !== '/oauth2/token') {
        res.writeHead(404).end();
        return;
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (form.get('grant_type') !== 'client_credentials') return refuse(res, 'unsupported_grant_type');
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      const [id, secret] = basic ? Buffer.from(basic[1], 'base64').toString('utf8').split(':') : [];
      const client = options.clients.find((c) => c.id === id);
      if (!client || client.secret !== secret) return refuse(res, 'invalid_client');
      const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
      if (requested.some((s) => !client.scopes.includes(s))) return refuse(res, 'invalid_scope');
      const granted = requested.length > 0 ? requested : client.scopes;
      const expiresIn = options.expiresIn ?? 3600;
      new SignJWT({ client_id: client.id, token_use: 'access', scope: granted.join(' '), jti: randomUUID() })
        .setProtectedHeader({ alg: 'RS256', kid: options.kid })
        .setSubject(client.id)
        .setIssuer(options.issuer)
        .setIssuedAt()
        .setExpirationTime(`${expiresIn}s`)
        .sign(key)
        .then((token) => {
          state.issued.push(token);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: token, expires_in: expiresIn, token_type: 'Bearer' }));
        }, () => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/oauth2/token`,
    get issued() {
      return state.issued;
    },
    get requests() {
      return state.requests;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

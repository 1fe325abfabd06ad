// For the gateway's tests: a stand-in issuer (RSA keys of its own, a JWKS and an OIDC discovery document
// on 127.0.0.1) that mints Cognito-shaped tokens, and a backend that echoes what it receives.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { loadApiModel } from '../../openapi/model/load';
import type { ApiModel } from '../../openapi/model/types';
import type { PlaceholderValues } from '../../stack/binding';

export interface SignOptions {
  /** Sign with this algorithm and secret instead of the pool's RSA key (HS256), or send alg none. */
  alg?: 'HS256' | 'none';
  /** Put this kid in the header (a key the JWKS does not have). */
  kid?: string;
  /** Sign with a key of another issuer. */
  foreignKey?: KeyLike;
}

export interface TestIssuer {
  poolId: string;
  arn: string;
  issuer: string;
  jwksUrl: string;
  /** How many times the JWKS was served. */
  jwksRequests(): number;
  /** While false, the JWKS and discovery answer 503. */
  setAvailable(available: boolean): void;
  idToken(claims?: JWTPayload, options?: SignOptions): Promise<string>;
  accessToken(claims?: JWTPayload, options?: SignOptions): Promise<string>;
  stop(): Promise<void>;
}

let poolCounter = 0;

export async function startTestIssuer(): Promise<TestIssuer> {
  const poolId = `us-east-1_Test${++poolCounter}${Math.random().toString(36).slice(2, 8)}`;
  // Cognito signs ID and access tokens with different keys, both in the pool's JWKS.
  const idKey = await generateKeyPair('RS256');
  const accessKey = await generateKeyPair('RS256');
  const jwks = {
    keys: [
      { ...(await exportJWK(idKey.publicKey)), kid: `${poolId}-id`, alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(accessKey.publicKey)), kid: `${poolId}-access`, alg: 'RS256', use: 'sig' },
    ],
  };
  let available = true;
  let served = 0;
  let base = '';
  const server = http.createServer((req, res) => {
    if (!available) {
      res.writeHead(503).end();
      return;
    }
    if (req.url === `/${poolId}/.well-known/jwks.json`) {
      served++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
    } else if (req.url === `/${poolId}/.well-known/openid-configuration`) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ issuer: `${base}/${poolId}`, jwks_uri: `${base}/${poolId}/.well-known/jwks.json` }));
    } else res.writeHead(404).end();
  });
  await listen(server);
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/${poolId}`;

  const sign = async (claims: JWTPayload, key: KeyLike, kid: string, options: SignOptions = {}): Promise<string> => {
    if (options.alg === 'none') {
      const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
      return `${encode({ alg: 'none', kid })}.${encode(claims)}.`;
    }
    if (options.alg === 'HS256')
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: options.kid ?? kid })
        .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!!'));
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid })
      .sign(options.foreignKey ?? key);
  };
  const now = () => Math.floor(Date.now() / 1000);

  return {
    poolId,
    arn: `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`,
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    jwksRequests: () => served,
    setAvailable: (value) => {
      available = value;
    },
    idToken: (claims = {}, options) =>
      sign(
        {
          sub: 'a1b2c3d4-0000-4000-8000-000000000001',
          aud: 'web-client-id',
          email_verified: true,
          token_use: 'id',
          auth_time: now(),
          iss: issuer,
          'cognito:username': 'alice',
          exp: now() + 3600,
          iat: now(),
          email: 'alice@example.com',
          jti: 'id-jti',
          ...claims,
        },
        idKey.privateKey,
        `${poolId}-id`,
        options,
      ),
    accessToken: (claims = {}, options) =>
      sign(
        {
          sub: 'a1b2c3d4-0000-4000-8000-000000000001',
          token_use: 'access',
          scope: 'aws.cognito.signin.user.admin',
          auth_time: now(),
          iss: issuer,
          exp: now() + 3600,
          iat: now(),
          jti: 'access-jti',
          client_id: 'web-client-id',
          username: 'alice',
          ...claims,
        },
        accessKey.privateKey,
        `${poolId}-access`,
        options,
      ),
    stop: () => close(server),
  };
}

export interface EchoServer {
  url: string;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  stop(): Promise<void>;
}

/** Answers 200 with JSON of the request; `/status/<n>` answers n; `/slow` never answers. */
export async function startEchoServer(): Promise<EchoServer> {
  const requests: EchoServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      if (req.url?.startsWith('/slow')) return;
      const status = /^\/status\/(\d{3})/.exec(req.url ?? '')?.[1];
      const body = JSON.stringify(seen);
      res.writeHead(status ? Number(status) : 200, {
        'content-type': 'application/json',
        'x-backend': 'echo',
        'set-cookie': ['a=1', 'b=2'],
      });
      res.end(body);
    });
  });
  await listen(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, stop: () => close(server) };
}

/** Placeholder values for a gateway under test: client ids `<name>-client-id`, functions by a plain Lambda ARN. */
export function testPlaceholders(values: {
  userPoolArn?: string;
  issuer?: string;
  clients?: string[];
  functions?: string[];
  backends?: Record<string, string>;
}): PlaceholderValues<string> {
  return {
    userPoolArn: values.userPoolArn ?? 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Unused',
    issuer: values.issuer ?? 'https://issuer.invalid/unused',
    region: 'us-east-1',
    clientIds: Object.fromEntries((values.clients ?? []).map((name) => [name, `${name}-client-id`])),
    lambdaInvokeArns: Object.fromEntries(
      (values.functions ?? []).map((name) => [name, `arn:aws:lambda:us-east-1:000000000000:function:${name}`]),
    ),
    backends: values.backends ?? {},
  };
}

/** Writes an OpenAPI document (YAML text) to a temp file and loads its model. */
export async function modelOf(yamlText: string): Promise<ApiModel> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-test-'));
  try {
    const file = path.join(dir, 'api.yaml');
    fs.writeFileSync(file, yamlText);
    return await loadApiModel(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await close(server);
  return port;
}

function listen(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

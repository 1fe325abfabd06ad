// JWKS slow or down: a local Cognito and a local gateway in this process, the gateway reading the pool's
// keys through a proxy that can hold each JWKS request (past API Gateway's 1,500 ms timeout) or answer 503.
// The gateway starts with no keys and re-reads them every second, so each fault meets a gateway that needs
// them. Under each fault, forged tokens must never pass (valid ones may be refused: the keys are out of
// reach), the gateway must keep answering, and once the JWKS is back a valid token must pass again.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { loadApiModel } from '../../openapi/model/load';
import { startLocalCognito } from '../../local/cognito';
import { startLocalGateway } from '../../local/gateway';
import { forgeFrom } from './forged-tokens';
import { loadWithTokens, type LoadResult } from './gateway-load';

const DOCUMENT = `
openapi: 3.0.3
info: { title: Stress JWKS, version: 1.0.0 }
paths:
  /pets:
    get:
      security: [{ CognitoAuth: [] }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses:
          default:
            statusCode: "200"
            responseTemplates: { application/json: '{"ok": true}' }
components:
  securitySchemes:
    CognitoAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer:
        type: cognito_user_pools
        providerARNs: ["{{userPoolArn}}"]
`;

type Mode = 'pass' | 'slow' | 'down';

interface JwksProxy {
  url: string;
  mode: Mode;
  served: number;
  stop(): Promise<void>;
}

async function startJwksProxy(upstream: string, slowMs: number): Promise<JwksProxy> {
  const state = { mode: 'pass' as Mode, served: 0 };
  const server = http.createServer((_req, res) => {
    const mode = state.mode;
    if (mode === 'down') {
      res.writeHead(503).end();
      return;
    }
    const answer = async () => {
      const body = await (await fetch(upstream)).text();
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      state.served++;
    };
    if (mode === 'slow') setTimeout(() => void answer().catch(() => res.destroy()), slowMs);
    else void answer().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    get mode() {
      return state.mode;
    },
    set mode(mode: Mode) {
      state.mode = mode;
    },
    get served() {
      return state.served;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface JwksFaultResult {
  phases: (LoadResult & { mode: Mode })[];
  /** A valid token passed once the JWKS was back. */
  recovered: boolean;
}

export async function runJwksFaults(options: { connections: number; durationS: number }): Promise<JwksFaultResult> {
  const cognito = await startLocalCognito();
  const sdk = new CognitoIdentityProviderClient({
    endpoint: cognito.url,
    region: cognito.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-stress-jwks-'));
  const stoppers: (() => Promise<void>)[] = [];
  try {
    const pool = (await sdk.send(new CreateUserPoolCommand({ PoolName: 'stress-jwks' }))).UserPool!;
    const client = (
      await sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool.Id!,
          ClientName: 'web',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      )
    ).UserPoolClient!;
    const password = 'Stress-Jwks-9-Password';
    await sdk.send(new AdminCreateUserCommand({ UserPoolId: pool.Id!, Username: 'stress', MessageAction: 'SUPPRESS' }));
    await sdk.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool.Id!,
        Username: 'stress',
        Password: password,
        Permanent: true,
      }),
    );
    const signIn = async () =>
      (
        await sdk.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: client.ClientId!,
            AuthParameters: { USERNAME: 'stress', PASSWORD: password },
          }),
        )
      ).AuthenticationResult!.IdToken!;

    const proxy = await startJwksProxy(cognito.jwksUrlOf(pool.Id!), 3000);
    stoppers.push(() => proxy.stop());
    const file = path.join(dir, 'api.yaml');
    fs.writeFileSync(file, DOCUMENT);
    const gateway = await startLocalGateway({
      model: await loadApiModel(file),
      placeholders: {
        userPoolArn: pool.Arn!,
        issuer: cognito.issuerOf(pool.Id!),
        region: cognito.region,
        clientIds: {},
        lambdaInvokeArns: {},
        backends: {},
      },
      pools: { [pool.Arn!]: { issuer: cognito.issuerOf(pool.Id!), jwksUrl: proxy.url } },
      functions: {},
      stage: 'prod',
      keyStore: { jwksMaxAgeMs: 1000 },
      log: () => undefined,
    });
    stoppers.push(() => gateway.stop());
    const url = `${gateway.url}/pets`;

    const phases: JwksFaultResult['phases'] = [];
    for (const mode of ['slow', 'down'] as const) {
      proxy.mode = mode;
      // A token never verified before, so the verified-token cache cannot answer for the keys.
      const valid = await signIn();
      const forged = await forgeFrom(valid);
      const tokens = [{ kind: 'valid', token: valid, valid: true }, ...forged.map((f) => ({ ...f, valid: false }))];
      phases.push({ mode, ...(await loadWithTokens(`JWKS ${mode}`, url, tokens, options)) });
    }
    proxy.mode = 'pass';
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const probe = await fetch(url, { headers: { authorization: await signIn() } });
    await probe.text();
    return { phases, recovered: probe.status === 200 };
  } finally {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
    sdk.destroy();
    await cognito.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

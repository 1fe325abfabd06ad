// One local Cognito: cognito-local's user pools behind our front and gap-fillers, on 127.0.0.1 and a port
// of the system's choosing, with its data in a temporary directory of its own, removed on stop.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authFlowGuards } from './auth-flows';
import { clientCredentialsGrant } from './client-credentials-grant';
import { clientOAuthScopeGuards } from './client-oauth-scopes';
import { createCore } from './cognito-local-core';
import { cognitoLocalOAuthApp } from './cognito-local-oauth';
import { CognitoTokens } from './cognito-tokens';
import { disabledUserGuards } from './disabled-users';
import { frontHandler } from './http-front';
import { issuerOf, jwksUrlOf } from './oidc-discovery';
import { passwordPolicyGuards } from './password-policy';
import { withRegionalPoolIds } from './pool-ids';
import { refreshTokenExpiryGuards } from './refresh-token-expiry';
import { ResourceServerStore, resourceServerRoutes } from './resource-servers';
import { secretHashGuards } from './secret-hash';
import { signInFailureGuards } from './sign-in-failures';
import { generateSigningKeys } from './signing-keys';
import { composeRouter } from './target-guards';
import { tokenValidityGuards } from './token-validity';

export interface LocalCognitoOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Region in pool ids and ARNs. Default us-east-1. */
  region?: string;
}

export interface LocalCognito {
  /** http://127.0.0.1:<port>: the Cognito Identity Provider endpoint for the AWS SDK. */
  url: string;
  region: string;
  issuerOf(poolId: string): string;
  jwksUrlOf(poolId: string): string;
  /** The OAuth2 token endpoint (client_credentials), shared by every pool of the instance. */
  tokenEndpoint: string;
  /** The instance's own data directory (removed by stop). */
  dataDirectory: string;
  /** Closes the server and removes the instance's data. Safe to call twice. */
  stop(): Promise<void>;
}

export const DEFAULT_REGION = 'us-east-1';

export async function startLocalCognito(options: LocalCognitoOptions = {}): Promise<LocalCognito> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? DEFAULT_REGION;
  // Key generation (the slowest step) runs on the thread pool while everything else starts.
  const keys = generateSigningKeys();
  keys.catch(() => undefined);
  const dataDirectory = await mkdtemp(join(tmpdir(), 'gatehouse-cognito-'));
  try {
    let url = '';
    const tokens = new CognitoTokens(keys, (poolId) => issuerOf(url, poolId));
    const core = await createCore({ dataDirectory, tokenGenerator: tokens, decorateCognito: withRegionalPoolIds(region) });
    const resourceServers = new ResourceServerStore();
    // Guards run in this order: flow and secret checks before anything touches the user.
    const router = composeRouter(core.router, core.services, resourceServerRoutes(resourceServers), [
      authFlowGuards,
      secretHashGuards,
      refreshTokenExpiryGuards(tokens),
      disabledUserGuards,
      signInFailureGuards,
      passwordPolicyGuards,
      clientOAuthScopeGuards(resourceServers),
      tokenValidityGuards,
    ]);
    let oauthApp: Promise<RequestListener> | undefined;
    const server = createServer(
      frontHandler({
        router,
        services: core.services,
        keys,
        baseUrl: () => url,
        clientCredentials: clientCredentialsGrant(core.services, tokens, resourceServers),
        cognitoLocalApp: () => (oauthApp ??= cognitoLocalOAuthApp(router, core.services)),
      }),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

    let stopped: Promise<void> | undefined;
    return {
      url,
      region,
      issuerOf: (poolId) => issuerOf(url, poolId),
      jwksUrlOf: (poolId) => jwksUrlOf(url, poolId),
      tokenEndpoint: `${url}/oauth2/token`,
      dataDirectory,
      stop: () =>
        (stopped ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
          await keys.catch(() => undefined);
          await rm(dataDirectory, { recursive: true, force: true });
        })()),
    };
  } catch (error) {
    await rm(dataDirectory, { recursive: true, force: true });
    throw error;
  }
}

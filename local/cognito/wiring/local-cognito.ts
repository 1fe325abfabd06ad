// One local Cognito: cognito-local's user pools behind our front and gap-fillers, on 127.0.0.1 and a port
// of the system's choosing, with its data in a temporary directory of its own, removed on stop (and, if
// the process dies first, by the next instance to start).
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDataDirectory } from './data-directories';
import { adminUsernameGuards } from '../guards/admin-usernames';
import { withAliasLookup } from '../users/alias-lookup';
import { authFlowGuards } from '../guards/auth-flows';
import { ClientIdAssigner } from '../pools/chosen-client-ids';
import { AuthorizationCodes } from '../oauth/authorization-codes';
import { clientCredentialsGrant } from '../oauth/client-credentials-grant';
import { clientOAuthScopeGuards } from '../pools/client-oauth-scopes';
import { CodeMailbox, codesEndpoint, type CapturedCode } from '../users/code-mailbox';
import { createCore } from './cognito-local-core';
import { CognitoTokens } from '../tokens/cognito-tokens';
import { disabledUserGuards } from '../guards/disabled-users';
import { forgotPasswordGuards } from '../users/forgot-password';
import { hostedUi } from '../oauth/hosted-ui';
import { frontHandler } from '../protocol/http-front';
import { invitationDeliveryGuards } from '../users/invitation-delivery';
import { listUsersGuards } from '../users/list-users';
import { attributeVerificationGuards } from '../users/attribute-verification';
import { oauthTokenGrants } from '../oauth/oauth-token-endpoint';
import { passwordPolicyGuards } from '../guards/password-policy';
import { PoolIssuers } from '../pools/pool-issuers';
import { KeyedQueue, serializedPerPool } from './pool-serialization';
import { withRegionalPoolIds } from '../pools/pool-ids';
import { refreshFlowGuards, refreshRoutes, signOutRoutes } from '../tokens/refresh-tokens';
import { refreshRotationGuards } from '../tokens/refresh-rotation';
import { accessTokenGuards } from '../tokens/access-token-guards';
import { userExistenceGuards } from '../guards/user-existence';
import { temporaryPasswordGuards } from '../users/temporary-passwords';
import { ResourceServerStore, resourceServerRoutes } from '../pools/resource-servers';
import { secretHashGuards } from '../guards/secret-hash';
import { selfSignUpGuards, selfSignUpRoutes } from '../users/self-sign-up';
import { signInFailureGuards } from '../guards/sign-in-failures';
import { generateSigningKeys } from '../tokens/signing-keys';
import { SrpChallenges, srpGuards } from '../users/srp-auth';
import { featurePlanGuards } from '../pools/feature-plans';
import { deletionProtectionGuards } from '../pools/deletion-protection';
import { poolDomainRoutes } from '../pools/pool-domains';
import { mfaRoutes, poolMfaConfigGuards } from '../sign-in/mfa-operations';
import { passkeyRoutes } from '../sign-in/passkeys';
import { SignInFlow } from '../sign-in/sign-in-flow';
import { passwordProven, signInGuards, signInRoutes } from '../sign-in/sign-in-guards';
import { SignInSessions } from '../sign-in/sign-in-sessions';
import { UserAuth } from '../sign-in/user-auth';
import { composeRouter } from './target-guards';
import { tokenValidityGuards } from '../tokens/token-validity';
import { unknownClientGuards } from '../guards/unknown-clients';
import { throttleRulesFrom, throttlingGuards, type ThrottleRules } from '../guards/throttling';

export interface LocalCognitoOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Region in pool ids and ARNs. Default us-east-1. */
  region?: string;
  /** Told of every code the pool would have mailed (sign-up, reset, invitation). */
  onCode?: (code: CapturedCode) => void;
  /** The clock tokens are issued by and users created at. Default Date.now; tests move it. */
  now?: () => number;
  /**
   * Where the instance's data directory is made, and where those of dead instances are swept from
   * (data-directories.ts). Default: the system's temporary directory.
   */
  dataRoot?: string;
  /** Every Nth call of an operation answered TooManyRequestsException (guards/throttling.ts). Default: none. */
  throttle?: ThrottleRules;
}

export interface LocalCognito {
  /** http://127.0.0.1:<port>: the Cognito Identity Provider endpoint for the AWS SDK. */
  url: string;
  region: string;
  /** `<url>/<poolId>`, or the issuer given to overrideIssuer for that pool. */
  issuerOf(poolId: string): string;
  /** Always served by this instance, whatever the pool's issuer. */
  jwksUrlOf(poolId: string): string;
  /** The pool's OpenID configuration, served by this instance whatever the pool's issuer. */
  discoveryUrlOf(poolId: string): string;
  /**
   * From now on the pool's tokens and openid-configuration carry `issuer` (e.g. the AWS issuer a document
   * hard-codes); its JWKS stays at jwksUrlOf. Throws for a value that is not an http(s) URL.
   */
  overrideIssuer(poolId: string, issuer: string): void;
  /**
   * Local only (Cognito always picks client ids): the client `currentId` of the pool takes the id `wantedId`,
   * e.g. one a document's jwt audience hard-codes. Call it right after creating the client. Rejects an id
   * another client has, or one Cognito could not issue.
   */
  assignClientId(poolId: string, currentId: string, wantedId: string): Promise<void>;
  /** The OAuth2 token endpoint (authorization_code, refresh_token, client_credentials), shared by every pool. */
  tokenEndpoint: string;
  /** The hosted UI's authorization endpoint; the pool is the client_id's. */
  authorizeEndpoint: string;
  /**
   * Codes the instance "sent" the user (sign-up, resend, password reset, AdminCreateUser invitations), newest
   * first; `username` may be any name the user signs in with. Also at GET <url>/_local/codes?poolId=&username=.
   */
  codesFor(poolId: string, username: string): Promise<CapturedCode[]>;
  /** The instance's own data directory (removed by stop). */
  dataDirectory: string;
  /** Data directories of instances that died without removing theirs, removed as this one started. */
  sweptDataDirectories: string[];
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
  const { path: dataDirectory, swept } = await createDataDirectory(options.dataRoot);
  try {
    let url = '';
    const issuers = new PoolIssuers(() => url);
    const tokens = new CognitoTokens(keys, (poolId) => issuers.issuerOf(poolId), options.now);
    const mailbox = new CodeMailbox(undefined, options.onCode);
    const core = await createCore({
      dataDirectory,
      tokenGenerator: tokens,
      messages: mailbox,
      now: options.now,
      decorateCognito: (cognito) => withAliasLookup(withRegionalPoolIds(region)(cognito)),
    });
    const resourceServers = new ResourceServerStore();
    const srpChallenges = new SrpChallenges();
    const signIn = new SignInFlow(new SignInSessions());
    const userAuth = new UserAuth(signIn, srpChallenges);
    const added = {
      ...signInRoutes(signIn, userAuth),
      ...mfaRoutes(signIn),
      ...passkeyRoutes,
      ...resourceServerRoutes(resourceServers),
      ...poolDomainRoutes,
      ...selfSignUpRoutes,
      ...signOutRoutes(tokens, keys, (poolId) => issuers.issuerOf(poolId)),
      ...refreshRoutes(tokens),
    };
    // Guards run in this order: client checks and the user's Cognito username (for a Username that is an
    // alias or sub), flow and secret checks before anything touches the user; the ones
    // that answer an operation themselves (sign-up, reset, refresh, SRP, the rest of sign-in) last, inside the
    // token-lifetime one.
    const guarded = composeRouter(core.router, core.services, added, [
      // First: Cognito refuses a call over its quota before looking at it.
      throttlingGuards(throttleRulesFrom(options.throttle)),
      unknownClientGuards,
      adminUsernameGuards,
      accessTokenGuards(tokens, keys, (poolId) => issuers.issuerOf(poolId)),
      userExistenceGuards,
      authFlowGuards,
      secretHashGuards,
      disabledUserGuards,
      signInFailureGuards,
      temporaryPasswordGuards,
      passwordPolicyGuards,
      invitationDeliveryGuards,
      listUsersGuards,
      attributeVerificationGuards,
      featurePlanGuards,
      deletionProtectionGuards,
      poolMfaConfigGuards,
      clientOAuthScopeGuards(resourceServers),
      refreshRotationGuards,
      tokenValidityGuards,
      selfSignUpGuards(mailbox),
      forgotPasswordGuards(mailbox),
      refreshFlowGuards(tokens),
      srpGuards(srpChallenges, passwordProven(signIn)),
      signInGuards(signIn, userAuth),
    ]);
    // Outermost, so the guards' reads and cognito-local's writes of one pool never interleave.
    const poolQueue = new KeyedQueue();
    const router = serializedPerPool(guarded, core.services, poolQueue);
    const codes = new AuthorizationCodes();
    const clientIds = new ClientIdAssigner(core.services);
    const server = createServer(
      frontHandler({
        router,
        services: core.services,
        keys,
        tokens,
        baseUrl: () => url,
        issuers,
        clientCredentials: clientCredentialsGrant(core.services, tokens, resourceServers),
        oauth: oauthTokenGrants(core.services, tokens, codes),
        hostedUi: hostedUi({
          services: core.services,
          tokens,
          codes,
          resourceServers,
          signIn,
          // The hosted UI's steps write the user, so they queue with the pool's API operations.
          serialized: (poolId, task) => poolQueue.run(poolId, task),
          router,
        }),
        mailbox,
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
      issuerOf: (poolId) => issuers.issuerOf(poolId),
      jwksUrlOf: (poolId) => issuers.jwksUrlOf(poolId),
      discoveryUrlOf: (poolId) => issuers.discoveryUrlOf(poolId),
      overrideIssuer: (poolId, issuer) => issuers.override(poolId, issuer),
      assignClientId: (poolId, currentId, wantedId) => clientIds.assign(poolId, currentId, wantedId),
      tokenEndpoint: `${url}/oauth2/token`,
      authorizeEndpoint: `${url}/oauth2/authorize`,
      codesFor: async (poolId, username) => {
        const reply = await codesEndpoint(core.services, mailbox, new URLSearchParams({ poolId, username }));
        return reply.status === 200 ? (reply.body as { codes: CapturedCode[] }).codes : [];
      },
      dataDirectory,
      sweptDataDirectories: swept,
      stop: () =>
        (stopped ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
          await keys.catch(() => undefined);
          // Retried: a save still in flight when the server closed may add a temporary file meanwhile (ENOTEMPTY).
          await rm(dataDirectory, { recursive: true, force: true, maxRetries: 5 });
        })()),
    };
  } catch (error) {
    await rm(dataDirectory, { recursive: true, force: true, maxRetries: 5 });
    throw error;
  }
}

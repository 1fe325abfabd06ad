// Every token the harness uses comes from here: an ephemeral test user per run (created, signed in,
// deleted at the end — also on failure, SIGINT and SIGTERM), or an existing user (--user); machine tokens
// through client_credentials; each cached per principal and scope set and renewed when near expiry (a
// user's through GetTokensFromRefreshToken, which works whether or not the client rotates refresh tokens).
import { randomBytes, randomInt, createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  type AuthenticationResultType,
  type PasswordPolicyType,
} from '@aws-sdk/client-cognito-identity-provider';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { ClientOutput, PoolOutput, StackOutputs } from '../stack/outputs';
import { harnessInputError, pointerUnder } from './errors';
import { sendWithRetry, type RetryPolicy } from './http';
import { CountingSdkHandler } from './sdk-http-handler';
import type { Traffic } from './traffic';
import type { Redactor } from './redact';
import type { PoolKeys } from './forge';
import { codeFlowTokens, type SignInDriver } from './hosted-ui';
import { completeMfa, type Authenticator } from './mfa';
import type { TokenSource } from './plan';
import type { ProbeTarget } from './reachability';
import { sweepTestUsers, TEST_USER_PREFIX, testUserEmail, type SweepOutcome } from './sweep';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
export type CredentialProvider = () => Promise<AwsCredentials>;

/** Which pool: 'main' (the stack's) or the ARN of one of outputs.extra_pools. */
export type PoolKey = string;
export const MAIN_POOL: PoolKey = 'main';

export interface UserTokens {
  idToken: string;
  accessToken: string;
}

export interface ExistingUser {
  username: string;
  password: string;
}

export interface TokenProviderOptions {
  outputs: StackOutputs;
  /** Where the outputs came from (a file and the pointer to them in it), for problems. Default 'outputs'. */
  source?: { file: string; pointer: string };
  redactor: Redactor;
  /** Sign in as this user (in the main pool) instead of creating one. */
  existingUser?: ExistingUser;
  /** Admin credentials; default: the AWS SDK default chain (with dummies for a loopback Cognito). */
  credentials?: CredentialProvider;
  /** Tokens closer than this to expiry are renewed. */
  refreshMarginSeconds?: number;
  /** How to sign in at the hosted UI: a server-rendered form over HTTP (default), or headless Chromium. */
  hostedUiDriver?: SignInDriver;
  /** Told about users created and deleted (never their password). */
  log?: (line: string) => void;
  /** The clock token lifetimes are judged by. Default Date.now. */
  now?: () => number;
  /** Told of every real token obtained, with the source it answers (for the token store). */
  onIssued?: (source: TokenSource, token: string) => void;
  /** Where every request to Cognito is counted, by action, with its throttled retries (traffic.ts). */
  traffic?: Traffic;
  /** Backoff for Cognito's throttling and transient errors. Default http.ts's DEFAULT_RETRY. */
  retry?: RetryPolicy;
}

interface PoolContext {
  key: PoolKey;
  /** Pointer to the pool's outputs in the outputs source. */
  pointer: string;
  pool: PoolOutput;
  secrets: Record<string, string>;
  cognito: CognitoIdentityProviderClient;
  credentials: CredentialProvider;
}

interface TestUser {
  /** What the user signs in with (an email address when the pool signs in by email). */
  signInName: string;
  /** What AdminDeleteUser takes. */
  username: string;
  password: string;
  ephemeral: boolean;
  /** Enrolled by the harness when the pool requires MFA (mfa.ts). */
  authenticator?: Authenticator;
}

interface Cached<T> {
  value: T;
  expiresAt: number;
}

const DUMMY_CREDENTIALS: AwsCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
/** Cognito's default refresh-token validity: 30 days. */
const DEFAULT_REFRESH_VALIDITY_MS = 30 * 86_400_000;
const VALIDITY_UNIT_MS: Record<string, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };
/** How long close() lets sign-ins under way finish before deleting their user anyway. */
const SIGN_IN_SETTLE_MS = 10_000;
/** Cognito's allowed password symbols. */
const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+-';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/**
 * The SDK's default chain; a loopback Cognito (the local stack) accepts any signature, so when the chain
 * finds nothing there the harness signs with dummies rather than failing.
 */
export function adminCredentials(endpoint: string, chain: CredentialProvider = defaultProvider()): CredentialProvider {
  let resolved: Promise<AwsCredentials> | undefined;
  return () =>
    (resolved ??= chain().catch((error: unknown) => {
      if (isLoopbackUrl(endpoint)) return DUMMY_CREDENTIALS;
      resolved = undefined;
      throw harnessInputError(
        'aws-credentials',
        'AWS credentials',
        '',
        `No AWS credentials for ${endpoint} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).`,
        'Give the harness admin credentials for the user pool the usual way (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO or an instance role).',
      );
    }));
}

/** A password meeting the pool's policy: every character class it may require, longer than its minimum. */
export function generatePassword(policy: PasswordPolicyType = {}): string {
  const length = Math.min(99, Math.max(policy.MinimumLength ?? 8, 24));
  const classes = [LOWER, UPPER, DIGITS, SYMBOLS];
  const chars = classes.map((set) => set[randomInt(set.length)]);
  const all = classes.join('');
  while (chars.length < length) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export function secretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}

function secondsFrom(now: number, seconds: number | undefined, fallback: number): number {
  return now + (seconds && seconds > 0 ? seconds : fallback) * 1000;
}

/** `exp` of a JWT in ms, read without verifying (the harness only needs to know when to renew). */
function expiryOf(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export class TokenProvider {
  private readonly pools = new Map<PoolKey, PoolContext>();
  private readonly users = new Map<PoolKey, Promise<TestUser>>();
  private readonly userTokenCache = new Map<string, Promise<Cached<UserTokens>>>();
  /** The newest refresh token of each `${pool}|${client}` sign-in: a rotating client replaces it on each refresh. */
  private readonly refreshTokens = new Map<string, string>();
  private readonly machineTokenCache = new Map<string, Promise<Cached<string>>>();
  private readonly codeFlowTokenCache = new Map<string, Promise<Cached<string>>>();
  private readonly jwksCache = new Map<PoolKey, Promise<PoolKeys>>();
  private readonly refreshValidity = new Map<string, Promise<number>>();
  private readonly marginMs: number;
  private closed = false;
  /** Sign-ins under way: close() deletes users only once these have settled (see there). */
  private readonly signIns = new Set<Promise<unknown>>();
  /** One password sign-in per test user at a time: MFA enrolment and TOTP codes are the user's. */
  private readonly signInQueues = new Map<PoolKey, Promise<unknown>>();

  constructor(private readonly options: TokenProviderOptions) {
    this.marginMs = (options.refreshMarginSeconds ?? 120) * 1000;
    const { outputs } = options;
    const base = this.source.pointer;
    this.addPool(MAIN_POOL, base, outputs, outputs.client_secrets);
    for (const [arn, pool] of Object.entries(outputs.extra_pools ?? {}))
      this.addPool(arn, pointerUnder(base, 'extra_pools', arn), pool, pool.client_secrets);
    if (options.existingUser) options.redactor.add(options.existingUser.password, 'password');
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private get source(): { file: string; pointer: string } {
    return this.options.source ?? { file: 'outputs', pointer: '' };
  }

  private addPool(key: PoolKey, pointer: string, pool: PoolOutput, secrets: Record<string, string>): void {
    for (const secret of Object.values(secrets)) this.options.redactor.add(secret, 'secret');
    const credentials = this.options.credentials ?? adminCredentials(pool.cognito_endpoint);
    const cognito = new CognitoIdentityProviderClient({
      endpoint: pool.cognito_endpoint,
      region: regionOf(pool, this.options.outputs.region),
      credentials,
      // Retries (throttling included) happen once, in http.ts, where each attempt is counted.
      maxAttempts: 1,
      requestHandler: new CountingSdkHandler(this.options.traffic, this.options.retry),
    });
    this.pools.set(key, { key, pointer, pool, secrets, cognito, credentials });
  }

  private poolContext(key: PoolKey): PoolContext {
    const context = this.pools.get(key);
    if (!context) throw new Error(`no pool "${key}" in the outputs`);
    return context;
  }

  client(key: PoolKey, clientName: string): ClientOutput {
    const client = this.poolContext(key).pool.clients[clientName];
    if (!client) throw new Error(`no client "${clientName}" in pool ${key}`);
    return client;
  }

  /**
   * Fails fast, before any check runs, on what is a configuration problem rather than a finding: no admin
   * credentials, or a client secret the outputs lack.
   */
  async preflight(needs: { pool: PoolKey; client: string; user: boolean }[]): Promise<void> {
    const pools = new Set<PoolKey>();
    for (const need of needs) {
      const client = this.client(need.pool, need.client);
      if (!need.user || client.has_secret) this.secretOf(need.pool, need.client);
      if (need.user && !(need.pool === MAIN_POOL && this.options.existingUser)) pools.add(need.pool);
    }
    for (const key of pools) await this.poolContext(key).credentials();
  }

  /** The pools this run creates a test user in (every pool a user token comes from, but an existing user's). */
  private userPools(needs: { pool: PoolKey; user: boolean }[]): PoolKey[] {
    return [
      ...new Set(
        needs.filter((n) => n.user && !(n.pool === MAIN_POOL && this.options.existingUser)).map((n) => n.pool),
      ),
    ];
  }

  /** Deletes the test users earlier runs left in the pools this run creates users in (sweep.ts). */
  sweep(needs: { pool: PoolKey; user: boolean }[], olderThan: { text: string; ms: number }): Promise<SweepOutcome> {
    const targets = this.userPools(needs).map((key) => {
      const { pool, cognito } = this.poolContext(key);
      return { userPoolId: pool.user_pool_id, cognito };
    });
    return sweepTestUsers(targets, olderThan, this.now());
  }

  /** What must answer for the run to mean anything: each pool's Cognito endpoint and token endpoint. */
  endpoints(): ProbeTarget[] {
    return [...this.pools.values()].flatMap(({ pool }) => [
      { target: 'Cognito' as const, url: pool.cognito_endpoint },
      ...(pool.token_endpoint ? [{ target: 'token endpoint' as const, url: pool.token_endpoint }] : []),
    ]);
  }

  /** The pool and client ids a source's tokens carry, for the token store. */
  identityOf(key: PoolKey, clientName: string): { issuer: string; userPoolId: string; clientId: string } {
    const { pool } = this.poolContext(key);
    return { issuer: pool.issuer, userPoolId: pool.user_pool_id, clientId: this.client(key, clientName).id };
  }

  /** The client's refresh-token validity in ms (DescribeUserPoolClient); Cognito's default when it cannot say. */
  refreshTokenValidityMs(key: PoolKey, clientName: string): Promise<number> {
    const cacheKey = `${key}|${clientName}`;
    let validity = this.refreshValidity.get(cacheKey);
    if (!validity) {
      const { pool, cognito } = this.poolContext(key);
      validity = cognito
        .send(
          new DescribeUserPoolClientCommand({
            UserPoolId: pool.user_pool_id,
            ClientId: this.client(key, clientName).id,
          }),
        )
        .then(({ UserPoolClient: client }) => {
          const value = client?.RefreshTokenValidity;
          const unit = VALIDITY_UNIT_MS[client?.TokenValidityUnits?.RefreshToken ?? 'days'] ?? VALIDITY_UNIT_MS.days;
          return value && value > 0 ? value * unit : DEFAULT_REFRESH_VALIDITY_MS;
        })
        .catch(() => DEFAULT_REFRESH_VALIDITY_MS);
      this.refreshValidity.set(cacheKey, validity);
    }
    return validity;
  }

  /** The test user of a pool, created on first use. */
  private testUser(key: PoolKey): Promise<TestUser> {
    let user = this.users.get(key);
    if (!user) {
      user =
        key === MAIN_POOL && this.options.existingUser
          ? Promise.resolve({
              ...this.options.existingUser,
              signInName: this.options.existingUser.username,
              ephemeral: false,
            })
          : this.createUser(key);
      this.users.set(key, user);
    }
    return user;
  }

  private async createUser(key: PoolKey): Promise<TestUser> {
    if (this.closed) throw new Error('the token provider is closed');
    const { pool, cognito } = this.poolContext(key);
    const described = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.user_pool_id }));
    const password = generatePassword(described.UserPool?.Policies?.PasswordPolicy);
    this.options.redactor.add(password, 'password');
    const suffix = randomBytes(6).toString('hex');
    const signInBy = described.UserPool?.UsernameAttributes ?? [];
    // The email is the harness's mark in every kind of pool: the sweep finds leftovers by it (sweep.ts).
    const email = testUserEmail(suffix);
    const signInName = signInBy.includes('email')
      ? email
      : signInBy.includes('phone_number')
        ? `+1555${String(randomInt(10 ** 7)).padStart(7, '0')}`
        : `${TEST_USER_PREFIX}${suffix}`;
    const attributes =
      signInBy.includes('phone_number') && !signInBy.includes('email')
        ? [
            { Name: 'phone_number', Value: signInName },
            { Name: 'phone_number_verified', Value: 'true' },
            { Name: 'email', Value: email },
          ]
        : [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ];
    const created = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.user_pool_id,
        Username: signInName,
        MessageAction: 'SUPPRESS',
        UserAttributes: attributes,
      }),
    );
    const user: TestUser = { signInName, username: created.User?.Username ?? signInName, password, ephemeral: true };
    this.options.log?.(`created test user ${user.signInName} in ${pool.user_pool_id}`);
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool.user_pool_id,
        Username: user.username,
        Password: password,
        Permanent: true,
      }),
    );
    return user;
  }

  /**
   * ID and access token of the test user signed in through `clientName` (USER_PASSWORD_AUTH); renewed
   * with the sign-in's refresh token while Cognito takes it.
   */
  userTokens(key: PoolKey, clientName: string): Promise<UserTokens> {
    const cacheKey = `${key}|${clientName}`;
    return this.cached(this.userTokenCache, cacheKey, async () => {
      const refreshToken = this.refreshTokens.get(cacheKey);
      const auth =
        (refreshToken !== undefined ? await this.refreshed(key, clientName, refreshToken) : undefined) ??
        (await this.signedIn(key, clientName));
      if (!auth.IdToken || !auth.AccessToken)
        throw new Error(`signing in through client "${clientName}" gave no tokens`);
      this.options.redactor.add(auth.IdToken, 'token');
      this.options.redactor.add(auth.AccessToken, 'token');
      this.options.onIssued?.({ kind: 'user', pool: key, client: clientName, token: 'id' }, auth.IdToken);
      this.options.onIssued?.({ kind: 'user', pool: key, client: clientName, token: 'access' }, auth.AccessToken);
      if (auth.RefreshToken) {
        this.options.redactor.add(auth.RefreshToken, 'token');
        this.refreshTokens.set(cacheKey, auth.RefreshToken);
      }
      const expiresAt = Math.min(
        expiryOf(auth.IdToken) ?? Infinity,
        expiryOf(auth.AccessToken) ?? Infinity,
        secondsFrom(this.now(), auth.ExpiresIn, 3600),
      );
      return { value: { idToken: auth.IdToken, accessToken: auth.AccessToken }, expiresAt };
    });
  }

  private signedIn(key: PoolKey, clientName: string): Promise<AuthenticationResultType> {
    return this.oneSignInAtATime(key, () => this.signInNow(key, clientName));
  }

  /** The test user's sign-ins, through the API or the hosted UI, one after another (see signInQueues). */
  private oneSignInAtATime<T>(key: PoolKey, signIn: () => Promise<T>): Promise<T> {
    const previous = this.signInQueues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(signIn);
    this.signInQueues.set(key, next);
    return next;
  }

  private async signInNow(key: PoolKey, clientName: string): Promise<AuthenticationResultType> {
    const { cognito } = this.poolContext(key);
    const client = this.client(key, clientName);
    const user = await this.testUser(key);
    if (this.closed) throw new Error('the token provider is closed');
    const hash = client.has_secret
      ? (name: string) => secretHash(name, client.id, this.secretOf(key, clientName))
      : undefined;
    const parameters: Record<string, string> = { USERNAME: user.signInName, PASSWORD: user.password };
    if (hash) parameters.SECRET_HASH = hash(user.signInName);
    const result = await this.tracked(
      cognito.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client.id, AuthParameters: parameters }),
      ),
    );
    return this.tracked(
      completeMfa(result, user.signInName, {
        cognito,
        clientId: client.id,
        clientName,
        secretHash: hash,
        authenticator: user.authenticator,
        // An existing user's MFA is theirs: the harness enrols only the users it creates.
        enrol: user.ephemeral ? (authenticator) => (user.authenticator = authenticator) : undefined,
        redact: (secret) => this.options.redactor.add(secret, 'secret'),
        log: this.options.log,
      }),
    );
  }

  /**
   * New tokens through GetTokensFromRefreshToken (REFRESH_TOKEN_AUTH is refused for a client that rotates
   * refresh tokens; this operation serves both kinds). Undefined when Cognito refuses the refresh token
   * (expired, revoked, rotated away), so the caller signs in again.
   */
  private async refreshed(
    key: PoolKey,
    clientName: string,
    refreshToken: string,
  ): Promise<AuthenticationResultType | undefined> {
    const { cognito } = this.poolContext(key);
    const client = this.client(key, clientName);
    if (this.closed) throw new Error('the token provider is closed');
    try {
      const result = await this.tracked(
        cognito.send(
          new GetTokensFromRefreshTokenCommand({
            RefreshToken: refreshToken,
            ClientId: client.id,
            ClientSecret: client.has_secret ? this.secretOf(key, clientName) : undefined,
          }),
        ),
      );
      const auth = result.AuthenticationResult;
      if (!auth?.IdToken || !auth.AccessToken) return undefined;
      this.options.log?.(
        `refreshed the test user's tokens for client "${clientName}" through GetTokensFromRefreshToken${auth.RefreshToken ? ' (the client rotates refresh tokens: the new one replaces the old)' : ''}`,
      );
      return auth;
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'NotAuthorizedException' && name !== 'RefreshTokenReuseException') throw error;
      this.options.log?.(`client "${clientName}" refused the refresh token (${name}): signing the test user in again`);
      return undefined;
    }
  }

  /** A request that may write the test user: close() lets it finish before deleting the user (see there). */
  private tracked<T>(request: Promise<T>): Promise<T> {
    this.signIns.add(request);
    return request.finally(() => this.signIns.delete(request));
  }

  /**
   * The test user's access token holding `scopes`, signed in through the hosted UI's code flow with PKCE
   * for `clientName` (a client with the code flow and a callback URL).
   */
  userCodeFlowToken(key: PoolKey, clientName: string, scopes: string[]): Promise<string> {
    const scopeSet = [...new Set(scopes)].sort();
    return this.cached(this.codeFlowTokenCache, `${key}|${clientName}|${scopeSet.join(' ')}`, async () => {
      const { pool } = this.poolContext(key);
      const client = this.client(key, clientName);
      if (client.callback_urls.length === 0)
        throw harnessInputError(
          'outputs-client-callback',
          this.source.file,
          pointerUnder(this.poolContext(key).pointer, 'clients', clientName, 'callback_urls'),
          `Client "${clientName}" has no callback URL, so the hosted UI cannot sign a user in through it (received: []).`,
          "Give the client callbackUrls in the module's props, deploy, and write the outputs file again.",
        );
      const user = await this.testUser(key);
      const tokens = await this.oneSignInAtATime(key, () => {
        if (this.closed) throw new Error('the token provider is closed');
        // Counted here, once per sign-in: hosted-ui.ts loads the hosted UI's pages with its own fetch.
        this.options.traffic?.sent('hosted UI sign-in (code flow)');
        return this.tracked(
          codeFlowTokens(
            new URL(pool.token_endpoint).origin,
            {
              id: client.id,
              secret: client.has_secret ? this.secretOf(key, clientName) : undefined,
              redirectUri: client.callback_urls[0],
              // openid brings the ID token along, when the client may ask for it (Cognito refuses a scope it may not).
              scopes: client.oauth_scopes.includes('openid') ? [...new Set(['openid', ...scopeSet])] : scopeSet,
            },
            {
              username: user.signInName,
              password: user.password,
              // The hosted UI's MFA pages, answered as signInNow answers the API's challenges.
              mfa: {
                clientName,
                authenticator: user.authenticator,
                enrol: user.ephemeral ? (authenticator) => (user.authenticator = authenticator) : undefined,
                redact: (secret) => this.options.redactor.add(secret, 'secret'),
                log: this.options.log,
              },
            },
            this.options.hostedUiDriver,
          ),
        );
      });
      for (const token of [tokens.accessToken, tokens.idToken, tokens.refreshToken])
        if (token) this.options.redactor.add(token, 'token');
      this.options.onIssued?.(
        { kind: 'user-code', pool: key, client: clientName, scopes: scopeSet },
        tokens.accessToken,
      );
      return {
        value: tokens.accessToken,
        expiresAt: Math.min(expiryOf(tokens.accessToken) ?? Infinity, secondsFrom(this.now(), tokens.expiresIn, 3600)),
      };
    });
  }

  /** An access token from client_credentials at the pool's token endpoint, holding `scopes`. */
  machineToken(key: PoolKey, clientName: string, scopes: string[]): Promise<string> {
    const scopeSet = [...new Set(scopes)].sort();
    return this.cached(this.machineTokenCache, `${key}|${clientName}|${scopeSet.join(' ')}`, async () => {
      const { pool } = this.poolContext(key);
      const client = this.client(key, clientName);
      if (!pool.token_endpoint)
        throw harnessInputError(
          'outputs-field',
          this.source.file,
          pointerUnder(this.poolContext(key).pointer, 'token_endpoint'),
          'Missing: client_credentials tokens come from the token endpoint.',
          'Deploy a hosted-UI domain (the gatehouse module always does) and write the outputs file again.',
        );
      const secret = this.secretOf(key, clientName);
      const response = await sendWithRetry(
        {
          method: 'POST',
          url: pool.token_endpoint,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`,
          },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: client.id,
            scope: scopeSet.join(' '),
          }).toString(),
        },
        this.options.retry,
        { traffic: this.options.traffic },
      );
      let parsed: { access_token?: unknown; expires_in?: unknown; error?: unknown } = {};
      try {
        parsed = JSON.parse(response.bodyText) as typeof parsed;
      } catch {
        // Reported below with the status.
      }
      if (response.status !== 200 || typeof parsed.access_token !== 'string')
        throw new Error(
          `the token endpoint refused client_credentials for client "${clientName}" (scope "${scopeSet.join(' ')}"): ${response.status} ${typeof parsed.error === 'string' ? parsed.error : 'without an access token'}`,
        );
      this.options.redactor.add(parsed.access_token, 'token');
      this.options.onIssued?.(
        { kind: 'machine', pool: key, client: clientName, scopes: scopeSet },
        parsed.access_token,
      );
      const expiresAt = Math.min(
        expiryOf(parsed.access_token) ?? Infinity,
        secondsFrom(this.now(), typeof parsed.expires_in === 'number' ? parsed.expires_in : undefined, 3600),
      );
      return { value: parsed.access_token, expiresAt };
    });
  }

  /** The pool's signing keys (for the HS256 key-confusion case). */
  jwks(key: PoolKey): Promise<PoolKeys> {
    let keys = this.jwksCache.get(key);
    if (!keys) {
      const url = this.poolContext(key).pool.jwks_url;
      keys = sendWithRetry({ method: 'GET', url, headers: { accept: 'application/json' } }, this.options.retry, {
        traffic: this.options.traffic,
      }).then((response) => {
        const parsed = JSON.parse(response.bodyText) as PoolKeys;
        if (response.status !== 200 || !Array.isArray(parsed.keys))
          throw new Error(`${url} answered ${response.status} without a JWKS`);
        return parsed;
      });
      keys.catch(() => this.jwksCache.delete(key));
      this.jwksCache.set(key, keys);
    }
    return keys;
  }

  private secretOf(key: PoolKey, clientName: string): string {
    const { pool, secrets, pointer } = this.poolContext(key);
    const secret = secrets[clientName];
    if (!secret)
      throw harnessInputError(
        'outputs-client-secret',
        this.source.file,
        pointerUnder(pointer, 'client_secrets', clientName),
        `Client "${clientName}" of ${pool.user_pool_id} has a secret, but the outputs' client_secrets lack it.`,
        'Write the outputs file with `cdktf output --outputs-file <f> --outputs-file-include-sensitive-outputs`.',
      );
    return secret;
  }

  /** One fetch per key at a time; a value near expiry is fetched again. */
  private async cached<T>(
    cache: Map<string, Promise<Cached<T>>>,
    key: string,
    fetchValue: () => Promise<Cached<T>>,
  ): Promise<T> {
    const existing = cache.get(key);
    if (existing) {
      const entry = await existing.catch(() => undefined);
      if (entry && entry.expiresAt - this.now() > this.marginMs) return entry.value;
      if (cache.get(key) !== existing) return this.cached(cache, key, fetchValue);
    }
    const pending = fetchValue();
    cache.set(key, pending);
    pending.catch(() => {
      if (cache.get(key) === pending) cache.delete(key);
    });
    return (await pending).value;
  }

  /**
   * Deletes every user this provider created, waiting for creations and sign-ins still under way (a sign-in
   * racing the delete can write the user back in a Cognito that stores users read-modify-write, as the local
   * one does; waiting costs nothing on AWS). The wait is bounded so a hung request cannot block cleanup.
   * Safe to call twice.
   */
  async close(): Promise<void> {
    this.closed = true;
    const failures: string[] = [];
    for (const [key, pending] of this.users) {
      this.users.delete(key);
      const user = await pending.catch(() => undefined);
      if (!user?.ephemeral) continue;
      await settled([...this.signIns], SIGN_IN_SETTLE_MS);
      const { pool, cognito } = this.poolContext(key);
      try {
        await cognito.send(new AdminDeleteUserCommand({ UserPoolId: pool.user_pool_id, Username: user.username }));
        this.options.log?.(`deleted test user ${user.signInName}`);
      } catch (error) {
        if ((error as { name?: string }).name === 'UserNotFoundException') continue;
        failures.push(`${user.signInName} in ${pool.user_pool_id}: ${(error as Error).message}`);
      }
    }
    for (const { cognito } of this.pools.values()) cognito.destroy();
    if (failures.length > 0)
      throw new Error(
        `could not delete the test user(s) ${failures.join('; ')}; the next run deletes them once older than --sweep-older-than (default 1h), or delete them by hand`,
      );
  }
}

/** Waits for every promise to settle, or `ms`, whichever comes first. */
async function settled(promises: Promise<unknown>[], ms: number): Promise<void> {
  if (promises.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([Promise.allSettled(promises), timeout]);
  clearTimeout(timer);
}

function regionOf(pool: PoolOutput, fallback: string): string {
  return pool.user_pool_id.includes('_') && !isLoopbackUrl(pool.cognito_endpoint)
    ? pool.user_pool_id.split('_')[0]
    : fallback || 'us-east-1';
}

/**
 * Runs `cleanup` (deleting test users) on SIGINT or SIGTERM, then exits with 128 + the signal number.
 * Returns a function that removes the handlers.
 */
export function installSignalCleanup(
  cleanup: () => Promise<void>,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): () => void {
  let running = false;
  const handler = (signal: NodeJS.Signals) => {
    if (running) return;
    running = true;
    log(`gatehouse contract: ${signal}, deleting test users before exiting`);
    cleanup()
      .catch((error: unknown) => log(`gatehouse contract: ${(error as Error).message}`))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

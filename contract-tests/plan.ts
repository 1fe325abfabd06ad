// Which checks run for each operation and with which credential: pure, from the model, the bound
// authorizers and the clients the outputs list. Tokens are fetched later (see materialize.ts).
import { STANDARD_SCOPES } from '../openapi/model/build-model';
import type { ApiModel, Operation } from '../openapi/model/types';
import { identityValidationAccepts } from '../stack/bound-authorizers';
import type { ClientOutput, PoolOutput, StackOutputs } from '../stack/outputs';
import type { BoundAuthorizer } from './binding';
import { expectedOutcome, type CheckCase, type ExpectedOutcome } from './expectations';
import type { Forgery } from './forge';
import { planOtherAuth, withApiKeyRequired } from './other-auth-plan';
import { MAIN_POOL, type PoolKey } from './tokens';
import { addExecuteApiRefusal } from './custom-domain';
import { describeIdentity } from './credentials';

/** Where a real token comes from. */
export type TokenSource =
  | { kind: 'user'; pool: PoolKey; client: string; token: 'id' | 'access' }
  /** The test user's access token from the hosted UI's code flow with PKCE, holding `scopes`. */
  | { kind: 'user-code'; pool: PoolKey; client: string; scopes: string[] }
  | { kind: 'machine'; pool: PoolKey; client: string; scopes: string[] };

export type Prefix = 'raw' | 'bearer' | 'wrong';

export type Credential =
  | { kind: 'none' }
  | { kind: 'malformed'; prefix: Prefix }
  | { kind: 'token'; source: TokenSource; prefix: Prefix }
  | { kind: 'forged'; forgery: Forgery; base: TokenSource; prefix: Prefix }
  /** A token of `source` from an earlier run, its `exp` passed (token-store.ts): the pool's own signature. */
  | { kind: 'expired'; source: TokenSource; prefix: Prefix }
  /**
   * The identity the config gives for a Lambda authorizer (credentials.ts): its header and query values, sent
   * by the harness. Only the names are here; the plan holds no secret.
   */
  | { kind: 'lambda-identity'; authorizer: string; headers: string[]; query: string[] };

export interface Check {
  /** `<operation id> <case>`: unique, stable, used as the test name. */
  name: string;
  operation: Operation;
  case: CheckCase;
  /** Lower-cased header the credential goes in. */
  tokenHeader: string;
  credential: Credential;
  expected: ExpectedOutcome;
  /** What is sent, in words (never the token itself). */
  description: string;
  /** Sent to the execute-api endpoint (api_url) even when the API has a custom domain (custom-domain.ts). */
  endpoint?: 'execute-api';
  /** Sends the config's API key as x-api-key (credentials.ts). */
  apiKey?: true;
}

export interface OmittedCheck {
  operation: string;
  case: CheckCase;
  reason: string;
}

export interface Plan {
  checks: Check[];
  omitted: OmittedCheck[];
}

export interface PlanOptions {
  /** Prefer this client id for user tokens (--client-id). */
  preferredUserClientId?: string;
  /**
   * Does the token store hold an expired token of `source` (token-store.ts)? Undefined when it does; else why
   * not, and the `expired` check is "not run" with that reason. Default: there is no store.
   */
  expiredToken?: (source: TokenSource) => string | undefined;
  /** Which credentials the config gives (credentials.ts), so the positive checks behind them run. Default: none. */
  credentials?: PlanCredentials;
}

export interface PlanCredentials {
  apiKey: boolean;
  /** Lambda authorizers (securitySchemes keys) with an identity, and the header and query names it sends. */
  lambdaAuthorizers: Record<string, { headers: string[]; query: string[] }>;
}

export const NO_TOKEN_STORE =
  "needs a token the pool issued to an earlier run and that has expired since: pass --token-store <file> (or set contract.tokenStore in the project file) and run again after this run's tokens expire";

const FORGERIES: Forgery[] = [
  'alg-none',
  'hs256-with-public-key',
  'unknown-kid',
  'jku-attacker-key',
  'embedded-jwk-attacker-key',
  'tampered-payload',
];

export function isUserClient(c: ClientOutput): boolean {
  return c.auth_flows.includes('USER_PASSWORD_AUTH') || c.auth_flows.includes('ALLOW_USER_PASSWORD_AUTH');
}

export function isMachineClient(c: ClientOutput, secrets: Record<string, string>, name: string): boolean {
  return c.oauth_flows.includes('client_credentials') && typeof secrets[name] === 'string' && secrets[name] !== '';
}

function describeSource(s: TokenSource): string {
  const pool = s.pool === MAIN_POOL ? '' : ` of pool ${s.pool}`;
  switch (s.kind) {
    case 'user':
      return `${s.token === 'id' ? 'ID' : 'access'} token of the test user via client "${s.client}"${pool}`;
    case 'user-code':
      return `access token of the test user from the hosted UI (code + PKCE) via client "${s.client}" with scope "${s.scopes.join(' ')}"${pool}`;
    case 'machine':
      return `client_credentials access token of "${s.client}" with scope "${s.scopes.join(' ')}"${pool}`;
  }
}

const PREFIX_WORDS: Record<Prefix, string> = {
  raw: 'raw',
  bearer: 'after "Bearer "',
  wrong: 'after "Token " (not Bearer)',
};

function describeCredential(c: Credential): string {
  switch (c.kind) {
    case 'none':
      return 'no token';
    case 'malformed':
      return `a value that is not a JWT, ${PREFIX_WORDS[c.prefix]}`;
    case 'token':
      return `${describeSource(c.source)}, ${PREFIX_WORDS[c.prefix]}`;
    case 'forged':
      return `${c.forgery} forgery of the ${describeSource(c.base)}, ${PREFIX_WORDS[c.prefix]}`;
    case 'expired':
      return `an expired ${describeSource(c.source)} from the token store, ${PREFIX_WORDS[c.prefix]}`;
    case 'lambda-identity':
      return describeIdentity(c.authorizer, c.headers, c.query);
  }
}

interface Candidates {
  userClients: [string, ClientOutput][];
  machineClients: [string, ClientOutput][];
}

/** A pool of the outputs with the key the token provider knows it by. */
interface KnownPool {
  key: PoolKey;
  pool: PoolOutput;
  secrets: Record<string, string>;
}

function knownPools(outputs: StackOutputs): KnownPool[] {
  return [
    { key: MAIN_POOL, pool: outputs, secrets: outputs.client_secrets },
    ...Object.entries(outputs.extra_pools ?? {}).map(([arn, pool]) => ({
      key: arn,
      pool,
      secrets: pool.client_secrets,
    })),
  ];
}

/** Does the authorizer accept this pool's tokens (REST: its ARN among providerARNs; HTTP: its issuer)? */
function trusts(authorizer: BoundAuthorizer, known: KnownPool): boolean {
  return authorizer.kind === 'jwt'
    ? known.pool.issuer === authorizer.issuer
    : authorizer.providerArns.includes(known.key === MAIN_POOL ? known.pool.user_pool_arn : known.key);
}

function candidatesOf(known: KnownPool, options: PlanOptions): Candidates {
  const userClients = Object.entries(known.pool.clients)
    .filter(([, c]) => isUserClient(c))
    // The preferred client first, then by name, so plans are stable.
    .sort(
      ([a, ca], [b, cb]) =>
        Number(cb.id === options.preferredUserClientId) - Number(ca.id === options.preferredUserClientId) ||
        a.localeCompare(b),
    );
  const machineClients = Object.entries(known.pool.clients)
    .filter(([name, c]) => isMachineClient(c, known.secrets, name))
    .sort(([a], [b]) => a.localeCompare(b));
  return { userClients, machineClients };
}

export function buildPlan(
  model: ApiModel,
  outputs: StackOutputs,
  authorizers: Record<string, BoundAuthorizer>,
  options: PlanOptions = {},
): Plan {
  const plan: Plan = { checks: [], omitted: [] };
  const pools = knownPools(outputs);
  for (const op of model.operations) planOperation(plan, model, pools, authorizers, options, op);
  addExecuteApiRefusal(plan, outputs);
  return plan;
}

function planOperation(
  plan: Plan,
  model: ApiModel,
  pools: KnownPool[],
  authorizers: Record<string, BoundAuthorizer>,
  options: PlanOptions,
  op: Operation,
): void {
  if (op.auth.kind === 'public') {
    const expected = expectedOutcome('public-no-token', {
      kind: model.kind === 'http' ? 'jwt' : 'cognito_user_pools',
      successStatus: op.successStatus,
      gatewayResponses: model.gatewayResponses,
    });
    if (expected) plan.checks.push(check(op, 'public-no-token', 'authorization', { kind: 'none' }, expected));
    return;
  }
  // IAM, Lambda authorizers and API keys: the unauthenticated case, and why the positive ones cannot run.
  if (op.auth.kind !== 'authorizer') return planOtherAuth(plan, model, op, options.credentials);
  if (op.auth.apiKeyRequired) {
    const own: Plan = { checks: [], omitted: [] };
    planOperation(own, model, pools, authorizers, options, { ...op, auth: { ...op.auth, apiKeyRequired: undefined } });
    return withApiKeyRequired(plan, own, model, op, options.credentials?.apiKey === true);
  }
  const authorizer = authorizers[op.auth.authorizer];
  const scopes = op.auth.scopes;
  if (authorizer.tokenHeader === '') {
    for (const c of ['no-token', 'valid-token'] as const)
      plan.omitted.push({
        operation: op.id,
        case: c,
        reason: `authorizer ${authorizer.name} reads its token from the query string, which the harness does not send yet`,
      });
    return;
  }
  const ctx = { kind: authorizer.kind, successStatus: op.successStatus, gatewayResponses: model.gatewayResponses };
  const omit = (c: CheckCase, reason: string) => plan.omitted.push({ operation: op.id, case: c, reason });
  const add = (c: CheckCase, credential: Credential) => {
    const expected = expectedOutcome(c, ctx);
    if (expected) plan.checks.push(check(op, c, authorizer.tokenHeader, credential, expected));
  };
  // Real tokens come from the pool the authorizer trusts: the stack's own, or one it names by hard-coded ARN.
  // Outputs without user_pool_arn cannot say; the stack's own pool is then the one meant, as {{userPoolArn}} is.
  const trusted =
    pools.find((known) => trusts(authorizer, known)) ??
    (authorizer.kind === 'cognito_user_pools' && pools[0].pool.user_pool_arn === '' ? pools[0] : undefined);
  const candidates: Candidates = trusted ? candidatesOf(trusted, options) : { userClients: [], machineClients: [] };
  const poolKey = trusted?.key ?? MAIN_POOL;

  /** Can this client's token pass the authorizer's client rules (audience / identityValidationExpression)? */
  const clientAccepted = (client: ClientOutput, token: 'id' | 'access'): boolean => {
    if (authorizer.kind === 'jwt') return authorizer.audience.includes(client.id);
    // An access token has no aud; an ID token's aud is its client's id.
    return identityValidationAccepts(authorizer, token === 'id' ? client.id : undefined);
  };
  const userSource = (name: string, token: 'id' | 'access'): TokenSource => ({
    kind: 'user',
    pool: poolKey,
    client: name,
    token,
  });
  const acceptedUser = candidates.userClients.find(([, c]) => clientAccepted(c, 'id'));
  const rejectedUser = candidates.userClients.find(([, c]) => !clientAccepted(c, 'id'));

  // The token that should pass, and (scoped operations) the test user's own token holding the scope.
  let valid: TokenSource | undefined;
  let userCode: TokenSource | undefined;
  if (!trusted) {
    omit(
      'valid-token',
      `no pool in the outputs is one the authorizer trusts (${authorizer.kind === 'jwt' ? `issuer ${authorizer.issuer}` : `providerARNs ${authorizer.providerArns.join(', ')}`}); give the harness that pool in outputs.extra_pools`,
    );
  } else if (scopes.length === 0) {
    if (acceptedUser) valid = userSource(acceptedUser[0], 'id');
    else
      omit(
        'valid-token',
        candidates.userClients.length === 0
          ? 'no client in the outputs allows USER_PASSWORD_AUTH'
          : `${candidates.userClients.length === 1 ? 'user client' : 'user clients'} ${quoted(candidates.userClients)} ${candidates.userClients.length === 1 ? 'is' : 'are'} ${outsideRule(authorizer, 'id')}`,
      );
  } else {
    const sources = scopedSources(authorizer, trusted, scopes, (c) => clientAccepted(c, 'access'));
    valid = sources.machine ?? sources.userCode;
    if (!valid) omit('valid-token', `${sources.machineReason}; ${sources.userCodeReason}`);
    if (sources.userCode) userCode = sources.userCode;
    else omit('user-access-token-scoped', sources.userCodeReason);
  }

  add('no-token', { kind: 'none' });
  add('malformed', { kind: 'malformed', prefix: 'bearer' });
  if (!valid) {
    for (const forgery of FORGERIES) omit(forgery, 'needs a valid token to forge from');
    omit('expired', 'needs a valid token whose expired copy the token store could hold');
    return;
  }
  add('valid-token', { kind: 'token', source: valid, prefix: 'raw' });
  add('valid-token-bearer', { kind: 'token', source: valid, prefix: 'bearer' });
  add('wrong-prefix', { kind: 'token', source: valid, prefix: 'wrong' });
  for (const forgery of FORGERIES) add(forgery, { kind: 'forged', forgery, base: valid, prefix: 'bearer' });
  // The same token as valid-token, issued to an earlier run and expired since.
  const noExpired = options.expiredToken ? options.expiredToken(valid) : NO_TOKEN_STORE;
  if (noExpired === undefined) add('expired', { kind: 'expired', source: valid, prefix: 'bearer' });
  else omit('expired', noExpired);

  // Only the OAuth flows give a *user* an access token with scopes beyond aws.cognito.signin.user.admin.
  if (userCode) add('user-access-token-scoped', { kind: 'token', source: userCode, prefix: 'bearer' });

  // The wrong kind of token.
  if (scopes.length > 0) {
    if (acceptedUser) {
      add('id-token-instead-of-access', { kind: 'token', source: userSource(acceptedUser[0], 'id'), prefix: 'bearer' });
      // InitiateAuth access tokens carry only aws.cognito.signin.user.admin: an access token without the scope.
      if (!scopes.includes('aws.cognito.signin.user.admin') && clientAccepted(acceptedUser[1], 'access'))
        add('missing-scope', { kind: 'token', source: userSource(acceptedUser[0], 'access'), prefix: 'bearer' });
    } else {
      omit('id-token-instead-of-access', "no user client passes the authorizer's client rules");
    }
  } else if (acceptedUser || candidates.userClients.length > 0) {
    const [name, client] = acceptedUser ?? candidates.userClients[0];
    if (authorizer.kind === 'jwt') {
      if (clientAccepted(client, 'access'))
        add('access-token-via-client-id', { kind: 'token', source: userSource(name, 'access'), prefix: 'bearer' });
    } else {
      add('access-token-instead-of-id', { kind: 'token', source: userSource(name, 'access'), prefix: 'bearer' });
    }
  }

  // Client rules.
  if (authorizer.kind === 'cognito_user_pools' && scopes.length === 0) {
    const [other] = candidates.userClients.filter(([name]) => name !== acceptedUser?.[0]);
    if (authorizer.identityValidation) {
      if (rejectedUser)
        add('client-outside-validation', {
          kind: 'token',
          source: userSource(rejectedUser[0], 'id'),
          prefix: 'bearer',
        });
      else omit('client-outside-validation', 'every user client in the outputs matches identityValidationExpression');
    } else if (other) {
      add('other-client-id-token', { kind: 'token', source: userSource(other[0], 'id'), prefix: 'bearer' });
    }
  }
  if (authorizer.kind === 'jwt') {
    const outsider = candidates.userClients.find(([, c]) => !authorizer.audience.includes(c.id))?.[0] ?? undefined;
    if (outsider) add('wrong-audience', { kind: 'token', source: userSource(outsider, 'id'), prefix: 'bearer' });
    else
      omit(
        'wrong-audience',
        'every user client in the outputs is in the audience (a token with another audience cannot be had without forging its signature)',
      );
  }

  // A real token from a pool the authorizer does not trust (the stack's own pool too, when it names another).
  const foreign = pools
    .filter((known) => !trusts(authorizer, known))
    .map((known) => ({
      key: known.key,
      client: Object.entries(known.pool.clients).find(([, c]) => isUserClient(c))?.[0],
    }))
    .find((f) => f.client !== undefined);
  if (foreign?.client)
    add('other-pool', {
      kind: 'token',
      source: { kind: 'user', pool: foreign.key, client: foreign.client, token: 'id' },
      prefix: 'bearer',
    });
  else
    omit(
      'other-pool',
      'the outputs have no pool the authorizer does not trust with a user client (a token signed by another key with this issuer would only repeat the signature checks)',
    );
}

/** Client names for a reason: `"a", "b"`. */
function quoted(entries: [string, ClientOutput][]): string {
  return entries.map(([name]) => `"${name}"`).join(', ');
}

/** Why the authorizer refuses these clients' tokens, in words that name the rule and its value. */
function outsideRule(authorizer: BoundAuthorizer, token: 'id' | 'access'): string {
  if (authorizer.kind === 'jwt')
    return `outside the jwt audience of authorizer ${authorizer.name} (${authorizer.audience.join(', ') || 'empty'})`;
  return token === 'access'
    ? `refused by the identityValidationExpression of authorizer ${authorizer.name}, which refuses every access token (they carry no aud)`
    : `outside the identityValidationExpression of authorizer ${authorizer.name} (${authorizer.identityValidation?.source.replace(/^\^\(\?:([\s\S]*)\)\$$/, '$1') ?? 'none'})`;
}

/** A scoped operation's two ways to a token holding one of its scopes, each with why it is missing. */
interface ScopedSources {
  machine?: TokenSource;
  machineReason: string;
  userCode?: TokenSource;
  userCodeReason: string;
}

/**
 * client_credentials tokens carry custom scopes only; every other scope (openid, email, profile, phone,
 * aws.cognito.signin.user.admin) and any custom one no machine client may request reaches an access token only
 * through a user's OAuth sign-in: the hosted UI's code flow, for a client with a callback URL.
 */
function scopedSources(
  authorizer: BoundAuthorizer,
  known: KnownPool,
  scopes: string[],
  accepted: (client: ClientOutput) => boolean,
): ScopedSources {
  const clients = Object.entries(known.pool.clients).sort(([a], [b]) => a.localeCompare(b));
  const refused = (entries: [string, ClientOutput][]) =>
    `${quoted(entries)} ${entries.length === 1 ? 'is' : 'are'} ${outsideRule(authorizer, 'access')}`;
  const result: ScopedSources = { machineReason: '', userCodeReason: '' };

  const custom = scopes.filter((s) => !STANDARD_SCOPES.includes(s));
  const allowing = clients.filter(
    ([, c]) => c.oauth_flows.includes('client_credentials') && c.oauth_scopes.some((s) => custom.includes(s)),
  );
  const withSecret = allowing.filter(([name, c]) => isMachineClient(c, known.secrets, name));
  const machine = withSecret.find(([, c]) => accepted(c));
  if (custom.length === 0)
    result.machineReason = `client_credentials tokens carry only custom scopes, not ${scopes.join(' or ')}`;
  else if (machine)
    result.machine = {
      kind: 'machine',
      pool: known.key,
      client: machine[0],
      scopes: machine[1].oauth_scopes.filter((s) => custom.includes(s)).slice(0, 1),
    };
  else if (allowing.length === 0)
    result.machineReason = `no client_credentials client in the outputs may request ${custom.join(' or ')}`;
  else if (withSecret.length === 0)
    result.machineReason = `the outputs hold no secret for ${quoted(allowing)}, the client_credentials client${allowing.length === 1 ? '' : 's'} that may request ${custom.join(' or ')}`;
  else result.machineReason = `${refused(withSecret)}, though allowed ${custom.join(' or ')} by client_credentials`;

  const codeClients = clients.filter(([, c]) => c.oauth_flows.includes('code') && c.callback_urls.length > 0);
  const allowingCode = codeClients.filter(([, c]) => c.oauth_scopes.some((s) => scopes.includes(s)));
  const code = allowingCode.find(([, c]) => accepted(c));
  if (!known.pool.token_endpoint)
    result.userCodeReason =
      'the outputs have no token_endpoint for the pool (its hosted-UI domain), which the code flow needs';
  else if (code)
    result.userCode = {
      kind: 'user-code',
      pool: known.key,
      client: code[0],
      scopes: code[1].oauth_scopes.filter((s) => scopes.includes(s)).slice(0, 1),
    };
  else if (codeClients.length === 0)
    result.userCodeReason = `no client in the outputs has the code flow with a callback URL, the hosted-UI sign-in that gives a user ${scopes.join(' or ')}`;
  else if (allowingCode.length === 0)
    result.userCodeReason = `no client with the code flow and a callback URL (${quoted(codeClients)}) may request ${scopes.join(' or ')}`;
  else result.userCodeReason = `${refused(allowingCode)}, though allowed ${scopes.join(' or ')} in the code flow`;
  return result;
}

function check(
  op: Operation,
  c: CheckCase,
  tokenHeader: string,
  credential: Credential,
  expected: ExpectedOutcome,
): Check {
  return {
    name: `${op.id} ${c}`,
    operation: op,
    case: c,
    tokenHeader,
    credential,
    expected,
    description: describeCredential(credential),
  };
}

// Props with every default applied, derived from the model. Pure: the module turns this into Terraform
// resources, the local stack into local pools and clients, so both provision exactly the same thing.
import type { ApiModel } from '../openapi/model/types';
import { STANDARD_SCOPES } from '../openapi/model/build-model';
import { ProblemList, PropsError, type Problem, type SpecProblem } from '../openapi/model/problems';
import {
  DEFAULT_CLIENTS,
  DEFAULT_PASSWORD_POLICY,
  DEFAULT_STAGE,
  DEFAULT_TOKEN_VALIDITY,
  DEFAULT_USER_AUTH_FLOWS,
  type ApiEndpointType,
  type AppClientOptions,
  type ExplicitAuthFlow,
  type FeaturePlan,
  type FirstAuthFactor,
  type HostedUiDomain,
  type OAuthFlow,
  type PasswordPolicy,
  type SecuredApiProps,
  type SignInAttribute,
  type TokenValidity,
} from './props';
import type { SignUpUrls } from './outputs';
import { unobtainableScopeProblems } from './scope-reach';
import { defaultDomainPrefix, derivedDomainPrefix, PROPS_INPUT, propsProblems } from './validate-props';

export interface ResolvedClient {
  name: string;
  generateSecret: boolean;
  explicitAuthFlows: ExplicitAuthFlow[];
  oauthFlows: OAuthFlow[];
  oauthScopes: string[];
  callbackUrls: string[];
  logoutUrls: string[];
  /** False, or rotation with its grace period (props.ts, AppClientOptions.refreshTokenRotation). */
  refreshTokenRotation: false | { retryGracePeriodSeconds: number };
}

export interface ResourceServerSpec {
  identifier: string;
  scopes: string[];
}

export interface ResolvedPool {
  name: string;
  signInAttributes: SignInAttribute[];
  passwordPolicy: Required<PasswordPolicy>;
  mfa: 'OFF' | 'OPTIONAL' | 'ON';
  accountRecovery: 'email' | 'phone' | 'none';
  verificationMessage: { emailSubject?: string; emailMessage?: string; smsMessage?: string };
  adminOnlySignUp: boolean;
  deletionProtection: boolean;
  tokenValidity: Required<TokenValidity>;
  featurePlan: FeaturePlan;
  allowedFirstAuthFactors: FirstAuthFactor[];
}

/**
 * Cognito's UsernameAttributes: the sign-in attributes other than the username. Also the auto-verified ones,
 * since users who sign in with an address must be able to prove they own it. Shared by the module and the
 * local pool, so both create the same pool.
 */
export function usernameAttributesOf(pool: ResolvedPool): ('email' | 'phone_number')[] | undefined {
  const attributes = pool.signInAttributes.filter((a): a is Exclude<SignInAttribute, 'username'> => a !== 'username');
  return attributes.length > 0 ? attributes : undefined;
}

/** Cognito's account-recovery mechanism for each accountRecovery setting. */
export const RECOVERY_MECHANISM = {
  email: 'verified_email',
  phone: 'verified_phone_number',
  none: 'admin_only',
} as const;

export interface ResolvedApiDomain {
  domainName: string;
  certificateArn: string;
  endpointType: ApiEndpointType;
  /** '' when the stage is served at the root of the domain. */
  basePath: string;
  route53ZoneId?: string;
  disableExecuteApiEndpoint: boolean;
}

export interface ResolvedProps {
  stageName: string;
  pool: ResolvedPool;
  clients: Record<string, ResolvedClient>;
  resourceServers: ResourceServerSpec[];
  backends: Record<string, string>;
  /**
   * The hosted-UI domain: the props' own, or the prefix `<stack>-<stage>` lower-cased, made one Cognito
   * accepts (derivedDomainPrefix) when it is not.
   */
  domain: HostedUiDomain;
  /** The API's custom domain (props.ts, ApiDomainOptions), when the props give one. */
  apiDomain?: ResolvedApiDomain;
  /** What resolving changed that the user may want to set themselves (rule domain-prefix-derived). */
  warnings: Problem[];
}

function resolvedRotation(rotation: AppClientOptions['refreshTokenRotation']): ResolvedClient['refreshTokenRotation'] {
  if (rotation === undefined || rotation === false) return false;
  return { retryGracePeriodSeconds: rotation === true ? 0 : (rotation.retryGracePeriodSeconds ?? 0) };
}

/** Resource servers and their scopes, from the custom scopes the document requires. */
export function resourceServersOf(scopes: readonly string[]): ResourceServerSpec[] {
  const byId = new Map<string, Set<string>>();
  for (const scope of scopes) {
    if (STANDARD_SCOPES.includes(scope)) continue;
    const slash = scope.lastIndexOf('/');
    const identifier = scope.slice(0, slash);
    const set = byId.get(identifier) ?? new Set<string>();
    set.add(scope.slice(slash + 1));
    byId.set(identifier, set);
  }
  return [...byId.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([identifier, names]) => ({ identifier, scopes: [...names].sort() }));
}

/** The prefix of a SecuredApi's AWS resource names (SecuredApiProps.name), for the module and the local stack alike. */
export function resourceNamePrefix(stackName: string, constructId: string, name?: string): string {
  return name ?? (constructId === DEFAULT_CONSTRUCT_ID ? stackName : `${stackName}-${constructId}`);
}

/** The construct id main.ts gives its SecuredApi, and the one whose names and outputs carry no prefix. */
export const DEFAULT_CONSTRUCT_ID = 'api';

/**
 * @param propsFile the file the props came from, when they came from one (problems name it).
 * @throws PropsError with every problem when AWS would refuse the props (stack/validate-props.ts).
 */
export function resolveProps(
  props: SecuredApiProps,
  model: ApiModel,
  stackName: string,
  propsFile?: string,
): ResolvedProps {
  const customScopes = model.scopes.filter((s) => !STANDARD_SCOPES.includes(s));
  const clients: Record<string, ResolvedClient> = {};
  for (const [name, c] of Object.entries(props.clients ?? DEFAULT_CLIENTS)) {
    const oauthFlows = c.oauthFlows ?? [];
    const machine = oauthFlows.includes('client_credentials');
    const userOAuth = oauthFlows.includes('code') || oauthFlows.includes('implicit');
    clients[name] = {
      name,
      generateSecret: c.generateSecret ?? machine,
      explicitAuthFlows: c.explicitAuthFlows ?? (machine ? [] : [...DEFAULT_USER_AUTH_FLOWS]),
      oauthFlows,
      oauthScopes:
        c.oauthScopes ?? (machine ? customScopes : userOAuth ? ['openid', 'email', 'profile', ...customScopes] : []),
      callbackUrls: c.callbackUrls ?? [],
      logoutUrls: c.logoutUrls ?? [],
      refreshTokenRotation: resolvedRotation(c.refreshTokenRotation),
    };
  }
  const pool = props.userPool ?? {};
  const stageName = props.stageName ?? DEFAULT_STAGE;
  const resolved: ResolvedProps = {
    stageName,
    pool: {
      name: pool.name ?? `${stackName}-users`,
      signInAttributes: pool.signInAttributes ?? ['email'],
      passwordPolicy: { ...DEFAULT_PASSWORD_POLICY, ...pool.passwordPolicy },
      mfa: pool.mfa ?? 'OFF',
      accountRecovery: pool.accountRecovery ?? 'email',
      verificationMessage: pool.verificationMessage ?? {},
      adminOnlySignUp: pool.adminOnlySignUp ?? true,
      deletionProtection: pool.deletionProtection ?? true,
      tokenValidity: { ...DEFAULT_TOKEN_VALIDITY, ...pool.tokenValidity },
      featurePlan: pool.featurePlan ?? 'ESSENTIALS',
      allowedFirstAuthFactors: pool.signInPolicy?.allowedFirstAuthFactors ?? ['PASSWORD'],
    },
    clients,
    resourceServers: resourceServersOf(customScopes),
    backends: props.backends ?? {},
    domain: props.domain ?? { prefix: derivedDomainPrefix(stackName, stageName) },
    ...(props.apiDomain
      ? {
          apiDomain: {
            domainName: props.apiDomain.domainName,
            certificateArn: props.apiDomain.certificateArn,
            endpointType: props.apiDomain.endpointType ?? 'REGIONAL',
            basePath: props.apiDomain.basePath ?? '',
            ...(props.apiDomain.route53ZoneId !== undefined ? { route53ZoneId: props.apiDomain.route53ZoneId } : {}),
            disableExecuteApiEndpoint: props.apiDomain.disableExecuteApiEndpoint ?? false,
          },
        }
      : {}),
    warnings: [],
  };
  if (props.domain === undefined) {
    const wanted = defaultDomainPrefix(stackName, stageName);
    const used = derivedDomainPrefix(stackName, stageName);
    if (used !== wanted)
      resolved.warnings.push({
        severity: 'warning',
        rule: 'domain-prefix-derived',
        file: propsFile ?? PROPS_INPUT,
        pointer: '/domain',
        message: `The default domain prefix "${wanted}" (stack "${stackName}", stage "${stageName}"; document title "${model.title}") is one Cognito refuses (it allows lower-case letters, digits and hyphens, at most 63, without "aws", "amazon" or "cognito"), so the hosted UI uses the prefix "${used}".`,
        fix: `Set the prop domain: { prefix: '<prefix>' } to choose the prefix yourself (e.g. '${used}').`,
      });
  }
  const problems = propsProblems(props, resolved, { model, stackName, file: propsFile });
  if (problems.length > 0) throw new PropsError(problems);
  return resolved;
}

/**
 * Placeholders whose name the props do not define (a client, function or backend), each with the
 * pointer where it stands. Both the module and the local stack refuse to bind such a document.
 */
export function bindingProblems(model: ApiModel, props: SecuredApiProps, resolved: ResolvedProps): SpecProblem[] {
  const problems = new ProblemList(model.file);
  const known = {
    clientId: Object.keys(resolved.clients),
    lambda: Object.keys(props.functions ?? {}),
    backend: Object.keys(resolved.backends),
  };
  const prop = { clientId: 'clients', lambda: 'functions', backend: 'backends' } as const;
  for (const { pointer, placeholder } of model.placeholders) {
    if (!('name' in placeholder)) continue;
    const names = known[placeholder.kind];
    if (!names.includes(placeholder.name))
      problems.error(
        'placeholder-unbound',
        pointer,
        `{{${placeholder.kind}:${placeholder.name}}} names no ${prop[placeholder.kind]} entry "${placeholder.name}" (defined: ${names.join(', ') || 'none'}).`,
        `Add "${placeholder.name}" to the SecuredApi prop ${prop[placeholder.kind]}, or use one of the defined names.`,
      );
  }
  return problems.items;
}

/**
 * What the props and the document together deserve a warning for, without refusing them: a derived domain
 * prefix (domain-prefix-derived), a scoped route no client can call (scope-unobtainable). Synth shows them once.
 */
export function propsWarnings(model: ApiModel, resolved: ResolvedProps): Problem[] {
  return [...resolved.warnings, ...unobtainableScopeProblems(model, resolved)];
}

/**
 * The stage's URL on the API's custom domain, as `api_url` is on execute-api: `https://<domain>/<base path>`,
 * no trailing slash. `origin` replaces `https://<domain>` (the local stack's listener for the domain).
 */
export function apiCustomDomainUrl(domain: ResolvedApiDomain, origin = `https://${domain.domainName}`): string {
  return domain.basePath === '' ? origin : `${origin}/${domain.basePath}`;
}

/** The two hosted-UI pages that start an OAuth sign-in: `login` for the user's account, `signup` for a new one. */
export type HostedUiPage = 'login' | 'signup';

/** OAuth response types as the authorize query spells them, by the flow that asks for them. */
const RESPONSE_TYPES = { code: 'code', implicit: 'token' } as const;

/**
 * The URL of a hosted-UI page with the authorize query for `client`: the one builder of the sign-in URL and
 * the sign-up links, for the module and the local stack alike. `origin` is the hosted-UI domain's origin
 * (https://<domain> on AWS, the local Cognito's URL locally).
 */
export function hostedUiPageUrl(
  origin: string,
  page: HostedUiPage,
  client: ResolvedClient,
  clientId: string,
  flow: 'code' | 'implicit',
): string {
  // The client id goes in as it is: in the module it is a cdktf token, which encoding would break.
  const query = [
    `client_id=${clientId}`,
    `response_type=${RESPONSE_TYPES[flow]}`,
    `scope=${encodeURIComponent(client.oauthScopes.join(' '))}`,
    `redirect_uri=${encodeURIComponent(client.callbackUrls[0])}`,
  ].join('&');
  return `${origin}/${page}?${query}`;
}

/** Whether people sign in to `client` at the hosted UI: an OAuth flow for people and somewhere to send them back. */
function signsInAtHostedUi(client: ResolvedClient): boolean {
  return (
    client.callbackUrls.length > 0 && (client.oauthFlows.includes('code') || client.oauthFlows.includes('implicit'))
  );
}

/**
 * The hosted UI's sign-up page for every client that signs people in there, with the code and the implicit
 * flow where the client allows them. None when the pool lets only administrators create users
 * (adminOnlySignUp), since Cognito then offers no sign-up.
 */
export function hostedUiSignUpUrls(
  origin: string,
  resolved: ResolvedProps,
  clientIds: Record<string, string>,
): Record<string, SignUpUrls> {
  if (resolved.pool.adminOnlySignUp) return {};
  const urls: Record<string, SignUpUrls> = {};
  for (const client of Object.values(resolved.clients)) {
    if (!signsInAtHostedUi(client)) continue;
    const links: SignUpUrls = {};
    for (const flow of ['code', 'implicit'] as const)
      if (client.oauthFlows.includes(flow))
        links[flow] = hostedUiPageUrl(origin, 'signup', client, clientIds[client.name], flow);
    urls[client.name] = links;
  }
  return urls;
}

/**
 * The hosted UI's sign-in page: for the first client that signs people in through it (code or implicit
 * flow with a callback URL) the full authorize query, else the bare login page.
 */
export function hostedUiSignInUrl(origin: string, resolved: ResolvedProps, clientIds: Record<string, string>): string {
  const client = Object.values(resolved.clients).find(signsInAtHostedUi);
  if (!client) return `${origin}/login`;
  const flow = client.oauthFlows.includes('code') ? 'code' : 'implicit';
  return hostedUiPageUrl(origin, 'login', client, clientIds[client.name], flow);
}

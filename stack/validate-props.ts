// Props that AWS, Cognito or Lambda would refuse at `terraform apply`, refused where they are resolved instead
// (as aws-cdk-lib does at construct time), every problem at once. cdktf-free: resolveProps calls it, so the
// module, `npm run synth` and `gatehouse local` refuse exactly the same props before anything is created.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { STANDARD_SCOPES } from '../openapi/model/build-model';
import { ProblemList, type Problem } from '../openapi/model/problems';
import { checkApiDomain, checkFunctionVpc } from './validate-deployment';
import { Checks, HOST_NAME, shown, type PropRange } from './prop-checks';
import type { ApiModel } from '../openapi/model/types';
import type { AppClientOptions, HostedUiDomain, SecuredApiProps } from './props';
import type { ResolvedClient, ResolvedProps } from './resolve';

/** Where props problems point when the props come from code rather than a file. */
export const PROPS_INPUT = 'SecuredApi props';

/** The ranges props.ts documents, as Cognito's, Lambda's and CloudWatch's API references give them. */
export type { PropRange } from './prop-checks';

export const PROP_RANGES = {
  /** PasswordPolicyType.MinimumLength. */
  passwordLength: { min: 6, max: 99, unit: 'characters' },
  /** PasswordPolicyType.TemporaryPasswordValidityDays. */
  temporaryPasswordDays: { min: 0, max: 365, unit: 'days' },
  /** AccessTokenValidity and IdTokenValidity, which the module sets in minutes. */
  tokenMinutes: { min: 5, max: 1440, unit: 'minutes', span: '5 minutes to 1 day' },
  /** RefreshTokenValidity, which the module sets in days: Cognito's 60-minute minimum is 1 day here. */
  refreshTokenDays: { min: 1, max: 3650, unit: 'days', span: '1 day to 10 years' },
  /** RefreshTokenRotationType.RetryGracePeriodSeconds. */
  refreshGraceSeconds: { min: 0, max: 60, unit: 'seconds' },
  /** Lambda's Timeout. */
  functionTimeoutSeconds: { min: 1, max: 900, unit: 'seconds', span: 'up to 15 minutes' },
  /** Lambda's MemorySize. */
  functionMemoryMb: { min: 128, max: 10240, unit: 'MB' },
} as const satisfies Record<string, PropRange>;

/** CloudWatch Logs' retention periods (PutRetentionPolicy); 0 is Terraform's "never expire". */
export const LOG_RETENTION_DAYS: readonly number[] = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Words Cognito refuses anywhere in a domain prefix. */
export const RESERVED_IN_DOMAIN_PREFIX = ['aws', 'amazon', 'cognito'];

/** Cognito's pattern for a prefix domain: 1 to 63 lower-case letters, digits and inner hyphens. */
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Lambda's pattern for a function name (the module adds the stack name and a hyphen in front). */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Cognito's pattern for user pool and app client names (1 to 128 characters). */
const COGNITO_NAME = /^[\w\s+=,.@-]{1,128}$/u;
/** API Gateway's stage names; HTTP APIs also have `$default`. */
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** Cognito serves custom domains from CloudFront, which takes certificates from ACM in us-east-1 only. */
const US_EAST_1_CERTIFICATE = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/;
const MAX_CALLBACK_URLS = 100;

/** The name the module gives the Lambda function of a `functions` entry. */
export function functionNameOf(stackName: string, key: string): string {
  return `${stackName}-${key}`;
}

/** The hosted-UI prefix used when the props name no domain, before it is made one Cognito accepts. */
export function defaultDomainPrefix(stackName: string, stageName: string): string {
  return `${stackName}-${stageName}`.toLowerCase();
}

/** Whether Cognito takes `prefix` as a hosted-UI domain prefix: its pattern, and none of its reserved words. */
export function isValidDomainPrefix(prefix: string): boolean {
  return DOMAIN_PREFIX.test(prefix) && !RESERVED_IN_DOMAIN_PREFIX.some((word) => prefix.includes(word));
}

/**
 * The default prefix made valid, so a stack named after a title such as "Cognito demo" still synthesizes:
 * reserved words and invalid characters dropped (again until none is left, as dropping one can join another),
 * hyphens collapsed and trimmed, at most 63 characters; when nothing is left, `auth-` and a short hash of the
 * default, so different stacks still get different prefixes.
 */
export function derivedDomainPrefix(stackName: string, stageName: string): string {
  const raw = defaultDomainPrefix(stackName, stageName);
  if (isValidDomainPrefix(raw)) return raw;
  let prefix = raw;
  for (let previous = ''; previous !== prefix;) {
    previous = prefix;
    for (const word of RESERVED_IN_DOMAIN_PREFIX) prefix = prefix.split(word).join('');
    prefix = prefix
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .slice(0, 63)
      .replace(/^-+|-+$/g, '');
  }
  if (isValidDomainPrefix(prefix)) return prefix;
  return `auth-${createHash('sha256').update(raw).digest('hex').slice(0, 12)}`;
}

export interface PropsContext {
  model: ApiModel;
  stackName: string;
  /** The file the props came from, or PROPS_INPUT. */
  file?: string;
}

/** Every problem AWS would find in the props (and the names derived from them), in the order of the props. */
export function propsProblems(props: SecuredApiProps, resolved: ResolvedProps, context: PropsContext): Problem[] {
  const problems = new ProblemList(context.file ?? PROPS_INPUT);
  const check = new Checks(problems);
  checkStage(check, props, context.model);
  checkPool(check, props, resolved, context.stackName);
  checkSignIn(check, props, resolved);
  for (const [name, client] of Object.entries(props.clients ?? {}))
    checkClient(check, name, client, resolved.clients[name], context.model);
  checkDomain(check, props.domain, resolved, context.stackName);
  checkApiDomain(check, props.apiDomain, context.model, props.domain);
  checkFunctions(check, props, context.stackName);
  checkAccessLogging(check, props);
  for (const [name, url] of Object.entries(props.backends ?? {})) {
    if (!isUrl(url, ['http:', 'https:']))
      check.problem(
        'props-backend-url',
        ['backends', name],
        `Backend "${name}" must be an absolute http or https URL, which {{backend:${name}}} stands for in integration URIs (received: ${shown(url)}).`,
        `Set backends.${name} to the backend's base URL, e.g. "https://api.example.com/v1".`,
      );
  }
  for (const [key, value] of Object.entries(props.tags ?? {})) {
    if (key.length < 1 || key.length > 128 || /^aws:/i.test(key))
      check.problem(
        'props-tag',
        ['tags', key],
        `Tag keys must be 1 to 128 characters and not start with "aws:" (received: ${shown(key)}).`,
        'Rename the tag.',
      );
    else if (typeof value !== 'string' || value.length > 256)
      check.problem(
        'props-tag',
        ['tags', key],
        `Tag values must be strings of at most 256 characters (received: ${shown(value)}).`,
        `Shorten the value of tag "${key}".`,
      );
  }
  return problems.items;
}

function checkStage(check: Checks, props: SecuredApiProps, model: ApiModel): void {
  const stage = props.stageName;
  if (stage === undefined || STAGE_NAME.test(stage) || (model.kind === 'http' && stage === '$default')) return;
  check.problem(
    'props-stage-name',
    ['stageName'],
    `The stage name must be 1 to 128 letters, digits, hyphens or underscores (received: ${shown(stage)}).`,
    'Set stageName (or STAGE for `npm run synth`) to a name such as "prod" or "dev".',
  );
}

function checkPool(check: Checks, props: SecuredApiProps, resolved: ResolvedProps, stackName: string): void {
  const pool = props.userPool ?? {};
  if (!COGNITO_NAME.test(resolved.pool.name))
    check.problem(
      'props-pool-name',
      ['userPool', 'name'],
      pool.name === undefined
        ? `The default user pool name "${resolved.pool.name}" (from stack "${stackName}") is not a Cognito pool name: 1 to 128 letters, digits, spaces or + = , . @ - _ (received: ${shown(resolved.pool.name)}).`
        : `The user pool name must be 1 to 128 letters, digits, spaces or + = , . @ - _ (received: ${shown(pool.name)}).`,
      'Set userPool.name to a shorter name of those characters.',
    );
  const policy = pool.passwordPolicy ?? {};
  check.range(
    'props-password-length',
    ['userPool', 'passwordPolicy', 'minimumLength'],
    'The minimum password length',
    policy.minimumLength,
    PROP_RANGES.passwordLength,
    12,
  );
  check.range(
    'props-temporary-password-validity',
    ['userPool', 'passwordPolicy', 'temporaryPasswordValidityDays'],
    'A temporary password',
    policy.temporaryPasswordValidityDays,
    PROP_RANGES.temporaryPasswordDays,
    7,
  );
  const validity = pool.tokenValidity ?? {};
  check.range(
    'props-token-validity',
    ['userPool', 'tokenValidity', 'accessTokenMinutes'],
    'Access token validity',
    validity.accessTokenMinutes,
    PROP_RANGES.tokenMinutes,
    60,
  );
  check.range(
    'props-token-validity',
    ['userPool', 'tokenValidity', 'idTokenMinutes'],
    'ID token validity',
    validity.idTokenMinutes,
    PROP_RANGES.tokenMinutes,
    60,
  );
  check.range(
    'props-token-validity',
    ['userPool', 'tokenValidity', 'refreshTokenDays'],
    'Refresh token validity',
    validity.refreshTokenDays,
    PROP_RANGES.refreshTokenDays,
    30,
  );
  const message = pool.verificationMessage ?? {};
  const template = (key: 'emailMessage' | 'smsMessage', max: number, value: string | undefined, what: string): void => {
    if (value === undefined || (value.length >= 6 && value.length <= max && value.includes('{####}'))) return;
    check.problem(
      'props-verification-message',
      ['userPool', 'verificationMessage', key],
      `The ${what} must be 6 to ${max} characters holding the code placeholder {####} (received: ${shown(value)}).`,
      `Put {####} where the code goes in userPool.verificationMessage.${key}, or leave it out for Cognito's message.`,
    );
  };
  template('emailMessage', 20000, message.emailMessage, 'verification email message');
  template('smsMessage', 140, message.smsMessage, 'verification SMS');
  const subject = message.emailSubject;
  if (subject !== undefined && (subject.length < 1 || subject.length > 140))
    check.problem(
      'props-verification-message',
      ['userPool', 'verificationMessage', 'emailSubject'],
      `The verification email subject must be 1 to 140 characters (received: ${shown(subject)}).`,
      "Shorten userPool.verificationMessage.emailSubject, or leave it out for Cognito's subject.",
    );
}

const FEATURE_PLANS = ['LITE', 'ESSENTIALS', 'PLUS'];
const FIRST_AUTH_FACTORS = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];

/** The feature plan and the sign-in policy: Cognito's values, and choice-based sign-in only from Essentials up. */
function checkSignIn(check: Checks, props: SecuredApiProps, resolved: ResolvedProps): void {
  const pool = props.userPool ?? {};
  const plan = resolved.pool.featurePlan;
  if (!FEATURE_PLANS.includes(plan)) {
    check.problem(
      'props-feature-plan',
      ['userPool', 'featurePlan'],
      `The feature plan must be one of ${FEATURE_PLANS.join(', ')} (received: ${shown(plan)}).`,
      "Set userPool.featurePlan to 'ESSENTIALS' (Cognito's default), 'PLUS' or 'LITE', or leave it out.",
    );
    return;
  }
  const factors = resolved.pool.allowedFirstAuthFactors;
  const at = ['userPool', 'signInPolicy', 'allowedFirstAuthFactors'];
  const unknown = factors.filter((f) => !FIRST_AUTH_FACTORS.includes(f));
  const repeated = factors.filter((f, i) => factors.indexOf(f) !== i);
  if (factors.length < 1 || factors.length > FIRST_AUTH_FACTORS.length || unknown.length > 0 || repeated.length > 0)
    check.problem(
      'props-sign-in-policy',
      at,
      `The first factors must be 1 to 4 of ${FIRST_AUTH_FACTORS.join(', ')}, each once (received: ${shown(factors)}).`,
      `Set userPool.signInPolicy.allowedFirstAuthFactors to e.g. ['PASSWORD', 'EMAIL_OTP'], or leave signInPolicy out for ['PASSWORD'].`,
    );
  else if (plan === 'LITE' && factors.some((f) => f !== 'PASSWORD'))
    check.problem(
      'props-sign-in-policy',
      at,
      `First factors other than PASSWORD need the Essentials feature plan or higher, and userPool.featurePlan is LITE (received: ${shown(factors)}).`,
      "Set userPool.featurePlan to 'ESSENTIALS' or 'PLUS', or keep only 'PASSWORD'.",
    );
  if (plan !== 'LITE') return;
  for (const [name, client] of Object.entries(props.clients ?? {}))
    if ((client.explicitAuthFlows ?? []).includes('USER_AUTH'))
      check.problem(
        'props-sign-in-policy',
        ['clients', name, 'explicitAuthFlows'],
        `Choice-based sign-in (USER_AUTH) needs the Essentials feature plan or higher, and userPool.featurePlan is ${shown(pool.featurePlan)} (received: ${shown(client.explicitAuthFlows)}).`,
        `Set userPool.featurePlan to 'ESSENTIALS' or 'PLUS', or drop USER_AUTH from the explicitAuthFlows of "${name}".`,
      );
}

function checkClient(
  check: Checks,
  name: string,
  client: AppClientOptions,
  resolved: ResolvedClient,
  model: ApiModel,
): void {
  const at = (...rest: (string | number)[]) => ['clients', name, ...rest];
  if (!COGNITO_NAME.test(name))
    check.problem(
      'props-client-name',
      at(),
      `App client names must be 1 to 128 letters, digits, spaces or + = , . @ - _ (received: ${shown(name)}).`,
      `Rename the clients entry "${name}" (documents name it in {{clientId:<name>}}).`,
    );
  const rotation = client.refreshTokenRotation;
  if (typeof rotation === 'object')
    check.range(
      'props-refresh-token-rotation',
      at('refreshTokenRotation', 'retryGracePeriodSeconds'),
      'The grace period of a rotated refresh token',
      rotation.retryGracePeriodSeconds,
      PROP_RANGES.refreshGraceSeconds,
      0,
    );
  const flows = resolved.oauthFlows;
  const machine = flows.includes('client_credentials');
  const people = flows.filter((f) => f === 'code' || f === 'implicit');
  if (machine && people.length > 0)
    check.problem(
      'props-oauth-flows',
      at('oauthFlows'),
      `The client_credentials flow cannot be combined with ${people.join(' or ')} on one app client (received: ${shown(flows)}).`,
      `Split "${name}" into two clients: one with oauthFlows ['client_credentials'] for machines, one with ['${people.join("', '")}'] and callbackUrls for people.`,
    );
  if (machine && !resolved.generateSecret)
    check.problem(
      'props-oauth-flows',
      at('generateSecret'),
      `The client_credentials flow needs a client secret, but generateSecret is false (received: ${shown(client.generateSecret)}).`,
      `Remove generateSecret: false from "${name}" (a client_credentials client gets a secret by default), or drop client_credentials from its oauthFlows.`,
    );
  if (people.length > 0 && resolved.callbackUrls.length === 0)
    check.problem(
      'props-oauth-flows',
      at('callbackUrls'),
      `The ${people.join(' and ')} flow${people.length > 1 ? 's' : ''} send${people.length > 1 ? '' : 's'} people back to a callback URL, and "${name}" has none (received: ${client.callbackUrls === undefined ? 'none' : shown(client.callbackUrls)}).`,
      `Give "${name}" callbackUrls, e.g. ['https://app.example.com/callback'], or drop ${people.join(' and ')} from its oauthFlows.`,
    );
  for (const key of ['callbackUrls', 'logoutUrls'] as const) {
    const urls = client[key] ?? [];
    if (urls.length > MAX_CALLBACK_URLS)
      check.problem(
        'props-redirect-url',
        at(key),
        `An app client takes at most ${MAX_CALLBACK_URLS} ${key} (received: ${urls.length}).`,
        `Keep at most ${MAX_CALLBACK_URLS} of them.`,
      );
    urls.forEach((url, i) => {
      const refusal = redirectUrlRefusal(url);
      if (refusal)
        check.problem(
          'props-redirect-url',
          at(key, i),
          `${refusal} (received: ${shown(url)}).`,
          'Use an absolute https URL without a fragment (http only for localhost), or an app scheme such as myapp://callback.',
        );
    });
  }
  if (flows.length === 0) return;
  const known = new Set([...STANDARD_SCOPES, ...model.scopes]);
  resolved.oauthScopes.forEach((scope, i) => {
    if (known.has(scope)) return;
    const custom = model.scopes.filter((s) => !STANDARD_SCOPES.includes(s));
    check.problem(
      'props-oauth-scope',
      at('oauthScopes', i),
      `"${scope}" is neither a Cognito scope nor one the document requires, so no resource server defines it (received: ${shown(scope)}).`,
      `Use ${[...STANDARD_SCOPES, ...custom].join(', ')}, or require "${scope}" on an operation of ${path.relative(process.cwd(), model.file) || model.file}.`,
    );
  });
}

/** Why Cognito would refuse a callback or sign-out URL, or undefined. */
function redirectUrlRefusal(url: string): string | undefined {
  if (url.length < 1 || url.length > 1024) return 'A callback or sign-out URL must be 1 to 1024 characters';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'A callback or sign-out URL must be absolute';
  }
  if (parsed.hash !== '' || url.includes('#')) return 'A callback or sign-out URL must not have a fragment';
  // Cognito documents http for localhost only; loopback addresses are let through rather than refused wrongly.
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'http:' && !loopback)
    return 'Plain http callback and sign-out URLs are allowed for localhost only';
  return undefined;
}

function checkDomain(
  check: Checks,
  domain: HostedUiDomain | undefined,
  resolved: ResolvedProps,
  stackName: string,
): void {
  if (domain !== undefined && !('prefix' in domain)) {
    if (!HOST_NAME.test(domain.customDomain))
      check.problem(
        'props-custom-domain',
        ['domain', 'customDomain'],
        `A custom hosted-UI domain must be a fully qualified host name (received: ${shown(domain.customDomain)}).`,
        'Set domain.customDomain to a name in your zone, e.g. "auth.example.com".',
      );
    if (!US_EAST_1_CERTIFICATE.test(domain.certificateArn))
      check.problem(
        'props-custom-domain',
        ['domain', 'certificateArn'],
        `Cognito takes a custom domain's certificate from ACM in us-east-1 only (received: ${shown(domain.certificateArn)}).`,
        'Request or import the certificate in ACM in us-east-1 and pass its ARN (arn:aws:acm:us-east-1:<account>:certificate/<id>).',
      );
    return;
  }
  if (!('prefix' in resolved.domain)) return;
  const prefix = resolved.domain.prefix;
  const at = domain === undefined ? ['domain'] : ['domain', 'prefix'];
  const what =
    domain === undefined
      ? `The default domain prefix "${prefix}" (from stack "${stackName}" and stage "${resolved.stageName}")`
      : 'The domain prefix';
  const fix =
    domain === undefined
      ? "Set domain: { prefix: '<name>' } to a prefix of your own."
      : 'Set domain.prefix to another prefix.';
  if (!DOMAIN_PREFIX.test(prefix))
    check.problem(
      'props-domain-prefix',
      at,
      `${what} must be 1 to 63 lower-case letters, digits or hyphens, not starting or ending with a hyphen (received: ${shown(prefix)}).`,
      fix,
    );
  const reserved = RESERVED_IN_DOMAIN_PREFIX.filter((word) => prefix.includes(word));
  if (reserved.length > 0)
    check.problem(
      'props-domain-prefix',
      at,
      `${what} contains ${reserved.map((w) => `"${w}"`).join(', ')}, which Cognito refuses in domain prefixes (received: ${shown(prefix)}).`,
      fix,
    );
}

function checkFunctions(check: Checks, props: SecuredApiProps, stackName: string): void {
  for (const [key, options] of Object.entries(props.functions ?? {})) {
    const functionName = functionNameOf(stackName, key);
    if (!FUNCTION_NAME.test(functionName))
      check.problem(
        'props-function-name',
        ['functions', key],
        `The Lambda function name "${functionName}" (stack "${stackName}", a hyphen, then the functions key) must be 1 to 64 letters, digits, hyphens or underscores (received: ${shown(key)}).`,
        `Rename the functions entry "${key}" (and its {{lambda:${key}}} placeholders) to at most ${Math.max(0, 63 - stackName.length)} of those characters.`,
      );
    check.range(
      'props-function-timeout',
      ['functions', key, 'timeoutSeconds'],
      "A Lambda function's timeout",
      options.timeoutSeconds,
      PROP_RANGES.functionTimeoutSeconds,
      10,
    );
    check.range(
      'props-function-memory',
      ['functions', key, 'memoryMb'],
      "A Lambda function's memory",
      options.memoryMb,
      PROP_RANGES.functionMemoryMb,
      256,
    );
    checkFunctionVpc(check, key, options.vpc);
  }
}

function checkAccessLogging(check: Checks, props: SecuredApiProps): void {
  const logging = props.accessLogging;
  if (typeof logging !== 'object' || logging.retentionDays === undefined) return;
  const days = logging.retentionDays;
  if (LOG_RETENTION_DAYS.includes(days)) return;
  check.problem(
    'props-log-retention',
    ['accessLogging', 'retentionDays'],
    `CloudWatch keeps logs for one of ${LOG_RETENTION_DAYS.join(', ')} days, 0 for ever (received: ${shown(days)}).`,
    `Set accessLogging.retentionDays to the nearest of those, e.g. ${nearest(days)}, or leave it out for 30.`,
  );
}

function nearest(days: number): number {
  return LOG_RETENTION_DAYS.reduce((best, d) => (Math.abs(d - days) < Math.abs(best - days) ? d : best));
}

function isUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

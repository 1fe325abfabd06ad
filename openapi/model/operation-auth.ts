// Which authorization applies to one operation, as API Gateway imports it: its security requirement (or the
// root's it inherits) naming one authorizer, IAM or the API key scheme, an authorizer and the API key
// together, or the operation's x-amazon-apigateway-auth. Secure by default: an operation with none of these
// that is not public on purpose (`security: []`) is refused, whatever API Gateway would do with it.
import type { ApiKind, Json, JsonObject, OperationAuth } from './types';
import { pointerOf, type ProblemList } from './problems';
import type { SecuritySchemes } from './security-schemes';

/** Scopes Cognito defines itself; custom ones are `<resource server>/<scope>`. */
export const STANDARD_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];
const CUSTOM_SCOPE = /^[\x21\x23-\x2e\x30-\x5b\x5d-\x7e]+\/[\x21\x23-\x5b\x5d-\x7e]+$/;
const AUTH_EXTENSION = 'x-amazon-apigateway-auth';

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface AuthContext {
  kind: ApiKind;
  rootSecurity: Json[] | undefined;
  schemes: SecuritySchemes;
  /** Names defined under securityDefinitions in an OpenAPI 3 document (reported there by the schema check). */
  misplaced: string[];
  problems: ProblemList;
}

export function readAuth(op: JsonObject, pointer: string, ctx: AuthContext): OperationAuth | undefined {
  const { problems } = ctx;
  const own = Array.isArray(op.security) ? op.security : undefined;
  const declared = readAuthExtension(op, pointer, problems);
  if (declared === 'invalid') return undefined;
  if (declared === 'AWS_IAM') {
    if (own && own.length > 0) {
      problems.error(
        'auth-conflict',
        `${pointer}/${AUTH_EXTENSION}`,
        `The operation says ${AUTH_EXTENSION}: AWS_IAM and also names a security scheme (at ${pointer}/security): API Gateway applies one authorization, and which one is not documented.`,
        `Keep one: remove the security requirement for IAM, or ${AUTH_EXTENSION} for the scheme.`,
      );
      return undefined;
    }
    // "Specify AWS_IAM to use IAM permissions" (x-amazon-apigateway-auth object).
    return { kind: 'iam', pointer: `${pointer}/${AUTH_EXTENSION}` };
  }
  if (own && own.length === 0) return { kind: 'public' };
  // Secure by default: a root `security: []` does not make every operation public; each says so itself.
  const security = own ?? (ctx.rootSecurity && ctx.rootSecurity.length > 0 ? ctx.rootSecurity : undefined);
  const at = own ? `${pointer}/security` : '/security';
  if (declared === 'NONE' && security) {
    problems.error(
      'auth-conflict',
      `${pointer}/${AUTH_EXTENSION}`,
      `The operation says ${AUTH_EXTENSION}: NONE (open access) but a security requirement applies (at ${at}): API Gateway applies one, and which one is not documented.`,
      `Remove ${AUTH_EXTENSION} to keep the security requirement, or write security: [] to make the operation public on purpose.`,
    );
    return undefined;
  }
  if (!security) {
    const why =
      declared === 'NONE'
        ? ` (${AUTH_EXTENSION}: NONE opens it, but a public operation says so with security: [])`
        : ctx.rootSecurity
          ? ' (the root security: [] does not make operations public)'
          : '';
    problems.error(
      'security-missing',
      pointer,
      `The operation has no security and is not marked public${why}, so it would be open to anyone.`,
      'Add security: [{<scheme>: []}] (with scopes if it needs them), or security: [] on the operation to make it public on purpose.',
    );
    return undefined;
  }
  if (security.length > 1) {
    problems.error(
      'security-alternatives',
      at,
      'API Gateway applies one authorizer per method; alternatives (several security requirements) are not enforced as written.',
      'Keep one security requirement on the operation.',
    );
    return undefined;
  }
  return readRequirement(security[0], `${at}/0`, ctx);
}

/** The operation's x-amazon-apigateway-auth type ("Values are case insensitive"), when it has one. */
function readAuthExtension(
  op: JsonObject,
  pointer: string,
  problems: ProblemList,
): 'AWS_IAM' | 'NONE' | 'invalid' | undefined {
  const ext = op[AUTH_EXTENSION];
  if (ext === undefined) return undefined;
  const type = isObject(ext) && typeof ext.type === 'string' ? ext.type.toUpperCase() : undefined;
  if (type === 'AWS_IAM' || type === 'NONE') return type;
  problems.error(
    'auth-type',
    `${pointer}/${AUTH_EXTENSION}`,
    `${AUTH_EXTENSION} is ${JSON.stringify(ext)}; its type is NONE or AWS_IAM.`,
    `Write ${AUTH_EXTENSION}: { type: AWS_IAM } for IAM, or remove it and use security.`,
  );
  return 'invalid';
}

function readRequirement(requirement: Json, at: string, ctx: AuthContext): OperationAuth | undefined {
  const { problems, schemes } = ctx;
  const names = isObject(requirement) ? Object.keys(requirement) : [];
  const keys = names.filter((n) => schemes.apiKeys.includes(n));
  const others = names.filter((n) => !schemes.apiKeys.includes(n));
  if (!isObject(requirement) || names.length === 0 || others.length > 1) {
    problems.error(
      'security-requirement-shape',
      at,
      names.length === 0
        ? 'An empty security requirement makes authentication optional, which API Gateway cannot express.'
        : `A security requirement naming several schemes (${others.join(', ')}) cannot be enforced: API Gateway runs one authorizer per method (an API key may stand beside it).`,
      'Name exactly one security scheme, e.g. security: [{CognitoAuth: []}], and the API key scheme beside it if the method needs a key.',
    );
    return undefined;
  }
  if (keys.length > 0 && ctx.kind === 'http') {
    // "API keys" are a REST API feature only ("Choose between REST APIs and HTTP APIs").
    const open = others.length === 0;
    const report = open ? problems.error.bind(problems) : problems.warning.bind(problems);
    report(
      'api-key-on-http-api',
      at + pointerOf(keys[0]),
      open
        ? `HTTP APIs have no API keys, so nothing would check "${keys[0]}" and the operation would be open to anyone.`
        : `HTTP APIs have no API keys: "${keys[0]}" is not checked, only ${others[0]} is.`,
      open
        ? 'Secure the operation with a jwt or Lambda authorizer or IAM, or make the API a REST API.'
        : 'Remove the API key from the requirement, or make the API a REST API.',
    );
    if (open) return undefined;
  }
  if (others.length === 0) {
    const scheme = keys[0];
    // "Don't use API keys for authentication or authorization for your APIs" ("Usage plans and API keys for REST
    // APIs", https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html).
    problems.warning(
      'api-key-only',
      at + pointerOf(scheme),
      `The operation requires only an API key ("${scheme}"): a key identifies a usage plan's client, it does not authorize, and anyone holding a key of the plan can call it.`,
      'Nothing, if throttling by client is all you want; otherwise add an authorizer beside the key, e.g. security: [{CognitoAuth: [], api_key: []}].',
    );
    return { kind: 'api_key', scheme, pointer: at + pointerOf(scheme) };
  }
  const scheme = others[0];
  const pointer = at + pointerOf(scheme);
  const apiKey: { apiKeyRequired?: true } = keys.length > 0 && ctx.kind === 'rest' ? { apiKeyRequired: true } : {};
  const scopesValue = (requirement as JsonObject)[scheme];
  const scopes = Array.isArray(scopesValue) ? scopesValue.filter((s): s is string => typeof s === 'string') : [];
  if (schemes.authorizers[scheme]) {
    checkScopes(scopes, pointer, problems);
    return { kind: 'authorizer', authorizer: scheme, scopes, pointer, ...apiKey };
  }
  const other = schemes.lambdaAuthorizers[scheme]
    ? ({ kind: 'lambda', authorizer: scheme, pointer, ...apiKey } as const)
    : schemes.iam.includes(scheme)
      ? ({ kind: 'iam', scheme, pointer, ...apiKey } as const)
      : undefined;
  if (other) {
    if (scopes.length > 0)
      problems.warning(
        'scopes-ignored',
        pointer,
        `Scopes (${scopes.join(', ')}) on ${other.kind === 'iam' ? 'IAM' : 'a Lambda authorizer'} are not checked: API Gateway checks a method's scopes with Cognito and JWT authorizers only.`,
        other.kind === 'iam'
          ? 'Remove the scopes; grant execute-api:Invoke on this route in IAM instead.'
          : "Remove the scopes, and check them in the authorizer's function.",
      );
    return other;
  }
  // A defined scheme whose authorizer is broken was reported where it is defined; one under an OpenAPI 3
  // document's securityDefinitions, where securityDefinitions is reported (schema-explain.ts).
  if (!schemes.byName[scheme] && !ctx.misplaced.includes(scheme)) {
    const defined = Object.keys(schemes.byName);
    problems.error(
      'security-unknown-scheme',
      pointer,
      `Security scheme "${scheme}" is not defined${defined.length ? ` (defined: ${defined.join(', ')})` : ''}.`,
      `Define it under ${pointerOf(...schemes.pointerBase)} with an x-amazon-apigateway-authorizer, or use a defined scheme.`,
    );
  }
  return undefined;
}

function checkScopes(scopes: string[], pointer: string, problems: ProblemList): void {
  scopes.forEach((scope, i) => {
    if (!STANDARD_SCOPES.includes(scope) && !CUSTOM_SCOPE.test(scope))
      problems.error(
        'scope-format',
        `${pointer}/${i}`,
        `Scope "${scope}" is neither a Cognito scope nor <resource server>/<scope>.`,
        'Write custom scopes as <resource server identifier>/<scope name>, e.g. pets/purchase.',
      );
  });
}

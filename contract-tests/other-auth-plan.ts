// The checks for operations secured by IAM, a Lambda authorizer or an API key: the unauthenticated request,
// which the harness can always send; the positive check when the config gives the credential it needs
// (credentials.ts: contract.apiKey, contract.lambdaAuthorizers.<name>); and, under "not run", each positive
// check it cannot run, why, and the config path that would make it run. A REST method with a Cognito
// authorizer and an API key gets its authorizer's checks (the authorizer decides first), those that expect
// success sent with the key when there is one, and a valid token without a key.
import type { ApiModel, Operation } from '../openapi/model/types';
import { API_KEY_PATH, describeIdentity, identityHint, lambdaIdentityPath, sourceOf } from './credentials';
import {
  missingApiKeyOutcome,
  otherAuthSuccess,
  unauthenticatedOutcome,
  type CheckCase,
  type OtherAuthKind,
} from './expectations';
import type { Check, Credential, Plan, PlanCredentials } from './plan';

const NO_CREDENTIALS_FOR_IAM =
  'IAM: the harness holds no AWS credentials to sign with (SigV4), and the local gateway can verify no signature';
const NO_API_KEY = `the harness holds no API key of a usage plan of the stage: give one in ${API_KEY_PATH} of the project file (the key, or { env: NAME } to read it from a CI secret), or pass --api-key-env NAME`;
/** x-amazon-apigateway-api-key-source AUTHORIZER: API Gateway ignores x-api-key and takes the authorizer's usageIdentifierKey. */
const KEY_FROM_AUTHORIZER =
  "the API key source is AUTHORIZER (the Lambda authorizer's usageIdentifierKey, not x-api-key)";
const WITH_API_KEY = `, with the API key of ${API_KEY_PATH} as x-api-key`;
const NO_CREDENTIALS: PlanCredentials = { apiKey: false, lambdaAuthorizers: {} };

function otherKind(op: Operation): OtherAuthKind | undefined {
  const auth = op.auth;
  return auth.kind === 'iam' || auth.kind === 'lambda' || auth.kind === 'api_key' ? auth.kind : undefined;
}

/** Whether the planned request carries no identity the authorizer reads: each source is one the harness leaves out. */
function identityLeftOut(model: ApiModel, op: Operation, authorizer: string): string | undefined {
  const lambda = model.lambdaAuthorizers[authorizer];
  if (lambda.identitySources.length === 0)
    return `Lambda authorizer ${authorizer} has no identity source, so its function decides even a request without credentials`;
  const sent = new Set(op.parameters.filter((p) => p.required).map((p) => `${p.in}.${p.name.toLowerCase()}`));
  for (const source of lambda.identitySources) {
    const read = sourceOf(source);
    if (!read)
      return `identity source ${source} of Lambda authorizer ${authorizer} is no header or query parameter, so the harness cannot leave it out`;
    if (sent.has(`${read.in}.${read.name.toLowerCase()}`))
      return `identity source ${source} of Lambda authorizer ${authorizer} is a required parameter the harness sends, so its function decides`;
  }
  return undefined;
}

/** IAM, a Lambda authorizer, or an API key alone. */
export function planOtherAuth(
  plan: Plan,
  model: ApiModel,
  op: Operation,
  credentials: PlanCredentials = NO_CREDENTIALS,
): void {
  const kind = otherKind(op);
  if (!kind) return;
  const omit = (c: CheckCase, reason: string) => plan.omitted.push({ operation: op.id, case: c, reason });
  const apiKeyRequired = op.auth.kind !== 'public' && op.auth.kind !== 'api_key' && op.auth.apiKeyRequired === true;
  const keyFromHeader = model.apiKeySource !== 'AUTHORIZER';
  if (kind === 'lambda' && op.auth.kind === 'lambda') {
    const name = op.auth.authorizer;
    const why = identityLeftOut(model, op, name);
    if (why) omit('no-token', why);
    else
      plan.checks.push(
        noCredential(op, unauthenticatedOutcome('lambda', model.kind, model.gatewayResponses), 'no identity source'),
      );
    const given = credentials.lambdaAuthorizers[name];
    const noIdentity = `Lambda authorizer ${name}: the harness cannot know what identity your authorizer accepts; give it in ${lambdaIdentityPath(name)} of the project file (${identityHint(model.lambdaAuthorizers[name])})`;
    const identity: Credential | undefined = given && { kind: 'lambda-identity', authorizer: name, ...given };
    // With the key from the header, the method needs the key besides the identity; from the authorizer, the identity brings it.
    const needsKey = apiKeyRequired && keyFromHeader;
    if (!identity) omit('valid-token', noIdentity);
    else if (needsKey && !credentials.apiKey) omit('valid-token', `the method requires an API key and ${NO_API_KEY}`);
    else
      plan.checks.push(positive(op, identity, otherAuthSuccess('lambda', op.successStatus, apiKeyRequired), needsKey));
    if (apiKeyRequired) {
      if (!identity)
        omit(
          'no-api-key',
          `the harness has no identity its Lambda authorizer accepts (give one in ${lambdaIdentityPath(name)}), so no request reaches the API key check`,
        );
      else if (!keyFromHeader)
        omit('no-api-key', `${KEY_FROM_AUTHORIZER}: a request with the identity brings the key the function returns`);
      else
        plan.checks.push({
          ...positive(
            op,
            identity,
            missingApiKeyOutcome(model.gatewayResponses),
            false,
            ', without an x-api-key header',
          ),
          name: `${op.id} no-api-key`,
          case: 'no-api-key',
        });
    }
    return;
  }
  const described = kind === 'iam' ? 'an unsigned request' : 'no x-api-key header';
  plan.checks.push(noCredential(op, unauthenticatedOutcome(kind, model.kind, model.gatewayResponses), described));
  if (kind === 'iam') omit('valid-token', NO_CREDENTIALS_FOR_IAM);
  else if (!keyFromHeader) omit('valid-token', `${KEY_FROM_AUTHORIZER}, and the method has no authorizer to give one`);
  else if (!credentials.apiKey) omit('valid-token', NO_API_KEY);
  else plan.checks.push(positive(op, { kind: 'none' }, otherAuthSuccess('api_key', op.successStatus, true), true));
  if (apiKeyRequired && kind === 'iam')
    omit('no-api-key', `${NO_CREDENTIALS_FOR_IAM}, so no request reaches the API key check`);
}

/** The `valid-token` check of a Lambda-authorizer or API-key operation, with the config's credentials. */
function positive(
  op: Operation,
  credential: Credential,
  expected: Check['expected'],
  apiKey: boolean,
  suffix = '',
): Check {
  const sent =
    credential.kind === 'lambda-identity'
      ? `${describeIdentity(credential.authorizer, credential.headers, credential.query)}${apiKey ? WITH_API_KEY : ''}`
      : `the API key of ${API_KEY_PATH} as x-api-key`;
  return {
    name: `${op.id} valid-token`,
    operation: op,
    case: 'valid-token',
    tokenHeader: 'authorization',
    credential,
    expected,
    description: sent + suffix,
    ...(apiKey ? { apiKey: true as const } : {}),
  };
}

/**
 * A REST method with a Cognito authorizer that also requires an API key: `own` is its plan without the key.
 * Rejections stand (the authorizer refuses before the key is looked at). Every check that expects success is
 * sent with the config's API key (`hasKey`), or without one goes under "not run"; the first of them is sent
 * again without a key, expecting 403.
 */
export function withApiKeyRequired(plan: Plan, own: Plan, model: ApiModel, op: Operation, hasKey = false): void {
  plan.omitted.push(...own.omitted);
  // A Cognito authorizer returns no usageIdentifierKey, so with the key source AUTHORIZER no key can be had.
  const fromAuthorizer = model.apiKeySource === 'AUTHORIZER';
  let keyless: Check | undefined;
  for (const check of own.checks) {
    const planned = { ...check, operation: op };
    if (planned.expected.outcome === 'rejected') {
      plan.checks.push(planned);
      continue;
    }
    keyless ??= planned;
    if (hasKey && !fromAuthorizer)
      plan.checks.push({ ...planned, apiKey: true, description: `${planned.description}${WITH_API_KEY}` });
    else
      plan.omitted.push({
        operation: op.id,
        case: check.case,
        reason: fromAuthorizer
          ? `the method requires an API key and ${KEY_FROM_AUTHORIZER}, which a Cognito authorizer does not give`
          : `the method requires an API key and ${NO_API_KEY}`,
      });
  }
  if (!keyless) {
    plan.omitted.push({ operation: op.id, case: 'no-api-key', reason: 'needs a token the authorizer accepts' });
    return;
  }
  plan.checks.push({
    ...keyless,
    name: `${op.id} no-api-key`,
    case: 'no-api-key',
    expected: missingApiKeyOutcome(model.gatewayResponses),
    description: `${keyless.description}, without an x-api-key header`,
  });
}

function noCredential(op: Operation, expected: Check['expected'], description: string): Check {
  return {
    name: `${op.id} no-token`,
    operation: op,
    case: 'no-token',
    tokenHeader: 'authorization',
    credential: { kind: 'none' },
    expected,
    description,
  };
}

// The checks for operations secured by IAM, a Lambda authorizer or an API key: the unauthenticated request,
// which the harness can always send, and, under "not run", each positive check it cannot run and why. A REST
// method with a Cognito authorizer and an API key gets its authorizer's checks (the authorizer decides
// first) and a valid token without a key; its checks that need a key go under "not run".
import type { ApiModel, Operation } from '../openapi/model/types';
import { missingApiKeyOutcome, unauthenticatedOutcome, type CheckCase, type OtherAuthKind } from './expectations';
import type { Check, Plan } from './plan';

const NO_CREDENTIALS_FOR_IAM =
  'IAM: the harness holds no AWS credentials to sign with (SigV4), and the local gateway can verify no signature';
const NO_API_KEY = 'the harness holds no API key of a usage plan of the stage';

function otherKind(op: Operation): OtherAuthKind | undefined {
  const auth = op.auth;
  return auth.kind === 'iam' || auth.kind === 'lambda' || auth.kind === 'api_key' ? auth.kind : undefined;
}

/** Whether the planned request carries no identity the authorizer reads: each source is one the harness leaves out. */
function identityLeftOut(model: ApiModel, op: Operation, authorizer: string): string | undefined {
  const lambda = model.lambdaAuthorizers[authorizer];
  if (lambda.identitySources.length === 0)
    return `Lambda authorizer ${authorizer} has no identity source, so its function decides even a request without credentials`;
  const sent = new Set(
    op.parameters
      .filter((p) => p.required)
      .map((p) => `${p.in === 'query' ? 'querystring' : p.in}.${p.name.toLowerCase()}`),
  );
  for (const source of lambda.identitySources) {
    const m =
      /^(?:method\.request\.|\$request\.)(header|querystring|multivalueheader|multivaluequerystring)\.(.+)$/.exec(
        source,
      );
    if (!m)
      return `identity source ${source} of Lambda authorizer ${authorizer} is no header or query parameter, so the harness cannot leave it out`;
    const where = m[1].replace('multivalue', '');
    if (sent.has(`${where}.${m[2].toLowerCase()}`))
      return `identity source ${source} of Lambda authorizer ${authorizer} is a required parameter the harness sends, so its function decides`;
  }
  return undefined;
}

/** IAM, a Lambda authorizer, or an API key alone. */
export function planOtherAuth(plan: Plan, model: ApiModel, op: Operation): void {
  const kind = otherKind(op);
  if (!kind) return;
  const omit = (c: CheckCase, reason: string) => plan.omitted.push({ operation: op.id, case: c, reason });
  const apiKeyRequired = op.auth.kind !== 'public' && op.auth.kind !== 'api_key' && op.auth.apiKeyRequired === true;
  if (kind === 'lambda' && op.auth.kind === 'lambda') {
    const why = identityLeftOut(model, op, op.auth.authorizer);
    if (why) omit('no-token', why);
    else
      plan.checks.push(
        noCredential(op, unauthenticatedOutcome('lambda', model.kind, model.gatewayResponses), 'no identity source'),
      );
    omit(
      'valid-token',
      `Lambda authorizer ${op.auth.authorizer}: the harness cannot know what identity your authorizer accepts`,
    );
  } else {
    const described = kind === 'iam' ? 'an unsigned request' : 'no x-api-key header';
    plan.checks.push(noCredential(op, unauthenticatedOutcome(kind, model.kind, model.gatewayResponses), described));
    omit('valid-token', kind === 'iam' ? NO_CREDENTIALS_FOR_IAM : NO_API_KEY);
  }
  if (apiKeyRequired && kind !== 'api_key')
    omit(
      'no-api-key',
      `${kind === 'iam' ? NO_CREDENTIALS_FOR_IAM : `the harness has no identity its Lambda authorizer accepts`}, so no request reaches the API key check`,
    );
}

/**
 * A REST method with a Cognito authorizer that also requires an API key: `own` is its plan without the key.
 * Rejections stand (the authorizer refuses before the key is looked at); every check that expects success
 * cannot pass without a key, so it goes under "not run", and the first of them is sent again without a key,
 * expecting 403.
 */
export function withApiKeyRequired(plan: Plan, own: Plan, model: ApiModel, op: Operation): void {
  plan.omitted.push(...own.omitted);
  let keyless: Check | undefined;
  for (const check of own.checks) {
    const planned = { ...check, operation: op };
    if (planned.expected.outcome === 'rejected') {
      plan.checks.push(planned);
      continue;
    }
    keyless ??= planned;
    plan.omitted.push({
      operation: op.id,
      case: check.case,
      reason: `the method requires an API key and ${NO_API_KEY}`,
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

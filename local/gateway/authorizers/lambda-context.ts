// Where a Lambda authorizer's answer reaches the integration. REST (and payload 1.0 events):
// requestContext.authorizer holds principalId and each context key, values as strings (likely: AWS's
// examples of $context.authorizer.<key> show strings; unverified for numbers and booleans). HTTP API payload
// 2.0: requestContext.authorizer.lambda holds the context as returned ("Working with AWS Lambda authorizers
// for HTTP APIs"). Mapping templates read $context.authorizer.principalId and $context.authorizer.<key>.
import type { ContextTree } from '../templates';
import type { LambdaGrant } from './outcome';

function stringified(grant: LambdaGrant): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(grant.context))
    if (value !== null && value !== undefined) out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  return out;
}

/** requestContext.authorizer of a REST or payload 1.0 event. */
export function eventAuthorizerV1(grant: LambdaGrant): Record<string, unknown> {
  return { ...stringified(grant), principalId: grant.principalId ?? null, integrationLatency: 0 };
}

/** requestContext.authorizer of a payload 2.0 event. */
export function eventAuthorizerV2(grant: LambdaGrant): Record<string, unknown> {
  return { lambda: grant.context };
}

/** $context.authorizer in mapping templates and gateway responses. */
export function contextAuthorizer(grant: LambdaGrant): ContextTree {
  return { ...stringified(grant), ...(grant.principalId !== undefined ? { principalId: grant.principalId } : {}) };
}

// The authorization step of one request, every kind in the order API Gateway applies them: the method's
// authorizer (Cognito, JWT, Lambda) or IAM, then the API key (AUTHORIZER-sourced keys come from the Lambda
// authorizer's answer, so the key is checked after it; likely for HEADER keys too, unverified).
import type { ApiKind, Operation } from '../../../openapi/model/types';
import { authorize, type Deny } from '../authorizer';
import type { BoundOperation } from '../bind';
import type { KeyStore } from '../key-store';
import type { GatewayError } from '../reply';
import type { ApiIdentity, GatewayRequest } from '../request';
import { checkApiKey } from './api-keys';
import { authorizeIam } from './iam';
import { authorizeLambda } from './lambda-authorizer';
import type { Outcome } from './outcome';

export interface AuthorizeInput {
  request: GatewayRequest;
  operation: Operation;
  api: ApiIdentity;
  kind: ApiKind;
  path: string;
  pathParameters: Record<string, string>;
  keys: KeyStore;
  now: number;
}

export async function authorizeStep(bound: BoundOperation, input: AuthorizeInput): Promise<Outcome> {
  let outcome: Outcome = { allow: true, tokenScopes: [] };
  if (bound.authorizer) {
    const decision = await authorize(input.request.headers, bound.authorizer, bound.scopes, input.keys, input.now);
    outcome = decision.allow
      ? { allow: true, claims: decision.claims, tokenScopes: decision.tokenScopes }
      : { allow: false, error: gatewayErrorOf(decision), reason: decision.reason };
  } else if (bound.iam) {
    outcome = authorizeIam(input.request.headers, input.request.query);
  } else if (bound.lambdaAuthorizer) {
    outcome = await authorizeLambda(bound.lambdaAuthorizer, input);
  }
  if (!outcome.allow || !bound.apiKey) return outcome;
  return checkApiKey(bound.apiKey, input.request.headers, outcome.lambda?.usageIdentifierKey) ?? outcome;
}

/** A Cognito or JWT refusal as the gateway error both API kinds answer with. */
function gatewayErrorOf(decision: Deny): GatewayError {
  const headers = decision.wwwAuthenticate ? { 'www-authenticate': decision.wwwAuthenticate } : undefined;
  return {
    type: decision.responseType ?? 'UNAUTHORIZED',
    status: decision.status,
    message: decision.message,
    errorType: decision.errorType,
    ...(headers ? { headers } : {}),
    http: { status: decision.status, message: decision.message ?? 'Internal Server Error' },
  };
}

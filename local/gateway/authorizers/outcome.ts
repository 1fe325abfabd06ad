// What one authorization step decides, for every kind of authorization: a grant carrying what the
// integration sees, or a refusal as the gateway error API Gateway answers with (REST and HTTP API forms).
import type { Claims } from '../authorizer';
import type { GatewayError } from '../reply';

/** What a Lambda authorizer's function returned, as the integration sees it. */
export interface LambdaGrant {
  principalId?: string;
  /** The function's `context`: string, number and boolean values only. */
  context: Record<string, string | number | boolean>;
  /** REST, `x-amazon-apigateway-api-key-source: AUTHORIZER`: the API key the function chose. */
  usageIdentifierKey?: string;
}

export interface Granted {
  allow: true;
  claims?: Claims;
  /** The token's scopes (Cognito and JWT authorizers). */
  tokenScopes: string[];
  lambda?: LambdaGrant;
}

export interface Refused {
  allow: false;
  error: GatewayError;
  /** Why, for the gateway's log; never holds a credential. */
  reason: string;
}

export type Outcome = Granted | Refused;

export function refused(reason: string, error: GatewayError): Refused {
  return { allow: false, error, reason };
}

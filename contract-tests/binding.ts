// The document's authorizers bound to the deployed stack's outputs, so the harness judges a token by the very
// authorizer definition the local gateway decides by (stack/bound-authorizers.ts: audience, issuer, the
// anchored identityValidationExpression). A client the outputs do not list is an InputError.
import type { ApiModel } from '../openapi/model/types';
import { resolveFromOutputs } from '../stack/binding';
import { bindAuthorizers as bindWith, type BoundAuthorizer } from '../stack/bound-authorizers';
import type { StackOutputs } from '../stack/outputs';

export type { BoundAuthorizer, BoundCognitoAuthorizer, BoundJwtAuthorizer } from '../stack/bound-authorizers';

export function bindAuthorizers(model: ApiModel, outputs: StackOutputs): Record<string, BoundAuthorizer> {
  return bindWith(model, resolveFromOutputs(outputs, model));
}

// The document's authorizers with their placeholders bound to the deployed stack's values, so the harness
// judges a token the way the deployed authorizer will (audience, issuer, identityValidationExpression).
import type { ApiModel, Placeholder } from '../openapi/model/types';
import { bindString, placeholderText } from '../openapi/model/placeholders';
import type { StackOutputs } from '../stack/outputs';
import { HarnessInputError } from './errors';

export interface BoundCognitoAuthorizer {
  kind: 'cognito_user_pools';
  name: string;
  tokenHeader: string;
  providerArns: string[];
  identityValidationExpression?: RegExp;
}

export interface BoundJwtAuthorizer {
  kind: 'jwt';
  name: string;
  tokenHeader: string;
  issuer: string;
  audience: string[];
}

export type BoundAuthorizer = BoundCognitoAuthorizer | BoundJwtAuthorizer;

export function bindAuthorizers(model: ApiModel, outputs: StackOutputs): Record<string, BoundAuthorizer> {
  const bound: Record<string, BoundAuthorizer> = {};
  for (const [name, authorizer] of Object.entries(model.authorizers)) {
    const resolve = (p: Placeholder): string => {
      switch (p.kind) {
        case 'userPoolArn':
          return outputs.user_pool_arn;
        case 'issuer':
          return outputs.issuer;
        case 'region':
          return outputs.region;
        case 'clientId': {
          const client = outputs.clients[p.name];
          if (!client)
            throw new HarnessInputError(
              `${model.file}#${authorizer.pointer}: ${placeholderText(p)} names a client the outputs do not list (clients: ${Object.keys(outputs.clients).join(', ') || 'none'}).\n  fix: run against the outputs of the stack deployed from this document, or name one of those clients.`,
            );
          return client.id;
        }
        default:
          return placeholderText(p);
      }
    };
    const bind = (value: string): string => bindString(value, resolve);
    if (authorizer.kind === 'cognito_user_pools') {
      const regex = authorizer.identityValidationExpression;
      bound[name] = {
        kind: 'cognito_user_pools',
        name,
        tokenHeader: authorizer.tokenHeader,
        providerArns: authorizer.providerArns.map(bind),
        identityValidationExpression: regex === undefined ? undefined : new RegExp(bind(regex)),
      };
    } else {
      bound[name] = {
        kind: 'jwt',
        name,
        tokenHeader: authorizer.tokenHeader,
        issuer: bind(authorizer.issuer),
        audience: authorizer.audience.map(bind),
      };
    }
  }
  return bound;
}

// Custom scopes on app clients: cognito-local stores AllowedOAuthScopes / AllowedOAuthFlows /
// AllowedOAuthFlowsUserPoolClient as given; Cognito refuses a scope no resource server defines and a
// client_credentials client without a secret, so a client the module could not create fails here too.
import type { AppClient } from '../wiring/cognito-local-core';
import type { ResourceServerStore } from './resource-servers';
import { cognitoError, stringField, stringListField, type JsonObject } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

/** Scopes Cognito defines itself; every other scope belongs to a resource server. */
export const STANDARD_OAUTH_SCOPES: ReadonlySet<string> = new Set([
  'phone',
  'email',
  'openid',
  'profile',
  'aws.cognito.signin.user.admin',
]);
const OAUTH_FLOWS = new Set(['code', 'implicit', 'client_credentials']);

function listMember(req: JsonObject, key: string, stored: string[] | undefined): string[] {
  if (req[key] === undefined || req[key] === null) return stored ?? [];
  const list = stringListField(req, key);
  if (!list) throw cognitoError('InvalidParameterException', `${key} must be a list of strings.`);
  return list;
}

function checkedOAuthSettings(store: ResourceServerStore): Guard {
  return (next, services) => async (ctx, req) => {
    const poolId = stringField(req, 'UserPoolId');
    const clientId = stringField(req, 'ClientId');
    const stored: AppClient | null = clientId ? await services.cognito.getAppClient(ctx, clientId) : null;
    const flows = listMember(req, 'AllowedOAuthFlows', stored?.AllowedOAuthFlows);
    const scopes = listMember(req, 'AllowedOAuthScopes', stored?.AllowedOAuthScopes);
    const unknownFlow = flows.find((flow) => !OAUTH_FLOWS.has(flow));
    if (unknownFlow)
      throw cognitoError(
        'InvalidParameterException',
        `1 validation error detected: Value '[${flows.join(', ')}]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy enum value set: [implicit, client_credentials, code]`,
      );
    const custom = poolId ? store.customScopes(poolId) : new Set<string>();
    const undefinedScope = scopes.find((scope) => !STANDARD_OAUTH_SCOPES.has(scope) && !custom.has(scope));
    if (undefinedScope) throw cognitoError('ScopeDoesNotExistException', `Invalid scope requested: ${undefinedScope}`);
    const hasSecret = stored ? Boolean(stored.ClientSecret) : req.GenerateSecret === true;
    if (flows.includes('client_credentials') && !hasSecret)
      throw cognitoError(
        'InvalidOAuthFlowException',
        'client_credentials flow can not be selected if client does not have a client secret.',
      );
    return next(ctx, req);
  };
}

export function clientOAuthScopeGuards(store: ResourceServerStore): TargetGuards {
  const guard = checkedOAuthSettings(store);
  return { CreateUserPoolClient: guard, UpdateUserPoolClient: guard };
}

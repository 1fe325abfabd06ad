// ExplicitAuthFlows, which cognito-local ignores: Cognito refuses a sign-in flow the app client does not
// allow. REFRESH_TOKEN_AUTH is always allowed; a client created without flows gets Cognito's defaults.
import type { AppClient } from '../wiring/cognito-local-core';
import { cognitoError, stringField } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

/** What Cognito allows a client created without ExplicitAuthFlows. */
const DEFAULT_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
/** Flow names before the ALLOW_ prefix, still accepted by Cognito. */
const LEGACY_NAMES: Record<string, string> = {
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  CUSTOM_AUTH_FLOW_ONLY: 'ALLOW_CUSTOM_AUTH',
};
/** The ExplicitAuthFlows entry each AuthFlow needs; refresh needs none. */
const REQUIRED_FLOW: Record<string, string | null> = {
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  CUSTOM_AUTH: 'ALLOW_CUSTOM_AUTH',
  ADMIN_USER_PASSWORD_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  USER_AUTH: 'ALLOW_USER_AUTH',
  REFRESH_TOKEN_AUTH: null,
  REFRESH_TOKEN: null,
};
const ADMIN_ONLY = new Set(['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']);

export function allowedFlows(client: Pick<AppClient, 'ExplicitAuthFlows'>): Set<string> {
  const flows =
    client.ExplicitAuthFlows && client.ExplicitAuthFlows.length > 0 ? client.ExplicitAuthFlows : DEFAULT_FLOWS;
  return new Set(flows.map((flow) => LEGACY_NAMES[flow] ?? flow));
}

function enforcedFlows(admin: boolean): Guard {
  return (next, services) => async (ctx, req) => {
    const authFlow = stringField(req, 'AuthFlow');
    if (!authFlow || !Object.hasOwn(REQUIRED_FLOW, authFlow))
      throw cognitoError(
        'InvalidParameterException',
        `1 validation error detected: Value '${authFlow ?? 'null'}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(REQUIRED_FLOW).join(', ')}]`,
      );
    if (!admin && ADMIN_ONLY.has(authFlow))
      throw cognitoError('InvalidParameterException', 'Initiate Auth method not supported.');
    const clientId = stringField(req, 'ClientId');
    const client = clientId ? await services.cognito.getAppClient(ctx, clientId) : null;
    const required = REQUIRED_FLOW[authFlow];
    if (client && required && !allowedFlows(client).has(required))
      throw cognitoError(
        'InvalidParameterException',
        authFlow === 'USER_PASSWORD_AUTH'
          ? 'USER_PASSWORD_AUTH flow not enabled for this client'
          : 'Auth flow not enabled for this client',
      );
    // cognito-local knows the admin password flow only by its current name.
    return next(ctx, authFlow === 'ADMIN_NO_SRP_AUTH' ? { ...req, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH' } : req);
  };
}

export const authFlowGuards: TargetGuards = {
  InitiateAuth: enforcedFlows(false),
  AdminInitiateAuth: enforcedFlows(true),
};

// Where the sign-in flow attaches: the password flows (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH) and
// USER_AUTH on InitiateAuth and AdminInitiateAuth, every challenge answer on RespondToAuthChallenge, and
// AdminRespondToAuthChallenge, which cognito-local lacks. USER_SRP_AUTH and PASSWORD_VERIFIER stay with
// srp-auth.ts, which hands a proven password to the same flow.
import { cognitoError, objectField, requireString, stringField, type JsonObject } from '../protocol/request-fields';
import type { Context, Services } from '../wiring/cognito-local-core';
import type { PasswordSignIn } from '../users/srp-auth';
import type { AddedRoutes, TargetGuards } from '../wiring/target-guards';
import { INCORRECT, SignInFlow } from './sign-in-flow';
import type { UserAuth } from './user-auth';

const PASSWORD_FLOWS = new Set(['USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH']);

async function passwordFlow(flow: SignInFlow, ctx: Context, services: Services, req: JsonObject): Promise<object> {
  const parameters = objectField(req, 'AuthParameters');
  const username = stringField(parameters, 'USERNAME');
  const password = stringField(parameters, 'PASSWORD');
  if (!username) throw cognitoError('InvalidParameterException', 'Missing required parameter USERNAME');
  if (password === undefined) throw cognitoError('InvalidParameterException', 'Missing required parameter PASSWORD');
  const clientId = requireString(req, 'ClientId');
  const at = await SignInFlow.contextOf(ctx, services, clientId);
  if (!at) throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  const user = await at.pool.getUserByUsername(ctx, username);
  if (!user) throw cognitoError('NotAuthorizedException', INCORRECT);
  if (user.UserStatus === 'RESET_REQUIRED')
    throw cognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  if (user.Password !== password) throw cognitoError('NotAuthorizedException', INCORRECT);
  return flow.afterPassword(at, user);
}

/** For srp-auth.ts: the same steps after a password proven by SRP. */
export function passwordProven(flow: SignInFlow): PasswordSignIn {
  return async (ctx, services, client, user) => {
    const at = await SignInFlow.contextOf(ctx, services, client.ClientId);
    if (!at) throw cognitoError('ResourceNotFoundException', `User pool client ${client.ClientId} does not exist.`);
    if (user.UserStatus === 'RESET_REQUIRED')
      throw cognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    return flow.afterPassword(at, user);
  };
}

export function signInGuards(flow: SignInFlow, userAuth: UserAuth): TargetGuards {
  const initiate: TargetGuards[string] = (next, services) => (ctx, req) => {
    const authFlow = stringField(req, 'AuthFlow');
    if (authFlow === 'USER_AUTH') return userAuth.initiate(ctx, services, req);
    if (authFlow && PASSWORD_FLOWS.has(authFlow)) return passwordFlow(flow, ctx, services, req);
    return next(ctx, req);
  };
  return {
    InitiateAuth: initiate,
    AdminInitiateAuth: initiate,
    RespondToAuthChallenge: (_next, services) => (ctx, req) => flow.respond(ctx, services, req, userAuth.choose),
  };
}

export function signInRoutes(flow: SignInFlow, userAuth: UserAuth): AddedRoutes {
  return {
    AdminRespondToAuthChallenge: (services) => async (ctx, req) => {
      const poolId = requireString(req, 'UserPoolId');
      const client = await services.cognito.getAppClient(ctx, requireString(req, 'ClientId'));
      if (client && client.UserPoolId !== poolId)
        throw cognitoError('ResourceNotFoundException', `User pool client ${client.ClientId} does not exist.`);
      return flow.respond(ctx, services, req, userAuth.choose);
    },
  };
}

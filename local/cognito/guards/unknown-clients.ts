// An app client id that names no client: Cognito answers ResourceNotFoundException; cognito-local answers
// some operations with "App Client ... not found" and fails others with a TypeError. One check, before
// every operation that names a client.
import { cognitoError, requireString } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

const existingClient: Guard = (next, services) => async (ctx, req) => {
  const clientId = requireString(req, 'ClientId');
  if (!(await services.cognito.getAppClient(ctx, clientId)))
    throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  return next(ctx, req);
};

export const unknownClientGuards: TargetGuards = Object.fromEntries(
  [
    'InitiateAuth',
    'AdminInitiateAuth',
    'RespondToAuthChallenge',
    'AdminRespondToAuthChallenge',
    'SignUp',
    'ConfirmSignUp',
    'ResendConfirmationCode',
    'ForgotPassword',
    'ConfirmForgotPassword',
    'RevokeToken',
  ].map((operation) => [operation, existingClient]),
);

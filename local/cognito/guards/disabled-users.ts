// Disabled users, whom cognito-local still signs in: Cognito refuses every sign-in of a disabled user
// (password, refresh token, challenge answer) with NotAuthorizedException "User is disabled.". A wrong
// password stays "Incorrect username or password.", so the message never confirms a guess.
import { cognitoError } from '../protocol/request-fields';
import { signInSubject, type SignInOperation } from './sign-in-subject';
import type { Guard, TargetGuards } from '../wiring/target-guards';

function refuseDisabled(operation: SignInOperation): Guard {
  return (next, services) => async (ctx, req) => {
    const subject = await signInSubject(ctx, services, operation, req);
    const user = subject?.user;
    if (user && user.Enabled === false && (subject.proof !== 'password' || subject.password === user.Password))
      throw cognitoError('NotAuthorizedException', 'User is disabled.');
    return next(ctx, req);
  };
}

export const disabledUserGuards: TargetGuards = {
  InitiateAuth: refuseDisabled('InitiateAuth'),
  AdminInitiateAuth: refuseDisabled('AdminInitiateAuth'),
  RespondToAuthChallenge: refuseDisabled('RespondToAuthChallenge'),
  AdminRespondToAuthChallenge: refuseDisabled('AdminRespondToAuthChallenge'),
};

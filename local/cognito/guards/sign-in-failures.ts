// A failed password sign-in answered as Cognito answers it. cognito-local says InvalidPasswordException
// for a wrong password and "User not authorized" for an unknown user; Cognito says NotAuthorizedException
// "Incorrect username or password." for both, unless the client has PreventUserExistenceErrors LEGACY,
// which reveals an unknown user as UserNotFoundException "User does not exist.".
import { CognitoError } from '../wiring/cognito-local-core';
import { cognitoError } from '../protocol/request-fields';
import { signInSubject, type SignInOperation } from './sign-in-subject';
import type { Guard, TargetGuards } from '../wiring/target-guards';

const INCORRECT = 'Incorrect username or password.';

function cognitoSignInFailures(operation: SignInOperation): Guard {
  return (next, services) => async (ctx, req) => {
    const subject = await signInSubject(ctx, services, operation, req);
    if (subject?.proof === 'password' && subject.givenUsername !== undefined && !subject.user) {
      if (subject.client.PreventUserExistenceErrors === 'LEGACY')
        throw cognitoError('UserNotFoundException', 'User does not exist.');
      throw cognitoError('NotAuthorizedException', INCORRECT);
    }
    try {
      return await next(ctx, req);
    } catch (error) {
      if (subject?.proof === 'password' && error instanceof CognitoError && error.code === 'InvalidPasswordException')
        throw cognitoError('NotAuthorizedException', INCORRECT);
      throw error;
    }
  };
}

export const signInFailureGuards: TargetGuards = {
  InitiateAuth: cognitoSignInFailures('InitiateAuth'),
  AdminInitiateAuth: cognitoSignInFailures('AdminInitiateAuth'),
};

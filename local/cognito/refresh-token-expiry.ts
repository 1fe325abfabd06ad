// RefreshTokenValidity, which cognito-local never enforces (it keeps refresh tokens without an expiry):
// past it, Cognito refuses the refresh with NotAuthorizedException "Refresh Token has expired".
import type { CognitoTokens } from './cognito-tokens';
import { cognitoError, objectField, stringField } from './request-fields';
import { proofOf } from './sign-in-subject';
import type { Guard, TargetGuards } from './target-guards';

export function refreshTokenExpiryGuards(tokens: CognitoTokens): TargetGuards {
  const guard: Guard = (next) => async (ctx, req) => {
    const token = stringField(objectField(req, 'AuthParameters'), 'REFRESH_TOKEN');
    if (proofOf(stringField(req, 'AuthFlow')) === 'refresh-token' && token && tokens.refreshTokenExpired(token))
      throw cognitoError('NotAuthorizedException', 'Refresh Token has expired');
    return next(ctx, req);
  };
  return { InitiateAuth: guard, AdminInitiateAuth: guard };
}

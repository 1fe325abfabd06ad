// Passkeys (WebAuthn), which the local Cognito cannot offer: no relying party and no browser ceremony here.
// StartWebAuthnRegistration and CompleteWebAuthnRegistration are refused with the errors Cognito gives a
// pool that does not allow passkeys (WebAuthnNotEnabledException: WEB_AUTHN is not among the SignInPolicy's
// AllowedFirstAuthFactors) or that has nothing to serve them from (WebAuthnConfigurationMissingException: no
// relying party id or domain), so an app sees a refusal it already handles rather than an unknown operation.
import { cognitoError, requireString } from '../protocol/request-fields';
import type { AddedRoutes } from '../wiring/target-guards';
import type { Route, Services } from '../wiring/cognito-local-core';
import { decodeJwt } from 'jose';
import { allowedFirstFactors } from './user-auth';

const refused =
  (services: Services): Route =>
  async (ctx, req) => {
    const claims = decodeJwt(requireString(req, 'AccessToken'));
    const client = await services.cognito.getAppClient(ctx, String(claims.client_id));
    if (!client) throw cognitoError('NotAuthorizedException', 'Invalid Access Token');
    const pool = await services.cognito.getUserPool(ctx, client.UserPoolId);
    if (!allowedFirstFactors(pool).includes('WEB_AUTHN'))
      throw cognitoError('WebAuthnNotEnabledException', 'Passkey sign-in is not enabled for this user pool.');
    throw cognitoError(
      'WebAuthnConfigurationMissingException',
      'The local Cognito has no relying party to register passkeys with; passkeys work only on AWS.',
    );
  };

export const passkeyRoutes: AddedRoutes = {
  StartWebAuthnRegistration: refused,
  CompleteWebAuthnRegistration: refused,
};

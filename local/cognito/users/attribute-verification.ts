// GetUserAttributeVerificationCode as the API reference has it ("sends a user attribute verification code
// for the specified attribute name", answering CodeDeliveryDetails: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserAttributeVerificationCode.html).
// cognito-local answers {} and sends the code to whichever of the pool's auto-verified attributes the user
// has, whatever AttributeName says. Here the code goes to the attribute asked for: email by e-mail,
// phone_number by SMS, the value awaiting verification when a change waits for one; VerifyUserAttribute
// (cognito-local's) checks it.
import { decodeJwt } from 'jose';
import type { DeliveryDetails, User } from '../wiring/cognito-local-core';
import { cognitoError, requireString } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';
import { attributeOf } from '../sign-in/mfa-state';

/** Where the code goes: a change awaiting verification (UnverifiedAttributeChanges) first, else the value held. */
function destinationOf(user: User, name: string): string | undefined {
  return user.UnverifiedAttributeChanges?.find((a) => a.Name === name)?.Value ?? attributeOf(user, name);
}

const sendCode: Guard = (_next, services) => async (ctx, req) => {
  const name = requireString(req, 'AttributeName');
  // The access token was verified by accessTokenGuards.
  const claims = decodeJwt(requireString(req, 'AccessToken'));
  const clientId = String(claims.client_id);
  const pool = await services.cognito.getUserPoolForClientId(ctx, clientId);
  const user = await pool.getUserByUsername(ctx, String(claims.username));
  if (!user) throw cognitoError('NotAuthorizedException', 'Invalid Access Token');
  if (name !== 'email' && name !== 'phone_number')
    throw cognitoError(
      'InvalidParameterException',
      `Only email and phone_number can be verified (received AttributeName: ${name}).`,
    );
  const destination = destinationOf(user, name);
  if (!destination)
    throw cognitoError('InvalidParameterException', `The user has no ${name} to send a verification code to.`);
  const code = services.otp();
  await pool.saveUser(ctx, { ...user, AttributeVerificationCode: code });
  const details: DeliveryDetails =
    name === 'email'
      ? { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: destination }
      : { AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: destination };
  // No Lambda triggers run here, so ClientMetadata has nowhere to go.
  await services.messages.deliver(
    ctx,
    'VerifyUserAttribute',
    clientId,
    pool.options.Id,
    user,
    code,
    undefined,
    details,
  );
  return { CodeDeliveryDetails: details };
};

export const attributeVerificationGuards: TargetGuards = { GetUserAttributeVerificationCode: sendCode };

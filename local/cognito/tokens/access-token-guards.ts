// The user operations a user authorizes with an access token (GetUser, ChangePassword, UpdateUserAttributes
// ...). cognito-local only decodes the token: it takes a forged, expired or signed-out token, and an ID
// token. Cognito verifies it and refuses it after GlobalSignOut, AdminUserGlobalSignOut or the RevokeToken
// of its refresh token ("Access Token has been revoked"; developer guide, "Revoking tokens"), and only with
// the aws.cognito.signin.user.admin scope. ChangePassword with a wrong PreviousPassword is
// NotAuthorizedException, as a wrong password is at sign-in (cognito-local says InvalidPasswordException).
import { ACCESS_TOKEN_REFUSALS, checkAccessToken } from './access-tokens';
import type { CognitoTokens } from './cognito-tokens';
import { USER_API_SCOPE } from './cognito-tokens';
import type { SigningKeys } from './signing-keys';
import { cognitoError, requireString, stringField } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

/** Operations whose AccessToken is required. */
const TOKEN_OPERATIONS = [
  'GetUser',
  'ChangePassword',
  'UpdateUserAttributes',
  'DeleteUser',
  'DeleteUserAttributes',
  'GetUserAttributeVerificationCode',
  'VerifyUserAttribute',
  'SetUserMFAPreference',
  'StartWebAuthnRegistration',
  'CompleteWebAuthnRegistration',
];
/** Operations that take an AccessToken or a sign-in Session: only a token given is checked. */
const TOKEN_OR_SESSION_OPERATIONS = ['AssociateSoftwareToken', 'VerifySoftwareToken'];

export function accessTokenGuards(
  tokens: CognitoTokens,
  keys: Promise<SigningKeys>,
  issuerOf: (poolId: string) => string,
): TargetGuards {
  const verified =
    (operation: string, optional: boolean): Guard =>
    (next, services) =>
    async (ctx, req) => {
      if (optional && stringField(req, 'AccessToken') === undefined) return next(ctx, req);
      const checked = await checkAccessToken(services, keys, tokens, issuerOf, requireString(req, 'AccessToken'));
      if (!checked.ok) throw cognitoError('NotAuthorizedException', ACCESS_TOKEN_REFUSALS[checked.refusal]);
      if (!checked.claims.scope.split(' ').includes(USER_API_SCOPE))
        throw cognitoError('NotAuthorizedException', 'Access Token does not have required scopes');
      if (operation === 'ChangePassword' && stringField(req, 'PreviousPassword') !== checked.user.Password)
        throw cognitoError('NotAuthorizedException', 'Incorrect username or password.');
      return next(ctx, req);
    };
  return Object.fromEntries([
    ...TOKEN_OPERATIONS.map((operation) => [operation, verified(operation, false)]),
    ...TOKEN_OR_SESSION_OPERATIONS.map((operation) => [operation, verified(operation, true)]),
  ]);
}

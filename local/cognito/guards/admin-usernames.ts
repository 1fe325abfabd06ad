// The Admin* operations take any name of the user as Username: "typically your user's username, but it can be
// any of their alias attributes ... [or] the sub" (API reference, e.g. AdminListGroupsForUser, Username). Some
// of cognito-local's find the user by that name and then compare the name itself with stored usernames
// (AdminListGroupsForUser answered [] for an e-mail), so each is handed the user's Cognito username.
import { stringField } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

/** Operations naming an existing user by Username (AdminCreateUser names a new one, so it is not here). */
const ADMIN_USER_OPERATIONS = [
  'AdminAddUserToGroup',
  'AdminConfirmSignUp',
  'AdminDeleteUser',
  'AdminDeleteUserAttributes',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminGetUser',
  'AdminListGroupsForUser',
  'AdminRemoveUserFromGroup',
  'AdminSetUserMFAPreference',
  'AdminSetUserPassword',
  'AdminUpdateUserAttributes',
  'AdminUserGlobalSignOut',
];

/** An unknown user is left to the operation, which answers UserNotFoundException as Cognito does. */
const canonicalUsername: Guard = (next, services) => async (ctx, req) => {
  const poolId = stringField(req, 'UserPoolId');
  const name = stringField(req, 'Username');
  if (!poolId || !name) return next(ctx, req);
  const pool = await services.cognito.getUserPool(ctx, poolId).catch(() => undefined);
  const user = pool ? await pool.getUserByUsername(ctx, name) : null;
  return next(ctx, user && user.Username !== name ? { ...req, Username: user.Username } : req);
};

export const adminUsernameGuards: TargetGuards = Object.fromEntries(
  ADMIN_USER_OPERATIONS.map((operation) => [operation, canonicalUsername]),
);

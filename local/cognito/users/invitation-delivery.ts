// AdminCreateUser sends an invitation unless MessageAction is SUPPRESS, by the first of DesiredDeliveryMediums
// (default SMS) the user has an attribute for. cognito-local saves the user first and only then finds it has
// nowhere to send the invitation, so the call fails with the user left behind. This guard refuses such a
// call before anything is written, with cognito-local's error.
import { cognitoError, stringField, type JsonObject } from '../protocol/request-fields';
import type { TargetGuards } from '../wiring/target-guards';

const ATTRIBUTE_OF_MEDIUM: Record<string, string> = { SMS: 'phone_number', EMAIL: 'email' };

function attributeNames(req: JsonObject): Set<string> {
  const attributes = Array.isArray(req.UserAttributes) ? req.UserAttributes : [];
  const names = new Set<string>();
  for (const attribute of attributes)
    if (typeof attribute === 'object' && attribute !== null && !Array.isArray(attribute)) {
      const name = stringField(attribute, 'Name');
      if (name && stringField(attribute, 'Value')) names.add(name);
    }
  return names;
}

export const invitationDeliveryGuards: TargetGuards = {
  AdminCreateUser: (next, services) => async (ctx, req) => {
    const action = stringField(req, 'MessageAction');
    const poolId = stringField(req, 'UserPoolId');
    const username = stringField(req, 'Username');
    if (action === 'SUPPRESS' || action === 'RESEND' || !poolId || !username) return next(ctx, req);
    const pool = await services.cognito.getUserPool(ctx, poolId).catch(() => undefined);
    if (!pool) return next(ctx, req);
    const names = attributeNames(req);
    // A pool that signs in by e-mail takes the username as the e-mail address (cognito-local does the same).
    if (pool.options.UsernameAttributes?.includes('email') && username.includes('@')) names.add('email');
    const mediums = Array.isArray(req.DesiredDeliveryMediums)
      ? req.DesiredDeliveryMediums.filter((m): m is string => typeof m === 'string')
      : ['SMS'];
    if (!mediums.some((medium) => names.has(ATTRIBUTE_OF_MEDIUM[medium] ?? '')))
      throw cognitoError('InvalidParameterException', 'User has no attribute matching desired delivery mediums');
    return next(ctx, req);
  },
};

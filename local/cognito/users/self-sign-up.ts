// Self-service sign-up as Cognito runs it. cognito-local lets anyone sign up to a pool that allows
// administrators only, accepts a sign-up code after it was used or superseded, never verifies the
// address the code went to, and has no ResendConfirmationCode. Codes are the ones the mailbox captured.
import type { Context, Services, User, UserPoolService } from '../wiring/cognito-local-core';
import { selectAppropriateDeliveryMethod } from '../wiring/cognito-local-core';
import type { CodeMailbox, CodePurpose } from './code-mailbox';
import { cognitoError, requireString } from '../protocol/request-fields';
import type { AddedRoutes, Guard, TargetGuards } from '../wiring/target-guards';

const SIGN_UP_CODES: readonly CodePurpose[] = ['SignUp', 'ResendCode'];
/** Cognito's sign-up codes are valid for 24 hours. */
export const SIGN_UP_CODE_LIFETIME_MS = 24 * 60 * 60 * 1000;
const VERIFIED_BY_MEDIUM: Record<string, string> = { EMAIL: 'email_verified', SMS: 'phone_number_verified' };

async function poolOfClient(ctx: Context, services: Services, clientId: string): Promise<UserPoolService> {
  const client = await services.cognito.getAppClient(ctx, clientId);
  if (!client) throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  return services.cognito.getUserPool(ctx, client.UserPoolId);
}

async function userOf(ctx: Context, pool: UserPoolService, username: string): Promise<User> {
  const user = await pool.getUserByUsername(ctx, username);
  if (!user) throw cognitoError('UserNotFoundException', 'Username/client id combination not found.');
  return user;
}

const signUp: Guard = (next, services) => async (ctx, req) => {
  const pool = await poolOfClient(ctx, services, requireString(req, 'ClientId'));
  requireString(req, 'Username');
  requireString(req, 'Password');
  if (pool.options.AdminCreateUserConfig?.AllowAdminCreateUserOnly)
    throw cognitoError('NotAuthorizedException', 'SignUp is not permitted for this user pool');
  const nonConforming = attributesNotConforming(pool, String(req.Username), req.UserAttributes);
  if (nonConforming.length > 0)
    throw cognitoError(
      'InvalidParameterException',
      `Attributes did not conform to the schema: ${nonConforming.map((line) => `${line}\n`).join('')}`,
    );
  return next(ctx, req);
};

/**
 * What Cognito refuses in SignUp's UserAttributes, one line per attribute: an attribute the pool's schema does
 * not have, and a required one left out or empty ("When a standard attribute is marked as required, a user
 * cannot register unless a value for the attribute is provided. Administrators can create users without giving
 * values for required attributes by using the AdminCreateUser API", user pool attributes, Cognito Developer
 * Guide). cognito-local checks neither (jagregory/cognito-local#431). The wording of each line is as users have
 * reported it (e.g. aws-amplify/amplify-flutter#509), unverified against AWS beyond the exception's name. A
 * username in a pool whose usernames are e-mail addresses or phone numbers stands for that attribute.
 */
function attributesNotConforming(pool: UserPoolService, username: string, given: unknown): string[] {
  const schema = pool.options.SchemaAttributes ?? [];
  const known = new Set(schema.map((a) => a.Name));
  const attributes = Array.isArray(given) ? (given as { Name?: unknown; Value?: unknown }[]) : [];
  const values = new Map(attributes.map((a) => [String(a.Name), typeof a.Value === 'string' ? a.Value : '']));
  for (const attribute of pool.options.UsernameAttributes ?? [])
    if (!values.get(attribute) && (attribute === 'email' ? username.includes('@') : username.startsWith('+')))
      values.set(attribute, username);
  const unknown = [...values.keys()]
    .filter((name) => !known.has(name))
    .map((name) => `${name}: Attribute does not exist in the schema.`);
  const missing = schema
    .filter((a) => a.Required && a.Name && a.Name !== 'sub' && !values.get(a.Name))
    .map((a) => `${a.Name}: The attribute is required`);
  return [...unknown, ...missing];
}

function confirmSignUp(mailbox: CodeMailbox, now: () => number): Guard {
  return (_next, services) => async (ctx, req) => {
    const pool = await poolOfClient(ctx, services, requireString(req, 'ClientId'));
    const user = await userOf(ctx, pool, requireString(req, 'Username'));
    const code = requireString(req, 'ConfirmationCode');
    if (user.UserStatus !== 'UNCONFIRMED')
      throw cognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.UserStatus}`);
    const sent = mailbox.latest(pool.options.Id, user.Username, SIGN_UP_CODES);
    if (!sent || sent.code !== code)
      throw cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
    if (now() - sent.sentAt > SIGN_UP_CODE_LIFETIME_MS)
      throw cognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');

    // The code reached the address it was sent to, which is what verifies that address.
    const verified = sent.deliveryMedium ? VERIFIED_BY_MEDIUM[sent.deliveryMedium] : undefined;
    const attributes = verified
      ? [...user.Attributes.filter((a) => a.Name !== verified), { Name: verified, Value: 'true' }]
      : user.Attributes;
    await pool.saveUser(ctx, {
      ...user,
      Attributes: attributes,
      UserStatus: 'CONFIRMED',
      ConfirmationCode: undefined,
      UserLastModifiedDate: new Date(now()),
    });
    mailbox.discard(pool.options.Id, user.Username, SIGN_UP_CODES);
    return {};
  };
}

function resendConfirmationCode(services: Services) {
  return async (ctx: Context, req: Record<string, unknown>): Promise<object> => {
    const clientId = requireString(req, 'ClientId');
    const pool = await poolOfClient(ctx, services, clientId);
    const user = await userOf(ctx, pool, requireString(req, 'Username'));
    if (user.UserStatus !== 'UNCONFIRMED')
      throw cognitoError('InvalidParameterException', 'User is already confirmed.');
    const delivery = selectAppropriateDeliveryMethod(pool.options.AutoVerifiedAttributes ?? [], user);
    if (!delivery)
      throw cognitoError('InvalidParameterException', 'Cannot resend codes. Auto verification not turned on.');
    const code = services.otp();
    await pool.saveUser(ctx, { ...user, ConfirmationCode: code });
    await services.messages.deliver(ctx, 'ResendCode', clientId, pool.options.Id, user, code, undefined, delivery);
    return { CodeDeliveryDetails: delivery };
  };
}

export function selfSignUpGuards(mailbox: CodeMailbox, now: () => number = () => Date.now()): TargetGuards {
  return { SignUp: signUp, ConfirmSignUp: confirmSignUp(mailbox, now) };
}

export const selfSignUpRoutes: AddedRoutes = { ResendConfirmationCode: resendConfirmationCode };

// ForgotPassword / ConfirmForgotPassword as Cognito runs them. cognito-local accepts a ConfirmForgotPassword
// without a code when the user has none pending (undefined equals undefined), accepts a sign-up code as a
// reset code, lets a code be used again, and sends a reset code to an address nobody verified.
import type { Context, Services, User, UserPoolService } from '../wiring/cognito-local-core';
import type { CodeMailbox, CodePurpose } from './code-mailbox';
import { cognitoError, requireString } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

const RESET_CODES: readonly CodePurpose[] = ['ForgotPassword'];
/** Cognito's password-reset codes are valid for one hour. */
export const RESET_CODE_LIFETIME_MS = 60 * 60 * 1000;

function attribute(user: User, name: string): string | undefined {
  return user.Attributes.find((a) => a.Name === name)?.Value;
}

async function poolAndUser(
  ctx: Context,
  services: Services,
  req: Record<string, unknown>,
): Promise<{ pool: UserPoolService; user: User | null }> {
  const clientId = requireString(req, 'ClientId');
  const username = requireString(req, 'Username');
  const client = await services.cognito.getAppClient(ctx, clientId);
  if (!client) throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  const pool = await services.cognito.getUserPool(ctx, client.UserPoolId);
  return { pool, user: await pool.getUserByUsername(ctx, username) };
}

const forgotPassword: Guard = (next, services) => async (ctx, req) => {
  const { user } = await poolAndUser(ctx, services, req);
  if (!user) throw cognitoError('UserNotFoundException', 'Username/client id combination not found.');
  if (attribute(user, 'email_verified') !== 'true' && attribute(user, 'phone_number_verified') !== 'true')
    throw cognitoError(
      'InvalidParameterException',
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  return next(ctx, req);
};

function confirmForgotPassword(mailbox: CodeMailbox, now: () => number): Guard {
  return (_next, services) => async (ctx, req) => {
    const { pool, user } = await poolAndUser(ctx, services, req);
    const code = requireString(req, 'ConfirmationCode');
    const password = requireString(req, 'Password');
    if (!user) throw cognitoError('UserNotFoundException', 'Username/client id combination not found.');
    const sent = mailbox.latest(pool.options.Id, user.Username, RESET_CODES);
    if (!sent || sent.code !== code)
      throw cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
    if (now() - sent.sentAt > RESET_CODE_LIFETIME_MS)
      throw cognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    // The password policy guard has already checked the new password.
    await pool.saveUser(ctx, {
      ...user,
      Password: password,
      UserStatus: 'CONFIRMED',
      ConfirmationCode: undefined,
      UserLastModifiedDate: new Date(now()),
    });
    mailbox.discard(pool.options.Id, user.Username, RESET_CODES);
    return {};
  };
}

export function forgotPasswordGuards(mailbox: CodeMailbox, now: () => number = () => Date.now()): TargetGuards {
  return { ForgotPassword: forgotPassword, ConfirmForgotPassword: confirmForgotPassword(mailbox, now) };
}

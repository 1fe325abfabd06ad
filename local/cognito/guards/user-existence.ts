// PreventUserExistenceErrors, as the developer guide ("Managing user existence error responses") has it.
// A client created through the API without the member is LEGACY (cognito-local leaves it unset, which the
// sign-in guards read as ENABLED). With ENABLED, no operation says that a user does not exist: sign-in
// answers "Incorrect username or password." (sign-in-failures.ts, srp-auth.ts), ForgotPassword and
// ResendConfirmationCode answer with CodeDeliveryDetails of a simulated delivery, ConfirmForgotPassword
// with CodeMismatchException. For ConfirmSignUp the guide names no answer; CodeMismatchException is ours
// (the code cannot match a user that does not exist).
import { CognitoError, type Context, type Services } from '../wiring/cognito-local-core';
import { cognitoError, stringField, type JsonObject } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

const SETTINGS = ['LEGACY', 'ENABLED'];

function checkedSetting(req: JsonObject): string | undefined {
  const value = req.PreventUserExistenceErrors;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !SETTINGS.includes(value))
    throw cognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value '${String(value)}' at 'preventUserExistenceErrors' failed to satisfy constraint: Member must satisfy enum value set: [${SETTINGS.join(', ')}]`,
    );
  return value;
}

const legacyByDefault: Guard = (next) => (ctx, req) =>
  next(ctx, { ...req, PreventUserExistenceErrors: checkedSetting(req) ?? 'LEGACY' });

const checkedOnUpdate: Guard = (next) => (ctx, req) => {
  checkedSetting(req);
  return next(ctx, req);
};

/**
 * Where the code "went" for a user who does not exist: chosen from the name given and the pool's
 * verification settings, as the guide says. The local Cognito shows real destinations unmasked, so a name
 * that is an address is its own destination; any other name gets a masked placeholder.
 */
async function simulatedDelivery(ctx: Context, services: Services, req: JsonObject): Promise<object> {
  const username = stringField(req, 'Username') ?? '';
  const email = { DeliveryMedium: 'EMAIL', AttributeName: 'email' };
  const sms = { DeliveryMedium: 'SMS', AttributeName: 'phone_number' };
  if (/^[^@\s]+@[^@\s]+$/.test(username)) return { CodeDeliveryDetails: { ...email, Destination: username } };
  if (/^\+\d{6,15}$/.test(username)) return { CodeDeliveryDetails: { ...sms, Destination: username } };
  const client = await services.cognito.getAppClient(ctx, stringField(req, 'ClientId') ?? '');
  const pool = client ? await services.cognito.getUserPool(ctx, client.UserPoolId).catch(() => undefined) : undefined;
  const bySms = (pool?.options.AutoVerifiedAttributes ?? []).includes('phone_number');
  return {
    CodeDeliveryDetails: bySms ? { ...sms, Destination: '+*******0000' } : { ...email, Destination: 'u***@e***' },
  };
}

/** `answer` instead of UserNotFoundException, for a client with ENABLED. */
function hiddenUnknownUser(answer: (ctx: Context, services: Services, req: JsonObject) => Promise<object>): Guard {
  return (next, services) => async (ctx, req) => {
    try {
      return await next(ctx, req);
    } catch (error) {
      if (!(error instanceof CognitoError) || error.code !== 'UserNotFoundException') throw error;
      const client = await services.cognito.getAppClient(ctx, stringField(req, 'ClientId') ?? '');
      if (client?.PreventUserExistenceErrors !== 'ENABLED') throw error;
      return answer(ctx, services, req);
    }
  };
}

const codeMismatch = async (): Promise<never> => {
  throw cognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
};

export const userExistenceGuards: TargetGuards = {
  CreateUserPoolClient: legacyByDefault,
  UpdateUserPoolClient: checkedOnUpdate,
  ForgotPassword: hiddenUnknownUser(simulatedDelivery),
  ResendConfirmationCode: hiddenUnknownUser(simulatedDelivery),
  ConfirmForgotPassword: hiddenUnknownUser(codeMismatch),
  ConfirmSignUp: hiddenUnknownUser(codeMismatch),
};

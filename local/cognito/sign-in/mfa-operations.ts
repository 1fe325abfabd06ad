// The MFA operations: the pool's factors (SetUserPoolMfaConfig / GetUserPoolMfaConfig, here with
// EmailMfaConfiguration, which cognito-local drops, on the Essentials tier or higher), an authenticator
// set up with a signed-in user's access token or a sign-in's MFA_SETUP Session (AssociateSoftwareToken,
// VerifySoftwareToken), and the user's factors and preference (SetUserMFAPreference, AdminSetUserMFAPreference,
// with EmailMfaSettings). cognito-local's AssociateSoftwareToken and VerifySoftwareToken load otplib, which
// Jest cannot load, and take no Session; these replace them. Error names and messages are AWS's where
// AWS documents or returns them (EnableSoftwareTokenMFAException "Code mismatch and fail enable Software
// Token MFA", InvalidParameterException "User does not have delivery config set to turn on ...").
import { decodeJwt } from 'jose';
import type { Context, Services, User, UserPoolService } from '../wiring/cognito-local-core';
import { cognitoError, objectField, requireString, stringField, type JsonObject } from '../protocol/request-fields';
import type { AddedRoutes, TargetGuards } from '../wiring/target-guards';
import { EXPIRED_SESSION, SignInFlow } from './sign-in-flow';
import { checkTotp, newTotpSecret } from './totp';
import { associateOnSession, verifyOnSession } from './totp-setup';
import { destinationOf, featurePlanOf, poolMfaOf, type MfaMethod, type PoolRecord, type UserRecord } from './mfa-state';

const ESSENTIALS_ONLY = 'requires the Essentials feature plan or higher';

/** The signed-in user of an access token accessTokenGuards has verified already. */
async function userOfToken(
  ctx: Context,
  services: Services,
  token: string,
): Promise<{ pool: UserPoolService; user: User }> {
  const claims = decodeJwt(token);
  const client = await services.cognito.getAppClient(ctx, String(claims.client_id));
  if (!client) throw cognitoError('NotAuthorizedException', 'Invalid Access Token');
  const pool = await services.cognito.getUserPool(ctx, client.UserPoolId);
  const user = await pool.getUserByUsername(ctx, String(claims.username));
  if (!user) throw cognitoError('NotAuthorizedException', 'Invalid Access Token');
  return { pool, user };
}

function requireTotpPool(pool: UserPoolService): void {
  if (!poolMfaOf(pool).methods.includes('SOFTWARE_TOKEN_MFA'))
    throw cognitoError(
      'SoftwareTokenMFANotFoundException',
      'Software Token MFA is not enabled for this user pool: enable it with SetUserPoolMfaConfig.',
    );
}

function mfaSetupSession(flow: SignInFlow, req: JsonObject) {
  const session = stringField(req, 'Session');
  const state = session === undefined ? undefined : flow.sessions.lookup(session);
  if (!state || session === undefined || !state.awaiting.includes('MFA_SETUP'))
    throw cognitoError('NotAuthorizedException', EXPIRED_SESSION);
  return { session, state };
}

const associateSoftwareToken =
  (flow: SignInFlow) =>
  (services: Services) =>
  async (ctx: Context, req: JsonObject): Promise<object> => {
    const token = stringField(req, 'AccessToken');
    if (token !== undefined) {
      const { pool, user } = await userOfToken(ctx, services, token);
      requireTotpPool(pool);
      const secret = newTotpSecret();
      const record = user as UserRecord;
      await pool.saveUser(ctx, {
        ...record,
        SoftwareTokenMfaConfiguration: { Secret: secret, Verified: false },
        TotpLastStep: undefined,
      } as UserRecord);
      return { SecretCode: secret };
    }
    if (stringField(req, 'Session') === undefined)
      throw cognitoError('InvalidParameterException', 'Either AccessToken or Session is required');
    const { session, state } = mfaSetupSession(flow, req);
    requireTotpPool(await services.cognito.getUserPool(ctx, state.poolId));
    const associated = associateOnSession(flow, session, state);
    return { SecretCode: associated.secret, Session: associated.session };
  };

const CODE_MISMATCH = ['EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA'] as const;

const verifySoftwareToken =
  (flow: SignInFlow) =>
  (services: Services) =>
  async (ctx: Context, req: JsonObject): Promise<object> => {
    const code = requireString(req, 'UserCode');
    const token = stringField(req, 'AccessToken');
    if (token !== undefined) {
      const { pool, user } = await userOfToken(ctx, services, token);
      const record = user as UserRecord;
      const secret = record.SoftwareTokenMfaConfiguration?.Secret;
      if (!secret)
        throw cognitoError(
          'InvalidParameterException',
          'User has not associated a software token: call AssociateSoftwareToken.',
        );
      const check = checkTotp(secret, code, record.TotpLastStep);
      if (!check.ok) throw cognitoError(...CODE_MISMATCH);
      await pool.saveUser(ctx, {
        ...record,
        SoftwareTokenMfaConfiguration: {
          Secret: secret,
          Verified: true,
          FriendlyDeviceName: stringField(req, 'FriendlyDeviceName'),
        },
        TotpLastStep: check.step,
      } as UserRecord);
      return { Status: 'SUCCESS' };
    }
    if (stringField(req, 'Session') === undefined)
      throw cognitoError('InvalidParameterException', 'Either AccessToken or Session is required');
    const { session, state } = mfaSetupSession(flow, req);
    if (!state.totpSecret)
      throw cognitoError('InvalidParameterException', 'Call AssociateSoftwareToken with this Session first.');
    const verified = verifyOnSession(flow, session, state, code);
    if (!verified.ok) throw cognitoError(...CODE_MISMATCH);
    return { Status: 'SUCCESS', Session: verified.session };
  };

interface FactorSetting {
  Enabled?: boolean;
  PreferredMfa?: boolean;
}

const SETTINGS: readonly [string, MfaMethod][] = [
  ['SMSMfaSettings', 'SMS_MFA'],
  ['SoftwareTokenMfaSettings', 'SOFTWARE_TOKEN_MFA'],
  ['EmailMfaSettings', 'EMAIL_OTP'],
];

/** The user's factors after a SetUserMFAPreference / AdminSetUserMFAPreference request, checked as Cognito does. */
async function setPreference(ctx: Context, pool: UserPoolService, user: User, req: JsonObject): Promise<object> {
  const record = user as UserRecord;
  const methods = new Set<string>(record.UserMFASettingList ?? []);
  let preferred = record.PreferredMfaSetting;
  for (const [member, method] of SETTINGS) {
    const setting = objectField(req, member) as FactorSetting | undefined;
    if (!setting) continue;
    if (method === 'EMAIL_OTP' && featurePlanOf(pool) === 'LITE')
      throw cognitoError('FeatureUnavailableInTierException', `Email MFA ${ESSENTIALS_ONLY}.`);
    if (setting.Enabled === true) {
      const deliverable =
        method === 'SOFTWARE_TOKEN_MFA'
          ? record.SoftwareTokenMfaConfiguration?.Verified === true
          : destinationOf(user, method === 'SMS_MFA' ? 'SMS' : 'EMAIL') !== undefined;
      if (!deliverable)
        throw cognitoError('InvalidParameterException', `User does not have delivery config set to turn on ${method}`);
      methods.add(method);
    } else if (setting.Enabled === false) {
      methods.delete(method);
      if (preferred === method) preferred = undefined;
    }
    if (setting.PreferredMfa === true) {
      if (!methods.has(method))
        throw cognitoError('InvalidParameterException', `${method} must be enabled to be the preferred MFA.`);
      preferred = method;
    } else if (setting.PreferredMfa === false && preferred === method) preferred = undefined;
  }
  await pool.saveUser(ctx, { ...record, UserMFASettingList: [...methods], PreferredMfaSetting: preferred });
  return {};
}

export function mfaRoutes(flow: SignInFlow): AddedRoutes {
  return {
    AssociateSoftwareToken: associateSoftwareToken(flow),
    VerifySoftwareToken: verifySoftwareToken(flow),
    SetUserMFAPreference: (services) => async (ctx, req) => {
      const { pool, user } = await userOfToken(ctx, services, requireString(req, 'AccessToken'));
      return setPreference(ctx, pool, user, req);
    },
    AdminSetUserMFAPreference: (services) => async (ctx, req) => {
      const pool = await services.cognito.getUserPool(ctx, requireString(req, 'UserPoolId'));
      const user = await pool.getUserByUsername(ctx, requireString(req, 'Username'));
      if (!user) throw cognitoError('UserNotFoundException', 'User does not exist.');
      return setPreference(ctx, pool, user, req);
    },
  };
}

/** EmailMfaConfiguration on the pool record, shown as AWS shows it; refused below the Essentials tier. */
export const poolMfaConfigGuards: TargetGuards = {
  SetUserPoolMfaConfig: (next, services) => async (ctx, req) => {
    const pool = await services.cognito.getUserPool(ctx, requireString(req, 'UserPoolId'));
    const email = objectField(req, 'EmailMfaConfiguration');
    if (email && featurePlanOf(pool) === 'LITE')
      throw cognitoError('FeatureUnavailableInTierException', `Email MFA ${ESSENTIALS_ONLY}.`);
    const response = (await next(ctx, req)) as JsonObject;
    if (email) {
      const updated = await services.cognito.getUserPool(ctx, pool.options.Id);
      await updated.updateOptions(ctx, { ...updated.options, EmailMfaConfiguration: { ...email } } as PoolRecord);
    }
    const stored = email ?? (pool.options as PoolRecord).EmailMfaConfiguration;
    return stored ? { ...response, EmailMfaConfiguration: stored } : response;
  },
  GetUserPoolMfaConfig: (next, services) => async (ctx, req) => {
    const response = (await next(ctx, req)) as JsonObject;
    const pool = await services.cognito.getUserPool(ctx, requireString(req, 'UserPoolId'));
    const email = (pool.options as PoolRecord).EmailMfaConfiguration;
    return email ? { ...response, EmailMfaConfiguration: email } : response;
  },
};

// The pool's password policy, which cognito-local never checks: Cognito refuses a password that breaks
// it wherever a password is set, with InvalidPasswordException. Allowed symbols and the space-as-symbol
// rule: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html
import { decodeJwt } from 'jose';
import type { Context, Services, UserPoolService } from '../wiring/cognito-local-core';
import { cognitoError, objectField, stringField, type JsonObject } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

export interface PasswordPolicy {
  MinimumLength?: number;
  RequireLowercase?: boolean;
  RequireUppercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
}

const SYMBOLS = new Set('^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ');
/** Cognito's policy for a pool created without one. */
const COGNITO_DEFAULT: Required<PasswordPolicy> = {
  MinimumLength: 8,
  RequireLowercase: true,
  RequireUppercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
};

/** Cognito's reason for refusing `password`, or undefined when the policy allows it. */
export function policyViolation(password: string, policy: PasswordPolicy = COGNITO_DEFAULT): string | undefined {
  const chars = [...password];
  if (chars.length < (policy.MinimumLength ?? COGNITO_DEFAULT.MinimumLength)) return 'Password not long enough';
  if (policy.RequireLowercase && !chars.some((c) => c >= 'a' && c <= 'z'))
    return 'Password must have lowercase characters';
  if (policy.RequireUppercase && !chars.some((c) => c >= 'A' && c <= 'Z'))
    return 'Password must have uppercase characters';
  if (policy.RequireNumbers && !chars.some((c) => c >= '0' && c <= '9')) return 'Password must have numeric characters';
  if (policy.RequireSymbols && !chars.some((c) => SYMBOLS.has(c))) return 'Password must have symbol characters';
  return undefined;
}

/** The pool's policy, or Cognito's for a pool created without one. */
export function poolPasswordPolicy(pool: UserPoolService): PasswordPolicy {
  return pool.options.Policies?.PasswordPolicy ?? COGNITO_DEFAULT;
}

function enforce(pool: UserPoolService, password: string | undefined): void {
  if (password === undefined) return;
  const violation = policyViolation(password, poolPasswordPolicy(pool));
  if (violation) throw cognitoError('InvalidPasswordException', `Password did not conform with policy: ${violation}`);
}

type Locate = (
  ctx: Context,
  services: Services,
  req: JsonObject,
) => Promise<{ pool?: UserPoolService; password?: string }>;

function policyGuard(locate: Locate): Guard {
  return (next, services) => async (ctx, req) => {
    const { pool, password } = await locate(ctx, services, req);
    if (pool) enforce(pool, password);
    return next(ctx, req);
  };
}

const byPoolId = async (ctx: Context, services: Services, req: JsonObject) => {
  const poolId = stringField(req, 'UserPoolId');
  return poolId ? services.cognito.getUserPool(ctx, poolId).catch(() => undefined) : undefined;
};
const byClientId = async (ctx: Context, services: Services, clientId: string | undefined) => {
  const client = clientId ? await services.cognito.getAppClient(ctx, clientId) : null;
  return client ? services.cognito.getUserPool(ctx, client.UserPoolId).catch(() => undefined) : undefined;
};
/** ChangePassword names no pool: its access token's client does (verified by the operation itself). */
const byAccessToken = (token: string | undefined): string | undefined => {
  try {
    const clientId = token ? decodeJwt(token).client_id : undefined;
    return typeof clientId === 'string' ? clientId : undefined;
  } catch {
    return undefined;
  }
};

export const passwordPolicyGuards: TargetGuards = {
  AdminCreateUser: policyGuard(async (ctx, services, req) => ({
    pool: await byPoolId(ctx, services, req),
    password: stringField(req, 'TemporaryPassword'),
  })),
  AdminSetUserPassword: policyGuard(async (ctx, services, req) => ({
    pool: await byPoolId(ctx, services, req),
    password: stringField(req, 'Password'),
  })),
  SignUp: policyGuard(async (ctx, services, req) => ({
    pool: await byClientId(ctx, services, stringField(req, 'ClientId')),
    password: stringField(req, 'Password'),
  })),
  ConfirmForgotPassword: policyGuard(async (ctx, services, req) => ({
    pool: await byClientId(ctx, services, stringField(req, 'ClientId')),
    password: stringField(req, 'Password'),
  })),
  ChangePassword: policyGuard(async (ctx, services, req) => ({
    pool: await byClientId(ctx, services, byAccessToken(stringField(req, 'AccessToken'))),
    password: stringField(req, 'ProposedPassword'),
  })),
  RespondToAuthChallenge: policyGuard(async (ctx, services, req) => ({
    pool:
      stringField(req, 'ChallengeName') === 'NEW_PASSWORD_REQUIRED'
        ? await byClientId(ctx, services, stringField(req, 'ClientId'))
        : undefined,
    password: stringField(objectField(req, 'ChallengeResponses'), 'NEW_PASSWORD'),
  })),
};

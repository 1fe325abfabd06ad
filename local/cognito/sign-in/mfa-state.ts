// What a pool and a user have set up for MFA, read from their records: the pool's MfaConfiguration and the
// factors it offers (SMS with an SNS role, TOTP, e-mail), the user's enabled factors and preference, and
// the TOTP secret with the step of the last code accepted. Shared by sign-in and the MFA operations.
import type { User, UserPool, UserPoolService } from '../wiring/cognito-local-core';

export type MfaMethod = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';
export type FeaturePlan = 'LITE' | 'ESSENTIALS' | 'PLUS';

/** The pool record with what this layer keeps on it besides cognito-local's members. */
export type PoolRecord = UserPool & {
  EmailMfaConfiguration?: { Message?: string; Subject?: string };
  UserPoolTier?: FeaturePlan;
  Policies?: UserPool['Policies'] & { SignInPolicy?: { AllowedFirstAuthFactors?: string[] } };
};

/** The user record with the TOTP state cognito-local's type has, and the last accepted step. */
export type UserRecord = User & { TotpLastStep?: number };

export interface PoolMfa {
  mode: 'OFF' | 'OPTIONAL' | 'ON';
  /** Factors the pool can deliver, in Cognito's order. */
  methods: MfaMethod[];
}

/** Cognito's default for a pool created without UserPoolTier (API reference, CreateUserPool). */
export const DEFAULT_FEATURE_PLAN: FeaturePlan = 'ESSENTIALS';

export function featurePlanOf(pool: UserPoolService): FeaturePlan {
  return (pool.options as PoolRecord).UserPoolTier ?? DEFAULT_FEATURE_PLAN;
}

export function poolMfaOf(pool: UserPoolService): PoolMfa {
  const options = pool.options as PoolRecord;
  const mode =
    options.MfaConfiguration === 'ON' || options.MfaConfiguration === 'OPTIONAL' ? options.MfaConfiguration : 'OFF';
  const methods: MfaMethod[] = [];
  if (options.SmsConfiguration?.SnsCallerArn) methods.push('SMS_MFA');
  if (options.SoftwareTokenMfaConfiguration?.Enabled) methods.push('SOFTWARE_TOKEN_MFA');
  if (options.EmailMfaConfiguration) methods.push('EMAIL_OTP');
  return { mode, methods };
}

export function attributeOf(user: User, name: string): string | undefined {
  return user.Attributes?.find((a) => a.Name === name)?.Value;
}

/** Where a code for the method goes: the attribute and its value, when the user has one. */
export function destinationOf(
  user: User,
  method: 'SMS' | 'EMAIL',
): { AttributeName: string; Destination: string } | undefined {
  const name = method === 'SMS' ? 'phone_number' : 'email';
  const value = attributeOf(user, name);
  return value ? { AttributeName: name, Destination: value } : undefined;
}

export function hasVerifiedAuthenticator(user: User): boolean {
  return Boolean((user as UserRecord).SoftwareTokenMfaConfiguration?.Verified);
}

/** The user's enabled MFA factors that the pool offers (UserMFASettingList; legacy MFAOptions mean SMS). */
export function userMfaMethods(user: User, pool: PoolMfa): MfaMethod[] {
  const listed = new Set<string>(user.UserMFASettingList ?? []);
  if (listed.size === 0 && (user.MFAOptions ?? []).some((o) => o.DeliveryMedium === 'SMS')) listed.add('SMS_MFA');
  return pool.methods.filter((method) => listed.has(method));
}

// The pool's feature plan (UserPoolTier: LITE, ESSENTIALS, PLUS; Cognito's default ESSENTIALS) and its
// SignInPolicy, which cognito-local neither checks nor returns: both stored on the pool record, shown by
// CreateUserPool and DescribeUserPool, and refused as Cognito refuses them. First factors other than PASSWORD
// need the Essentials tier or higher (API reference, SignInPolicyType): FeatureUnavailableInTierException.
import { cognitoError, objectField, stringField, type JsonObject } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';
import { DEFAULT_FEATURE_PLAN, featurePlanOf, type FeaturePlan, type PoolRecord } from '../sign-in/mfa-state';

const PLANS: readonly FeaturePlan[] = ['LITE', 'ESSENTIALS', 'PLUS'];
const FACTORS = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];

function requestedPlan(req: JsonObject): FeaturePlan | undefined {
  const tier = req.UserPoolTier;
  if (tier === undefined || tier === null) return undefined;
  if (typeof tier !== 'string' || !PLANS.includes(tier as FeaturePlan))
    throw cognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value '${String(tier)}' at 'userPoolTier' failed to satisfy constraint: Member must satisfy enum value set: [${PLANS.join(', ')}]`,
    );
  return tier as FeaturePlan;
}

function checkSignInPolicy(req: JsonObject, plan: FeaturePlan): void {
  const factors = objectField(objectField(req, 'Policies'), 'SignInPolicy')?.AllowedFirstAuthFactors;
  if (factors === undefined) return;
  if (!Array.isArray(factors) || factors.length < 1 || factors.length > FACTORS.length)
    throw cognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value at 'policies.signInPolicy.allowedFirstAuthFactors' failed to satisfy constraint: Member must have length between 1 and ${FACTORS.length}`,
    );
  for (const factor of factors)
    if (typeof factor !== 'string' || !FACTORS.includes(factor))
      throw cognitoError(
        'InvalidParameterException',
        `1 validation error detected: Value '${String(factor)}' at 'policies.signInPolicy.allowedFirstAuthFactors' failed to satisfy constraint: Member must satisfy enum value set: [${FACTORS.join(', ')}]`,
      );
  if (plan === 'LITE' && factors.some((f) => f !== 'PASSWORD'))
    throw cognitoError(
      'FeatureUnavailableInTierException',
      'Sign-in with factors other than PASSWORD requires the Essentials feature plan or higher.',
    );
}

const createdWithPlan: Guard = (next, services) => async (ctx, req) => {
  const plan = requestedPlan(req) ?? DEFAULT_FEATURE_PLAN;
  checkSignInPolicy(req, plan);
  const response = (await next(ctx, req)) as { UserPool?: JsonObject };
  const poolId = stringField(response.UserPool, 'Id');
  if (!poolId) return response;
  const pool = await services.cognito.getUserPool(ctx, poolId);
  await pool.updateOptions(ctx, { ...pool.options, UserPoolTier: plan } as PoolRecord);
  response.UserPool!.UserPoolTier = plan;
  return response;
};

const updatedWithPlan: Guard = (next, services) => async (ctx, req) => {
  const poolId = stringField(req, 'UserPoolId');
  const before = poolId ? await services.cognito.getUserPool(ctx, poolId).catch(() => undefined) : undefined;
  const plan = requestedPlan(req) ?? (before ? featurePlanOf(before) : DEFAULT_FEATURE_PLAN);
  checkSignInPolicy(req, plan);
  const response = await next(ctx, req);
  if (before) {
    // cognito-local's UpdateUserPool rewrites the record from the request: keep what this layer stores.
    const pool = await services.cognito.getUserPool(ctx, before.options.Id);
    const kept = before.options as PoolRecord;
    await pool.updateOptions(ctx, {
      ...pool.options,
      UserPoolTier: plan,
      ...(kept.EmailMfaConfiguration ? { EmailMfaConfiguration: kept.EmailMfaConfiguration } : {}),
    } as PoolRecord);
  }
  return response;
};

const describedWithPlan: Guard = (next, services) => async (ctx, req) => {
  const response = (await next(ctx, req)) as { UserPool?: JsonObject };
  const poolId = stringField(req, 'UserPoolId');
  if (response.UserPool && poolId)
    response.UserPool.UserPoolTier = featurePlanOf(await services.cognito.getUserPool(ctx, poolId));
  return response;
};

export const featurePlanGuards: TargetGuards = {
  CreateUserPool: createdWithPlan,
  UpdateUserPool: updatedWithPlan,
  DescribeUserPool: describedWithPlan,
};

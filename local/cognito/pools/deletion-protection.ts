// A pool's DeletionProtection (ACTIVE or INACTIVE, Cognito's default INACTIVE), which cognito-local drops:
// stored by CreateUserPool and UpdateUserPool (which, as on AWS, resets what the request leaves out), shown by
// CreateUserPool and DescribeUserPool, and enforced: "When you try to delete a protected user pool in a
// DeleteUserPool API request, Amazon Cognito returns an InvalidParameterException error" (API reference,
// CreateUserPool and UpdateUserPool, DeletionProtection).
import { cognitoError, stringField, type JsonObject } from '../protocol/request-fields';
import type { UserPool } from '../wiring/cognito-local-core';
import type { Guard, TargetGuards } from '../wiring/target-guards';

type Protection = 'ACTIVE' | 'INACTIVE';
type ProtectedRecord = UserPool & { DeletionProtection?: Protection };

const VALUES: readonly Protection[] = ['ACTIVE', 'INACTIVE'];

function requested(req: JsonObject): Protection {
  const value = req.DeletionProtection;
  if (value === undefined || value === null) return 'INACTIVE';
  if (typeof value !== 'string' || !VALUES.includes(value as Protection))
    throw cognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value '${String(value)}' at 'deletionProtection' failed to satisfy constraint: Member must satisfy enum value set: [${VALUES.join(', ')}]`,
    );
  return value as Protection;
}

const stored: Guard = (next, services) => async (ctx, req) => {
  const protection = requested(req);
  const response = (await next(ctx, req)) as { UserPool?: JsonObject };
  const poolId = stringField(response.UserPool, 'Id') ?? stringField(req, 'UserPoolId');
  if (!poolId) return response;
  const pool = await services.cognito.getUserPool(ctx, poolId);
  await pool.updateOptions(ctx, { ...pool.options, DeletionProtection: protection } as ProtectedRecord);
  if (response.UserPool) response.UserPool.DeletionProtection = protection;
  return response;
};

const described: Guard = (next, services) => async (ctx, req) => {
  const response = (await next(ctx, req)) as { UserPool?: JsonObject };
  const poolId = stringField(req, 'UserPoolId');
  if (response.UserPool && poolId) {
    const pool = await services.cognito.getUserPool(ctx, poolId);
    response.UserPool.DeletionProtection = (pool.options as ProtectedRecord).DeletionProtection ?? 'INACTIVE';
  }
  return response;
};

const refusedWhenProtected: Guard = (next, services) => async (ctx, req) => {
  const poolId = stringField(req, 'UserPoolId');
  const pool = poolId ? await services.cognito.getUserPool(ctx, poolId).catch(() => undefined) : undefined;
  if (pool && (pool.options as ProtectedRecord).DeletionProtection === 'ACTIVE')
    throw cognitoError(
      'InvalidParameterException',
      `User pool ${poolId} has deletion protection: set DeletionProtection INACTIVE with UpdateUserPool, then delete it.`,
    );
  return next(ctx, req);
};

export const deletionProtectionGuards: TargetGuards = {
  CreateUserPool: stored,
  UpdateUserPool: stored,
  DescribeUserPool: described,
  DeleteUserPool: refusedWhenProtected,
};

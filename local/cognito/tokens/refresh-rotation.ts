// The app client's RefreshTokenRotation (API reference, RefreshTokenRotationType: Feature ENABLED or
// DISABLED, RetryGracePeriodSeconds 0 to 60), which cognito-local neither stores nor returns: checked on
// CreateUserPoolClient and UpdateUserPoolClient, kept on the client's record, shown by
// DescribeUserPoolClient. An update that leaves it out keeps it, as cognito-local keeps its other members.
import type { AppClient } from '../wiring/cognito-local-core';
import { cognitoError, objectField, requireString, type JsonObject } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

export interface RefreshTokenRotation {
  Feature: 'ENABLED' | 'DISABLED';
  RetryGracePeriodSeconds?: number;
}

type ClientRecord = AppClient & { RefreshTokenRotation?: RefreshTokenRotation };

const FEATURES = ['ENABLED', 'DISABLED'];
const MAX_GRACE_SECONDS = 60;

/** The client's rotation when it is on; undefined when rotation is off or was never set. */
export function rotationOf(client: AppClient): { graceMs: number } | undefined {
  const rotation = (client as ClientRecord).RefreshTokenRotation;
  if (rotation?.Feature !== 'ENABLED') return undefined;
  return { graceMs: (rotation.RetryGracePeriodSeconds ?? 0) * 1000 };
}

/** The request's RefreshTokenRotation, checked with AWS's validation wording; undefined when absent. */
function requestedRotation(req: JsonObject): RefreshTokenRotation | undefined {
  if (req.RefreshTokenRotation === undefined || req.RefreshTokenRotation === null) return undefined;
  const rotation = objectField(req, 'RefreshTokenRotation');
  if (!rotation) throw cognitoError('InvalidParameterException', 'RefreshTokenRotation must be an object.');
  const feature = requireString(rotation, 'Feature', 'refreshTokenRotation.feature');
  if (!FEATURES.includes(feature))
    throw cognitoError(
      'InvalidParameterException',
      `1 validation error detected: Value '${feature}' at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must satisfy enum value set: [${FEATURES.join(', ')}]`,
    );
  const grace = rotation.RetryGracePeriodSeconds;
  if (grace !== undefined && grace !== null) {
    if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS)
      throw cognitoError(
        'InvalidParameterException',
        `1 validation error detected: Value '${String(grace)}' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value between 0 and ${MAX_GRACE_SECONDS}`,
      );
    return { Feature: feature as RefreshTokenRotation['Feature'], RetryGracePeriodSeconds: grace };
  }
  return { Feature: feature as RefreshTokenRotation['Feature'] };
}

/** Create or update: the operation runs, then the rotation goes onto the stored client and into the reply. */
const storedRotation: Guard = (next, services) => async (ctx, req) => {
  const rotation = requestedRotation(req);
  const response = (await next(ctx, req)) as { UserPoolClient?: JsonObject };
  const clientId = response.UserPoolClient?.ClientId;
  if (typeof clientId !== 'string') return response;
  const stored = (await services.cognito.getAppClient(ctx, clientId)) as ClientRecord | null;
  if (!stored) return response;
  if (rotation) {
    const pool = await services.cognito.getUserPool(ctx, stored.UserPoolId);
    await pool.saveAppClient(ctx, { ...stored, RefreshTokenRotation: rotation } as ClientRecord);
  }
  const shown = rotation ?? stored.RefreshTokenRotation;
  if (shown) response.UserPoolClient!.RefreshTokenRotation = { ...shown };
  return response;
};

const describedRotation: Guard = (next, services) => async (ctx, req) => {
  const response = (await next(ctx, req)) as { UserPoolClient?: JsonObject };
  const stored = (await services.cognito.getAppClient(ctx, requireString(req, 'ClientId'))) as ClientRecord | null;
  if (response.UserPoolClient && stored?.RefreshTokenRotation)
    response.UserPoolClient.RefreshTokenRotation = { ...stored.RefreshTokenRotation };
  return response;
};

export const refreshRotationGuards: TargetGuards = {
  CreateUserPoolClient: storedRotation,
  UpdateUserPoolClient: storedRotation,
  DescribeUserPoolClient: describedRotation,
};

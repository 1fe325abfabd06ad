// A local Cognito that throttles, for proving that callers survive AWS's request-rate quotas: every Nth call
// of an operation is answered as Cognito answers a call over its quota, TooManyRequestsException with HTTP 400
// (the Errors of every action in the user pools API reference, e.g.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html; the
// message "Rate exceeded" is unverified). Counted per operation, so which call is refused never depends on
// timing. Off unless asked for: LocalCognitoOptions.throttle, or GATEHOUSE_LOCAL_COGNITO_THROTTLE holding the
// same rules as JSON (for a stack started inside another tool, e.g. `{"InitiateAuth":{"every":3}}`).
import { cognitoError } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

export interface ThrottleRule {
  /** Every `every`th call of the operation (the 3rd, 6th, ... for 3) is throttled. At least 2. */
  every: number;
}

/** By operation name, e.g. `{ InitiateAuth: { every: 3 } }`. */
export type ThrottleRules = Readonly<Record<string, ThrottleRule>>;

export const THROTTLE_ENV = 'GATEHOUSE_LOCAL_COGNITO_THROTTLE';

/** The rules given, else those of the environment variable; refuses rules that would throttle every call. */
export function throttleRulesFrom(given: ThrottleRules | undefined, env = process.env[THROTTLE_ENV]): ThrottleRules {
  let rules: unknown = given;
  if (rules === undefined && env)
    try {
      rules = JSON.parse(env);
    } catch {
      throw new Error(`${THROTTLE_ENV} is not JSON (received: ${env}); write e.g. {"InitiateAuth":{"every":3}}`);
    }
  if (rules === undefined) return {};
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules))
    throw new Error(`throttle rules must be an object by operation name (received: ${JSON.stringify(rules)})`);
  for (const [operation, rule] of Object.entries(rules)) {
    const every = (rule as { every?: unknown } | null)?.every;
    if (typeof every !== 'number' || !Number.isInteger(every) || every < 2)
      throw new Error(
        `throttle rule for ${operation}: every must be an integer of at least 2, or no call would pass (received: ${JSON.stringify(rule)})`,
      );
  }
  return rules as ThrottleRules;
}

function throttleEvery(every: number): Guard {
  let calls = 0;
  return (next) => async (ctx, req) => {
    if (++calls % every === 0) throw cognitoError('TooManyRequestsException', 'Rate exceeded');
    return next(ctx, req);
  };
}

export function throttlingGuards(rules: ThrottleRules): TargetGuards {
  return Object.fromEntries(Object.entries(rules).map(([operation, { every }]) => [operation, throttleEvery(every)]));
}

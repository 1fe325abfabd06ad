// A local Cognito that throttles, for proving that callers survive AWS's request-rate quotas: every Nth call
// of an operation is answered as Cognito answers a call over its quota, TooManyRequestsException with HTTP 400
// (the Errors of every action in the user pools API reference, e.g.
// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html; the
// message "Rate exceeded" is unverified). Counted per operation, so which call is refused never depends on
// timing. Off unless asked for: LocalCognitoOptions.throttle, or GATEHOUSE_LOCAL_COGNITO_THROTTLE holding the
// same rules as JSON (for a stack started inside another tool, e.g. `{"InitiateAuth":{"every":3}}`).
import { InputError, pointerOf, problemAt, PropsError, type Problem } from '../../../openapi/model/problems';
import { cognitoError } from '../protocol/request-fields';
import type { Guard, TargetGuards } from '../wiring/target-guards';

export interface ThrottleRule {
  /** Every `every`th call of the operation (the 3rd, 6th, ... for 3) is throttled. At least 2. */
  every: number;
}

/** By operation name, e.g. `{ InitiateAuth: { every: 3 } }`. */
export type ThrottleRules = Readonly<Record<string, ThrottleRule>>;

export const THROTTLE_ENV = 'GATEHOUSE_LOCAL_COGNITO_THROTTLE';

/** Where rules given as the option are named in a problem. */
export const THROTTLE_OPTION = 'LocalCognitoOptions.throttle';

/**
 * The rules given, else those of the environment variable. Refuses, all at once, rules that would throttle every
 * call: a PropsError naming the option, or an InputError naming the variable, each with the JSON pointer of the
 * rule and the value received.
 */
export function throttleRulesFrom(given: ThrottleRules | undefined, env = process.env[THROTTLE_ENV]): ThrottleRules {
  const fromEnv = given === undefined && env !== undefined && env !== '';
  const source = fromEnv ? THROTTLE_ENV : THROTTLE_OPTION;
  const refuse = (problems: Problem[]) => (fromEnv ? new InputError(problems) : new PropsError(problems));
  const example = '{"InitiateAuth":{"every":3}}';
  let rules: unknown = given;
  if (fromEnv)
    try {
      rules = JSON.parse(env);
    } catch {
      throw refuse([
        problemAt('throttle-not-json', source, '', `Not JSON (received: ${env}).`, `Write rules such as ${example}.`),
      ]);
    }
  if (rules === undefined) return {};
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules))
    throw refuse([
      problemAt(
        'throttle-not-object',
        source,
        '',
        `Throttle rules must be an object by operation name (received: ${JSON.stringify(rules)}).`,
        `Write rules such as ${example}.`,
      ),
    ]);
  const problems = Object.entries(rules).flatMap(([operation, rule]) => {
    const every = (rule as { every?: unknown } | null)?.every;
    if (typeof every === 'number' && Number.isInteger(every) && every >= 2) return [];
    return [
      problemAt(
        'throttle-every',
        source,
        pointerOf(operation, 'every'),
        `every must be an integer of at least 2, or no call of ${operation} would pass (received: ${JSON.stringify(rule)}).`,
        `Give ${operation} a rule such as {"every":3}: every third call is throttled.`,
      ),
    ];
  });
  if (problems.length > 0) throw refuse(problems);
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

// AdminCreateUser without TemporaryPassword: Cognito generates one (API reference, AdminCreateUser), which
// must pass the pool's own password policy. cognito-local makes six characters of a short id, or takes a
// CODE environment variable, so its invitation could be refused by the very pool that sent it; here the
// password is drawn from a CSPRNG, long enough for the policy and with every character class in it.
import { randomInt } from 'node:crypto';
import { poolPasswordPolicy, type PasswordPolicy } from '../guards/password-policy';
import { stringField } from '../protocol/request-fields';
import type { TargetGuards } from '../wiring/target-guards';

const CLASSES = [
  'abcdefghijkmnopqrstuvwxyz',
  'ABCDEFGHJKLMNPQRSTUVWXYZ',
  '23456789',
  // Symbols the policy counts, without space, quotes and backslash, which invitations would have to escape.
  '^$*.[]{}()?!@#%&/,><:;|_~=+-',
];
const MIN_LENGTH = 12;

function pick(chars: string): string {
  return chars[randomInt(chars.length)];
}

/** A password the policy allows: one character of each class, the rest from all of them, shuffled. */
export function generatedPassword(policy: PasswordPolicy): string {
  const length = Math.max(policy.MinimumLength ?? 8, MIN_LENGTH);
  const all = CLASSES.join('');
  const chars = CLASSES.map(pick);
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export const temporaryPasswordGuards: TargetGuards = {
  AdminCreateUser: (next, services) => async (ctx, req) => {
    const poolId = stringField(req, 'UserPoolId');
    if (stringField(req, 'TemporaryPassword') !== undefined || !poolId) return next(ctx, req);
    const pool = await services.cognito.getUserPool(ctx, poolId).catch(() => undefined);
    if (!pool) return next(ctx, req);
    return next(ctx, { ...req, TemporaryPassword: generatedPassword(poolPasswordPolicy(pool)) });
  },
};

// TOTP (RFC 6238) as Cognito's software-token MFA uses it: SHA-1, six digits, 30-second steps, a code of the
// step before or after accepted for clock drift, and no step accepted twice (RFC 6238, section 5.2).
// otpauth computes the codes; cognito-local's own TOTP targets load otplib, which Jest cannot load.
import { Secret, TOTP } from 'otpauth';

const PERIOD_SECONDS = 30;

function totpOf(secret: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS });
}

/** A new shared secret in base32, as AssociateSoftwareToken's SecretCode: 32 random bytes, 52 characters. */
export function newTotpSecret(): string {
  return new Secret({ size: 32 }).base32;
}

/** The code an authenticator app shows now (tests). */
export function totpCodeOf(secret: string, now = Date.now()): string {
  return totpOf(secret).generate({ timestamp: now });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'mismatch' | 'reused' };

/**
 * Whether `code` is the code of the current step or of one next to it, and not of a step at or before
 * `lastStep` (the step of the code last accepted). The caller stores the returned step.
 */
export function checkTotp(secret: string, code: string, lastStep: number | undefined, now = Date.now()): TotpCheck {
  let totp: TOTP;
  try {
    totp = totpOf(secret);
  } catch {
    return { ok: false, reason: 'mismatch' };
  }
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'mismatch' };
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return { ok: false, reason: 'mismatch' };
  const step = totp.counter({ timestamp: now }) + delta;
  if (lastStep !== undefined && step <= lastStep) return { ok: false, reason: 'reused' };
  return { ok: true, step };
}

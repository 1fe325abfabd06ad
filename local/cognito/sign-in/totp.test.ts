// The local TOTP against RFC 6238's own test vector, the drift it allows and its refusal of a reused step.
import { checkTotp, newTotpSecret, totpCodeOf } from './totp';

// RFC 6238, appendix B: the SHA-1 seed "12345678901234567890" (base32 below); at T = 59 s the 8-digit code is
// 94287082, so the 6-digit one is its last six digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test("RFC 6238's test vector", () => {
  expect(totpCodeOf(RFC_SECRET, 59_000)).toBe('287082');
  expect(checkTotp(RFC_SECRET, '287082', undefined, 59_000)).toEqual({ ok: true, step: 1 });
});

test('a code of the next or the previous step passes, two steps away does not, and a step is taken once', () => {
  const secret = newTotpSecret();
  const now = 1_800_000_000_000;
  expect(checkTotp(secret, totpCodeOf(secret, now + 30_000), undefined, now).ok).toBe(true);
  expect(checkTotp(secret, totpCodeOf(secret, now - 30_000), undefined, now).ok).toBe(true);
  expect(checkTotp(secret, totpCodeOf(secret, now + 60_000), undefined, now)).toEqual({
    ok: false,
    reason: 'mismatch',
  });
  const first = checkTotp(secret, totpCodeOf(secret, now), undefined, now);
  expect(first.ok).toBe(true);
  const step = (first as { step: number }).step;
  expect(checkTotp(secret, totpCodeOf(secret, now), step, now)).toEqual({ ok: false, reason: 'reused' });
  expect(checkTotp(secret, totpCodeOf(secret, now - 30_000), step, now)).toEqual({ ok: false, reason: 'reused' });
  expect(checkTotp(secret, 'abcdef', undefined, now)).toEqual({ ok: false, reason: 'mismatch' });
});

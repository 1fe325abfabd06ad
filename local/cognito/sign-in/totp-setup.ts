// An authenticator set up during a sign-in's MFA_SETUP: a secret handed out on the Session (what
// AssociateSoftwareToken does with a Session), then a code proving the user's app holds it (VerifySoftwareToken),
// each step ending its Session and opening the next, as Cognito hands out a new Session each time. Shared by
// those operations and the hosted UI's set-up page; RespondToAuthChallenge MFA_SETUP then stores it.
import { checkTotp, newTotpSecret } from './totp';
import type { SignInFlow } from './sign-in-flow';
import type { SignInState } from './sign-in-sessions';

/** A new secret for the sign-in of `session`, and the Session that carries it. */
export function associateOnSession(
  flow: SignInFlow,
  session: string,
  state: SignInState,
): { secret: string; session: string } {
  const secret = newTotpSecret();
  flow.sessions.end(session);
  const next = flow.sessions.open({ ...state, totpSecret: secret, totpVerified: false, totpStep: undefined });
  return { secret, session: next };
}

/**
 * Whether `code` is the authenticator's code for the secret `session` carries; when it is, the Session that
 * answers MFA_SETUP. A wrong code leaves `session` usable.
 */
export function verifyOnSession(
  flow: SignInFlow,
  session: string,
  state: SignInState,
  code: string,
): { ok: true; session: string } | { ok: false } {
  if (!state.totpSecret) return { ok: false };
  const check = checkTotp(state.totpSecret, code, undefined);
  if (!check.ok) return { ok: false };
  flow.sessions.end(session);
  return { ok: true, session: flow.sessions.open({ ...state, totpVerified: true, totpStep: check.step }) };
}

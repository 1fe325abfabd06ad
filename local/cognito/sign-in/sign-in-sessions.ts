// The Session of a sign-in under way: an opaque string naming what the user has proven so far and which
// challenges they may answer next, valid for three minutes (Cognito's default AuthSessionValidity). A
// wrong code leaves the session usable; a step that succeeds ends it and, when a challenge follows,
// opens a new one, as Cognito hands out a new Session with each challenge.
import { randomBytes } from 'node:crypto';

const LIFETIME_MS = 3 * 60 * 1000;

export interface SignInState {
  poolId: string;
  clientId: string;
  /** The user's Cognito username; undefined for an unknown user answered with a decoy challenge. */
  username: string | undefined;
  /** The challenge names this session answers. */
  awaiting: readonly string[];
  /** The code sent for SMS_MFA, EMAIL_OTP or SMS_OTP. */
  code?: string;
  /** SELECT_CHALLENGE: what the user may choose. */
  available?: readonly string[];
  /** MFA_SETUP: the authenticator secret AssociateSoftwareToken handed out, and whether a code proved it. */
  totpSecret?: string;
  totpVerified?: boolean;
  /** The step of the code that verified it, so the first sign-in cannot replay that code. */
  totpStep?: number;
}

interface Stored extends SignInState {
  expiresAt: number;
}

export class SignInSessions {
  private readonly sessions = new Map<string, Stored>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  open(state: SignInState): string {
    const now = this.now();
    for (const [id, stored] of this.sessions) if (stored.expiresAt <= now) this.sessions.delete(id);
    const id = randomBytes(96).toString('base64url');
    this.sessions.set(id, { ...state, expiresAt: now + LIFETIME_MS });
    return id;
  }

  /** The session's state, when it exists, has not expired and belongs to `clientId`. */
  get(id: string | undefined, clientId: string): SignInState | undefined {
    const stored = id === undefined ? undefined : this.sessions.get(id);
    if (!stored || stored.expiresAt <= this.now() || stored.clientId !== clientId) return undefined;
    return stored;
  }

  /**
   * The session's state whatever its client, for AssociateSoftwareToken and VerifySoftwareToken, which take a
   * Session and no ClientId.
   */
  lookup(id: string): SignInState | undefined {
    const stored = this.sessions.get(id);
    return stored && stored.expiresAt > this.now() ? stored : undefined;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }
}

// Authorization codes of the code flow: single-use and short-lived (five minutes, as Cognito's). Written
// here rather than reusing cognito-local's store, whose entries hold no nonce and no auth_time.
import { randomBytes } from 'node:crypto';

export interface CodeGrant {
  clientId: string;
  poolId: string;
  username: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | undefined;
  codeChallenge: string | undefined;
  /** When the user signed in (epoch seconds): the tokens' auth_time. */
  authTime: number;
}

export const AUTHORIZATION_CODE_LIFETIME_MS = 5 * 60 * 1000;

export class AuthorizationCodes {
  private readonly codes = new Map<string, CodeGrant & { expiresAt: number }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  issue(grant: CodeGrant): string {
    const now = this.now();
    for (const [code, entry] of this.codes) if (entry.expiresAt <= now) this.codes.delete(code);
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { ...grant, expiresAt: now + AUTHORIZATION_CODE_LIFETIME_MS });
    return code;
  }

  /** The grant, once: a second call, or one after expiry, finds nothing. */
  redeem(code: string): CodeGrant | undefined {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    const { expiresAt: _expiresAt, ...grant } = entry;
    return grant;
  }
}

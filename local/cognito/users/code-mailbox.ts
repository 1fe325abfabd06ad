// Where the local Cognito "sends" its messages: sign-up and reset codes, resent codes and invitations
// are kept here, per pool and user, instead of being e-mailed, so a test or the harness can read the code
// a real user would receive. Read in-process (LocalCognito.codesFor) or over HTTP at
// GET /_local/codes?poolId=<id>&username=<name>, a local-only endpoint Cognito does not have.
import type { Context, DeliveryDetails, Messages, Services, User } from '../wiring/cognito-local-core';
import { silentContext } from '../wiring/cognito-local-core';

/** Why the message was sent, as cognito-local names the source (Cognito's trigger sources). */
export type CodePurpose =
  | 'SignUp'
  | 'ResendCode'
  | 'ForgotPassword'
  | 'AdminCreateUser'
  | 'Authentication'
  | 'UpdateUserAttribute'
  | 'VerifyUserAttribute';

export interface CapturedCode {
  poolId: string;
  /** The user's Cognito username (the sub in a pool that signs in by e-mail). */
  username: string;
  clientId: string | null;
  purpose: CodePurpose;
  /** The code, or the temporary password of an AdminCreateUser invitation. */
  code: string;
  /** Where Cognito would have sent it: EMAIL or SMS and the address. */
  deliveryMedium: string | undefined;
  destination: string | undefined;
  /** Epoch milliseconds. */
  sentAt: number;
}

/** Codes a user has been sent and not yet used; a few per user are plenty for any test. */
const KEPT_PER_USER = 10;

export class CodeMailbox implements Messages {
  private readonly byUser = new Map<string, CapturedCode[]>();

  constructor(
    private readonly now: () => number = () => Date.now(),
    /** Told of every code as it is "sent" (gatehouse local prints them). */
    private readonly onCode?: (code: CapturedCode) => void,
  ) {}

  deliver(
    _ctx: Context,
    source: string,
    clientId: string | null,
    userPoolId: string,
    user: User,
    code: string,
    _metadata: unknown,
    details: DeliveryDetails,
  ): Promise<void> {
    const key = keyOf(userPoolId, user.Username);
    const kept = this.byUser.get(key) ?? [];
    kept.unshift({
      poolId: userPoolId,
      username: user.Username,
      clientId,
      purpose: source as CodePurpose,
      code,
      deliveryMedium: details?.DeliveryMedium,
      destination: details?.Destination,
      sentAt: this.now(),
    });
    this.byUser.set(key, kept.slice(0, KEPT_PER_USER));
    this.onCode?.(kept[0]);
    return Promise.resolve();
  }

  /** The user's codes, newest first. */
  codesOf(poolId: string, username: string): CapturedCode[] {
    return [...(this.byUser.get(keyOf(poolId, username)) ?? [])];
  }

  /** The newest code of one of `purposes` sent to the user, if any. */
  latest(poolId: string, username: string, purposes: readonly CodePurpose[]): CapturedCode | undefined {
    return this.byUser.get(keyOf(poolId, username))?.find((c) => purposes.includes(c.purpose));
  }

  /** A used code cannot be used again. */
  discard(poolId: string, username: string, purposes: readonly CodePurpose[]): void {
    const key = keyOf(poolId, username);
    const kept = this.byUser.get(key);
    if (kept)
      this.byUser.set(
        key,
        kept.filter((c) => !purposes.includes(c.purpose)),
      );
  }
}

function keyOf(poolId: string, username: string): string {
  return `${poolId}\u0000${username}`;
}

export interface CodesReply {
  status: 200 | 400 | 404;
  body: object;
}

/**
 * GET /_local/codes?poolId=&username=: the user's codes, newest first. `username` may be any name the user
 * signs in with (an e-mail alias included); it is resolved to the Cognito username.
 */
export async function codesEndpoint(
  services: Services,
  mailbox: CodeMailbox,
  query: URLSearchParams,
): Promise<CodesReply> {
  const poolId = query.get('poolId');
  const username = query.get('username');
  if (!poolId || !username)
    return {
      status: 400,
      body: {
        message: 'Give poolId and username, e.g. /_local/codes?poolId=us-east-1_AbC123456&username=jane@example.com',
      },
    };
  const pool = await services.cognito.getUserPool(silentContext, poolId).catch(() => undefined);
  if (!pool) return { status: 404, body: { message: `User pool ${poolId} does not exist.` } };
  const user = await pool.getUserByUsername(silentContext, username);
  if (!user) return { status: 404, body: { message: `User ${username} does not exist in user pool ${poolId}.` } };
  return { status: 200, body: { codes: mailbox.codesOf(poolId, user.Username) } };
}

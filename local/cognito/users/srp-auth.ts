// USER_SRP_AUTH, which cognito-local does not offer (its InitiateAuth knows only the plain password and
// refresh flows): InitiateAuth answers the PASSWORD_VERIFIER challenge (SALT, SRP_B, SECRET_BLOCK,
// USER_ID_FOR_SRP), RespondToAuthChallenge checks PASSWORD_CLAIM_SIGNATURE and then signs the user in the
// way the password flow does, so unconfirmed users, temporary passwords and MFA behave the same. Choice-based
// sign-in's PASSWORD_SRP starts the same challenge (srpChallenge).
import { randomBytes } from 'node:crypto';
import type { AppClient, Context, Services, User } from '../wiring/cognito-local-core';
import { cognitoError, objectField, requireString, stringField, type JsonObject } from '../protocol/request-fields';
import {
  claimSignature,
  parseSrpA,
  serverChallenge,
  sessionKey,
  signatureMatches,
  SRP_TIMESTAMP,
  type SrpServerState,
} from './srp-math';
import type { Guard, TargetGuards } from '../wiring/target-guards';

const INCORRECT = 'Incorrect username or password.';
/** Cognito's default AuthSessionValidity: three minutes to answer a challenge. */
const CHALLENGE_LIFETIME_MS = 3 * 60 * 1000;
const SRP_FLOW = 'USER_SRP_AUTH';

interface PendingChallenge {
  clientId: string;
  poolId: string;
  /** The user's Cognito username; undefined for an unknown user answered with a decoy challenge. */
  userIdForSrp: string | undefined;
  srp: SrpServerState;
  expiresAt: number;
}

/** Challenges issued and not yet answered, by SECRET_BLOCK; each can be answered once. */
export class SrpChallenges {
  private readonly pending = new Map<string, PendingChallenge>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  add(challenge: Omit<PendingChallenge, 'expiresAt'>): string {
    this.sweep();
    const secretBlock = randomBytes(64).toString('base64');
    this.pending.set(secretBlock, { ...challenge, expiresAt: this.now() + CHALLENGE_LIFETIME_MS });
    return secretBlock;
  }

  take(secretBlock: string): PendingChallenge | undefined {
    const challenge = this.pending.get(secretBlock);
    this.pending.delete(secretBlock);
    return challenge && challenge.expiresAt > this.now() ? challenge : undefined;
  }

  private sweep(): void {
    const now = this.now();
    for (const [block, challenge] of this.pending) if (challenge.expiresAt <= now) this.pending.delete(block);
  }
}

/** The pool name of the SRP formulas: the part of the pool id after the underscore. */
function poolNameOf(poolId: string): string {
  return poolId.slice(poolId.indexOf('_') + 1);
}

function missing(name: string): never {
  throw cognitoError('InvalidParameterException', `Missing required parameter ${name}`);
}

/** Signs in a user whose password is proven (sign-in-flow.ts: status, MFA, tokens). */
export type PasswordSignIn = (ctx: Context, services: Services, client: AppClient, user: User) => Promise<object>;

/**
 * The PASSWORD_VERIFIER challenge for `username`, from the client's SRP_A. An unknown user gets a challenge
 * like any other (over a random password) and fails only at the answer, so the response does not reveal who
 * has an account; with PreventUserExistenceErrors LEGACY it is UserNotFoundException instead.
 */
export async function srpChallenge(
  challenges: SrpChallenges,
  ctx: Context,
  services: Services,
  client: AppClient,
  username: string,
  srpAText: string,
): Promise<object> {
  const srpA = parseSrpA(srpAText);
  if (!srpA.ok) throw cognitoError('InvalidParameterException', srpA.reason);
  const pool = await services.cognito.getUserPool(ctx, client.UserPoolId);
  const user = await pool.getUserByUsername(ctx, username);
  if (!user && client.PreventUserExistenceErrors === 'LEGACY')
    throw cognitoError('UserNotFoundException', 'User does not exist.');
  const userIdForSrp = user?.Username ?? username;
  const srp = serverChallenge(
    srpA.A,
    poolNameOf(client.UserPoolId),
    userIdForSrp,
    user?.Password ?? randomBytes(32).toString('base64'),
  );
  const secretBlock = challenges.add({
    clientId: client.ClientId,
    poolId: client.UserPoolId,
    userIdForSrp: user?.Username,
    srp,
  });
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: srp.saltHex,
      SRP_B: srp.B.toString(16),
      SECRET_BLOCK: secretBlock,
      USERNAME: userIdForSrp,
      USER_ID_FOR_SRP: userIdForSrp,
    },
  };
}

function startSrp(challenges: SrpChallenges): Guard {
  return (next, services) => async (ctx, req) => {
    if (stringField(req, 'AuthFlow') !== SRP_FLOW) return next(ctx, req);
    const clientId = requireString(req, 'ClientId');
    const parameters = objectField(req, 'AuthParameters');
    const username = stringField(parameters, 'USERNAME') || missing('USERNAME');
    const srpA = stringField(parameters, 'SRP_A') || missing('SRP_A');
    const client = await services.cognito.getAppClient(ctx, clientId);
    if (!client) throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    return srpChallenge(challenges, ctx, services, client, username, srpA);
  };
}

function answerSrp(challenges: SrpChallenges, passwordSignIn: PasswordSignIn): Guard {
  return (next, services) => async (ctx, req) => {
    if (stringField(req, 'ChallengeName') !== 'PASSWORD_VERIFIER') return next(ctx, req);
    const clientId = requireString(req, 'ClientId');
    const responses: JsonObject = objectField(req, 'ChallengeResponses') ?? missing('ChallengeResponses');
    const username = stringField(responses, 'USERNAME') || missing('USERNAME');
    const secretBlock = stringField(responses, 'PASSWORD_CLAIM_SECRET_BLOCK') || missing('PASSWORD_CLAIM_SECRET_BLOCK');
    const signature = stringField(responses, 'PASSWORD_CLAIM_SIGNATURE') || missing('PASSWORD_CLAIM_SIGNATURE');
    const timestamp = stringField(responses, 'TIMESTAMP') || missing('TIMESTAMP');
    // Cognito's own wording for a TIMESTAMP it cannot read (a day of month with a leading zero included).
    if (!SRP_TIMESTAMP.test(timestamp))
      throw cognitoError(
        'InvalidParameterException',
        'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.',
      );
    const client = await services.cognito.getAppClient(ctx, clientId);
    if (!client) throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);

    const challenge = challenges.take(secretBlock);
    if (!challenge || challenge.clientId !== clientId || !challenge.userIdForSrp)
      throw cognitoError('NotAuthorizedException', INCORRECT);
    const pool = await services.cognito.getUserPool(ctx, challenge.poolId);
    const user = await pool.getUserByUsername(ctx, username);
    if (!user || user.Username !== challenge.userIdForSrp) throw cognitoError('NotAuthorizedException', INCORRECT);

    const key = sessionKey(challenge.srp);
    const expected =
      key && claimSignature(key, poolNameOf(challenge.poolId), challenge.userIdForSrp, secretBlock, timestamp);
    if (!expected || !signatureMatches(expected, signature)) throw cognitoError('NotAuthorizedException', INCORRECT);

    // The password is proven: from here on, exactly what the password flow does for this user.
    return passwordSignIn(ctx, services, client, user);
  };
}

/** `passwordSignIn` follows the proof directly: it must not pass the client's flow checks again. */
export function srpGuards(challenges: SrpChallenges, passwordSignIn: PasswordSignIn): TargetGuards {
  const start = startSrp(challenges);
  return {
    InitiateAuth: start,
    AdminInitiateAuth: start,
    RespondToAuthChallenge: answerSrp(challenges, passwordSignIn),
  };
}

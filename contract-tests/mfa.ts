// The harness's side of MFA on a pool that requires it: the ephemeral test user's first sign-in gets
// MFA_SETUP, so the harness enrols an authenticator for it (AssociateSoftwareToken and VerifySoftwareToken
// with the sign-in's Session, then RespondToAuthChallenge MFA_SETUP, or the hosted UI's set-up page) and keeps
// the secret; later sign-ins answer SOFTWARE_TOKEN_MFA (or the hosted UI's code page, hosted-ui.ts) with a code
// it computes (RFC 6238, otpauth). Cognito accepts each code once, so a sign-in whose 30-second step was used
// already waits for the next one; sign-ins of one user run one at a time.
import {
  AssociateSoftwareTokenCommand,
  RespondToAuthChallengeCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';

const STEP_MS = 30_000;

export interface Authenticator {
  secret: string;
  /** The 30-second step of the code last sent. */
  lastStep?: number;
}

export interface MfaContext {
  cognito: CognitoIdentityProviderClient;
  clientId: string;
  clientName: string;
  /** SECRET_HASH for a username, when the client has a secret. */
  secretHash?: (username: string) => string;
  /** The test user's authenticator, when one was enrolled; `enrol` may set it (only for an ephemeral user). */
  authenticator: Authenticator | undefined;
  enrol?: (authenticator: Authenticator) => void;
  /** Secrets are redacted from reports. */
  redact: (secret: string) => void;
  log?: (line: string) => void;
  /** Waits (tests replace it); default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** What the hosted UI's form driver needs to answer a TOTP page for the test user (hosted-ui.ts). */
export type AuthenticatorHolder = Pick<
  MfaContext,
  'authenticator' | 'enrol' | 'redact' | 'log' | 'sleep' | 'clientName'
>;

/** Keeps a newly enrolled authenticator as the test user's and says so. */
export function keepEnrolled(holder: AuthenticatorHolder, authenticator: Authenticator, where: string): void {
  holder.enrol?.(authenticator);
  holder.authenticator = authenticator;
  holder.log?.(
    `the pool requires MFA: enrolled a TOTP authenticator for the test user${where} (the harness computes its codes, RFC 6238)`,
  );
}

/**
 * A code of a step not sent before, waiting for the next step when the current one was used. The step is
 * taken before waiting, so a second caller meanwhile takes the one after.
 */
export async function nextCode(
  authenticator: Authenticator,
  context: Pick<MfaContext, 'log' | 'sleep'>,
): Promise<string> {
  const now = Date.now();
  let step = Math.floor(now / STEP_MS);
  if (authenticator.lastStep !== undefined && step <= authenticator.lastStep) step = authenticator.lastStep + 1;
  authenticator.lastStep = step;
  const wait = step * STEP_MS - now;
  if (wait > 0) {
    context.log?.(`waiting ${Math.ceil(wait / 1000)} s for the next TOTP code (Cognito accepts each code once)`);
    await (context.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(wait + 100);
  }
  const totp = new TOTP({ secret: Secret.fromBase32(authenticator.secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: step * STEP_MS + 1 });
}

function challengeResponses(
  result: InitiateAuthCommandOutput,
  fallbackUsername: string,
  context: MfaContext,
  extra: Record<string, string>,
): Record<string, string> {
  const username = result.ChallengeParameters?.USER_ID_FOR_SRP ?? fallbackUsername;
  return { USERNAME: username, ...(context.secretHash ? { SECRET_HASH: context.secretHash(username) } : {}), ...extra };
}

/**
 * Answers the MFA challenges of a password sign-in until Cognito hands out tokens. Throws, naming the
 * challenge, for what the harness cannot answer (a password change, SMS or e-mail codes, an existing user's
 * authenticator it has no secret of).
 */
export async function completeMfa(
  first: InitiateAuthCommandOutput,
  username: string,
  context: MfaContext,
): Promise<AuthenticationResultType> {
  let result: InitiateAuthCommandOutput = first;
  for (let round = 0; round < 3 && !result.AuthenticationResult; round++) {
    const name = result.ChallengeName;
    if (
      name === 'MFA_SETUP' &&
      context.enrol &&
      (result.ChallengeParameters?.MFAS_CAN_SETUP ?? '').includes('SOFTWARE_TOKEN_MFA')
    ) {
      const associated = await context.cognito.send(new AssociateSoftwareTokenCommand({ Session: result.Session }));
      if (!associated.SecretCode) throw new Error('AssociateSoftwareToken returned no SecretCode');
      context.redact(associated.SecretCode);
      const authenticator: Authenticator = { secret: associated.SecretCode };
      const verified = await context.cognito.send(
        new VerifySoftwareTokenCommand({
          Session: associated.Session,
          UserCode: await nextCode(authenticator, context),
          FriendlyDeviceName: 'gatehouse contract harness',
        }),
      );
      if (verified.Status !== 'SUCCESS') throw new Error(`VerifySoftwareToken answered ${verified.Status}`);
      keepEnrolled(context, authenticator, '');
      result = await context.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: context.clientId,
          ChallengeName: 'MFA_SETUP',
          Session: verified.Session,
          ChallengeResponses: challengeResponses(result, username, context, {}),
        }),
      );
    } else if (name === 'SOFTWARE_TOKEN_MFA' && context.authenticator) {
      const code = await nextCode(context.authenticator, context);
      context.log?.(
        `answered SOFTWARE_TOKEN_MFA for client "${context.clientName}" with a TOTP code the harness computed`,
      );
      result = await context.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: context.clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: result.Session,
          ChallengeResponses: challengeResponses(result, username, context, { SOFTWARE_TOKEN_MFA_CODE: code }),
        }),
      );
    } else break;
  }
  const auth = result.AuthenticationResult;
  if (!auth?.IdToken || !auth.AccessToken)
    throw new Error(
      `signing in through client "${context.clientName}" gave no tokens${result.ChallengeName ? ` but the challenge ${result.ChallengeName} (the harness answers MFA_SETUP and SOFTWARE_TOKEN_MFA for its own test user only: use a user without a password change, SMS or e-mail MFA)` : ''}`,
    );
  return auth;
}

// Choice-based sign-in (AuthFlow USER_AUTH, API reference InitiateAuth and RespondToAuthChallenge): the
// first factors the pool's SignInPolicy allows (AllowedFirstAuthFactors, default PASSWORD) that this user can
// use become AvailableChallenges: PASSWORD and PASSWORD_SRP, EMAIL_OTP with an email, SMS_OTP with a
// phone_number. PREFERRED_CHALLENGE starts one directly (PASSWORD with PASSWORD, PASSWORD_SRP with SRP_A);
// otherwise, or when it is not available, SELECT_CHALLENGE lists them. Needs the Essentials tier or higher.
// Passwordless factors are not offered while the pool requires MFA, and a password sign-in is followed by
// MFA as any other. WebAuthn is never available: no passkey can be registered here (StartWebAuthnRegistration
// is refused, see passkeys.ts).
import type { Context, Services, User } from '../wiring/cognito-local-core';
import { cognitoError, objectField, requireString, stringField, type JsonObject } from '../protocol/request-fields';
import type { SrpChallenges } from '../users/srp-auth';
import { srpChallenge } from '../users/srp-auth';
import { destinationOf, featurePlanOf, poolMfaOf, type PoolRecord } from './mfa-state';
import { INCORRECT, type SignInAnswer, type SignInContext, type SignInFlow } from './sign-in-flow';

const FACTOR_CHALLENGES: Record<string, string[]> = {
  PASSWORD: ['PASSWORD_SRP', 'PASSWORD'],
  EMAIL_OTP: ['EMAIL_OTP'],
  SMS_OTP: ['SMS_OTP'],
  WEB_AUTHN: [],
};

export function allowedFirstFactors(pool: SignInContext['pool']): string[] {
  return (pool.options as PoolRecord).Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
}

/** The challenges `user` may choose from; for an unknown user (a decoy), every one the policy allows. */
function availableChallenges(at: SignInContext, user: User | undefined): string[] {
  const mfaRequired = poolMfaOf(at.pool).mode === 'ON';
  return allowedFirstFactors(at.pool).flatMap((factor) => {
    if (factor === 'PASSWORD') return FACTOR_CHALLENGES.PASSWORD;
    if (mfaRequired) return [];
    if (factor === 'EMAIL_OTP' && (!user || destinationOf(user, 'EMAIL'))) return ['EMAIL_OTP'];
    if (factor === 'SMS_OTP' && (!user || destinationOf(user, 'SMS'))) return ['SMS_OTP'];
    return [];
  });
}

function passwordMatches(user: User, password: string): boolean {
  return user.Password === password;
}

export class UserAuth {
  constructor(
    private readonly flow: SignInFlow,
    private readonly srp: SrpChallenges,
  ) {}

  /** InitiateAuth / AdminInitiateAuth with AuthFlow USER_AUTH (the client's ALLOW_USER_AUTH is checked before). */
  async initiate(ctx: Context, services: Services, req: JsonObject): Promise<object> {
    const clientId = requireString(req, 'ClientId');
    const parameters = objectField(req, 'AuthParameters') ?? {};
    const username = stringField(parameters, 'USERNAME');
    if (!username) throw cognitoError('InvalidParameterException', 'Missing required parameter USERNAME');
    const client = await services.cognito.getAppClient(ctx, clientId);
    if (!client) throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    const pool = await services.cognito.getUserPool(ctx, client.UserPoolId);
    const at: SignInContext = { ctx, services, client, pool };
    if (featurePlanOf(pool) === 'LITE')
      throw cognitoError(
        'FeatureUnavailableInTierException',
        'Choice-based authentication (USER_AUTH) requires the Essentials feature plan or higher.',
      );
    const user = (await pool.getUserByUsername(ctx, username)) ?? undefined;
    if (!user && client.PreventUserExistenceErrors === 'LEGACY')
      throw cognitoError('UserNotFoundException', 'User does not exist.');
    const available = availableChallenges(at, user);
    const preferred = stringField(parameters, 'PREFERRED_CHALLENGE');
    if (preferred !== undefined && available.includes(preferred))
      return this.start(at, user, username, preferred, parameters);
    return this.select(at, user, available);
  }

  private select(at: SignInContext, user: User | undefined, available: string[]): SignInAnswer {
    const answer = this.flow.challenge(at, user, 'SELECT_CHALLENGE', {}, { available });
    return { ...answer, AvailableChallenges: available };
  }

  /**
   * A chosen first factor, with what came along with the choice (AuthParameters of InitiateAuth, or the
   * ChallengeResponses of SELECT_CHALLENGE, PASSWORD or PASSWORD_SRP).
   */
  start = async (
    at: SignInContext,
    user: User | undefined,
    username: string,
    challenge: string,
    given: JsonObject,
  ): Promise<object> => {
    switch (challenge) {
      case 'PASSWORD': {
        const password = stringField(given, 'PASSWORD');
        if (password === undefined) return this.flow.challenge(at, user, 'PASSWORD', {});
        if (!user || !passwordMatches(user, password)) throw cognitoError('NotAuthorizedException', INCORRECT);
        if (user.UserStatus === 'RESET_REQUIRED')
          throw cognitoError('PasswordResetRequiredException', 'Password reset required for the user');
        return this.flow.afterPassword(at, user);
      }
      case 'PASSWORD_SRP': {
        const srpA = stringField(given, 'SRP_A');
        if (srpA === undefined) return this.flow.challenge(at, user, 'PASSWORD_SRP', {});
        return srpChallenge(this.srp, at.ctx, at.services, at.client, user?.Username ?? username, srpA);
      }
      case 'EMAIL_OTP':
      case 'SMS_OTP': {
        // An unknown user's code goes nowhere; the answer then fails like a wrong code.
        if (!user) return this.flow.challenge(at, undefined, challenge, {});
        return this.flow.codeChallenge(at, user, challenge);
      }
      case 'WEB_AUTHN':
        throw cognitoError(
          'InvalidParameterException',
          'WEB_AUTHN is not available: the user has no passkey (the local Cognito cannot register passkeys).',
        );
      default:
        throw cognitoError('InvalidParameterException', `${challenge} is not a first factor of choice-based sign-in.`);
    }
  };

  /** For SignInFlow.respond: SELECT_CHALLENGE's ANSWER, or a PASSWORD / PASSWORD_SRP challenge answered. */
  choose = (at: SignInContext, user: User | undefined, challenge: string, responses: JsonObject): Promise<object> =>
    this.start(at, user, stringField(responses, 'USERNAME') ?? '', challenge, responses);
}

// What follows a proven first factor, as Cognito does it: a temporary password's NEW_PASSWORD_REQUIRED, then
// MFA by the pool's MfaConfiguration (OFF, OPTIONAL for users with a factor enabled, ON for everyone: a user
// with no factor gets MFA_SETUP, or the SMS or e-mail factor when the pool sends those and the user has the
// attribute), SELECT_MFA_TYPE when several factors and no preference, and tokens at the end. Also the answers
// to those challenges, for RespondToAuthChallenge and AdminRespondToAuthChallenge. cognito-local's own MFA
// takes any Session and checks TOTP with otplib, which Jest cannot load; this replaces it.
import { timingSafeEqual } from 'node:crypto';
import {
  silentContext,
  type AppClient,
  type Context,
  type Services,
  type User,
  type UserPoolService,
} from '../wiring/cognito-local-core';
import { cognitoError, objectField, requireString, stringField, type JsonObject } from '../protocol/request-fields';
import { checkTotp } from './totp';
import {
  destinationOf,
  hasVerifiedAuthenticator,
  poolMfaOf,
  userMfaMethods,
  type MfaMethod,
  type UserRecord,
} from './mfa-state';
import type { SignInSessions, SignInState } from './sign-in-sessions';

export const INCORRECT = 'Incorrect username or password.';
export const EXPIRED_SESSION = 'Invalid session for the user, session is expired.';

/** What a sign-in step answers: a challenge with its Session, or tokens. */
export type SignInAnswer = {
  ChallengeName?: string;
  ChallengeParameters: Record<string, string>;
  Session?: string;
  AvailableChallenges?: string[];
  AuthenticationResult?: { AccessToken: string; IdToken: string; RefreshToken: string };
};

export interface SignInContext {
  ctx: Context;
  services: Services;
  client: AppClient;
  pool: UserPoolService;
  /**
   * What ends a sign-in whose every step is proven; default: the API's tokens. The hosted UI issues an
   * authorization code or its own tokens instead, so it takes the user here.
   */
  finish?: (user: User) => Promise<SignInAnswer>;
}

function codesMatch(expected: string | undefined, given: string | undefined): boolean {
  if (expected === undefined || given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class SignInFlow {
  constructor(readonly sessions: SignInSessions) {}

  /** A challenge of this sign-in, with a new Session that answers it. */
  challenge(
    at: SignInContext,
    user: User | undefined,
    name: string,
    parameters: Record<string, string>,
    state: Partial<SignInState> = {},
  ): SignInAnswer {
    const session = this.sessions.open({
      poolId: at.client.UserPoolId,
      clientId: at.client.ClientId,
      username: user?.Username,
      awaiting: [name],
      ...state,
    });
    return {
      ChallengeName: name,
      ChallengeParameters: user ? { USER_ID_FOR_SRP: user.Username, ...parameters } : parameters,
      Session: session,
    };
  }

  /** Sends a six-digit code by SMS or e-mail (to the mailbox) and answers the challenge that asks for it. */
  async codeChallenge(at: SignInContext, user: User, name: 'SMS_MFA' | 'EMAIL_OTP' | 'SMS_OTP'): Promise<SignInAnswer> {
    const medium = name === 'EMAIL_OTP' ? 'EMAIL' : 'SMS';
    const destination = destinationOf(user, medium);
    if (!destination)
      throw cognitoError(
        'InvalidParameterException',
        `User does not have delivery config set to turn on ${name === 'EMAIL_OTP' ? 'EMAIL_OTP' : 'SMS_MFA'}`,
      );
    const code = at.services.otp();
    await at.services.messages.deliver(
      at.ctx,
      'Authentication',
      at.client.ClientId,
      at.client.UserPoolId,
      user,
      code,
      undefined,
      medium === 'EMAIL'
        ? { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: destination.Destination }
        : { DeliveryMedium: 'SMS', AttributeName: 'phone_number', Destination: destination.Destination },
    );
    return this.challenge(
      at,
      user,
      name,
      { CODE_DELIVERY_DELIVERY_MEDIUM: medium, CODE_DELIVERY_DESTINATION: destination.Destination },
      { code },
    );
  }

  /** The end of a sign-in: `at.finish`, or tokens as InitiateAuth and RespondToAuthChallenge answer them. */
  async tokens(at: SignInContext, user: User): Promise<SignInAnswer> {
    if (at.finish) return at.finish(user);
    const groups = await at.pool.listUserGroupMembership(at.ctx, user);
    const tokens = await at.services.tokenGenerator.generate(
      at.ctx,
      user,
      groups,
      at.client,
      undefined,
      'Authentication',
    );
    return {
      ChallengeParameters: {},
      AuthenticationResult: {
        AccessToken: tokens.AccessToken,
        IdToken: tokens.IdToken,
        RefreshToken: tokens.RefreshToken,
      },
    };
  }

  /** The password is proven: the user's status, then MFA, then tokens. */
  async afterPassword(at: SignInContext, user: User): Promise<SignInAnswer> {
    if (user.UserStatus === 'FORCE_CHANGE_PASSWORD')
      return this.challenge(at, user, 'NEW_PASSWORD_REQUIRED', {
        requiredAttributes: JSON.stringify([]),
        userAttributes: JSON.stringify(
          Object.fromEntries((user.Attributes ?? []).filter((a) => a.Name !== 'sub').map((a) => [a.Name, a.Value])),
        ),
      });
    if (user.UserStatus === 'UNCONFIRMED') throw cognitoError('UserNotConfirmedException', 'User is not confirmed.');
    return this.mfaOrTokens(at, user);
  }

  async mfaOrTokens(at: SignInContext, user: User): Promise<SignInAnswer> {
    const pool = poolMfaOf(at.pool);
    if (pool.mode === 'OFF') return this.tokens(at, user);
    let methods = userMfaMethods(user, pool);
    if (methods.length === 0 && pool.mode === 'ON') {
      // MFA required and nothing enabled: a verified authenticator, or a code by a channel the pool sends
      // and the user has an address for (the API reference, MFA_SETUP: "collect a phone_number or email
      // attribute ... then restart"), else setting one up.
      if (pool.methods.includes('SOFTWARE_TOKEN_MFA') && hasVerifiedAuthenticator(user))
        methods = ['SOFTWARE_TOKEN_MFA'];
      else if (pool.methods.includes('SMS_MFA') && destinationOf(user, 'SMS')) methods = ['SMS_MFA'];
      else if (pool.methods.includes('EMAIL_OTP') && destinationOf(user, 'EMAIL')) methods = ['EMAIL_OTP'];
      else return this.challenge(at, user, 'MFA_SETUP', { MFAS_CAN_SETUP: JSON.stringify(pool.methods) });
    }
    if (methods.length === 0) return this.tokens(at, user);
    const preferred =
      methods.find((m) => m === user.PreferredMfaSetting) ?? (methods.length === 1 ? methods[0] : undefined);
    if (!preferred)
      return this.challenge(
        at,
        user,
        'SELECT_MFA_TYPE',
        { MFAS_CAN_CHOOSE: JSON.stringify(methods) },
        { available: methods },
      );
    return this.mfaChallenge(at, user, preferred);
  }

  mfaChallenge(at: SignInContext, user: User, method: MfaMethod): Promise<SignInAnswer> | SignInAnswer {
    if (method === 'SOFTWARE_TOKEN_MFA') {
      const device = (user as UserRecord).SoftwareTokenMfaConfiguration?.FriendlyDeviceName;
      return this.challenge(at, user, 'SOFTWARE_TOKEN_MFA', device ? { FRIENDLY_DEVICE_NAME: device } : {});
    }
    return this.codeChallenge(at, user, method);
  }

  /**
   * RespondToAuthChallenge and AdminRespondToAuthChallenge for the challenges this layer issues. `choose`
   * answers SELECT_CHALLENGE, PASSWORD and PASSWORD_SRP (choice-based sign-in, user-auth.ts); `finish`, when
   * given, ends the sign-in instead of tokens (SignInContext.finish).
   */
  async respond(
    ctx: Context,
    services: Services,
    req: JsonObject,
    choose: (at: SignInContext, user: User | undefined, name: string, responses: JsonObject) => Promise<object>,
    finish?: SignInContext['finish'],
  ): Promise<object> {
    const clientId = requireString(req, 'ClientId');
    const name = requireString(req, 'ChallengeName');
    const responses = objectField(req, 'ChallengeResponses') ?? {};
    const username = stringField(responses, 'USERNAME');
    if (!username) throw cognitoError('InvalidParameterException', 'Missing required parameter USERNAME');
    const client = await services.cognito.getAppClient(ctx, clientId);
    if (!client) throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    const sessionId = stringField(req, 'Session');
    const state = this.sessions.get(sessionId, clientId);
    if (!state || sessionId === undefined) throw cognitoError('NotAuthorizedException', EXPIRED_SESSION);
    if (!state.awaiting.includes(name))
      throw cognitoError(
        'InvalidParameterException',
        `This session answers ${state.awaiting.join(' or ')}, not ${name}.`,
      );
    const pool = await services.cognito.getUserPool(ctx, client.UserPoolId);
    const at: SignInContext = { ctx, services, client, pool, finish };
    const found = await pool.getUserByUsername(ctx, username);
    const user = found && found.Username === state.username ? found : undefined;
    if (state.username !== undefined && !user) throw cognitoError('NotAuthorizedException', INCORRECT);

    if (name === 'SELECT_CHALLENGE' || name === 'PASSWORD' || name === 'PASSWORD_SRP') {
      const answer = name === 'SELECT_CHALLENGE' ? stringField(responses, 'ANSWER') : name;
      if (!answer || !(state.available ?? state.awaiting).includes(answer))
        throw cognitoError(
          'InvalidParameterException',
          `ANSWER must be one of the available challenges: ${(state.available ?? []).join(', ')} (received: ${answer ?? 'none'}).`,
        );
      this.sessions.end(sessionId);
      return choose(at, user, answer, responses);
    }
    if (!user) throw cognitoError('NotAuthorizedException', INCORRECT);

    switch (name) {
      case 'NEW_PASSWORD_REQUIRED': {
        const password = stringField(responses, 'NEW_PASSWORD');
        if (!password) throw cognitoError('InvalidParameterException', 'Missing required parameter NEW_PASSWORD');
        const attributes = Object.entries(responses)
          .filter(([key, value]) => key.startsWith('userAttributes.') && typeof value === 'string')
          .map(([key, value]) => ({ Name: key.slice('userAttributes.'.length), Value: value as string }));
        const kept = (user.Attributes ?? []).filter((a) => !attributes.some((b) => b.Name === a.Name));
        const updated: User = {
          ...user,
          Password: password,
          UserStatus: 'CONFIRMED',
          Attributes: [...kept, ...attributes],
          UserLastModifiedDate: services.clock.get(),
        };
        await pool.saveUser(ctx, updated);
        this.sessions.end(sessionId);
        return this.mfaOrTokens(at, updated);
      }
      case 'SMS_MFA':
      case 'EMAIL_OTP':
      case 'SMS_OTP': {
        const key = name === 'SMS_MFA' ? 'SMS_MFA_CODE' : `${name}_CODE`;
        if (!codesMatch(state.code, stringField(responses, key)))
          throw cognitoError('CodeMismatchException', 'Invalid code or auth state for the user.');
        this.sessions.end(sessionId);
        return this.tokens(at, user);
      }
      case 'SOFTWARE_TOKEN_MFA': {
        const record = user as UserRecord;
        const secret = record.SoftwareTokenMfaConfiguration?.Verified
          ? record.SoftwareTokenMfaConfiguration.Secret
          : undefined;
        if (!secret)
          throw cognitoError('SoftwareTokenMFANotFoundException', 'Software Token MFA does not exist for the user.');
        const check = checkTotp(secret, stringField(responses, 'SOFTWARE_TOKEN_MFA_CODE') ?? '', record.TotpLastStep);
        if (!check.ok && check.reason === 'reused')
          throw cognitoError('ExpiredCodeException', 'Your software token has already been used once.');
        if (!check.ok) throw cognitoError('CodeMismatchException', 'Invalid code received for user');
        const updated: UserRecord = { ...record, TotpLastStep: check.step };
        await pool.saveUser(ctx, updated);
        this.sessions.end(sessionId);
        return this.tokens(at, updated);
      }
      case 'SELECT_MFA_TYPE': {
        const answer = stringField(responses, 'ANSWER');
        const method = (state.available ?? []).find((m) => m === answer) as MfaMethod | undefined;
        if (!method)
          throw cognitoError(
            'InvalidParameterException',
            `ANSWER must be one of ${(state.available ?? []).join(', ')} (received: ${answer ?? 'none'}).`,
          );
        this.sessions.end(sessionId);
        return this.mfaChallenge(at, user, method);
      }
      case 'MFA_SETUP': {
        if (!state.totpVerified || !state.totpSecret)
          throw cognitoError(
            'InvalidParameterException',
            'Verify a software token with VerifySoftwareToken and this Session before answering MFA_SETUP.',
          );
        const record = user as UserRecord;
        const methods = new Set<string>(record.UserMFASettingList ?? []);
        methods.add('SOFTWARE_TOKEN_MFA');
        const updated: UserRecord = {
          ...record,
          SoftwareTokenMfaConfiguration: { Secret: state.totpSecret, Verified: true },
          TotpLastStep: state.totpStep,
          UserMFASettingList: [...methods],
          PreferredMfaSetting: record.PreferredMfaSetting ?? 'SOFTWARE_TOKEN_MFA',
        };
        await pool.saveUser(ctx, updated);
        this.sessions.end(sessionId);
        return this.tokens(at, updated);
      }
      default:
        throw cognitoError('InvalidParameterException', `The local Cognito does not answer ${name} challenges.`);
    }
  }

  /** The pool and client of a request naming a client (undefined when either is gone). */
  static async contextOf(ctx: Context, services: Services, clientId: string): Promise<SignInContext | undefined> {
    const client = await services.cognito.getAppClient(ctx, clientId);
    if (!client) return undefined;
    const pool = await services.cognito.getUserPool(ctx ?? silentContext, client.UserPoolId).catch(() => undefined);
    return pool ? { ctx, services, client, pool } : undefined;
  }
}

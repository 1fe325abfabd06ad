// The hosted UI's sign-in itself: the password form's answer, then the steps the API's sign-in flow asks for
// (sign-in-flow.ts, its Sessions carried in a hidden field): a new password for a temporary one
// (NEW_PASSWORD_REQUIRED, the pool's policy applied), an MFA code (authenticator app, or the SMS or e-mail
// code, in the mailbox), a choice of factor (SELECT_MFA_TYPE), or setting up an authenticator app when the
// pool requires MFA and the user has none (MFA_SETUP, the secret shown as text). Wrong answers show the page
// again with the API's message for them. The flow ends by handing over the user, not API tokens.
import { timingSafeEqual } from 'node:crypto';
import {
  CognitoError,
  silentContext,
  type Services,
  type User,
  type UserPoolService,
} from '../wiring/cognito-local-core';
import type { AuthorizeRequest } from './authorize-request';
import {
  loginPage,
  mfaCodePage,
  newPasswordPage,
  selectMfaPage,
  totpSetupPage,
  type StepPage,
} from './hosted-ui-pages';
import { EXPIRED_SESSION, type SignInAnswer, type SignInContext, type SignInFlow } from '../sign-in/sign-in-flow';
import type { SignInState } from '../sign-in/sign-in-sessions';
import { associateOnSession, verifyOnSession } from '../sign-in/totp-setup';
import { attributeOf, destinationOf, type UserRecord } from '../sign-in/mfa-state';
import { policyViolation, poolPasswordPolicy } from '../guards/password-policy';
import { cognitoError } from '../protocol/request-fields';

export const INCORRECT = 'Incorrect username or password.';

/** What a POST to /login leads to: a page (the form again, or the next step), or a signed-in user. */
export type Outcome = { page: string; status?: number } | { user: User };

const MFA_LABELS: Readonly<Record<string, string>> = {
  SOFTWARE_TOKEN_MFA: 'Authenticator app',
  SMS_MFA: 'Text message (SMS)',
  EMAIL_OTP: 'E-mail',
};

/** The hosted UI signs in with a password only: it never opens a choice-based sign-in. */
const noChoiceBasedSignIn = (): Promise<never> =>
  Promise.reject(cognitoError('InvalidParameterException', 'The local hosted UI signs in with a password.'));

/** An otpauth URI (Key Uri Format) authenticator apps take instead of scanning a QR code. */
function otpauthUri(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`;
}

function passwordMatches(user: User, password: string): boolean {
  const a = Buffer.from(user.Password ?? '');
  const b = Buffer.from(password);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why a user with the right password still cannot sign in here, as the page says it. */
export function accountBlocker(user: User): string | undefined {
  if (user.Enabled === false) return 'User is disabled.';
  if (user.UserStatus === 'UNCONFIRMED') return 'User is not confirmed.';
  if (user.UserStatus === 'RESET_REQUIRED')
    return 'Password reset required for the user: the local hosted UI has no reset page; reset it with ForgotPassword and ConfirmForgotPassword, or set one with AdminSetUserPassword.';
  return undefined;
}
export function hostedUiSignIn(services: Services, signIn: SignInFlow) {
  /**
   * The sign-in flow's context for a hosted-UI step: the flow ends it by handing over the user (no API
   * tokens), which `after` then turns into the Outcome; a challenge becomes its page.
   */
  const stepRunner = (request: AuthorizeRequest, params: URLSearchParams, pool: UserPoolService) => {
    let signedIn: User | undefined;
    const at: SignInContext = {
      ctx: silentContext,
      services,
      client: request.client,
      pool,
      finish: (user) => {
        signedIn = user;
        return Promise.resolve({ ChallengeParameters: {} });
      },
    };
    const after = async (step: () => Promise<SignInAnswer>): Promise<Outcome> => {
      const answer = await step();
      if (signedIn) return { user: signedIn };
      return challengeOutcome(request, params, pool, answer);
    };
    return { at, after };
  };

  /** The page of the challenge `answer` names; MFA_SETUP first hands its Session an authenticator secret. */
  const challengeOutcome = async (
    request: AuthorizeRequest,
    params: URLSearchParams,
    pool: UserPoolService,
    answer: SignInAnswer,
  ): Promise<Outcome> => {
    let session = answer.Session;
    const name = answer.ChallengeName;
    let state = session ? signIn.sessions.get(session, request.client.ClientId) : undefined;
    const user = state?.username ? await pool.getUserByUsername(silentContext, state.username) : null;
    if (!session || !name || !state || !user) return { page: loginPage(params, INCORRECT) };
    if (name === 'MFA_SETUP') {
      const canSetUp = JSON.parse(answer.ChallengeParameters.MFAS_CAN_SETUP ?? '[]') as string[];
      if (!canSetUp.includes('SOFTWARE_TOKEN_MFA'))
        return {
          page: loginPage(
            params,
            `The pool requires MFA and this user has no factor it can use (the pool offers ${canSetUp.join(', ') || 'none'}): give the user a phone_number or email the pool sends codes to, or let the pool use authenticator apps.`,
          ),
        };
      ({ session } = associateOnSession(signIn, session, state));
      state = signIn.sessions.get(session, request.client.ClientId)!;
    }
    return { page: stepPage({ authorizeParams: params, session }, name, state, user, pool) };
  };

  /** A step's page, again with `error` after a wrong answer. */
  const stepPage = (step: StepPage, name: string, state: SignInState, user: User, pool: UserPoolService): string => {
    const account = attributeOf(user, 'email') ?? user.Username;
    switch (name) {
      case 'NEW_PASSWORD_REQUIRED':
        return newPasswordPage(step, account);
      case 'SOFTWARE_TOKEN_MFA': {
        const device = (user as UserRecord).SoftwareTokenMfaConfiguration?.FriendlyDeviceName;
        return mfaCodePage(step, name, `Enter the code from your authenticator app${device ? ` (${device})` : ''}.`);
      }
      case 'SMS_MFA':
      case 'EMAIL_OTP': {
        const by = name === 'SMS_MFA' ? 'SMS' : 'EMAIL';
        const destination = destinationOf(user, by)?.Destination ?? 'you';
        return mfaCodePage(
          step,
          name,
          `We sent a code by ${by === 'SMS' ? 'text message' : 'e-mail'} to ${destination}.`,
        );
      }
      case 'SELECT_MFA_TYPE':
        return selectMfaPage(
          step,
          (state.available ?? []).map((value) => ({ value, label: MFA_LABELS[value] ?? value })),
        );
      case 'MFA_SETUP':
        return totpSetupPage(
          step,
          state.totpSecret ?? '',
          otpauthUri(pool.options.Name ?? pool.options.Id, account, state.totpSecret ?? ''),
        );
      default:
        return loginPage(step.authorizeParams, `The local hosted UI cannot answer ${name}.`);
    }
  };

  const signInWithPassword = async (
    request: AuthorizeRequest,
    params: URLSearchParams,
    form: URLSearchParams,
  ): Promise<Outcome> => {
    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    if (!username || !password) return { page: loginPage(params, 'Username and password are required.'), status: 400 };
    const pool = await services.cognito.getUserPool(silentContext, request.client.UserPoolId);
    const user = await pool.getUserByUsername(silentContext, username);
    if (!user || !passwordMatches(user, password)) return { page: loginPage(params, INCORRECT) };
    const blocker = accountBlocker(user);
    if (blocker) return { page: loginPage(params, blocker) };
    const run = stepRunner(request, params, pool);
    return run.after(() => signIn.afterPassword(run.at, user));
  };

  /** A step's form posted back: its Session, the challenge it answers and the answer. */
  const answerStep = async (
    request: AuthorizeRequest,
    params: URLSearchParams,
    form: URLSearchParams,
  ): Promise<Outcome> => {
    let session = form.get('session') ?? '';
    const name = form.get('challenge') ?? '';
    const state = signIn.sessions.get(session, request.client.ClientId);
    if (!state || state.username === undefined || !state.awaiting.includes(name))
      return { page: loginPage(params, `${EXPIRED_SESSION} Sign in again.`) };
    const pool = await services.cognito.getUserPool(silentContext, request.client.UserPoolId);
    const user = await pool.getUserByUsername(silentContext, state.username);
    if (!user) return { page: loginPage(params, INCORRECT) };
    const blocker = accountBlocker(user);
    if (blocker) return { page: loginPage(params, blocker) };
    const again = (error: string): Outcome => ({
      page: stepPage({ authorizeParams: params, session, error }, name, state, user, pool),
    });

    const code = form.get('code') ?? '';
    let responses: Record<string, string>;
    switch (name) {
      case 'NEW_PASSWORD_REQUIRED': {
        const password = form.get('new_password') ?? '';
        if (!password) return again('Enter a new password.');
        if (password !== (form.get('confirm_password') ?? '')) return again('The passwords do not match.');
        const violation = policyViolation(password, poolPasswordPolicy(pool));
        if (violation) return again(`Password did not conform with policy: ${violation}`);
        responses = { NEW_PASSWORD: password };
        break;
      }
      case 'SOFTWARE_TOKEN_MFA':
      case 'SMS_MFA':
      case 'EMAIL_OTP':
        responses = { [`${name}_CODE`]: code };
        break;
      case 'SELECT_MFA_TYPE':
        responses = { ANSWER: form.get('answer') ?? '' };
        break;
      case 'MFA_SETUP': {
        const verified = verifyOnSession(signIn, session, state, code);
        if (!verified.ok) return again('Code mismatch and fail enable Software Token MFA');
        session = verified.session;
        responses = {};
        break;
      }
      default:
        return { page: loginPage(params, `The local hosted UI cannot answer ${name}.`) };
    }
    const run = stepRunner(request, params, pool);
    try {
      return await run.after(
        async () =>
          // The challenges the hosted UI answers are this flow's own, answered with SignInAnswers.
          (await signIn.respond(
            silentContext,
            services,
            {
              ClientId: request.client.ClientId,
              ChallengeName: name,
              Session: session,
              ChallengeResponses: { USERNAME: user.Username, ...responses },
            },
            noChoiceBasedSignIn,
            run.at.finish,
          )) as SignInAnswer,
      );
    } catch (error) {
      if (error instanceof CognitoError) return again(error.message);
      throw error;
    }
  };
  return { withPassword: signInWithPassword, answerStep };
}

// The hosted UI's sign-up pages, as managed login and the classic hosted UI serve them
// (https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-endpoints.html): /signup takes the
// same parameters as /oauth2/authorize and creates the account; /confirm ("redirect only from /signup") takes
// the code the pool sent; /resendcode (the "Send a new code" link of /confirm) sends another. The forms run
// the API's own SignUp, ConfirmSignUp and ResendConfirmationCode through the guarded router, so the password
// policy, AllowAdminCreateUserOnly, auto-verified attributes, the code mailbox and the API's error messages
// are the same as for an app calling the API. Once confirmed, the browser signs in with the password it
// chose, through /login's own steps, and lands on the redirect URI as after /login. /confirmUser (the link of
// a CONFIRM_WITH_LINK message) is not served: the local pools send codes (provision.ts: CONFIRM_WITH_CODE).
// Unverified (no guide page or capture says it): that Cognito signs the user in straight after /confirm,
// the status of a refused form (400 here), the page for a pool that sends no code (a notice and a link to
// /login here), what /signup shows for an admin-only pool (an error page with the API's message here), and
// the cookie that carries the sign-up to /confirm.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CognitoError,
  UnsupportedError,
  silentContext,
  type Services,
  type UserPoolService,
} from '../wiring/cognito-local-core';
import type { OperationRouter } from '../wiring/target-guards';
import type { ResourceServerStore } from '../pools/resource-servers';
import { authorizeParamsOf, checkAuthorizeRequest, type AuthorizeRequest } from './authorize-request';
import { answerRefused, getOrPost } from './hosted-ui-answers';
import { confirmPage, errorPage, noticePage, signUpPage, type ConfirmPage, type FormField } from './hosted-ui-pages';
import { cookieOf, readForm, redirect, sendHtml } from '../protocol/http-replies';
import { secretHashOf } from '../guards/secret-hash';

const SIGN_UP_COOKIE = 'cognito-signup';
/** How long /confirm can still sign the new user in without asking for the password again. */
const PENDING_LIFETIME_MS = 60 * 60 * 1000;

/** A sign-up this browser made and has not confirmed yet: what signing in after /confirm needs. */
interface PendingSignUp {
  clientId: string;
  username: string;
  password: string;
  delivery?: ConfirmPage['delivery'];
  expiresAt: number;
}

export interface HostedUiSignUpOptions {
  services: Services;
  resourceServers: ResourceServerStore;
  /** The API's operations, guards included (local-cognito.ts), already queued per pool. */
  router: OperationRouter;
  /**
   * Signs the user in with `password` as a POST to /login would (its steps, its session cookie) and answers
   * the browser; `cookies` go out with the answer.
   */
  signIn: (
    res: ServerResponse,
    request: AuthorizeRequest,
    params: URLSearchParams,
    credentials: { username: string; password: string },
    cookies: string[],
  ) => Promise<void>;
}

/** Whether the pool lets people sign themselves up (false: AllowAdminCreateUserOnly). */
export function selfSignUpAllowed(pool: UserPoolService): boolean {
  return pool.options.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true;
}

const LABELS: Readonly<Record<string, string>> = {
  email: 'Email',
  phone_number: 'Phone number',
  given_name: 'Given name',
  family_name: 'Family name',
  middle_name: 'Middle name',
  preferred_username: 'Preferred username',
  updated_at: 'Updated at',
  zoneinfo: 'Zone info',
};

function fieldOf(attribute: string): FormField {
  const label =
    LABELS[attribute] ??
    attribute
      .replace(/^custom:/, '')
      .replace(/_/g, ' ')
      .replace(/^./, (c) => c.toUpperCase());
  if (attribute === 'email') return { name: attribute, label, type: 'email', autocomplete: 'email' };
  if (attribute === 'phone_number') return { name: attribute, label, type: 'tel', autocomplete: 'tel' };
  return { name: attribute, label, type: 'text' };
}

/**
 * The form's fields: the username as the pool's username attributes name it, then every attribute the
 * pool requires (its schema) or sends the code to (auto-verified), but the one the username already is.
 */
export function signUpFields(pool: UserPoolService): FormField[] {
  const usernameAttributes = pool.options.UsernameAttributes ?? [];
  const username: FormField =
    usernameAttributes.length === 2
      ? { name: 'username', label: 'Email or phone number', type: 'text', autocomplete: 'username' }
      : usernameAttributes[0] === 'email'
        ? { name: 'username', label: 'Email', type: 'email', autocomplete: 'email' }
        : usernameAttributes[0] === 'phone_number'
          ? { name: 'username', label: 'Phone number', type: 'tel', autocomplete: 'tel' }
          : { name: 'username', label: 'Username', type: 'text', autocomplete: 'username' };
  const wanted = new Set<string>();
  for (const attribute of pool.options.SchemaAttributes ?? [])
    if (attribute.Required && attribute.Name && attribute.Name !== 'sub') wanted.add(attribute.Name);
  for (const attribute of pool.options.AutoVerifiedAttributes ?? []) wanted.add(attribute);
  // With both e-mail and phone as usernames, the other one stays a field: the username is only one of them.
  if (usernameAttributes.length === 1) wanted.delete(usernameAttributes[0]);
  return [username, ...[...wanted].map(fieldOf)];
}

/** Cognito's message for a failed call, for the page; a local limitation says so rather than failing. */
function messageOf(error: unknown): string | undefined {
  if (error instanceof CognitoError) return error.message;
  if (error instanceof UnsupportedError) return `Not supported by the local Cognito: ${error.message}`;
  return undefined;
}

export function hostedUiSignUp(options: HostedUiSignUpOptions) {
  const { services, resourceServers, router, signIn } = options;
  const pending = new Map<string, PendingSignUp>();

  const call = (operation: string, request: Record<string, unknown>): Promise<object> =>
    router.route(operation)(silentContext, request);

  /** The request's SecretHash member for a client with a secret: the hosted UI knows the secret. */
  const secretHash = (request: AuthorizeRequest, username: string): { SecretHash?: string } =>
    request.client.ClientSecret
      ? { SecretHash: secretHashOf(username, request.client.ClientId, request.client.ClientSecret) }
      : {};

  const pendingOf = (req: IncomingMessage, clientId: string, username: string): [string, PendingSignUp] | undefined => {
    const id = cookieOf(req, SIGN_UP_COOKIE);
    const found = id ? pending.get(id) : undefined;
    if (!id || !found || found.expiresAt <= Date.now()) return undefined;
    return found.clientId === clientId && found.username === username ? [id, found] : undefined;
  };

  const remember = (record: PendingSignUp): string => {
    const now = Date.now();
    for (const [id, old] of pending) if (old.expiresAt <= now) pending.delete(id);
    const id = randomBytes(32).toString('base64url');
    pending.set(id, record);
    return `${SIGN_UP_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${PENDING_LIFETIME_MS / 1000}`;
  };
  const forget = (id: string): string => {
    pending.delete(id);
    return `${SIGN_UP_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
  };

  /** The authorization request the page carries, checked as /login checks it, and the client's pool. */
  const checked = async (
    res: ServerResponse,
    query: URLSearchParams,
  ): Promise<{ request: AuthorizeRequest; params: URLSearchParams; pool: UserPoolService } | undefined> => {
    const check = await checkAuthorizeRequest(services, resourceServers, query);
    if (!check.ok) {
      answerRefused(res, check);
      return undefined;
    }
    const pool = await services.cognito.getUserPool(silentContext, check.request.client.UserPoolId);
    return { request: check.request, params: authorizeParamsOf(query), pool };
  };

  const mailboxOf = (pool: UserPoolService, username: string): string =>
    `/_local/codes?${new URLSearchParams({ poolId: pool.options.Id, username }).toString()}`;

  const confirmUrl = (params: URLSearchParams, username: string): string => {
    const query = new URLSearchParams(params);
    query.set('username', username);
    return `/confirm?${query.toString()}`;
  };

  /** GET shows the form; POST runs SignUp, then goes on to /confirm (or signs in, or says what is next). */
  const signup = async (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> => {
    if (!getOrPost(req, res)) return;
    const at = await checked(res, query);
    if (!at) return;
    const { request, params, pool } = at;
    // The API's SignUp refuses the same pool with this message (self-sign-up.ts).
    if (!selfSignUpAllowed(pool)) return sendHtml(res, 400, errorPage('SignUp is not permitted for this user pool'));
    const fields = signUpFields(pool);
    if (req.method === 'GET') return sendHtml(res, 200, signUpPage(params, fields));

    const form = (await readForm(req)) ?? new URLSearchParams();
    const again = (error: string) => sendHtml(res, 400, signUpPage(params, fields, form, error));
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    if (!username || !password) return again('Username and password are required.');
    const attributes: { Name: string; Value: string }[] = [];
    for (const field of fields.slice(1)) {
      const value = (form.get(field.name) ?? '').trim();
      // A required one left empty is the API's to refuse (self-sign-up.ts), with the API's message.
      if (!value) continue;
      attributes.push({ Name: field.name, Value: value });
    }
    // The username is the attribute it is named after, as Cognito records it for a pool that signs in by it.
    const byAttribute = pool.options.UsernameAttributes ?? [];
    const own = byAttribute.includes('phone_number') && /^\+\d+$/.test(username) ? 'phone_number' : undefined;
    if (own && !attributes.some((a) => a.Name === own)) attributes.push({ Name: own, Value: username });

    let result: { UserConfirmed?: boolean; CodeDeliveryDetails?: ConfirmPage['delivery'] };
    try {
      result = await call('SignUp', {
        ClientId: request.client.ClientId,
        Username: username,
        Password: password,
        UserAttributes: attributes,
        ...secretHash(request, username),
      });
    } catch (error) {
      const message = messageOf(error);
      if (message === undefined) throw error;
      return again(message);
    }
    if (result.UserConfirmed) return signIn(res, request, params, { username, password }, []);
    if (!result.CodeDeliveryDetails)
      return sendHtml(
        res,
        200,
        noticePage(
          'Account created',
          'Your account was created. The pool verifies no e-mail or phone number, so an administrator must confirm it (AdminConfirmSignUp) before you can sign in.',
          { href: `/login?${params.toString()}`, text: 'Sign in' },
        ),
      );
    const cookie = remember({
      clientId: request.client.ClientId,
      username,
      password,
      delivery: result.CodeDeliveryDetails,
      expiresAt: Date.now() + PENDING_LIFETIME_MS,
    });
    redirect(res, confirmUrl(params, username), { 'set-cookie': cookie });
  };

  const confirmStep = (
    req: IncomingMessage,
    request: AuthorizeRequest,
    params: URLSearchParams,
    pool: UserPoolService,
    username: string | undefined,
  ): ConfirmPage => ({
    authorizeParams: params,
    username,
    delivery: username ? pendingOf(req, request.client.ClientId, username)?.[1].delivery : undefined,
    mailbox: username ? mailboxOf(pool, username) : undefined,
  });

  /** GET shows the code's form; POST runs ConfirmSignUp, then signs in (or sends the browser to /login). */
  const confirm = async (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> => {
    if (!getOrPost(req, res)) return;
    const at = await checked(res, query);
    if (!at) return;
    const { request, params, pool } = at;
    if (req.method === 'GET')
      return sendHtml(
        res,
        200,
        confirmPage(confirmStep(req, request, params, pool, query.get('username') || undefined)),
      );

    const form = (await readForm(req)) ?? new URLSearchParams();
    const username = (form.get('username') ?? '').trim();
    const step = confirmStep(req, request, params, pool, username || undefined);
    const code = (form.get('code') ?? '').trim();
    if (!username || !code) return sendHtml(res, 400, confirmPage({ ...step, error: 'Enter the code.' }));
    try {
      await call('ConfirmSignUp', {
        ClientId: request.client.ClientId,
        Username: username,
        ConfirmationCode: code,
        ...secretHash(request, username),
      });
    } catch (error) {
      const message = messageOf(error);
      if (message === undefined) throw error;
      return sendHtml(res, 400, confirmPage({ ...step, error: message }));
    }
    const found = pendingOf(req, request.client.ClientId, username);
    // Another browser, or past the hour: the account is confirmed, and the password is the user's to type.
    if (!found) return redirect(res, `/login?${params.toString()}`);
    const [id, record] = found;
    return signIn(res, request, params, { username, password: record.password }, [forget(id)]);
  };

  /** ResendConfirmationCode, then the code's form again saying where the new code went. */
  const resendCode = async (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> => {
    if (!getOrPost(req, res)) return;
    const at = await checked(res, query);
    if (!at) return;
    const { request, params, pool } = at;
    const form = req.method === 'POST' ? ((await readForm(req)) ?? new URLSearchParams()) : query;
    const username = (form.get('username') ?? '').trim();
    if (!username)
      return sendHtml(
        res,
        400,
        confirmPage({ authorizeParams: params, username: undefined, error: 'Enter your username.' }),
      );
    const step = confirmStep(req, request, params, pool, username);
    try {
      const sent = (await call('ResendConfirmationCode', {
        ClientId: request.client.ClientId,
        Username: username,
        ...secretHash(request, username),
      })) as { CodeDeliveryDetails?: ConfirmPage['delivery'] };
      const found = pendingOf(req, request.client.ClientId, username);
      if (found && sent.CodeDeliveryDetails) found[1].delivery = sent.CodeDeliveryDetails;
      return sendHtml(
        res,
        200,
        confirmPage({
          ...step,
          delivery: sent.CodeDeliveryDetails ?? step.delivery,
          notice: 'We have sent you a new code.',
        }),
      );
    } catch (error) {
      const message = messageOf(error);
      if (message === undefined) throw error;
      return sendHtml(res, 400, confirmPage({ ...step, error: message }));
    }
  };

  return { signup, confirm, resendCode };
}

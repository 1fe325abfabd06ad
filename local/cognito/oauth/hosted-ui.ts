// The local hosted UI: /oauth2/authorize (response_type code or token, PKCE S256, state and nonce),
// /login (a plain form, then the steps the sign-in needs: hosted-ui-sign-in.ts), /logout, and sign-up at
// /signup, /confirm and /resendcode (hosted-ui-sign-up.ts), as Cognito's managed login serves them. A signed-in browser keeps a session cookie (an hour, as Cognito's), set once the
// last step is done, so a second authorization skips the form and its steps until /logout. cognito-local's
// own routes offer only the code flow with mandatory PKCE, check no allowed flows or scopes, and redirect on
// no error, so none of them is used.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { silentContext, type Services } from '../wiring/cognito-local-core';
import type { AuthorizationCodes } from './authorization-codes';
import { authorizeParamsOf, checkAuthorizeRequest, redirectWith, type AuthorizeRequest } from './authorize-request';
import type { CognitoTokens } from '../tokens/cognito-tokens';
import { answerRefused, getOrPost } from './hosted-ui-answers';
import { errorPage, loginPage } from './hosted-ui-pages';
import { accountBlocker, hostedUiSignIn, INCORRECT, type Outcome } from './hosted-ui-sign-in';
import { hostedUiSignUp, selfSignUpAllowed } from './hosted-ui-sign-up';
import { cookieOf, readForm, redirect, sendHtml } from '../protocol/http-replies';
import type { ResourceServerStore } from '../pools/resource-servers';
import { lifetimeSeconds } from '../tokens/token-validity';
import type { SignInFlow } from '../sign-in/sign-in-flow';
import type { OperationRouter } from '../wiring/target-guards';

const SESSION_COOKIE = 'cognito';
const SESSION_LIFETIME_MS = 60 * 60 * 1000;

interface Session {
  poolId: string;
  username: string;
  authTime: number;
  expiresAt: number;
}

export interface HostedUiOptions {
  services: Services;
  tokens: CognitoTokens;
  codes: AuthorizationCodes;
  resourceServers: ResourceServerStore;
  /** The API's sign-in flow, whose Sessions carry the steps after the password. */
  signIn: SignInFlow;
  /** Runs `task` behind the pool's API operations (pool-serialization.ts): the steps write the user. */
  serialized: <T>(poolId: string, task: () => Promise<T>) => Promise<T>;
  /** The API's operations, guards included and queued per pool: sign-up runs the API's own SignUp. */
  router: OperationRouter;
}

export function hostedUi(options: HostedUiOptions) {
  const { services, tokens, codes, resourceServers, signIn, serialized, router } = options;
  const sessions = new Map<string, Session>();
  const steps = hostedUiSignIn(services, signIn);

  const sessionOf = (req: IncomingMessage, poolId: string): Session | undefined => {
    const id = cookieOf(req, SESSION_COOKIE);
    const session = id ? sessions.get(id) : undefined;
    if (!session || session.expiresAt <= Date.now()) return undefined;
    return session.poolId === poolId ? session : undefined;
  };

  /** The redirect that completes an authorization for a signed-in user. */
  const complete = async (request: AuthorizeRequest, session: Session): Promise<string | undefined> => {
    const { client } = request;
    const pool = await services.cognito.getUserPool(silentContext, client.UserPoolId);
    const user = await pool.getUserByUsername(silentContext, session.username);
    // A user who must change a temporary password since signing in goes through the form again.
    if (!user || accountBlocker(user) || user.UserStatus === 'FORCE_CHANGE_PASSWORD') return undefined;
    if (request.responseType === 'code') {
      const code = codes.issue({
        clientId: client.ClientId,
        poolId: client.UserPoolId,
        username: user.Username,
        redirectUri: request.redirectUri,
        scopes: request.scopes,
        nonce: request.nonce,
        codeChallenge: request.codeChallenge,
        authTime: session.authTime,
      });
      return redirectWith(request.redirectUri, 'code', { code, state: request.state });
    }
    const groups = await pool.listUserGroupMembership(silentContext, user);
    // The implicit grant issues no refresh token (RFC 6749, 4.2.2).
    const issued = await tokens.issue(user, groups, client, {
      scopes: request.scopes,
      nonce: request.nonce,
      idToken: request.scopes.includes('openid'),
      refreshToken: false,
      session: { authTime: session.authTime, originJti: randomUUID() },
    });
    return redirectWith(request.redirectUri, 'token', {
      id_token: issued.IdToken,
      access_token: issued.AccessToken,
      token_type: 'Bearer',
      expires_in: String(lifetimeSeconds(client, 'AccessToken')),
      state: request.state,
    });
  };

  const authorize = async (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> => {
    const check = await checkAuthorizeRequest(services, resourceServers, query);
    if (!check.ok) return answerRefused(res, check);
    const session = sessionOf(req, check.request.client.UserPoolId);
    const done = session ? await complete(check.request, session) : undefined;
    if (done) return redirect(res, done);
    redirect(res, `/login?${authorizeParamsOf(query).toString()}`);
  };

  /** Whether /login links to /signup: the client's pool lets people sign themselves up. */
  const signUpOpen = async (request: AuthorizeRequest): Promise<boolean> =>
    selfSignUpAllowed(await services.cognito.getUserPool(silentContext, request.client.UserPoolId));

  /**
   * Answers a sign-in's outcome: its next page, or (signed in) the session cookie and the redirect that
   * completes the authorization. `cookies` go out with either (sign-up's, cleared once it signs in).
   */
  const finish = async (
    res: ServerResponse,
    request: AuthorizeRequest,
    params: URLSearchParams,
    outcome: Outcome,
    cookies: string[] = [],
  ): Promise<void> => {
    const extra: Record<string, string[]> = cookies.length > 0 ? { 'set-cookie': cookies } : {};
    if ('page' in outcome) return sendHtml(res, outcome.status ?? 200, outcome.page, extra);
    const sessionId = randomBytes(32).toString('base64url');
    const session: Session = {
      poolId: request.client.UserPoolId,
      username: outcome.user.Username,
      authTime: Math.floor(Date.now() / 1000),
      expiresAt: Date.now() + SESSION_LIFETIME_MS,
    };
    sessions.set(sessionId, session);
    const done = await complete(request, session);
    if (!done) {
      sessions.delete(sessionId);
      return sendHtml(res, 200, loginPage(params, INCORRECT, await signUpOpen(request)), extra);
    }
    redirect(res, done, {
      'set-cookie': [
        ...cookies,
        `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_LIFETIME_MS / 1000}`,
      ],
    });
  };

  const login = async (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> => {
    const check = await checkAuthorizeRequest(services, resourceServers, query);
    if (!check.ok) return answerRefused(res, check);
    const params = authorizeParamsOf(query);
    if (req.method === 'GET') return sendHtml(res, 200, loginPage(params, undefined, await signUpOpen(check.request)));
    if (!getOrPost(req, res)) return;

    const form = (await readForm(req)) ?? new URLSearchParams();
    const { request } = check;
    const outcome = await serialized(request.client.UserPoolId, () =>
      form.has('session') ? steps.answerStep(request, params, form) : steps.withPassword(request, params, form),
    );
    return finish(res, request, params, outcome);
  };

  const signUp = hostedUiSignUp({
    services,
    resourceServers,
    router,
    // The new user signs in with the password they chose, as a POST to /login with it would.
    signIn: async (res, request, params, { username, password }, cookies) => {
      const form = new URLSearchParams({ username, password });
      const outcome = await serialized(request.client.UserPoolId, () => steps.withPassword(request, params, form));
      return finish(res, request, params, outcome, cookies);
    },
  });

  /** /logout?client_id&logout_uri, or client_id with redirect_uri and response_type to sign in again. */
  const logout = async (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> => {
    const clientId = query.get('client_id');
    const client = clientId ? await services.cognito.getAppClient(silentContext, clientId) : null;
    if (!client)
      return sendHtml(
        res,
        400,
        errorPage(
          clientId ? `invalid_request: there is no app client ${clientId}.` : 'invalid_request: client_id is missing.',
        ),
      );
    const logoutUri = query.get('logout_uri');
    let location: string;
    if (logoutUri !== null) {
      if (!(client.LogoutURLs ?? []).includes(logoutUri))
        return sendHtml(
          res,
          400,
          errorPage(
            `invalid_request: logout_uri must be exactly one of the sign-out URLs of app client ${client.ClientId}.`,
          ),
        );
      location = logoutUri;
    } else if (query.get('redirect_uri') !== null) {
      const check = await checkAuthorizeRequest(services, resourceServers, query);
      if (!check.ok) return answerRefused(res, check);
      location = `/login?${authorizeParamsOf(query).toString()}`;
    } else {
      return sendHtml(res, 400, errorPage('invalid_request: give logout_uri, or redirect_uri and response_type.'));
    }
    const id = cookieOf(req, SESSION_COOKIE);
    if (id) sessions.delete(id);
    redirect(res, location, { 'set-cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` });
  };

  return { authorize, login, logout, signup: signUp.signup, confirm: signUp.confirm, resendCode: signUp.resendCode };
}

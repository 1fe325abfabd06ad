// SECRET_HASH, which cognito-local never checks: for an app client with a secret, Cognito requires
// Base64(HMAC-SHA256(key = client secret, message = username + client id)) on every call that names a
// user through that client, and refuses the call without it or with a wrong one.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AppClient, Services } from '../wiring/cognito-local-core';
import { cognitoError, stringField } from '../protocol/request-fields';
import { signInSubject, type SignInOperation } from './sign-in-subject';
import type { Guard, TargetGuards } from '../wiring/target-guards';

export function secretHashOf(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}

function matches(provided: string, expected: string): boolean {
  const a = Buffer.from(provided);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws Cognito's NotAuthorizedException unless `provided` is the hash of one of `usernames`. */
export function verifySecretHash(
  client: AppClient,
  provided: string | undefined,
  usernames: readonly (string | undefined)[],
): void {
  const secret = client.ClientSecret;
  if (!secret) return;
  if (!provided)
    throw cognitoError(
      'NotAuthorizedException',
      `Client ${client.ClientId} is configured with secret but SECRET_HASH was not received`,
    );
  const ok = usernames.some(
    (name) => name !== undefined && matches(provided, secretHashOf(name, client.ClientId, secret)),
  );
  if (!ok) throw cognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${client.ClientId}`);
}

function signInSecretHash(operation: SignInOperation): Guard {
  return (next, services) => async (ctx, req) => {
    const subject = await signInSubject(ctx, services, operation, req);
    if (subject?.client.ClientSecret) {
      const provided = stringField(subject.parameters, 'SECRET_HASH');
      // A refresh token names no user, so the hash is over the user's Cognito username (not the email
      // they sign in with): https://qiita.com/nori3tsu/items/7fa72c297f93efd0b3bb. A challenge answer may
      // name the user either way (USERNAME or USER_ID_FOR_SRP).
      const names =
        subject.proof === 'refresh-token'
          ? [subject.user?.Username ?? '']
          : [subject.givenUsername, subject.user?.Username];
      verifySecretHash(subject.client, provided, names);
    }
    return next(ctx, req);
  };
}

/** SignUp, ConfirmSignUp, ForgotPassword...: the hash is the top-level SecretHash over Username. */
const userOperationSecretHash: Guard = (next, services: Services) => async (ctx, req) => {
  const clientId = stringField(req, 'ClientId');
  const client = clientId ? await services.cognito.getAppClient(ctx, clientId) : null;
  if (client?.ClientSecret) {
    const username = stringField(req, 'Username');
    const pool = await services.cognito.getUserPool(ctx, client.UserPoolId);
    const user = username ? await pool.getUserByUsername(ctx, username) : null;
    verifySecretHash(client, stringField(req, 'SecretHash'), [username, user?.Username]);
  }
  return next(ctx, req);
};

export const secretHashGuards: TargetGuards = {
  InitiateAuth: signInSecretHash('InitiateAuth'),
  AdminInitiateAuth: signInSecretHash('AdminInitiateAuth'),
  RespondToAuthChallenge: signInSecretHash('RespondToAuthChallenge'),
  AdminRespondToAuthChallenge: signInSecretHash('AdminRespondToAuthChallenge'),
  SignUp: userOperationSecretHash,
  ConfirmSignUp: userOperationSecretHash,
  ForgotPassword: userOperationSecretHash,
  ConfirmForgotPassword: userOperationSecretHash,
  ResendConfirmationCode: userOperationSecretHash,
};

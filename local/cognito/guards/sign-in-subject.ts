// Who a sign-in request is about, read once for the guards that check it (secret hash, disabled users,
// sign-in failures): the app client, its pool, the user and how they prove themselves.
import type { AppClient, Context, Services, User, UserPoolService } from '../wiring/cognito-local-core';
import { CognitoTokens } from '../tokens/cognito-tokens';
import { objectField, stringField, type JsonObject } from '../protocol/request-fields';

export type SignInOperation =
  'InitiateAuth' | 'AdminInitiateAuth' | 'RespondToAuthChallenge' | 'AdminRespondToAuthChallenge';
export type Proof = 'password' | 'refresh-token' | 'challenge' | 'other';

export interface SignInSubject {
  clientId: string;
  client: AppClient;
  pool: UserPoolService;
  /** The user the request names, or undefined when there is none. */
  user: User | undefined;
  /** The name the caller gave (USERNAME), as it went into their SECRET_HASH. */
  givenUsername: string | undefined;
  proof: Proof;
  password: string | undefined;
  /** Where the caller's SECRET_HASH is (AuthParameters or ChallengeResponses). */
  parameters: JsonObject | undefined;
}

const PASSWORD_FLOWS = new Set(['USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']);
const REFRESH_FLOWS = new Set(['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN']);

export function proofOf(authFlow: string | undefined): Proof {
  if (authFlow && PASSWORD_FLOWS.has(authFlow)) return 'password';
  if (authFlow && REFRESH_FLOWS.has(authFlow)) return 'refresh-token';
  return 'other';
}

/** Undefined when the client does not exist: the operation itself then answers as Cognito does. */
export async function signInSubject(
  ctx: Context,
  services: Services,
  operation: SignInOperation,
  req: JsonObject,
): Promise<SignInSubject | undefined> {
  const clientId = stringField(req, 'ClientId');
  if (!clientId) return undefined;
  const client = await services.cognito.getAppClient(ctx, clientId);
  if (!client) return undefined;
  const pool = await services.cognito.getUserPool(ctx, client.UserPoolId).catch(() => undefined);
  if (!pool) return undefined;

  const challenge = operation === 'RespondToAuthChallenge' || operation === 'AdminRespondToAuthChallenge';
  const parameters = objectField(req, challenge ? 'ChallengeResponses' : 'AuthParameters');
  const proof: Proof = challenge ? 'challenge' : proofOf(stringField(req, 'AuthFlow'));
  const givenUsername = stringField(parameters, 'USERNAME');
  let user: User | null = null;
  if (proof === 'refresh-token') {
    const token = stringField(parameters, 'REFRESH_TOKEN');
    // Our token generator knows whose every refresh token is; cognito-local only those it stored itself.
    const grant =
      token && services.tokenGenerator instanceof CognitoTokens
        ? services.tokenGenerator.refreshGrants.get(token)
        : undefined;
    if (grant?.poolId === client.UserPoolId) user = await pool.getUserByUsername(ctx, grant.username);
    else if (token) user = await pool.getUserByRefreshToken(ctx, token);
  } else if (givenUsername) {
    user = await pool.getUserByUsername(ctx, givenUsername);
  }
  return {
    clientId,
    client,
    pool,
    user: user ?? undefined,
    givenUsername,
    proof,
    password: stringField(parameters, 'PASSWORD'),
    parameters,
  };
}

// USER_SRP_AUTH against the local Cognito with the real client: amazon-cognito-identity-js, the library
// the seed guides' browser clients use, pointed at the local endpoint. No AWS.
import { InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ISignUpResult,
} from 'amazon-cognito-identity-js';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { N } from './srp-math';
import { secretHashOf } from '../guards/secret-hash';
import {
  createClient,
  createPool,
  createUser,
  failureOf,
  startTestCognito,
  STRONG_PASSWORD,
  type TestCognito,
  library,
  LibraryBigInt,
  type LibraryBigInteger,
} from '../test-support';

let t: TestCognito;
let poolId: string;
let clientId: string;
let userPool: CognitoUserPool;

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
  // ENABLED as the module provisions clients (an API client without the member would be LEGACY).
  clientId = (
    await createClient(t.sdk, poolId, {
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    })
  ).ClientId!;
  userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: t.cognito.url });
});
afterAll(() => t.stop());

function signUp(email: string, password: string): Promise<ISignUpResult> {
  return new Promise((resolve, reject) =>
    userPool.signUp(email, password, [], [], (error, result) => (error ? reject(error) : resolve(result!))),
  );
}

function confirm(email: string, code: string): Promise<unknown> {
  const user = new CognitoUser({ Username: email, Pool: userPool });
  return new Promise((resolve, reject) =>
    user.confirmRegistration(code, true, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

function signIn(email: string, password: string): Promise<CognitoUserSession> {
  const user = new CognitoUser({ Username: email, Pool: userPool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    }),
  );
}

async function libraryFailure(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('the call succeeded, but it should have failed');
}

test('the real client signs up, confirms with the captured code and signs in over SRP; the ID token verifies against the pool JWKS', async () => {
  const email = 'srp-user@example.com';
  const signedUp = await signUp(email, STRONG_PASSWORD);
  expect(signedUp.userConfirmed).toBe(false);

  const [sent] = await t.cognito.codesFor(poolId, email);
  expect(sent).toMatchObject({ purpose: 'SignUp', deliveryMedium: 'EMAIL', destination: email, clientId });
  await confirm(email, sent.code);

  const session = await signIn(email, STRONG_PASSWORD);
  const { payload } = await jwtVerify(
    session.getIdToken().getJwtToken(),
    createRemoteJWKSet(new URL(t.cognito.jwksUrlOf(poolId))),
    {
      issuer: t.cognito.issuerOf(poolId),
      audience: clientId,
      algorithms: ['RS256'],
    },
  );
  expect(payload).toMatchObject({
    token_use: 'id',
    email,
    email_verified: true,
    sub: signedUp.userSub,
    'cognito:username': signedUp.userSub,
  });
  expect(session.getAccessToken().decodePayload()).toMatchObject({
    token_use: 'access',
    client_id: clientId,
    scope: 'aws.cognito.signin.user.admin',
  });
});

test('an unconfirmed user is refused with UserNotConfirmedException once the password is proven', async () => {
  await signUp('unconfirmed-srp@example.com', STRONG_PASSWORD);
  // Step one answers with the PASSWORD_VERIFIER challenge (srpWithSdk asserts it); the refusal comes with the proof.
  const { respond } = await srpWithSdk(clientId, 'unconfirmed-srp@example.com', STRONG_PASSWORD);
  expect(await failureOf(respond())).toMatchObject({
    name: 'UserNotConfirmedException',
    message: 'User is not confirmed.',
    status: 400,
  });
  // The real client sees the same.
  expect(await libraryFailure(signIn('unconfirmed-srp@example.com', STRONG_PASSWORD))).toMatchObject({
    code: 'UserNotConfirmedException',
    message: 'User is not confirmed.',
  });
});

test('a wrong password is NotAuthorizedException "Incorrect username or password."', async () => {
  await createUser(t.sdk, poolId, 'wrong-password-srp@example.com');
  expect(await libraryFailure(signIn('wrong-password-srp@example.com', `${STRONG_PASSWORD}x`))).toMatchObject({
    code: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
});

test('an unknown user gets a challenge like anyone, then the same refusal as a wrong password', async () => {
  // With PreventUserExistenceErrors ENABLED (docs/aws-authorizer-semantics.md, "Managing user existence error
  // responses"): step one answers an unknown name with a full PASSWORD_VERIFIER challenge.
  const unknown = await srpWithSdk(clientId, 'nobody-srp@example.com', STRONG_PASSWORD);
  expect(Object.keys(unknown.challenge).sort()).toEqual([
    'SALT',
    'SECRET_BLOCK',
    'SRP_B',
    'USERNAME',
    'USER_ID_FOR_SRP',
  ]);
  const refusal = (failure: { name?: string; message?: string; status?: number }) => ({
    name: failure.name,
    message: failure.message,
    status: failure.status,
  });
  const unknownRefusal = refusal(await failureOf(unknown.respond()));
  expect(unknownRefusal).toEqual({
    name: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
    status: 400,
  });

  await createUser(t.sdk, poolId, 'known-srp@example.com');
  const wrongPassword = await srpWithSdk(clientId, 'known-srp@example.com', `${STRONG_PASSWORD}x`);
  expect(Object.keys(wrongPassword.challenge).sort()).toEqual(Object.keys(unknown.challenge).sort());
  expect(refusal(await failureOf(wrongPassword.respond()))).toEqual(unknownRefusal);
  expect(await libraryFailure(signIn('nobody-srp@example.com', STRONG_PASSWORD))).toMatchObject({
    code: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
});

/** The client half computed by the library's helper, the requests sent with the SDK (the library has no SECRET_HASH). */
async function srpWithSdk(
  client: string,
  username: string,
  password: string,
  secret?: string,
  timestamp = new library.DateHelper().getNowString(),
) {
  const helper = new library.AuthenticationHelper(poolId.split('_')[1]);
  const A = await new Promise<LibraryBigInteger>((resolve, reject) =>
    helper.getLargeAValue((error, value) => (error ? reject(error) : resolve(value))),
  );
  const hash = (name: string): Record<string, string> =>
    secret ? { SECRET_HASH: secretHashOf(name, client, secret) } : {};
  const started = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: client,
      AuthParameters: { USERNAME: username, SRP_A: A.toString(16), ...hash(username) },
    }),
  );
  const challenge = started.ChallengeParameters!;
  expect(started.ChallengeName).toBe('PASSWORD_VERIFIER');
  const userId = challenge.USER_ID_FOR_SRP;
  const key = await new Promise<number[]>((resolve, reject) =>
    helper.getPasswordAuthenticationKey(
      userId,
      password,
      new LibraryBigInt(challenge.SRP_B, 16),
      new LibraryBigInt(challenge.SALT, 16),
      (error, value) => (error ? reject(error) : resolve(value)),
    ),
  );
  const { createHmac } = await import('node:crypto');
  const signature = createHmac('sha256', Buffer.from(key))
    .update(
      Buffer.concat([
        Buffer.from(poolId.split('_')[1]),
        Buffer.from(userId),
        Buffer.from(challenge.SECRET_BLOCK, 'base64'),
        Buffer.from(timestamp),
      ]),
    )
    .digest('base64');
  const responses: Record<string, string> = {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: challenge.SECRET_BLOCK,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signature,
    ...hash(userId),
  };
  const respondWith = (challengeResponses: Record<string, string>) =>
    t.sdk.send(
      new RespondToAuthChallengeCommand({
        ChallengeName: 'PASSWORD_VERIFIER',
        ClientId: client,
        ChallengeResponses: challengeResponses,
      }),
    );
  return { respond: () => respondWith(responses), respondWith, responses, challenge };
}

test('SRP through a client with a secret needs SECRET_HASH on both steps, computed as Cognito does', async () => {
  const confidential = await createClient(t.sdk, poolId, {
    GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const email = 'srp-secret@example.com';
  await createUser(t.sdk, poolId, email);
  const A = 'ab'.repeat(100);
  expect(
    await failureOf(
      t.sdk.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_SRP_AUTH',
          ClientId: confidential.ClientId!,
          AuthParameters: { USERNAME: email, SRP_A: A },
        }),
      ),
    ),
  ).toMatchObject({
    name: 'NotAuthorizedException',
    message: `Client ${confidential.ClientId} is configured with secret but SECRET_HASH was not received`,
  });
  // Step one with the hash, step two without it: refused before the proof is looked at, so it can follow.
  const srp = await srpWithSdk(confidential.ClientId!, email, STRONG_PASSWORD, confidential.ClientSecret!);
  const { SECRET_HASH, ...withoutHash } = srp.responses;
  expect(SECRET_HASH).toBe(secretHashOf(srp.responses.USERNAME, confidential.ClientId!, confidential.ClientSecret!));
  expect(await failureOf(srp.respondWith(withoutHash))).toMatchObject({
    name: 'NotAuthorizedException',
    message: `Client ${confidential.ClientId} is configured with secret but SECRET_HASH was not received`,
  });
  expect(
    await failureOf(
      srp.respondWith({ ...withoutHash, SECRET_HASH: secretHashOf(email, confidential.ClientId!, 'not-the-secret') }),
    ),
  ).toMatchObject({
    name: 'NotAuthorizedException',
    message: `Unable to verify secret hash for client ${confidential.ClientId}`,
  });
  const signedIn = await srp.respond();
  expect(signedIn.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
  expect(signedIn.AuthenticationResult?.IdToken).toBeDefined();
});

test('a PASSWORD_VERIFIER answer can be used once', async () => {
  const email = 'srp-replay@example.com';
  await createUser(t.sdk, poolId, email);
  const { respond } = await srpWithSdk(clientId, email, STRONG_PASSWORD);
  await expect(respond()).resolves.toBeDefined();
  expect(await failureOf(respond())).toMatchObject({ name: 'NotAuthorizedException', status: 400 });
});

test("a TIMESTAMP whose day has a leading zero is refused with Cognito's format message", async () => {
  const email = 'srp-timestamp@example.com';
  await createUser(t.sdk, poolId, email);
  const { respond } = await srpWithSdk(clientId, email, STRONG_PASSWORD, undefined, 'Mon Nov 02 09:05:07 UTC 2026');
  expect(await failureOf(respond())).toMatchObject({
    name: 'InvalidParameterException',
    message: 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.',
    status: 400,
  });
});

describe('malformed SRP input gets Cognito error types with status 400', () => {
  const start = (parameters: Record<string, string>, client = clientId) =>
    failureOf(
      t.sdk.send(new InitiateAuthCommand({ AuthFlow: 'USER_SRP_AUTH', ClientId: client, AuthParameters: parameters })),
    );

  test('SRP_A that is not hexadecimal', async () => {
    expect(await start({ USERNAME: 'srp-user@example.com', SRP_A: 'not-hex' })).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
    });
  });

  test('SRP_A that is a multiple of N (RFC 5054: the host must abort)', async () => {
    for (const A of [N.toString(16), (N * 2n).toString(16), '0'])
      expect(await start({ USERNAME: 'srp-user@example.com', SRP_A: A })).toMatchObject({
        name: 'InvalidParameterException',
        message: 'SRP_A mod N cannot be 0.',
        status: 400,
      });
  });

  test('a missing SRP_A or USERNAME', async () => {
    expect(await start({ USERNAME: 'srp-user@example.com' })).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Missing required parameter SRP_A',
    });
    expect(await start({ SRP_A: 'ab' })).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Missing required parameter USERNAME',
    });
  });

  test('an unknown client', async () => {
    expect(await start({ USERNAME: 'srp-user@example.com', SRP_A: 'ab' }, 'no-such-client')).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'User pool client no-such-client does not exist.',
      status: 400,
    });
  });

  test('a challenge answer with parts missing or a made-up secret block', async () => {
    const respond = (responses: Record<string, string>) =>
      failureOf(
        t.sdk.send(
          new RespondToAuthChallengeCommand({
            ChallengeName: 'PASSWORD_VERIFIER',
            ClientId: clientId,
            ChallengeResponses: responses,
          }),
        ),
      );
    expect(await respond({ USERNAME: 'srp-user@example.com' })).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
    });
    const made = {
      USERNAME: 'srp-user@example.com',
      PASSWORD_CLAIM_SECRET_BLOCK: 'AAAA',
      PASSWORD_CLAIM_SIGNATURE: 'AAAA',
      TIMESTAMP: 'Mon Nov 23 09:05:07 UTC 2026',
    };
    expect(await respond(made)).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
      status: 400,
    });
  });
});

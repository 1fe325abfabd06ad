// The console guide's client end to end on the local stack: amazon-cognito-identity-js signs a person up,
// confirms with the code the local Cognito captured (read over its documented local-only endpoint), signs
// in with SRP, and sends the raw ID token in Authorization to an ID-token method of pets.yaml.
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { startLocalStack, type LocalStack } from './stack';
import { appProps } from '../stack/app-props';

const PASSWORD = 'Console-Guide-Passw0rd!';

let stack: LocalStack;
let userPool: CognitoUserPool;

beforeAll(async () => {
  // The guide's pool lets people sign themselves up; the example stack is admin-only by default.
  const props = appProps('openapi/pets.yaml');
  stack = await startLocalStack({
    spec: 'openapi/pets.yaml',
    props: { ...props, userPool: { adminOnlySignUp: false } },
  });
  userPool = new CognitoUserPool({
    UserPoolId: stack.outputs.user_pool_id,
    ClientId: stack.outputs.clients.web.id,
    endpoint: stack.outputs.cognito_endpoint,
  });
});
afterAll(() => stack?.stop());

function signUp(email: string): Promise<void> {
  return new Promise((resolve, reject) =>
    userPool.signUp(email, PASSWORD, [], [], (error) => (error ? reject(error) : resolve())),
  );
}

function confirm(email: string, code: string): Promise<void> {
  const user = new CognitoUser({ Username: email, Pool: userPool });
  return new Promise((resolve, reject) =>
    user.confirmRegistration(code, true, (error) => (error ? reject(error) : resolve())),
  );
}

function authenticate(email: string, password: string): Promise<CognitoUserSession> {
  const user = new CognitoUser({ Username: email, Pool: userPool });
  return new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
    }),
  );
}

async function capturedCode(email: string): Promise<string> {
  const query = new URLSearchParams({ poolId: stack.outputs.user_pool_id, username: email });
  const response = await fetch(`${stack.cognitoUrl}/_local/codes?${query}`);
  const { codes } = (await response.json()) as { codes: { code: string; purpose: string }[] };
  const signUpCode = codes.find((c) => c.purpose === 'SignUp');
  if (!signUpCode) throw new Error(`no sign-up code captured for ${email}`);
  return signUpCode.code;
}

async function failureOf(call: Promise<unknown>): Promise<{ code?: string; name?: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('the call succeeded, but Cognito would refuse it');
}

test('signUp -> confirmRegistration with the captured code -> authenticateUser (SRP) -> GET /pets answers 200', async () => {
  const email = 'guide-reader@example.com';
  await signUp(email);
  // Before confirmation Cognito refuses the sign-in.
  expect(await failureOf(authenticate(email, PASSWORD))).toMatchObject({ code: 'UserNotConfirmedException' });
  await confirm(email, await capturedCode(email));

  const session = await authenticate(email, PASSWORD);
  const idToken = session.getIdToken().getJwtToken();
  const pets = await fetch(`${stack.outputs.api_url}/pets`, { headers: { Authorization: idToken } });
  expect(pets.status).toBe(200);
  // The session's access token is no ID token: the same method refuses it, as API Gateway does.
  const withAccess = await fetch(`${stack.outputs.api_url}/pets`, {
    headers: { Authorization: session.getAccessToken().getJwtToken() },
  });
  expect(withAccess.status).toBe(401);
});

test('a wrong password is refused as Cognito refuses it', async () => {
  const email = 'wrong-password@example.com';
  await signUp(email);
  await confirm(email, await capturedCode(email));
  expect(await failureOf(authenticate(email, 'Not-The-Passw0rd!'))).toMatchObject({
    code: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
});

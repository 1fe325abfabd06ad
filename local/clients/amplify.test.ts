// Amplify v6, unmodified from npm, in Node (as a script or a server-side job uses it): the same configuration
// as in the browser, signIn over SRP, fetchAuthSession, a forced refresh, and the ID token calling
// pets.yaml's GET /pets. Node 20 has the fetch and Web Crypto Amplify needs, and Amplify falls back to
// in-memory storage where there is no localStorage, so nothing is polyfilled here.
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { decodeJwt } from 'jose';
import { startLocalStack, type LocalStack } from '../stack';
import { createUser } from './test-support';

const USER = { username: 'amplify-node@example.com', password: 'Amplify-Node-Passw0rd!' };

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ spec: 'openapi/pets.yaml' });
  await createUser(stack.outputs, USER);
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: stack.outputs.user_pool_id,
        userPoolClientId: stack.outputs.clients.spa.id,
        userPoolEndpoint: stack.outputs.cognito_endpoint,
      },
    },
  });
});

afterAll(() => stack?.stop());

test('signIn, fetchAuthSession and a forced refresh give tokens of the pool that call GET /pets', async () => {
  expect(await signIn({ username: USER.username, password: USER.password })).toMatchObject({
    isSignedIn: true,
    nextStep: { signInStep: 'DONE' },
  });
  expect(await getCurrentUser()).toMatchObject({ username: expect.any(String), userId: expect.any(String) });

  const { tokens } = await fetchAuthSession();
  expect(decodeJwt(tokens!.idToken!.toString())).toMatchObject({
    token_use: 'id',
    iss: stack.outputs.issuer,
    aud: stack.outputs.clients.spa.id,
    email: USER.username,
  });

  const refreshed = (await fetchAuthSession({ forceRefresh: true })).tokens!;
  expect(refreshed.idToken!.toString()).not.toBe(tokens!.idToken!.toString());
  expect(refreshed.idToken!.payload.sub).toBe(tokens!.idToken!.payload.sub);

  const pets = await fetch(`${stack.outputs.api_url}/pets`, {
    headers: { Authorization: refreshed.idToken!.toString() },
  });
  expect(pets.status).toBe(200);

  await signOut();
  expect((await fetchAuthSession()).tokens).toBeUndefined();
});

test('a wrong password is refused with the error Cognito gives', async () => {
  await expect(signIn({ username: USER.username, password: 'Not-The-Passw0rd!' })).rejects.toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
});

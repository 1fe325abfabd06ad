// Bad input gets Cognito's JSON-protocol error (status 400, x-amzn-errortype and __type), never a 500.
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createPool, failureOf, startTestCognito, type TestCognito } from '../test-support';

let t: TestCognito;

beforeAll(async () => {
  t = await startTestCognito();
});
afterAll(() => t.stop());

async function call(
  target: string | undefined,
  body: string,
): Promise<{ status: number; errorType: string | null; body: Record<string, unknown> }> {
  const response = await fetch(t.cognito.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}) },
    body,
  });
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

test('an unknown operation or a missing X-Amz-Target is UnknownOperationException', async () => {
  for (const target of [
    'AWSCognitoIdentityProviderService.NoSuchOperation',
    'SomeOtherService.ListUserPools',
    undefined,
  ]) {
    const reply = await call(target, '{}');
    expect(reply).toMatchObject({
      status: 400,
      errorType: 'UnknownOperationException',
      body: { __type: 'UnknownOperationException' },
    });
  }
});

test('a body that is not a JSON object is SerializationException', async () => {
  for (const body of ['{not json', '[1,2]', '"text"']) {
    const reply = await call('AWSCognitoIdentityProviderService.ListUserPools', body);
    expect(reply).toMatchObject({ status: 400, errorType: 'SerializationException' });
  }
});

test('a request missing required members is a 400, not a crash', async () => {
  const poolId = await createPool(t.sdk);
  for (const body of [{ UserPoolId: poolId }, { Username: 'x' }, { UserPoolId: 42, Username: ['x'] }]) {
    const reply = await call('AWSCognitoIdentityProviderService.AdminCreateUser', JSON.stringify(body));
    expect(reply.status).toBe(400);
    expect(reply.errorType).toBe(reply.body.__type);
    expect(typeof reply.body.message).toBe('string');
  }
  // And the server still answers afterwards.
  expect(
    (await failureOf(t.sdk.send(new AdminCreateUserCommand({ UserPoolId: 'us-east-1_missing', Username: 'x' })))).name,
  ).toBe('ResourceNotFoundException');
});

test('paths that are not Cognito endpoints are 404; the token endpoint takes only POST', async () => {
  expect((await fetch(`${t.cognito.url}/nothing/here`)).status).toBe(404);
  expect((await fetch(`${t.cognito.url}/%E0%A4%A/.well-known/jwks.json`)).status).toBe(404);
  expect((await fetch(t.cognito.tokenEndpoint)).status).toBe(405);
  const wrongType = await fetch(t.cognito.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"grant_type":"client_credentials"}',
  });
  expect(wrongType.status).toBe(400);
  expect(await wrongType.json()).toEqual({ error: 'invalid_request' });
});

// The local Cognito throttles on request, as Cognito answers a call over its quota: HTTP 400 with
// TooManyRequestsException in x-amzn-ErrorType and __type (the Errors of every action in the user pools API
// reference, e.g. https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPools.html;
// the JSON protocol's error shape as json-protocol.ts gives it). Every Nth call of the operation named, by count.
import { startLocalCognito } from '../wiring/local-cognito';
import { THROTTLE_ENV, throttleRulesFrom } from './throttling';

async function listUserPools(url: string): Promise<{ status: number; errorType: string | null; type?: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools',
    },
    body: JSON.stringify({ MaxResults: 10 }),
  });
  const body = (await response.json()) as { __type?: string };
  return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), type: body.__type };
}

test('every second ListUserPools is TooManyRequestsException (400), the others answered; other operations untouched', async () => {
  const cognito = await startLocalCognito({ throttle: { ListUserPools: { every: 2 } } });
  try {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await listUserPools(cognito.url));
    const throttled = { status: 400, errorType: 'TooManyRequestsException', type: 'TooManyRequestsException' };
    expect(answers).toEqual([
      { status: 200, errorType: null, type: undefined },
      throttled,
      { status: 200, errorType: null, type: undefined },
      throttled,
    ]);
  } finally {
    await cognito.stop();
  }
});

test('rules come from the option, else from the environment variable; rules that would throttle every call are refused', () => {
  expect(throttleRulesFrom(undefined, undefined)).toEqual({});
  expect(throttleRulesFrom(undefined, '{"InitiateAuth":{"every":3}}')).toEqual({ InitiateAuth: { every: 3 } });
  expect(throttleRulesFrom({ AdminCreateUser: { every: 2 } }, '{"InitiateAuth":{"every":3}}')).toEqual({
    AdminCreateUser: { every: 2 },
  });
  expect(() => throttleRulesFrom(undefined, 'every 3')).toThrow(`${THROTTLE_ENV} is not JSON`);
  expect(() => throttleRulesFrom({ InitiateAuth: { every: 1 } })).toThrow(/every must be an integer of at least 2/);
  expect(() => throttleRulesFrom(undefined, '[1]')).toThrow(/must be an object by operation name/);
});

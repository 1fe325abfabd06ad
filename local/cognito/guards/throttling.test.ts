// The local Cognito throttles on request, as Cognito answers a call over its quota: HTTP 400 with
// TooManyRequestsException in x-amzn-ErrorType and __type (the Errors of every action in the user pools API
// reference, e.g. https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUserPools.html;
// the JSON protocol's error shape as json-protocol.ts gives it). Every Nth call of the operation named, by count.
import { startLocalCognito } from '../wiring/local-cognito';
import { InputError, ProblemError, PropsError, type Problem } from '../../../openapi/model/problems';
import { THROTTLE_ENV, THROTTLE_OPTION, throttleRulesFrom } from './throttling';

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

test('rules come from the option, else from the environment variable', () => {
  expect(throttleRulesFrom(undefined, undefined)).toEqual({});
  expect(throttleRulesFrom(undefined, '{"InitiateAuth":{"every":3}}')).toEqual({ InitiateAuth: { every: 3 } });
  expect(throttleRulesFrom({ AdminCreateUser: { every: 2 } }, '{"InitiateAuth":{"every":3}}')).toEqual({
    AdminCreateUser: { every: 2 },
  });
});

function problemsOf(work: () => unknown): { error: unknown; problems: Problem[] } {
  try {
    work();
  } catch (error) {
    return { error, problems: error instanceof ProblemError ? error.problems : [] };
  }
  throw new Error('expected the rules to be refused');
}

test('bad rules in the environment variable are an InputError naming the variable, every bad rule at once', () => {
  const notJson = problemsOf(() => throttleRulesFrom(undefined, 'every 3'));
  expect(notJson.error).toBeInstanceOf(InputError);
  expect(notJson.problems).toEqual([
    expect.objectContaining({
      rule: 'throttle-not-json',
      file: THROTTLE_ENV,
      message: expect.stringContaining('every 3'),
    }),
  ]);
  expect(problemsOf(() => throttleRulesFrom(undefined, '[1]')).problems).toEqual([
    expect.objectContaining({ rule: 'throttle-not-object', file: THROTTLE_ENV, pointer: '' }),
  ]);
  const two = problemsOf(() =>
    throttleRulesFrom(undefined, '{"InitiateAuth":{"every":1},"SignUp":{},"ListUsers":{"every":2}}'),
  );
  expect(two.problems.map((p) => [p.file, p.pointer, p.rule])).toEqual([
    [THROTTLE_ENV, '/InitiateAuth/every', 'throttle-every'],
    [THROTTLE_ENV, '/SignUp/every', 'throttle-every'],
  ]);
  expect(two.problems[0].message).toContain('{"every":1}');
});

test('bad rules given as the option are a PropsError naming the option', () => {
  const { error, problems } = problemsOf(() =>
    throttleRulesFrom({ InitiateAuth: { every: 1 } }, '{"SignUp":{"every":0}}'),
  );
  expect(error).toBeInstanceOf(PropsError);
  expect(problems).toEqual([
    expect.objectContaining({ file: THROTTLE_OPTION, pointer: '/InitiateAuth/every', rule: 'throttle-every' }),
  ]);
});

// What counts as throttling, how it is retried and counted, and how the in-flight limit answers it. The
// Cognito shape (HTTP 400, TooManyRequestsException in x-amzn-ErrorType and __type) is the API reference's
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html, Errors);
// API Gateway's is a 429 (https://repost.aws/knowledge-center/api-gateway-429-limit).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { actionOf, isThrottled, sendWithRetry } from './http';
import { AimdLimit, Traffic } from './traffic';

const fast = { attempts: 2, throttledAttempts: 5, baseDelayMs: 1, maxDelayMs: 4 };

test.each([
  [429, {}, '', true],
  [400, { 'x-amzn-errortype': 'TooManyRequestsException' }, '{}', true],
  [400, { 'x-amzn-errortype': 'TooManyRequestsException:http://internal.amazon.com/coral/' }, '', true],
  [400, {}, '{"__type":"com.amazonaws.cognito#TooManyRequestsException","message":"Rate exceeded"}', true],
  [400, { 'x-amzn-errortype': 'NotAuthorizedException' }, '{"__type":"NotAuthorizedException"}', false],
  [400, {}, 'not json', false],
  [503, {}, '', false],
  [200, { 'x-amzn-errortype': 'TooManyRequestsException' }, '', false],
] as const)('status %i with %j and body %j: throttled %s', (status, headers, body, expected) => {
  expect(isThrottled(status, { ...headers }, body)).toBe(expected);
});

test('the action counted: the Cognito operation of X-Amz-Target, the token endpoint, the JWKS, else method and path', () => {
  const cognito = { 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth' };
  expect(actionOf({ method: 'POST', url: 'http://127.0.0.1:1/', headers: cognito })).toBe('InitiateAuth');
  expect(actionOf({ method: 'POST', url: 'http://127.0.0.1:1/oauth2/token', headers: {} })).toBe('token endpoint');
  expect(actionOf({ method: 'GET', url: 'http://127.0.0.1:1/p/.well-known/jwks.json', headers: {} })).toBe('JWKS');
  expect(actionOf({ method: 'GET', url: 'http://127.0.0.1:1/prod/pets?x=1', headers: {} })).toBe('GET /prod/pets');
});

test('TooManyRequestsException is retried past the attempts for errors, each attempt and each throttled retry counted', async () => {
  let hits = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    // Three throttled answers, then the real one: more than `attempts` (2) allows for errors.
    if (++hits <= 3)
      res
        .writeHead(400, {
          'x-amzn-errortype': 'TooManyRequestsException',
          'content-type': 'application/x-amz-json-1.1',
        })
        .end('{"__type":"TooManyRequestsException","message":"Rate exceeded"}');
    else res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const traffic = new Traffic();
  const told: string[] = [];
  traffic.onThrottled((action) => told.push(action));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await sendWithRetry(
      {
        method: 'POST',
        url: `http://127.0.0.1:${port}/`,
        headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminCreateUser' },
        body: '{}',
      },
      fast,
      { traffic },
    );
    expect([response.status, response.attempts, response.throttled]).toEqual([200, 4, 3]);
    expect(traffic.counts()).toEqual({
      cognitoCalls: { AdminCreateUser: 4 },
      cognitoCallsTotal: 4,
      apiRequests: 0,
      throttledRetries: { AdminCreateUser: 3 },
      throttledRetriesTotal: 3,
    });
    expect(told).toEqual(['AdminCreateUser', 'AdminCreateUser', 'AdminCreateUser']);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('a throttled answer still throttled after the last attempt is returned as it came, not thrown', async () => {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(429, { 'content-type': 'application/json' }).end('{"message":"Too Many Requests"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await sendWithRetry({ method: 'GET', url: `http://127.0.0.1:${port}/x`, headers: {} }, fast);
    expect([response.status, response.attempts, response.throttled]).toEqual([429, 5, 4]);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('AIMD: a throttle halves the limit, never below 1; a burst of throttles before a window has finished cuts once', () => {
  const limit = new AimdLimit(8);
  limit.throttled();
  limit.throttled();
  limit.throttled();
  expect(limit.current).toBe(4);
  // A window (the limit's worth of requests) finished since the cut: the next throttle is a new signal.
  for (let i = 0; i < 4; i++) limit.succeeded();
  expect(limit.current).toBe(4);
  limit.throttled();
  expect(limit.current).toBe(2);
  expect(limit.summary()).toEqual({ ceiling: 8, lowest: 2, halvings: 2 });
  const single = new AimdLimit(1);
  single.throttled();
  expect(single.current).toBe(1);
});

test('AIMD: successes raise the limit by about one per window, up to the ceiling and no further', () => {
  const limit = new AimdLimit(4);
  limit.throttled();
  expect(limit.current).toBe(2);
  limit.succeeded();
  limit.succeeded();
  expect(limit.current).toBe(2);
  limit.succeeded();
  expect(limit.current).toBe(3);
  for (let i = 0; i < 100; i++) limit.succeeded();
  expect(limit.current).toBe(4);
  expect(new AimdLimit(0).current).toBe(1);
});

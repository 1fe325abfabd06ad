// Expected outcomes follow the semantics doc per authorizer kind; judge() reports every difference.
import type { GatewayResponse } from '../openapi/model/types';
import { expectedOutcome, judge, renderGatewayTemplate, type CheckCase } from './expectations';

const rest = { kind: 'cognito_user_pools' as const, successStatus: 201, gatewayResponses: {} };
const jwt = { kind: 'jwt' as const, successStatus: 200, gatewayResponses: {} };

test('a missing scope is 401 on REST and 403 on an HTTP jwt route', () => {
  expect(expectedOutcome('missing-scope', rest)).toMatchObject({
    status: 401,
    body: { json: { message: 'Unauthorized' } },
    headers: { 'x-amzn-errortype': 'UnauthorizedException' },
  });
  expect(expectedOutcome('missing-scope', jwt)).toMatchObject({
    status: 403,
    body: { json: { message: 'Forbidden' } },
  });
  expect(expectedOutcome('id-token-instead-of-access', jwt)?.status).toBe(403);
});

test('what AWS allows is expected to succeed with the documented status, never flagged', () => {
  for (const c of ['valid-token', 'valid-token-bearer', 'other-client-id-token'] as CheckCase[])
    expect(expectedOutcome(c, rest)).toMatchObject({ outcome: 'success', status: 201 });
  for (const c of ['valid-token', 'valid-token-bearer', 'access-token-via-client-id'] as CheckCase[])
    expect(expectedOutcome(c, jwt)).toMatchObject({ outcome: 'success', status: 200 });
});

test('cases that do not exist for an authorizer kind have no expectation', () => {
  expect(expectedOutcome('wrong-audience', rest)).toBeUndefined();
  expect(expectedOutcome('access-token-via-client-id', rest)).toBeUndefined();
  expect(expectedOutcome('access-token-instead-of-id', jwt)).toBeUndefined();
  expect(expectedOutcome('client-outside-validation', jwt)).toBeUndefined();
});

test("jwt rejections carry www-authenticate; REST's expired token gets its own message (semantics, REST table: expired)", () => {
  expect(expectedOutcome('no-token', jwt)).toMatchObject({ status: 401, headersPresent: ['www-authenticate'] });
  expect(expectedOutcome('expired', rest)).toMatchObject({
    status: 401,
    body: { json: { message: 'The incoming token has expired' } },
  });
  expect(expectedOutcome('expired', jwt)).toMatchObject({ status: 401, headersPresent: ['www-authenticate'] });
});

test("a document's UNAUTHORIZED gateway response replaces status, headers and body", () => {
  const unauthorized: GatewayResponse = {
    type: 'UNAUTHORIZED',
    statusCode: 401,
    headers: { 'WWW-Authenticate': 'Bearer realm="pets"' },
    templates: { 'application/json': '{"message":$context.error.messageString}' },
  };
  const expected = expectedOutcome('no-token', { ...rest, gatewayResponses: { UNAUTHORIZED: unauthorized } })!;
  expect(expected).toMatchObject({
    status: 401,
    body: { json: { message: 'Unauthorized' } },
    headers: { 'www-authenticate': 'Bearer realm="pets"' },
  });
  // Falls back to DEFAULT_4XX; a template with variables unknown in advance is not asserted.
  const fallback = expectedOutcome('malformed', {
    ...rest,
    gatewayResponses: {
      DEFAULT_4XX: {
        type: 'DEFAULT_4XX',
        statusCode: 418,
        headers: {},
        templates: { 'application/json': '{"id":"$context.requestId"}' },
      },
    },
  })!;
  expect(fallback.status).toBe(418);
  expect(fallback.body).toBeUndefined();
  expect(
    renderGatewayTemplate(
      { type: 'UNAUTHORIZED', headers: {}, templates: { 'text/plain': 'denied: $context.error.message' } },
      'Unauthorized',
    ),
  ).toEqual({ text: 'denied: Unauthorized' });
});

test('judge reports status, header and body differences, and nothing when they match', () => {
  const expected = expectedOutcome('no-token', rest)!;
  const ok = {
    status: 401,
    headers: { 'x-amzn-errortype': 'UnauthorizedException' },
    bodyText: '{ "message" : "Unauthorized" }',
  };
  expect(judge(expected, ok)).toEqual([]);
  expect(judge(expected, { status: 403, headers: {}, bodyText: '{"message":"Forbidden"}' })).toEqual([
    'status 403, expected 401',
    'header x-amzn-errortype: missing, expected "UnauthorizedException"',
    'body "{\\"message\\":\\"Forbidden\\"}", expected {"message":"Unauthorized"}',
  ]);
  expect(
    judge(expectedOutcome('no-token', jwt)!, { status: 401, headers: {}, bodyText: '{"message":"Unauthorized"}' }),
  ).toEqual(['header www-authenticate missing']);
});

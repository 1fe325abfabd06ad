// Tokens parsed as strictly as the standard asks (issue 14, item 3): every JWS segment canonical base64url,
// time claims numbers, repeated token headers read as each API kind reads them, and a verified-token cache
// that variants of one token cannot grow. Over real HTTP, with the gateway's own KeyStore.
//
// RFC 7515 §2 (https://www.rfc-editor.org/rfc/rfc7515#section-2): Base64url Encoding is "with all trailing
// '=' characters omitted ... and without the inclusion of any line breaks, whitespace, or other additional
// characters"; RFC 4648 §3.5 lets a decoder refuse non-zero pad bits. docs/aws-authorizer-semantics.md: a
// malformed token is 401 {"message":"Unauthorized"} on both kinds (a www-authenticate header on HTTP APIs);
// AWS's own answer to a non-canonical segment is unverified, so these assert no more than that.
import type { ApiModel } from '../../openapi/model/types';
import { startLocalGateway, type LocalGateway } from './index';
import { KeyStore } from './key-store';
import { send } from './raw-client';
import {
  modelOf,
  startEchoServer,
  startTestIssuer,
  testPlaceholders,
  type EchoServer,
  type TestIssuer,
} from './test-support';

const REST_DOC = `
openapi: 3.0.3
info: { title: Strict tokens, version: 1.0.0 }
paths:
  /things:
    get:
      security: [{ CognitoAuth: [] }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: { application/json: '{"statusCode": 200}' }
        responses: { default: { statusCode: "200" } }
components:
  securitySchemes:
    CognitoAuth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: cognito_user_pools
      x-amazon-apigateway-authorizer: { type: cognito_user_pools, providerARNs: ["{{userPoolArn}}"] }
`;

const HTTP_DOC = `
openapi: 3.0.1
info: { title: Strict tokens, version: 1.0.0 }
x-amazon-apigateway-importexport-version: "1.0"
paths:
  /things:
    get:
      security: [{ Jwt: [] }]
      responses: { "200": { description: ok } }
      x-amazon-apigateway-integration: { type: http_proxy, httpMethod: ANY, uri: "{{backend:echo}}/things", payloadFormatVersion: "1.0" }
components:
  securitySchemes:
    Jwt:
      type: oauth2
      flows: {}
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration: { issuer: "{{issuer}}", audience: ["{{clientId:web}}"] }
`;

const now = () => Math.floor(Date.now() / 1000);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

let pool: TestIssuer;
let echo: EchoServer;
const gateways: Record<'rest' | 'http', LocalGateway> = {} as Record<'rest' | 'http', LocalGateway>;

beforeAll(async () => {
  [pool, echo] = await Promise.all([startTestIssuer(), startEchoServer()]);
  const models: Record<'rest' | 'http', ApiModel> = { rest: await modelOf(REST_DOC), http: await modelOf(HTTP_DOC) };
  for (const kind of ['rest', 'http'] as const)
    gateways[kind] = await startLocalGateway({
      model: models[kind],
      placeholders: testPlaceholders({
        userPoolArn: pool.arn,
        issuer: pool.issuer,
        clients: ['web'],
        backends: { echo: echo.url },
      }),
      pools: { [pool.arn]: { issuer: pool.issuer, jwksUrl: pool.jwksUrl } },
      functions: {},
      stage: 'prod',
    });
});

afterAll(async () => {
  await Promise.all(Object.values(gateways).map((g) => g.stop()));
  await Promise.all([pool?.stop(), echo?.stop()]);
});

/** An ID token whose signature holds a '-' or '_', so that swapping in '+' and '/' changes it. */
async function idTokenWithUrlSafeChars(): Promise<string> {
  for (let i = 0; ; i++) {
    const token = await pool.idToken({ jti: `strict-${i}` });
    if (/[-_]/.test(token.split('.')[2])) return token;
  }
}

/** Variants of one valid token that a lenient base64url decoder reads as the same bytes (or near them). */
function variantsOf(token: string): [string, string][] {
  const [h, p, s] = token.split('.');
  const last = ALPHABET.indexOf(s[s.length - 1]);
  // 256 signature bytes are 342 characters: the last one carries 2 bits and 4 that must be zero.
  const unusedBits = ALPHABET[last | 0x01];
  return [
    ['"!!!!" after the signature', `${h}.${p}.${s}!!!!`],
    ['"==" padding on the signature', `${h}.${p}.${s}==`],
    ['"%%" inside the signature', `${h}.${p}.${s.slice(0, 20)}%%${s.slice(20)}`],
    ['a space inside the signature', `${h}.${p}.${s.slice(0, 20)} ${s.slice(20)}`],
    ['a tab inside the signature', `${h}.${p}.${s.slice(0, 20)}\t${s.slice(20)}`],
    ['"+" and "/" in place of "-" and "_"', `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}`],
    ['non-zero unused bits in the last character', `${h}.${p}.${s.slice(0, -1)}${unusedBits}`],
    ['"=" padding on the header segment', `${h}=.${p}.${s}`],
    ['a space inside the payload segment', `${h}.${p.slice(0, 10)} ${p.slice(10)}.${s}`],
  ];
}

async function get(kind: 'rest' | 'http', headers: [string, string][]) {
  const url = new URL(gateways[kind].url);
  return send(url.origin, `${url.pathname}/things`, { headers });
}

function expectUnauthorized(
  kind: 'rest' | 'http',
  answer: { status: number; headers: Record<string, unknown>; body: string },
) {
  expect(answer.status).toBe(401);
  expect(JSON.parse(answer.body)).toEqual({ message: 'Unauthorized' });
  if (kind === 'http') expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
}

describe.each(['rest', 'http'] as const)('%s: each JWS segment must be canonical base64url', (kind) => {
  let token: string;
  beforeAll(async () => {
    token = await idTokenWithUrlSafeChars();
  });

  test('the token as issued passes', async () => {
    expect((await get(kind, [['Authorization', token]])).status).toBe(200);
  });

  test('every variant a lenient decoder would accept is refused as malformed', async () => {
    for (const [what, variant] of variantsOf(token)) {
      const answer = await get(kind, [['Authorization', variant]]);
      expect({ what, status: answer.status }).toEqual({ what, status: 401 });
      expectUnauthorized(kind, answer);
    }
  });
});

describe('time claims must be numbers', () => {
  // A string or null nbf/iat skipped the time check on HTTP APIs; REST did not look at them at all.
  const cases: [string, Record<string, unknown>][] = [
    ['nbf a string in the future', { nbf: String(now() + 600) }],
    ['iat a string in the future', { iat: String(now() + 600) }],
    ['nbf null', { nbf: null }],
    ['iat a string in the past', { iat: String(now() - 600) }],
    ['exp a string in the future', { exp: String(now() + 600) }],
  ];
  test.each(['rest', 'http'] as const)('%s: a non-numeric exp, nbf or iat is refused', async (kind) => {
    for (const [what, claims] of cases) {
      const answer = await get(kind, [['Authorization', await pool.idToken(claims)]]);
      expect({ what, status: answer.status }).toEqual({ what, status: 401 });
      expectUnauthorized(kind, answer);
    }
  });
  test.each(['rest', 'http'] as const)('%s: numeric nbf and iat in the past pass', async (kind) => {
    const answer = await get(kind, [['Authorization', await pool.idToken({ nbf: now() - 60, iat: now() - 60 })]]);
    expect(answer.status).toBe(200);
  });
});

describe('a token header sent twice', () => {
  test('HTTP API: the values are combined with commas, which is no JWT: 401', async () => {
    // docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html:
    // "Duplicate headers are combined with commas"; docs/aws-authorizer-semantics.md (Import, transport).
    const valid = await pool.idToken();
    const answer = await get('http', [
      ['Authorization', valid],
      ['Authorization', valid],
    ]);
    expectUnauthorized('http', answer);
  });
  test('REST: the last value is the token (unverified: only the status is asserted)', async () => {
    // REST keeps every value in multiValueHeaders and one per name in headers; the Lambda proxy input
    // format (docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html)
    // shows that one as the last. That the Cognito authorizer reads the same value is unverified.
    const valid = await pool.idToken();
    expect(
      (
        await get('rest', [
          ['Authorization', 'not-a-token'],
          ['Authorization', valid],
        ])
      ).status,
    ).toBe(200);
    expect(
      (
        await get('rest', [
          ['Authorization', valid],
          ['Authorization', 'not-a-token'],
        ])
      ).status,
    ).toBe(401);
  });
});

describe('the verified-token cache', () => {
  test('holds one entry per token: variants are refused before they are remembered', async () => {
    const keys = new KeyStore();
    const token = await idTokenWithUrlSafeChars();
    // The cache takes a token from its second verification on (key-store.ts, seenBefore).
    for (let i = 0; i < 2; i++) expect((await keys.verify(token, pool.jwksUrl, ['RS256'])).ok).toBe(true);
    expect(keys.rememberedTokens).toBe(1);
    for (const [what, variant] of variantsOf(token))
      for (let i = 0; i < 2; i++) {
        const verified = await keys.verify(variant, pool.jwksUrl, ['RS256']);
        expect({ what, ok: verified.ok }).toEqual({ what, ok: false });
      }
    expect(keys.rememberedTokens).toBe(1);
    // The token itself is still answered from the cache.
    expect((await keys.verify(token, pool.jwksUrl, ['RS256'])).ok).toBe(true);
    expect(keys.rememberedTokens).toBe(1);
  });
});

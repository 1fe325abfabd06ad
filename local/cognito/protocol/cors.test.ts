// A browser app may call every endpoint Cognito lets browsers call, from any origin: preflights are
// answered, and every reply (errors included) carries Access-Control-Allow-Origin: *. What Cognito sends
// for the JSON API is a captured preflight of cognito-idp.us-east-1.amazonaws.com (github.com/AllanZhengYP/
// cors-test, output.md, 2021-02-16): 200, allow-origin *, the requested headers echoed, allow-methods POST,
// max-age 172800, expose-headers x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date. The token
// endpoint's `*` is the Cognito developer guide's (token endpoint).
import {
  InitiateAuthCommand,
  ListUserPoolsCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  createClient,
  createPool,
  createUser,
  startTestCognito,
  STRONG_PASSWORD,
  type TestCognito,
} from '../test-support';

const ORIGIN = 'http://app.example:5173';
/** What the SDK's browser build and Amplify v6 add to a JSON API call besides content-type. */
const BROWSER_HEADERS = [
  'x-amz-target',
  'x-amz-user-agent',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'cache-control',
];

let t: TestCognito;
let poolId: string;

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk);
});
afterAll(() => t.stop());

/** The header names the real SDK puts on a request (recorded on the way out). */
async function sdkHeaderNames(sdk: CognitoIdentityProviderClient): Promise<string[]> {
  let names: string[] = [];
  const record = 'record-header-names';
  sdk.middlewareStack.add(
    (next) => async (args) => {
      names = Object.keys((args.request as { headers: Record<string, string> }).headers).map((n) => n.toLowerCase());
      return next(args);
    },
    { step: 'finalizeRequest', name: record, priority: 'low' },
  );
  try {
    await sdk.send(new ListUserPoolsCommand({ MaxResults: 1 }));
  } finally {
    sdk.middlewareStack.remove(record);
  }
  return names;
}

function preflight(url: string, method: string, requestHeaders?: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: ORIGIN,
      'access-control-request-method': method,
      ...(requestHeaders ? { 'access-control-request-headers': requestHeaders } : {}),
    },
  });
}

function jsonApi(target: string, body: object): Promise<Response> {
  return fetch(t.cognito.url, {
    method: 'POST',
    headers: {
      origin: ORIGIN,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
    },
    body: JSON.stringify(body),
  });
}

describe('the JSON API (POST /)', () => {
  test('a preflight with the headers the SDK and Amplify send is answered as Cognito answers it', async () => {
    const fromSdk = (await sdkHeaderNames(t.sdk)).filter((name) => !['host', 'content-length'].includes(name));
    expect(fromSdk).toEqual(expect.arrayContaining(['content-type', 'x-amz-target', 'amz-sdk-invocation-id']));
    const requested = [...new Set([...fromSdk, ...BROWSER_HEADERS])].join(',');
    const response = await preflight(t.cognito.url, 'POST', requested);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    const cors = (name: string) => response.headers.get(`access-control-${name}`);
    expect({
      origin: cors('allow-origin'),
      methods: cors('allow-methods'),
      headers: cors('allow-headers'),
      maxAge: cors('max-age'),
      expose: cors('expose-headers'),
    }).toEqual({
      origin: '*',
      methods: 'POST',
      headers: requested,
      maxAge: '172800',
      expose: 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
    });
  });

  test('replies, successes and errors alike, let any origin read them, x-amzn-ErrorType included', async () => {
    const ok = await jsonApi('ListUserPools', { MaxResults: 1 });
    const failed = await jsonApi('AdminCreateUser', { UserPoolId: 'us-east-1_missing', Username: 'x' });
    const unknown = await jsonApi('NoSuchOperation', {});
    for (const [response, status] of [
      [ok, 200],
      [failed, 400],
      [unknown, 400],
    ] as const) {
      expect(response.status).toBe(status);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-expose-headers')).toContain('x-amzn-ErrorType');
    }
    expect(failed.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
  });

  test('a body too large is refused with the CORS headers, so the page sees the 413', async () => {
    const response = await fetch(t.cognito.url, {
      method: 'POST',
      headers: { origin: ORIGIN, 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPools' },
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('the OAuth endpoints, discovery and JWKS', () => {
  let clientId: string;
  let accessToken: string;

  beforeAll(async () => {
    clientId = (
      await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })
    ).ClientId!;
    await createUser(t.sdk, poolId, 'cors-user');
    const signedIn = await t.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: 'cors-user', PASSWORD: STRONG_PASSWORD },
      }),
    );
    accessToken = signedIn.AuthenticationResult!.AccessToken!;
  });

  const endpoints = () => [
    { path: '/oauth2/token', method: 'POST', headers: 'authorization,content-type' },
    { path: '/oauth2/revoke', method: 'POST', headers: 'authorization,content-type' },
    { path: '/oauth2/userInfo', method: 'GET', headers: 'authorization' },
    { path: `/${poolId}/.well-known/openid-configuration`, method: 'GET', headers: undefined },
    { path: `/${poolId}/.well-known/jwks.json`, method: 'GET', headers: undefined },
  ];

  test('each answers a preflight: 200, any origin, its method, the requested headers', async () => {
    for (const endpoint of endpoints()) {
      const response = await preflight(`${t.cognito.url}${endpoint.path}`, endpoint.method, endpoint.headers);
      expect([endpoint.path, response.status]).toEqual([endpoint.path, 200]);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toContain(endpoint.method);
      expect(response.headers.get('access-control-allow-headers')).toBe(endpoint.headers ?? null);
    }
  });

  test('the token endpoint sends Access-Control-Allow-Origin: * on success and on every error', async () => {
    const post = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(t.cognito.tokenEndpoint, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form),
      });
    const replies = [
      await post({ grant_type: 'refresh_token', client_id: clientId, refresh_token: 'forged' }), // invalid_grant
      await post({ grant_type: 'password' }), // unsupported_grant_type
      await post({ grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: 'Basic !!' }), // invalid_client
      await fetch(t.cognito.tokenEndpoint, { headers: { origin: ORIGIN } }), // 405
    ];
    expect(replies.map((r) => r.status)).toEqual([400, 400, 400, 405]);
    for (const reply of replies) expect(reply.headers.get('access-control-allow-origin')).toBe('*');
  });

  test('revoke, userInfo, discovery and JWKS replies carry it too, errors included', async () => {
    const url = (path: string) => `${t.cognito.url}${path}`;
    const replies: Array<[Response, number]> = [
      [
        await fetch(url('/oauth2/revoke'), {
          method: 'POST',
          headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: 'unknown', client_id: clientId }),
        }),
        200,
      ],
      [await fetch(url('/oauth2/userInfo'), { headers: { origin: ORIGIN } }), 400],
      // An InitiateAuth access token holds no openid scope: refused with 401.
      [
        await fetch(url('/oauth2/userInfo'), { headers: { origin: ORIGIN, authorization: `Bearer ${accessToken}` } }),
        401,
      ],
      [await fetch(url(`/${poolId}/.well-known/openid-configuration`), { headers: { origin: ORIGIN } }), 200],
      [await fetch(url(`/${poolId}/.well-known/jwks.json`), { headers: { origin: ORIGIN } }), 200],
      [await fetch(url('/us-east-1_missing/.well-known/jwks.json'), { headers: { origin: ORIGIN } }), 404],
    ];
    for (const [reply, status] of replies) {
      expect([reply.url, reply.status]).toEqual([reply.url, status]);
      expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    }
  });

  test('pages a browser navigates to (hosted UI, local mailbox) are not CORS endpoints', async () => {
    const authorize = await preflight(t.cognito.authorizeEndpoint, 'GET');
    expect(authorize.status).toBe(405);
    expect(authorize.headers.get('access-control-allow-origin')).toBeNull();
  });
});

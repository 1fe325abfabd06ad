// `issuerStyle: 'aws'` (gatehouse local --issuer aws): the stack's pool issues tokens whose iss is AWS's
// (https://cognito-idp.<region>.amazonaws.com/<pool id>) while its keys and discovery stay local, the local gateway
// accepts them, and the README's aws-jwt-verify recipes verify them as they would verify AWS's: CognitoJwtVerifier
// with the local JWKS cached, and JwtVerifier (JwtRsaVerifier before v5) with a fetcher that allows http.
import * as path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import {
  JwtInvalidAudienceError,
  JwtInvalidSignatureError,
  CognitoJwtInvalidClientIdError,
} from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache, type Jwks } from 'aws-jwt-verify/jwk';
import { runContract } from '../contract-tests/run';
import { secretHashOf } from './cognito';
import { startLocalStack, type LocalStack } from './stack';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');
const HELLO = path.join(__dirname, '..', 'openapi', 'hello-http.yaml');
const PASSWORD = 'Aws-issuer-Passw0rd!';

let stack: LocalStack;
let admin: CognitoIdentityProviderClient;
let web: AuthenticationResultType;
let partner: AuthenticationResultType;

async function signIn(clientName: string, username: string): Promise<AuthenticationResultType> {
  const client = stack.outputs.clients[clientName];
  const secret = stack.outputs.client_secrets[clientName];
  const result = await admin.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client.id,
      AuthParameters: {
        USERNAME: username,
        PASSWORD,
        ...(secret ? { SECRET_HASH: secretHashOf(username, client.id, secret) } : {}),
      },
    }),
  );
  return result.AuthenticationResult!;
}

beforeAll(async () => {
  stack = await startLocalStack({ spec: PETS, issuerStyle: 'aws' });
  admin = new CognitoIdentityProviderClient({
    endpoint: stack.outputs.cognito_endpoint,
    region: stack.outputs.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const username = 'aws-issuer@example.com';
  const created = await admin.send(
    new AdminCreateUserCommand({
      UserPoolId: stack.outputs.user_pool_id,
      Username: username,
      MessageAction: 'SUPPRESS',
    }),
  );
  await admin.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: stack.outputs.user_pool_id,
      Username: created.User!.Username!,
      Password: PASSWORD,
      Permanent: true,
    }),
  );
  [web, partner] = await Promise.all([signIn('web', username), signIn('partner', username)]);
});

afterAll(async () => {
  admin?.destroy();
  await stack?.stop();
});

/** The local JWKS, as an app would load it once (from the outputs' jwks_url). */
async function localJwks(): Promise<Jwks> {
  return (await (await fetch(stack.outputs.jwks_url)).json()) as Jwks;
}

test("tokens carry AWS's issuer; the JWKS and the discovery document are served locally and name it", async () => {
  const { outputs } = stack;
  expect(outputs.issuer).toBe(`https://cognito-idp.${outputs.region}.amazonaws.com/${outputs.user_pool_id}`);
  expect(outputs.user_pool_id).toMatch(new RegExp(`^${outputs.region}_`));
  expect(new URL(outputs.jwks_url).origin).toBe(new URL(outputs.cognito_endpoint).origin);
  expect(new URL(outputs.discovery_url!).origin).toBe(new URL(outputs.cognito_endpoint).origin);
  const discovery = (await (await fetch(outputs.discovery_url!)).json()) as { issuer: string; jwks_uri: string };
  expect(discovery).toMatchObject({ issuer: outputs.issuer, jwks_uri: outputs.jwks_url });
  const payload = JSON.parse(Buffer.from(web.IdToken!.split('.')[1], 'base64url').toString('utf8')) as {
    iss: string;
  };
  expect(payload.iss).toBe(outputs.issuer);
});

test('the local gateway accepts them (REST Cognito authorizer) and refuses a call without one', async () => {
  const url = `${stack.outputs.api_url}/pets`;
  expect((await fetch(url, { headers: { authorization: web.IdToken! } })).status).toBe(200);
  expect((await fetch(url)).status).toBe(401);
});

test('every contract check passes on an HTTP API whose jwt authorizer names the AWS-form issuer', async () => {
  const hello = await startLocalStack({ spec: HELLO, issuerStyle: 'aws' });
  try {
    expect(hello.outputs.issuer).toMatch(/^https:\/\/cognito-idp\./);
    const report = await runContract({
      spec: HELLO,
      outputs: hello.outputs,
      credentials: async () => ({ accessKeyId: 'local', secretAccessKey: 'local' }),
    });
    expect(report.results.filter((r) => !r.passed).map((r) => r.name)).toEqual([]);
    expect(report.results.some((r) => r.name === 'sayHello valid-token')).toBe(true);
  } finally {
    await hello.stop();
  }
});

describe('README recipe: CognitoJwtVerifier with the local JWKS cached', () => {
  test('accepts the local ID and access tokens, as it would AWS tokens of that pool', async () => {
    const { user_pool_id: userPoolId, clients } = stack.outputs;
    // --- recipe ---
    const idTokens = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'id', clientId: clients.web.id });
    idTokens.cacheJwks(await localJwks());
    const claims = await idTokens.verify(web.IdToken!);
    // --- end of recipe ---
    expect(claims).toMatchObject({ token_use: 'id', aud: clients.web.id, email: 'aws-issuer@example.com' });

    const accessTokens = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId: clients.web.id });
    accessTokens.cacheJwks(await localJwks());
    expect(accessTokens.verifySync(web.AccessToken!)).toMatchObject({ client_id: clients.web.id });
  });

  test('refuses a tampered token and a token of another client', async () => {
    const { user_pool_id: userPoolId, clients } = stack.outputs;
    const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'id', clientId: clients.web.id });
    verifier.cacheJwks(await localJwks());
    const [header, payload, signature] = web.IdToken!.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = [
      header,
      Buffer.from(JSON.stringify({ ...claims, email: 'someone-else@example.com' })).toString('base64url'),
      signature,
    ].join('.');
    await expect(verifier.verify(tampered)).rejects.toThrow(JwtInvalidSignatureError);
    await expect(verifier.verify(partner.IdToken!)).rejects.toThrow(CognitoJwtInvalidClientIdError);

    const accessTokens = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId: clients.web.id });
    accessTokens.cacheJwks(await localJwks());
    await expect(accessTokens.verify(partner.AccessToken!)).rejects.toThrow(CognitoJwtInvalidClientIdError);
  });
});

describe('README recipe: JwtVerifier with the local JWKS URI', () => {
  // --- recipe ---
  /** aws-jwt-verify's own fetcher speaks https only; the local JWKS is served over http. */
  const httpFetcher: Fetcher = {
    fetch: async (uri) => {
      const response = await fetch(uri);
      if (!response.ok) throw new Error(`${uri} answered ${response.status}`);
      return response.arrayBuffer();
    },
  };
  const localVerifier = () =>
    JwtVerifier.create(
      { issuer: stack.outputs.issuer, audience: stack.outputs.clients.web.id, jwksUri: stack.outputs.jwks_url },
      { jwksCache: new SimpleJwksCache({ fetcher: httpFetcher }) },
    );
  // --- end of recipe ---

  test('accepts the local ID token, fetching the keys over http', async () => {
    expect(await localVerifier().verify(web.IdToken!)).toMatchObject({ aud: stack.outputs.clients.web.id });
  });

  test('refuses a tampered token and a token of another client', async () => {
    const verifier = localVerifier();
    const [header, payload] = web.IdToken!.split('.');
    const otherSignature = partner.IdToken!.split('.')[2];
    await expect(verifier.verify([header, payload, otherSignature].join('.'))).rejects.toThrow(
      JwtInvalidSignatureError,
    );
    await expect(verifier.verify(partner.IdToken!)).rejects.toThrow(JwtInvalidAudienceError);
  });

  test("without the fetcher, aws-jwt-verify's default refuses the http JWKS URI", async () => {
    const verifier = JwtVerifier.create({
      issuer: stack.outputs.issuer,
      audience: stack.outputs.clients.web.id,
      jwksUri: stack.outputs.jwks_url,
    });
    await expect(verifier.verify(web.IdToken!)).rejects.toThrow(/http/i);
  });
});

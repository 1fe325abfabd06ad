// A local pool standing in for one a document hard-codes: its tokens and discovery document carry the given
// issuer, its keys are still served locally.
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as path from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { loadApiModel } from '../../../openapi';
import { appProps } from '../../../stack/app-props';
import { resolveProps } from '../../../stack/resolve';
import { provisionPool } from './provision';
import { createUser, decodeJwtParts, startTestCognito, STRONG_PASSWORD, type TestCognito } from '../test-support';

const HARD_CODED = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123';

let t: TestCognito;
beforeAll(async () => {
  t = await startTestCognito();
});
afterAll(() => t.stop());

test('a pool provisioned with an issuer issues tokens with exactly that iss, announces it, and keeps its JWKS local', async () => {
  const model = await loadApiModel(path.join(__dirname, '../../../openapi/pets.yaml'));
  const resolved = resolveProps(appProps(model.file), model, 'gatehouse-pets');
  const pool = await provisionPool(t.cognito, resolved, { issuer: HARD_CODED });
  expect(pool.issuer).toBe(HARD_CODED);
  expect(pool.jwks_url).toBe(`${t.cognito.url}/${pool.user_pool_id}/.well-known/jwks.json`);

  const discovery = (await (
    await fetch(`${t.cognito.url}/${pool.user_pool_id}/.well-known/openid-configuration`)
  ).json()) as { issuer: string; jwks_uri: string };
  expect(discovery).toMatchObject({ issuer: HARD_CODED, jwks_uri: pool.jwks_url });

  const client = Object.values(pool.clients).find((c) => c.auth_flows.includes('USER_PASSWORD_AUTH') && !c.has_secret)!;
  const username = await createUser(t.sdk, pool.user_pool_id, 'issuer-user@example.com');
  const signedIn = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: client.id,
      AuthParameters: { USERNAME: 'issuer-user@example.com', PASSWORD: STRONG_PASSWORD },
    }),
  );
  const jwks = createLocalJWKSet((await (await fetch(pool.jwks_url)).json()) as { keys: [] });
  for (const token of [signedIn.AuthenticationResult!.IdToken!, signedIn.AuthenticationResult!.AccessToken!])
    await expect(jwtVerify(token, jwks, { issuer: HARD_CODED })).resolves.toBeDefined();
  expect(decodeJwtParts(signedIn.AuthenticationResult!.IdToken!).payload['cognito:username']).toBe(username);
});

test('other pools of the instance keep their local issuer', async () => {
  const model = await loadApiModel(path.join(__dirname, '../../../openapi/pets.yaml'));
  const pool = await provisionPool(t.cognito, resolveProps(appProps(model.file), model, 'gatehouse-other'));
  expect(pool.issuer).toBe(`${t.cognito.url}/${pool.user_pool_id}`);
});

test('an issuer that is not an http(s) URL is refused with a message naming the pool', () => {
  expect(() => t.cognito.overrideIssuer('us-east-1_Pool12345', 'cognito-idp/eu-west-1_AbC123')).toThrow(
    /us-east-1_Pool12345.*https:\/\/cognito-idp/,
  );
  expect(() => t.cognito.overrideIssuer('us-east-1_Pool12345', 'ftp://example.com/x')).toThrow(
    /must be an http\(s\) URL/,
  );
});

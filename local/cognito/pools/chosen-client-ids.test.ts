// provisionPool(..., { clientIds }): clients created with the ids a document hard-codes, working like any
// other client under that id, and nowhere under the id the local Cognito generated first.
import {
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as path from 'node:path';
import { loadApiModel } from '../../../openapi';
import { appProps } from '../../../stack/app-props';
import { resolveProps, type ResolvedProps } from '../../../stack/resolve';
import { provisionPool } from './provision';
import { createUser, decodeJwtParts, startTestCognito, STRONG_PASSWORD, type TestCognito } from '../test-support';

const WEB_ID = '1example23456789abcdefghij';
const MACHINE_ID = '7machine000000000000000000';

let t: TestCognito;
let resolved: ResolvedProps;

beforeAll(async () => {
  t = await startTestCognito();
  const model = await loadApiModel(path.join(__dirname, '../../../openapi/pets.yaml'));
  resolved = resolveProps(appProps(model.file), model, 'gatehouse-chosen');
});
afterAll(() => t.stop());

test('clients get the chosen ids and keep their settings and secrets; the others keep generated ids', async () => {
  const pool = await provisionPool(t.cognito, resolved, { clientIds: { web: WEB_ID, machine: MACHINE_ID } });
  expect(pool.clients.web.id).toBe(WEB_ID);
  expect(pool.clients.machine.id).toBe(MACHINE_ID);
  expect(pool.clients.partner.id).not.toMatch(/^(1example|7machine)/);

  const listed =
    (await t.sdk.send(new ListUserPoolClientsCommand({ UserPoolId: pool.user_pool_id }))).UserPoolClients ?? [];
  expect(listed.map((c) => c.ClientId).sort()).toEqual(
    Object.values(pool.clients)
      .map((c) => c.id)
      .sort(),
  );

  const machine = (
    await t.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.user_pool_id, ClientId: MACHINE_ID }))
  ).UserPoolClient!;
  expect(machine).toMatchObject({
    ClientName: 'machine',
    AllowedOAuthFlows: ['client_credentials'],
    ClientSecret: pool.client_secrets.machine,
  });

  // The chosen id signs users in and is the `aud` of their ID tokens.
  await createUser(t.sdk, pool.user_pool_id, 'chosen@example.com');
  const signedIn = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: WEB_ID,
      AuthParameters: { USERNAME: 'chosen@example.com', PASSWORD: STRONG_PASSWORD },
    }),
  );
  expect(decodeJwtParts(signedIn.AuthenticationResult!.IdToken!).payload.aud).toBe(WEB_ID);

  // And the machine client gets client_credentials tokens under its chosen id.
  const basic = Buffer.from(`${MACHINE_ID}:${pool.client_secrets.machine}`).toString('base64');
  const reply = await fetch(pool.token_endpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  expect(reply.status).toBe(200);
  const { access_token } = (await reply.json()) as { access_token: string };
  expect(decodeJwtParts(access_token).payload.client_id).toBe(MACHINE_ID);
});

test('an id another client already has is refused, naming the id', async () => {
  await expect(provisionPool(t.cognito, resolved, { clientIds: { web: WEB_ID } })).rejects.toThrow(
    `Client id "${WEB_ID}" already names a client`,
  );
});

test('an id Cognito could not issue is refused', async () => {
  await expect(provisionPool(t.cognito, resolved, { clientIds: { web: 'not an id!' } })).rejects.toThrow(
    /"not an id!" is not one Cognito could issue/,
  );
});

test('a client name the props do not define is refused before anything is created', async () => {
  const poolCount = async () =>
    ((await t.sdk.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools ?? []).length;
  const before = await poolCount();
  await expect(provisionPool(t.cognito, resolved, { clientIds: { mobile: 'mobile1' } })).rejects.toThrow(
    /clientIds names no client of the props: mobile/,
  );
  expect(await poolCount()).toBe(before);
});

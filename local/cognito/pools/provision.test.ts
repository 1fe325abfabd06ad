// provisionPool sets up the pool the module would deploy, from the same ResolvedProps.
import {
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListResourceServersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import * as path from 'node:path';
import { loadApiModel } from '../../../openapi';
import { appProps } from '../../../stack/app-props';
import { resolveProps, type ResolvedProps } from '../../../stack/resolve';
import { provisionPool, type ProvisionedPool } from './provision';
import {
  createUser,
  decodeJwtParts,
  failureOf,
  startTestCognito,
  STRONG_PASSWORD,
  type TestCognito,
} from '../test-support';

let t: TestCognito;
let resolved: ResolvedProps;
let pool: ProvisionedPool;

beforeAll(async () => {
  t = await startTestCognito();
  const model = await loadApiModel(path.join(__dirname, '../../../openapi/pets.yaml'));
  // Not the defaults: each field differs from DEFAULT_PASSWORD_POLICY / DEFAULT_TOKEN_VALIDITY and from its
  // neighbours, so a field dropped or crossed with another on the way to CreateUserPool shows.
  const props = appProps(model.file);
  resolved = resolveProps(
    {
      ...props,
      userPool: {
        ...props.userPool,
        passwordPolicy: {
          minimumLength: 17,
          requireLowercase: false,
          requireUppercase: true,
          requireNumbers: false,
          requireSymbols: true,
          temporaryPasswordValidityDays: 3,
        },
        tokenValidity: { accessTokenMinutes: 15, idTokenMinutes: 45, refreshTokenDays: 9 },
      },
    },
    model,
    'gatehouse-pets',
  );
  pool = await provisionPool(t.cognito, resolved);
});
afterAll(() => t.stop());

test('the outputs name the pool, its issuer, JWKS, endpoints and every client', () => {
  expect(pool).toMatchObject({
    user_pool_arn: `arn:aws:cognito-idp:${t.cognito.region}:000000000000:userpool/${pool.user_pool_id}`,
    issuer: t.cognito.issuerOf(pool.user_pool_id),
    jwks_url: t.cognito.jwksUrlOf(pool.user_pool_id),
    cognito_endpoint: t.cognito.url,
    token_endpoint: t.cognito.tokenEndpoint,
  });
  expect(Object.keys(pool.clients).sort()).toEqual(Object.keys(resolved.clients).sort());
  expect(Object.keys(resolved.clients).sort()).toEqual(['machine', 'partner', 'spa', 'web']);
  for (const [name, client] of Object.entries(resolved.clients)) {
    expect(pool.clients[name]).toMatchObject({
      has_secret: client.generateSecret,
      auth_flows: client.explicitAuthFlows,
      oauth_flows: client.oauthFlows,
      oauth_scopes: client.oauthScopes,
    });
    expect(Boolean(pool.client_secrets[name])).toBe(client.generateSecret);
  }
});

test('the pool has the resolved password policy, sign-in attributes and admin-only sign-up', async () => {
  const described = (await t.sdk.send(new DescribeUserPoolCommand({ UserPoolId: pool.user_pool_id }))).UserPool!;
  const policy = resolved.pool.passwordPolicy;
  expect(described.Policies?.PasswordPolicy).toEqual({
    MinimumLength: 17,
    RequireLowercase: false,
    RequireUppercase: true,
    RequireNumbers: false,
    RequireSymbols: true,
    TemporaryPasswordValidityDays: 3,
  });
  expect(policy).toEqual({
    minimumLength: 17,
    requireLowercase: false,
    requireUppercase: true,
    requireNumbers: false,
    requireSymbols: true,
    temporaryPasswordValidityDays: 3,
  });
  expect(described.UsernameAttributes).toEqual(resolved.pool.signInAttributes.filter((a) => a !== 'username'));
  expect(described.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(resolved.pool.adminOnlySignUp);
  expect(described.UserPoolTier).toBe(resolved.pool.featurePlan);
  expect(described.Policies?.SignInPolicy?.AllowedFirstAuthFactors).toEqual(resolved.pool.allowedFirstAuthFactors);
});

test("the pool has the module's hosted-UI domain (a prefix, or a custom domain) and deletion protection", async () => {
  const described = (await t.sdk.send(new DescribeUserPoolCommand({ UserPoolId: pool.user_pool_id }))).UserPool!;
  expect('prefix' in resolved.domain && described.Domain === resolved.domain.prefix).toBe(true);
  expect(described.DeletionProtection).toBe(resolved.pool.deletionProtection ? 'ACTIVE' : 'INACTIVE');

  const custom = await provisionPool(t.cognito, {
    ...resolved,
    domain: {
      customDomain: 'auth.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
      route53ZoneId: 'Z0000000000000',
    },
    pool: { ...resolved.pool, deletionProtection: true },
  });
  expect((await t.sdk.send(new DescribeUserPoolCommand({ UserPoolId: custom.user_pool_id }))).UserPool).toMatchObject({
    CustomDomain: 'auth.example.com',
    DeletionProtection: 'ACTIVE',
  });
});

test("resource servers hold the document's custom scopes and clients their flows, scopes and validity", async () => {
  const servers = await t.sdk.send(new ListResourceServersCommand({ UserPoolId: pool.user_pool_id, MaxResults: 50 }));
  expect(
    servers.ResourceServers?.map((s) => ({ identifier: s.Identifier, scopes: s.Scopes?.map((x) => x.ScopeName) })),
  ).toEqual(resolved.resourceServers);
  const describe = async (name: string) =>
    (
      await t.sdk.send(
        new DescribeUserPoolClientCommand({ UserPoolId: pool.user_pool_id, ClientId: pool.clients[name].id }),
      )
    ).UserPoolClient!;
  const clients = Object.entries(resolved.clients);
  const withOAuth = clients.filter(([, c]) => c.oauthFlows.length > 0).map(([name]) => name);
  const withoutOAuth = clients.filter(([, c]) => c.oauthFlows.length === 0).map(([name]) => name);
  // pets' app props have both kinds, so each loop below runs.
  expect([withOAuth.sort(), withoutOAuth.sort()]).toEqual([
    ['machine', 'spa'],
    ['partner', 'web'],
  ]);
  for (const [name] of clients)
    expect(await describe(name)).toMatchObject({
      AccessTokenValidity: 15,
      IdTokenValidity: 45,
      RefreshTokenValidity: 9,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    });
  for (const name of withOAuth)
    expect(await describe(name)).toMatchObject({
      AllowedOAuthFlows: resolved.clients[name].oauthFlows,
      AllowedOAuthScopes: resolved.clients[name].oauthScopes,
      AllowedOAuthFlowsUserPoolClient: true,
    });
  for (const name of withoutOAuth) {
    const described = await describe(name);
    expect([described.AllowedOAuthFlows ?? [], described.AllowedOAuthFlowsUserPoolClient ?? false]).toEqual([
      [],
      false,
    ]);
  }
});

test('a user signs in through the people client and the machine client gets its scopes by client_credentials', async () => {
  const [peopleName, people] = Object.entries(pool.clients).find(
    ([, c]) => !c.has_secret && c.auth_flows.includes('USER_PASSWORD_AUTH'),
  )!;
  const [machineName, machine] = Object.entries(pool.clients).find(([, c]) =>
    c.oauth_flows.includes('client_credentials'),
  )!;
  await createUser(t.sdk, pool.user_pool_id, 'provisioned-user@example.com');
  const signedIn = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: people.id,
      AuthParameters: { USERNAME: 'provisioned-user@example.com', PASSWORD: STRONG_PASSWORD },
    }),
  );
  expect(decodeJwtParts(signedIn.AuthenticationResult!.IdToken!).payload.aud).toBe(people.id);

  const response = await fetch(pool.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${machine.id}:${pool.client_secrets[machineName]}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  expect(response.status).toBe(200);
  const scope = decodeJwtParts(((await response.json()) as { access_token: string }).access_token).payload
    .scope as string;
  expect(scope.split(' ').sort()).toEqual([...machine.oauth_scopes].sort());
  expect(peopleName).not.toBe(machineName);
});

test("a client's refresh-token rotation reaches the local client: described, and REFRESH_TOKEN_AUTH refused for it", async () => {
  const model = await loadApiModel(path.join(__dirname, '../../../openapi/pets.yaml'));
  const props = appProps(model.file);
  const rotating = resolveProps(
    { ...props, clients: { ...props.clients, web: { refreshTokenRotation: { retryGracePeriodSeconds: 45 } } } },
    model,
    'gatehouse-rotating',
  );
  const provisioned = await provisionPool(t.cognito, rotating);
  const describe = (name: string) =>
    t.sdk.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: provisioned.user_pool_id,
        ClientId: provisioned.clients[name].id,
      }),
    );
  expect((await describe('web')).UserPoolClient?.RefreshTokenRotation).toEqual({
    Feature: 'ENABLED',
    RetryGracePeriodSeconds: 45,
  });
  expect((await describe('partner')).UserPoolClient?.RefreshTokenRotation).toBeUndefined();

  await createUser(t.sdk, provisioned.user_pool_id, 'rotating-user@example.com');
  const signedIn = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: provisioned.clients.web.id,
      AuthParameters: { USERNAME: 'rotating-user@example.com', PASSWORD: STRONG_PASSWORD },
    }),
  );
  const refused = await failureOf(
    t.sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: provisioned.clients.web.id,
        AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult!.RefreshToken! },
      }),
    ),
  );
  expect(refused.name).toBe('NotAuthorizedException');
});

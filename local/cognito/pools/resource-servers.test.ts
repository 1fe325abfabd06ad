import {
  CreateResourceServerCommand,
  DeleteResourceServerCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  createClient,
  createPool,
  createResourceServer,
  failureOf,
  startTestCognito,
  type TestCognito,
} from '../test-support';

let t: TestCognito;
let poolId: string;

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk);
});
afterAll(() => t.stop());

test('CreateResourceServer then DescribeResourceServer returns the server with its scopes', async () => {
  const created = await t.sdk.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'https://api.example.com',
      Name: 'api',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read things' }],
    }),
  );
  const expected = {
    UserPoolId: poolId,
    Identifier: 'https://api.example.com',
    Name: 'api',
    Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read things' }],
  };
  expect(created.ResourceServer).toEqual(expected);
  const described = await t.sdk.send(
    new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com' }),
  );
  expect(described.ResourceServer).toEqual(expected);
});

test('ListResourceServers pages through every server of the pool and none of another pool', async () => {
  const listPool = await createPool(t.sdk);
  for (const id of ['a', 'b', 'c']) await createResourceServer(t.sdk, listPool, id, ['x']);
  await createResourceServer(t.sdk, await createPool(t.sdk), 'other-pool', ['x']);
  const first = await t.sdk.send(new ListResourceServersCommand({ UserPoolId: listPool, MaxResults: 2 }));
  expect(first.ResourceServers?.map((s) => s.Identifier)).toEqual(['a', 'b']);
  expect(first.NextToken).toBeDefined();
  const second = await t.sdk.send(
    new ListResourceServersCommand({ UserPoolId: listPool, MaxResults: 2, NextToken: first.NextToken }),
  );
  expect(second.ResourceServers?.map((s) => s.Identifier)).toEqual(['c']);
  expect(second.NextToken).toBeUndefined();
});

test('UpdateResourceServer replaces the scopes; DeleteResourceServer removes the server', async () => {
  await createResourceServer(t.sdk, poolId, 'changing', ['old']);
  const updated = await t.sdk.send(
    new UpdateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'changing',
      Name: 'changing',
      Scopes: [{ ScopeName: 'new', ScopeDescription: 'new' }],
    }),
  );
  expect(updated.ResourceServer?.Scopes).toEqual([{ ScopeName: 'new', ScopeDescription: 'new' }]);
  await t.sdk.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'changing' }));
  expect(
    (await failureOf(t.sdk.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'changing' }))))
      .name,
  ).toBe('ResourceNotFoundException');
});

test('resource server errors: unknown pool, duplicate identifier, missing name, slash in a scope name', async () => {
  const create = (input: Partial<ConstructorParameters<typeof CreateResourceServerCommand>[0]>) =>
    t.sdk.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'dup', Name: 'dup', ...input }));
  expect((await failureOf(create({ UserPoolId: 'us-east-1_nosuchpool' }))).name).toBe('ResourceNotFoundException');
  await create({});
  expect(await failureOf(create({}))).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  expect((await failureOf(create({ Identifier: 'unnamed', Name: '' }))).name).toBe('InvalidParameterException');
  expect(
    (await failureOf(create({ Identifier: 'slashed', Scopes: [{ ScopeName: 'a/b', ScopeDescription: 'x' }] }))).name,
  ).toBe('InvalidParameterException');
});

test('a client keeps its custom scopes and OAuth settings, as DescribeUserPoolClient returns them', async () => {
  await createResourceServer(t.sdk, poolId, 'orders', ['read', 'write']);
  const client = await createClient(t.sdk, poolId, {
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: ['orders/read'],
  });
  const described = await t.sdk.send(
    new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId! }),
  );
  expect(described.UserPoolClient).toMatchObject({
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: ['orders/read'],
  });
});

test('a client may not be allowed a scope no resource server defines, nor client_credentials without a secret', async () => {
  expect(
    await failureOf(
      createClient(t.sdk, poolId, {
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['orders/delete'],
      }),
    ),
  ).toMatchObject({
    name: 'ScopeDoesNotExistException',
    message: 'Invalid scope requested: orders/delete',
  });
  expect(
    await failureOf(
      createClient(t.sdk, poolId, {
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['orders/read'],
      }),
    ),
  ).toMatchObject({
    name: 'InvalidOAuthFlowException',
  });
});

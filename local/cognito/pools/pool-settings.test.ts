// A pool's hosted-UI domain and deletion protection through the AWS SDK. DescribeUserPool names the domain
// (UserPoolType: "Domain: The domain prefix, if the user pool has a domain associated with it", CustomDomain
// for a custom one: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html)
// after CreateUserPoolDomain (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolDomain.html),
// and DeletionProtection: "When you try to delete a protected user pool in a DeleteUserPool API request,
// Amazon Cognito returns an InvalidParameterException error" (CreateUserPool, DeletionProtection); UpdateUserPool
// sets what it is not given to its default ("If you don't provide a value for an attribute, Amazon Cognito sets
// it to its default value", UpdateUserPool), INACTIVE here.
import {
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeUserPoolCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { createPool, failureOf, startTestCognito, type TestCognito } from '../test-support';

let t: TestCognito;
beforeAll(async () => {
  t = await startTestCognito();
});
afterAll(() => t.stop());

const describePool = async (poolId: string) =>
  (await t.sdk.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;

test('a prefix domain is named by DescribeUserPool until it is deleted; a second one is refused', async () => {
  const poolId = await createPool(t.sdk);
  expect((await describePool(poolId)).Domain).toBeUndefined();
  await t.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'orders-prod' }));
  expect((await describePool(poolId)).Domain).toBe('orders-prod');
  expect(
    await failureOf(t.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'orders-other' }))),
  ).toMatchObject({ name: 'InvalidParameterException' });
  // UpdateUserPool keeps the domain: it is not one of the pool's settings.
  await t.sdk.send(new UpdateUserPoolCommand({ UserPoolId: poolId }));
  expect((await describePool(poolId)).Domain).toBe('orders-prod');

  await t.sdk.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'orders-prod' }));
  expect((await describePool(poolId)).Domain).toBeUndefined();
});

test("a custom domain is the pool's CustomDomain", async () => {
  const poolId = await createPool(t.sdk);
  await t.sdk.send(
    new CreateUserPoolDomainCommand({
      UserPoolId: poolId,
      Domain: 'auth.example.com',
      CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123' },
    }),
  );
  expect(await describePool(poolId)).toMatchObject({ CustomDomain: 'auth.example.com' });
});

test("a prefix outside Cognito's pattern or holding a reserved word is InvalidParameterException", async () => {
  const poolId = await createPool(t.sdk);
  for (const Domain of ['Orders', '-orders', 'orders_prod', 'my-cognito-app', 'aws-orders'])
    expect(await failureOf(t.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain })))).toMatchObject({
      name: 'InvalidParameterException',
    });
});

test('deletion protection: INACTIVE by default; an ACTIVE pool cannot be deleted until UpdateUserPool sets it INACTIVE', async () => {
  expect((await describePool(await createPool(t.sdk))).DeletionProtection).toBe('INACTIVE');
  const created = await t.sdk.send(new CreateUserPoolCommand({ PoolName: 'kept', DeletionProtection: 'ACTIVE' }));
  expect(created.UserPool?.DeletionProtection).toBe('ACTIVE');
  const poolId = created.UserPool!.Id!;
  expect((await describePool(poolId)).DeletionProtection).toBe('ACTIVE');
  expect(await failureOf(t.sdk.send(new DeleteUserPoolCommand({ UserPoolId: poolId })))).toMatchObject({
    name: 'InvalidParameterException',
  });

  await t.sdk.send(new UpdateUserPoolCommand({ UserPoolId: poolId, DeletionProtection: 'ACTIVE' }));
  expect((await describePool(poolId)).DeletionProtection).toBe('ACTIVE');
  await t.sdk.send(new UpdateUserPoolCommand({ UserPoolId: poolId }));
  expect((await describePool(poolId)).DeletionProtection).toBe('INACTIVE');
  await t.sdk.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
  expect(await failureOf(describePool(poolId))).toMatchObject({ name: 'ResourceNotFoundException' });
});

// ListUsers through the AWS SDK, as the API reference describes it
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html): Limit and
// PaginationToken page through every user once; the filter searches one standard attribute with = or ^=,
// `status` is Enabled or Disabled ("called Enabled in the Console", case-sensitive), `cognito:user_status`
// is CONFIRMED, FORCE_CHANGE_PASSWORD ... ("called Status in the Console", case-insensitive); custom
// attributes are not searchable, and a malformed filter or Limit is InvalidParameterException.
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  ListUsersCommand,
  paginateListUsers,
  type ListUsersCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { createPool, createUser, failureOf, startTestCognito, type TestCognito } from '../test-support';

let t: TestCognito;
let poolId: string;
const NAMES = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus'];

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk);
  for (const name of NAMES)
    await createUser(t.sdk, poolId, name, undefined, { email: `${name}@example.com`, given_name: `${name} "q"` });
  // Invited, not yet signed in: FORCE_CHANGE_PASSWORD.
  await t.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: 'invited',
      MessageAction: 'SUPPRESS',
      TemporaryPassword: 'Temporary-Pass-1',
    }),
  );
  await t.sdk.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'bob' }));
});
afterAll(() => t.stop());

const list = async (input: Partial<ListUsersCommandInput> = {}) =>
  t.sdk.send(new ListUsersCommand({ UserPoolId: poolId, ...input }));
const namesOf = (users: { Username?: string }[] | undefined) => (users ?? []).map((u) => u.Username!).sort();

test('Limit caps a page and PaginationToken continues it until every user was listed once', async () => {
  const first = await list({ Limit: 3 });
  expect(first.Users).toHaveLength(3);
  expect(first.PaginationToken).toEqual(expect.any(String));

  const seen: string[] = [];
  for await (const page of paginateListUsers({ client: t.sdk, pageSize: 3 }, { UserPoolId: poolId })) {
    expect((page.Users ?? []).length).toBeLessThanOrEqual(3);
    seen.push(...namesOf(page.Users));
  }
  expect(seen.sort()).toEqual([...NAMES, 'invited'].sort());

  const all = await list();
  expect(namesOf(all.Users)).toEqual([...NAMES, 'invited'].sort());
  expect(all.PaginationToken).toBeUndefined();
});

test('a page token continues a filtered listing too', async () => {
  const first = await list({ Filter: 'email ^= "a"', Limit: 1 });
  expect(namesOf(first.Users)).toEqual(['ann']);
  expect(first.PaginationToken).toBeUndefined();
  const enabled = await list({ Filter: 'status = "Enabled"', Limit: 4 });
  const rest = await list({ Filter: 'status = "Enabled"', Limit: 4, PaginationToken: enabled.PaginationToken });
  expect([...namesOf(enabled.Users), ...namesOf(rest.Users)].sort()).toEqual(
    [...NAMES.filter((n) => n !== 'bob'), 'invited'].sort(),
  );
  expect(rest.PaginationToken).toBeUndefined();
});

test('status is Enabled or Disabled, case-sensitive; cognito:user_status is the user status, case-insensitive', async () => {
  expect(namesOf((await list({ Filter: 'status = "Disabled"' })).Users)).toEqual(['bob']);
  expect(namesOf((await list({ Filter: 'status = "Enabled"' })).Users)).toHaveLength(NAMES.length);
  expect((await list({ Filter: 'status = "enabled"' })).Users).toEqual([]);
  expect(namesOf((await list({ Filter: 'cognito:user_status = "force_change_password"' })).Users)).toEqual(['invited']);
  expect(namesOf((await list({ Filter: '"cognito:user_status"="CONFIRMED"' })).Users)).toEqual(NAMES);
});

test('= matches exactly and ^= by prefix; username is case-sensitive; escaped quotes match quotes', async () => {
  expect(namesOf((await list({ Filter: 'username = "cat"' })).Users)).toEqual(['cat']);
  expect((await list({ Filter: 'username = "CAT"' })).Users).toEqual([]);
  expect(namesOf((await list({ Filter: 'email ^= "d"' })).Users)).toEqual(['dan']);
  expect(namesOf((await list({ Filter: 'given_name = "eve \\"q\\""' })).Users)).toEqual(['eve']);
  expect(namesOf((await list({ Filter: '' })).Users)).toHaveLength(NAMES.length + 1);
});

test('an unsearchable attribute, a malformed filter, a Limit above 60 or a forged token is InvalidParameterException', async () => {
  for (const input of [
    { Filter: 'custom:team = "a"' },
    { Filter: 'email == "a"' },
    { Filter: 'email = a' },
    { Limit: 61 },
    { Limit: -1 },
    { PaginationToken: 'not-a-token' },
  ])
    expect(await failureOf(list(input))).toMatchObject({ name: 'InvalidParameterException' });
});

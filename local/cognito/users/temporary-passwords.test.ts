// AdminCreateUser without TemporaryPassword: the password Cognito generates (docs/aws-authorizer-semantics.md,
// Import/transport/Cognito table, *likely*) passes the pool's own policy, default or strict, and signs the
// invited user in to the NEW_PASSWORD_REQUIRED challenge.
import {
  AdminCreateUserCommand,
  InitiateAuthCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { policyViolation, type PasswordPolicy } from '../guards/password-policy';
import { createClient, createPool, startTestCognito, type TestCognito } from '../test-support';
import { generatedPassword } from './temporary-passwords';

let t: TestCognito;

beforeAll(async () => {
  t = await startTestCognito();
});
afterAll(() => t.stop());

const STRICT: PasswordPolicy = {
  MinimumLength: 24,
  RequireLowercase: true,
  RequireUppercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
};
/** What a pool created without Policies enforces (Cognito's default). */
const DEFAULT: PasswordPolicy = { ...STRICT, MinimumLength: 8 };

async function invitedPassword(pool: Partial<CreateUserPoolCommandInput>, username: string) {
  const poolId = await createPool(t.sdk, pool);
  const clientId = (await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] })).ClientId!;
  await t.sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      DesiredDeliveryMediums: ['EMAIL'],
    }),
  );
  const [invitation] = await t.cognito.codesFor(poolId, username);
  expect(invitation.purpose).toBe('AdminCreateUser');
  return { password: invitation.code, clientId };
}

test.each([
  ['the default policy', {}, DEFAULT],
  ['a strict policy of 24 characters', { Policies: { PasswordPolicy: STRICT } }, STRICT],
])('under %s the generated password passes it and starts the first sign-in', async (_name, pool, policy) => {
  const username = `invited-${policy.MinimumLength}`;
  const { password, clientId } = await invitedPassword(pool, username);
  expect(policyViolation(password, policy)).toBeUndefined();
  const signIn = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  expect(signIn.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
});

test('every generated password has each character class and the length, and they differ', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const password = generatedPassword(STRICT);
    expect(policyViolation(password, STRICT)).toBeUndefined();
    seen.add(password);
  }
  expect(seen.size).toBe(200);
});

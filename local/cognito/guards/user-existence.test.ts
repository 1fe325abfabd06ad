// PreventUserExistenceErrors (docs/aws-authorizer-semantics.md, Import/transport/Cognito table; developer
// guide, "Managing user existence error responses"): a client created through the API without the member
// is LEGACY and reveals an unknown user; with ENABLED nothing answers UserNotFoundException.
import {
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DescribeUserPoolClientCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  createClient,
  createPool,
  failureOf,
  startTestCognito,
  STRONG_PASSWORD,
  type TestCognito,
} from '../test-support';

let t: TestCognito;
let poolId: string;
let legacy: string;
let enabled: string;
const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

beforeAll(async () => {
  t = await startTestCognito();
  poolId = await createPool(t.sdk, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] });
  legacy = (await createClient(t.sdk, poolId, { ExplicitAuthFlows: [...FLOWS] })).ClientId!;
  enabled = (
    await createClient(t.sdk, poolId, { ExplicitAuthFlows: [...FLOWS], PreventUserExistenceErrors: 'ENABLED' })
  ).ClientId!;
});
afterAll(() => t.stop());

const GHOST = 'ghost@example.com';

const signIns = (clientId: string) => [
  t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: GHOST, PASSWORD: STRONG_PASSWORD },
    }),
  ),
  t.sdk.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: GHOST, PASSWORD: STRONG_PASSWORD },
    }),
  ),
];

describe('a client created through the API without the member', () => {
  test('is LEGACY, as DescribeUserPoolClient shows', async () => {
    const described = await t.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: legacy }));
    expect(described.UserPoolClient?.PreventUserExistenceErrors).toBe('LEGACY');
  });

  test('InitiateAuth and AdminInitiateAuth answer UserNotFoundException for an unknown user', async () => {
    for (const call of signIns(legacy))
      expect(await failureOf(call)).toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  test('ForgotPassword answers UserNotFoundException too', async () => {
    expect((await failureOf(t.sdk.send(new ForgotPasswordCommand({ ClientId: legacy, Username: GHOST })))).name).toBe(
      'UserNotFoundException',
    );
  });
});

describe('a client with ENABLED never answers UserNotFoundException', () => {
  test('sign-in: "Incorrect username or password."', async () => {
    for (const call of signIns(enabled))
      expect(await failureOf(call)).toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });
  });

  test('ForgotPassword and ResendConfirmationCode: a code "sent" to a simulated destination', async () => {
    for (const command of [
      new ForgotPasswordCommand({ ClientId: enabled, Username: GHOST }),
      new ResendConfirmationCodeCommand({ ClientId: enabled, Username: GHOST }),
    ]) {
      const reply = (await t.sdk.send(command as ForgotPasswordCommand)) as { CodeDeliveryDetails?: object };
      expect(reply.CodeDeliveryDetails).toEqual({
        DeliveryMedium: 'EMAIL',
        AttributeName: 'email',
        Destination: GHOST,
      });
    }
  });

  test('ConfirmForgotPassword and ConfirmSignUp: CodeMismatchException, as for a wrong code', async () => {
    for (const command of [
      new ConfirmForgotPasswordCommand({
        ClientId: enabled,
        Username: GHOST,
        ConfirmationCode: '123456',
        Password: STRONG_PASSWORD,
      }),
      new ConfirmSignUpCommand({ ClientId: enabled, Username: GHOST, ConfirmationCode: '123456' }),
    ])
      expect((await failureOf(t.sdk.send(command as ConfirmSignUpCommand))).name).toBe('CodeMismatchException');
  });

  test('an existing user is still served: a real sign-up code is resent and confirms', async () => {
    const email = 'real@example.com';
    await t.sdk.send(
      new SignUpCommand({
        ClientId: enabled,
        Username: email,
        Password: STRONG_PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await t.sdk.send(new ResendConfirmationCodeCommand({ ClientId: enabled, Username: email }));
    const [latest] = await t.cognito.codesFor(poolId, email);
    await t.sdk.send(new ConfirmSignUpCommand({ ClientId: enabled, Username: email, ConfirmationCode: latest.code }));
    await expect(
      t.sdk.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: enabled,
          AuthParameters: { USERNAME: email, PASSWORD: STRONG_PASSWORD },
        }),
      ),
    ).resolves.toBeDefined();
  });
});

test('a value that is neither ENABLED nor LEGACY is InvalidParameterException', async () => {
  expect(
    await failureOf(
      createClient(t.sdk, poolId, {
        PreventUserExistenceErrors: 'SOMETIMES' as 'ENABLED',
      }),
    ),
  ).toMatchObject({ name: 'InvalidParameterException', status: 400 });
});

// GetUserAttributeVerificationCode through the AWS SDK: the code goes to the attribute the request names
// (not to whichever of the pool's auto-verified attributes the user has) and the answer says where, in
// CodeDeliveryDetails (API reference: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUserAttributeVerificationCode.html);
// VerifyUserAttribute with that code verifies that attribute. Only email and phone_number can be verified
// (developer guide, "User pool attributes"); anything else, or an attribute the user lacks, is
// InvalidParameterException.
import {
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  createClient,
  createPool,
  createUser,
  failureOf,
  startTestCognito,
  STRONG_PASSWORD,
  type TestCognito,
} from '../test-support';

let t: TestCognito;
let poolId: string;
let clientId: string;
const PHONE = '+15555550123';

beforeAll(async () => {
  t = await startTestCognito();
  // Only e-mail is auto-verified: cognito-local sent every code there.
  poolId = await createPool(t.sdk, { AutoVerifiedAttributes: ['email'] });
  clientId = (await createClient(t.sdk, poolId, { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] })).ClientId!;
  await createUser(t.sdk, poolId, 'pat', STRONG_PASSWORD, {
    email: 'pat@example.com',
    email_verified: 'true',
    phone_number: PHONE,
    phone_number_verified: 'false',
  });
  await createUser(t.sdk, poolId, 'sam', STRONG_PASSWORD, { email: 'sam@example.com' });
});
afterAll(() => t.stop());

async function accessTokenOf(username: string): Promise<string> {
  const signedIn = await t.sdk.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: STRONG_PASSWORD },
    }),
  );
  return signedIn.AuthenticationResult!.AccessToken!;
}

test('phone_number: the code goes by SMS to the phone, CodeDeliveryDetails says so, and it verifies the phone', async () => {
  const token = await accessTokenOf('pat');
  const sent = await t.sdk.send(
    new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'phone_number' }),
  );
  expect(sent.CodeDeliveryDetails).toEqual({
    AttributeName: 'phone_number',
    DeliveryMedium: 'SMS',
    Destination: PHONE,
  });
  const [code] = await t.cognito.codesFor(poolId, 'pat');
  expect(code).toMatchObject({ purpose: 'VerifyUserAttribute', deliveryMedium: 'SMS', destination: PHONE, clientId });

  await t.sdk.send(
    new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'phone_number', Code: code.code }),
  );
  const user = await t.sdk.send(new GetUserCommand({ AccessToken: token }));
  expect(user.UserAttributes).toContainEqual({ Name: 'phone_number_verified', Value: 'true' });
});

test('email: the code goes by e-mail to the address', async () => {
  const token = await accessTokenOf('sam');
  const sent = await t.sdk.send(
    new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'email' }),
  );
  expect(sent.CodeDeliveryDetails).toEqual({
    AttributeName: 'email',
    DeliveryMedium: 'EMAIL',
    Destination: 'sam@example.com',
  });
  expect((await t.cognito.codesFor(poolId, 'sam'))[0]).toMatchObject({ deliveryMedium: 'EMAIL' });
});

test('an attribute that cannot be verified, or one the user lacks, is InvalidParameterException', async () => {
  const token = await accessTokenOf('sam');
  for (const AttributeName of ['name', 'phone_number'])
    expect(
      await failureOf(t.sdk.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName }))),
    ).toMatchObject({ name: 'InvalidParameterException' });
});

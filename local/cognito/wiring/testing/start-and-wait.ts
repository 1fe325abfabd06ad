// A child process for data-directories.test.ts: a local Cognito with a pool and a user (so its data
// directory holds a password), which prints its data directory and runs until it is killed.
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startLocalCognito } from '../local-cognito';

async function main(dataRoot: string): Promise<void> {
  const cognito = await startLocalCognito({ dataRoot });
  const sdk = new CognitoIdentityProviderClient({
    endpoint: cognito.url,
    region: cognito.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: 'killed' }));
  await sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: pool.UserPool!.Id!,
      Username: 'left-behind',
      TemporaryPassword: 'Left-Behind-9-Password',
      MessageAction: 'SUPPRESS',
    }),
  );
  process.stdout.write(`${JSON.stringify({ dataDirectory: cognito.dataDirectory, poolId: pool.UserPool!.Id })}\n`);
  setInterval(() => undefined, 60_000);
}

void main(process.argv[2]);

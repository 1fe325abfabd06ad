// Tokens for the benchmarks, straight from the AWS SDK and the token endpoint (not the harness's token
// provider): the Dredd hooks, the throughput run and the token timings need plain calls they can time.
import { randomBytes } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { StackOutputs } from '../../stack/outputs';
import { generatePassword, secretHash } from '../../contract-tests/tokens';

export interface BenchUser {
  username: string;
  password: string;
}

/** A Cognito client for the local stack: loopback only, which accepts any signature, so dummy keys do. */
export function localCognitoClient(outputs: StackOutputs): CognitoIdentityProviderClient {
  if (!/^http:\/\/127\./.test(outputs.cognito_endpoint))
    throw new Error(`the benchmarks run on the local stack only; cognito_endpoint is ${outputs.cognito_endpoint}`);
  return new CognitoIdentityProviderClient({
    endpoint: outputs.cognito_endpoint,
    region: outputs.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export async function createUser(cognito: CognitoIdentityProviderClient, outputs: StackOutputs): Promise<BenchUser> {
  const username = `gatehouse-bench-${randomBytes(6).toString('hex')}@example.com`;
  const password = generatePassword({ MinimumLength: 12 });
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: outputs.user_pool_id,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: username },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: outputs.user_pool_id,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
  return { username, password };
}

export async function deleteUser(
  cognito: CognitoIdentityProviderClient,
  outputs: StackOutputs,
  user: BenchUser,
): Promise<void> {
  await cognito.send(new AdminDeleteUserCommand({ UserPoolId: outputs.user_pool_id, Username: user.username }));
}

/** USER_PASSWORD_AUTH through `clientName` (with SECRET_HASH when the client has a secret). */
export async function signIn(
  cognito: CognitoIdentityProviderClient,
  outputs: StackOutputs,
  clientName: string,
  user: BenchUser,
): Promise<{ idToken: string; accessToken: string }> {
  const client = outputs.clients[clientName];
  if (!client) throw new Error(`no client "${clientName}" in the outputs`);
  const parameters: Record<string, string> = { USERNAME: user.username, PASSWORD: user.password };
  if (client.has_secret)
    parameters.SECRET_HASH = secretHash(user.username, client.id, outputs.client_secrets[clientName]);
  const result = await cognito.send(
    new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: client.id, AuthParameters: parameters }),
  );
  const auth = result.AuthenticationResult;
  if (!auth?.IdToken || !auth.AccessToken)
    throw new Error(
      `signing in through "${clientName}" gave no tokens${result.ChallengeName ? ` (challenge ${result.ChallengeName})` : ''}`,
    );
  return { idToken: auth.IdToken, accessToken: auth.AccessToken };
}

/** An access token from the client_credentials grant of `clientName`. */
export async function clientCredentialsToken(
  outputs: StackOutputs,
  clientName: string,
  scopes: string[],
): Promise<string> {
  const client = outputs.clients[clientName];
  const secret = outputs.client_secrets[clientName];
  if (!client || !secret) throw new Error(`no client "${clientName}" with a secret in the outputs`);
  const response = await fetch(outputs.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: scopes.join(' ') }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`client_credentials for "${clientName}": ${response.status} ${text.slice(0, 200)}`);
  const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
  if (typeof token !== 'string')
    throw new Error(`client_credentials for "${clientName}": no access_token in the answer`);
  return token;
}

/** The first client of the outputs that signs users in / that has client_credentials. */
export function clientNames(outputs: StackOutputs): { user: string; machine: string } {
  const entries = Object.entries(outputs.clients);
  const user = entries.find(([, c]) => c.auth_flows.includes('USER_PASSWORD_AUTH') && !c.has_secret)?.[0];
  const machine = entries.find(
    ([name, c]) => c.oauth_flows.includes('client_credentials') && outputs.client_secrets[name],
  )?.[0];
  if (!user || !machine)
    throw new Error(
      'the outputs need a user client without a secret (USER_PASSWORD_AUTH) and a client_credentials client with a secret',
    );
  return { user, machine };
}

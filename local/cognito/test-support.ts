// Shared by this folder's tests: a local Cognito per test file, an SDK client for it, and pools, clients
// and users made through the real API.
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startLocalCognito, type LocalCognito } from './index';

export const STRONG_PASSWORD = 'Correct-Horse-9-Battery';

export interface TestCognito {
  cognito: LocalCognito;
  sdk: CognitoIdentityProviderClient;
  stop(): Promise<void>;
}

export async function startTestCognito(): Promise<TestCognito> {
  const cognito = await startLocalCognito();
  const sdk = new CognitoIdentityProviderClient({
    endpoint: cognito.url,
    region: cognito.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return {
    cognito,
    sdk,
    stop: async () => {
      sdk.destroy();
      await cognito.stop();
    },
  };
}

export async function createPool(
  sdk: CognitoIdentityProviderClient,
  input: Partial<CreateUserPoolCommandInput> = {},
): Promise<string> {
  const created = await sdk.send(new CreateUserPoolCommand({ PoolName: 'test', ...input }));
  return created.UserPool!.Id!;
}

export async function createClient(
  sdk: CognitoIdentityProviderClient,
  poolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<UserPoolClientType> {
  const created = await sdk.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'client', ...input }),
  );
  return created.UserPoolClient!;
}

export async function createResourceServer(
  sdk: CognitoIdentityProviderClient,
  poolId: string,
  identifier: string,
  scopes: string[],
): Promise<void> {
  await sdk.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: identifier,
      Name: identifier,
      Scopes: scopes.map((scope) => ({ ScopeName: scope, ScopeDescription: `${identifier}/${scope}` })),
    }),
  );
}

/** A confirmed user with a permanent password; returns the Cognito username (the sub in an email pool). */
export async function createUser(
  sdk: CognitoIdentityProviderClient,
  poolId: string,
  username: string,
  password = STRONG_PASSWORD,
  attributes: Record<string, string> = {},
): Promise<string> {
  const created = await sdk.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  const cognitoUsername = created.User!.Username!;
  await sdk.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: cognitoUsername,
      Password: password,
      Permanent: true,
    }),
  );
  return cognitoUsername;
}

/** The error a call fails with, as the SDK reports it (name = Cognito's error code). */
export async function failureOf(call: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded, but it should have failed');
}

/** The payload and header of a JWT, without verifying it. */
export function decodeJwtParts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>);
  return { header, payload };
}

// amazon-cognito-identity-js's own SRP client helpers, for tests that drive USER_SRP_AUTH step by step.
// The library exports its SRP helpers at run time but declares no types for them; these are the members
// used here (src/AuthenticationHelper.js, src/DateHelper.js, src/BigInteger.js).
export interface LibraryBigInteger {
  toString(radix: number): string;
}
export interface SrpHelper {
  getLargeAValue(callback: (error: unknown, A: LibraryBigInteger) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    B: LibraryBigInteger,
    salt: LibraryBigInteger,
    callback: (error: unknown, key: number[]) => void,
  ): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped run-time exports, see above
export const library = require('amazon-cognito-identity-js') as {
  AuthenticationHelper: new (poolName: string) => SrpHelper;
  DateHelper: new () => { getNowString(): string };
};
type LibraryBigIntModule = { default: new (hex: string, radix: number) => LibraryBigInteger };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the library's own big integers, which its helper takes
const bigIntegerModule = require('amazon-cognito-identity-js/lib/BigInteger') as LibraryBigIntModule;
export const LibraryBigInt = bigIntegerModule.default;

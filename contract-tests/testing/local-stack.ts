// Test support: the real local stack (local/stack.ts) for the harness's tests, with its outputs written to a
// temp file as `gatehouse local` writes them, and the local Cognito's users listed through the AWS SDK — the
// way an operator would check that a run left no test user behind. Tests may load local/; the harness never.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CognitoIdentityProviderClient, paginateListUsers } from '@aws-sdk/client-cognito-identity-provider';
import { loadApiModel } from '../../openapi/model/load';
import type { PoolOutput } from '../../stack/outputs';
import { localStackInputs } from '../../stack/project';
import { loadProjectFile, type ProjectFile } from '../../stack/project-file';
import type { SecuredApiProps } from '../../stack/props';
import { startLocalStack, type LocalStack } from '../../local/stack';

/** The local Cognito checks no signature; the SDK still wants something to sign with. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface TestStack extends LocalStack {
  outputsFile: string;
}

export async function startTestStack(spec: string, options: { props?: SecuredApiProps } = {}): Promise<TestStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-contract-stack-'));
  try {
    const stack = await startLocalStack({ spec, props: options.props, outputsFile: path.join(dir, 'outputs.json') });
    return {
      ...stack,
      outputsFile: stack.outputsFile!,
      async stop() {
        try {
          await stack.stop();
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export async function withTestStack<T>(
  spec: string,
  body: (stack: TestStack) => Promise<T>,
  options: { props?: SecuredApiProps } = {},
): Promise<T> {
  const stack = await startTestStack(spec, options);
  try {
    return await body(stack);
  } finally {
    await stack.stop();
  }
}

/**
 * The local stack of a project file as `gatehouse local --config <file>` runs it (its document, props and
 * local.apiKeys), with the loaded project file for the harness.
 */
export async function withProjectStack<T>(
  configFile: string,
  body: (stack: TestStack, project: ProjectFile) => Promise<T>,
): Promise<T> {
  const project = loadProjectFile(configFile);
  const model = await loadApiModel(project.spec!, { variables: project.variables });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-contract-stack-'));
  try {
    const stack = await startLocalStack({
      spec: model,
      outputsFile: path.join(dir, 'outputs.json'),
      ...localStackInputs(model, project),
    });
    try {
      return await body({ ...stack, outputsFile: stack.outputsFile! }, project);
    } finally {
      await stack.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function cognitoAdmin(
  pool: Pick<PoolOutput, 'cognito_endpoint'>,
  region = 'us-east-1',
): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ endpoint: pool.cognito_endpoint, region, credentials: LOCAL_CREDENTIALS });
}

/** Every user of the pool, by username and email, through ListUsers. */
export async function listUsers(
  pool: Pick<PoolOutput, 'cognito_endpoint' | 'user_pool_id'>,
): Promise<{ username: string; email?: string }[]> {
  const admin = cognitoAdmin(pool);
  try {
    const users: { username: string; email?: string }[] = [];
    for await (const page of paginateListUsers({ client: admin }, { UserPoolId: pool.user_pool_id }))
      for (const user of page.Users ?? [])
        users.push({ username: user.Username ?? '', email: user.Attributes?.find((a) => a.Name === 'email')?.Value });
    return users;
  } finally {
    admin.destroy();
  }
}

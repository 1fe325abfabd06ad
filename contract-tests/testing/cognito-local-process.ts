// Test support: cognito-local in a child process (see cognito-local-main.ts), same interface as the
// in-process one. Usable from jest.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import privateKey from 'cognito-local/lib/keys/cognitoLocal.private.json';
import type { CognitoLocal } from './cognito-local';

export async function startCognitoLocalProcess(): Promise<CognitoLocal> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(__dirname, 'cognito-local-main.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve((JSON.parse(line) as { endpoint: string }).endpoint);
    });
    child.once('exit', (code) => reject(new Error(`cognito-local exited with ${code} before listening`)));
  });
  return {
    endpoint,
    issuerOf: (userPoolId) => `${endpoint}/${userPoolId}`,
    signingKeyPem: privateKey.pem,
    signingKid: 'CognitoLocal',
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}

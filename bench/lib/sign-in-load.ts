// Sign-ins as load: InitiateAuth (USER_PASSWORD_AUTH) straight over node:http with a keep-alive agent,
// not through the AWS SDK, so the client's own cost (middleware, retries, credential lookup) stays out
// of the latency being measured. Each call's latency is kept in the order the calls finished.
import * as http from 'node:http';
import type { StackOutputs } from '../../stack/outputs';
import type { BenchUser } from './cognito-tokens';

export interface SignInTarget {
  endpoint: URL;
  clientId: string;
  user: BenchUser;
}

export function signInTarget(outputs: StackOutputs, clientName: string, user: BenchUser): SignInTarget {
  const endpoint = new URL(outputs.cognito_endpoint);
  if (endpoint.hostname !== '127.0.0.1') throw new Error(`sign-in load runs on 127.0.0.1 only, not ${endpoint.host}`);
  const client = outputs.clients[clientName];
  if (!client) throw new Error(`no client "${clientName}" in the outputs`);
  if (client.has_secret) throw new Error(`client "${clientName}" has a secret; the sign-in load needs one without`);
  return { endpoint, clientId: client.id, user };
}

/** One InitiateAuth; resolves with its status code once the whole answer is read. */
export function initiateAuth(agent: http.Agent, target: SignInTarget): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: target.clientId,
    AuthParameters: { USERNAME: target.user.username, PASSWORD: target.user.password },
  });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.endpoint.hostname,
        port: target.endpoint.port,
        path: '/',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface SignInRun {
  /** Milliseconds per successful sign-in, in the order they finished. */
  latenciesMs: number[];
  failures: number;
  /** Sign-ins made (fewer than asked for when the deadline came first). */
  attempted: number;
  /** The first failure's status and (shortened) body, for the report. */
  firstFailure?: string;
  wallMs: number;
}

/**
 * `count` sign-ins, `concurrency` at a time, none started after `deadline` (performance.now() time, so a
 * run stays within its time budget on a slow machine). A failure is counted, not thrown, so a run shows
 * how many failed; its latency is left out of the figures (they measure sign-ins that worked).
 */
export async function runSignIns(
  target: SignInTarget,
  count: number,
  concurrency: number,
  onProgress?: (done: number) => void,
  deadline = Infinity,
): Promise<SignInRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let started = 0;
  let done = 0;
  const began = performance.now();
  const worker = async () => {
    while (started < count && performance.now() < deadline) {
      started++;
      const t0 = performance.now();
      try {
        const answer = await initiateAuth(agent, target);
        if (answer.status === 200 && answer.body.includes('"AccessToken"')) latenciesMs.push(performance.now() - t0);
        else {
          failures++;
          firstFailure ??= `${answer.status} ${answer.body.slice(0, 160)}`;
        }
      } catch (error) {
        failures++;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
      done++;
      if (onProgress && done % 1000 === 0) onProgress(done);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  } finally {
    agent.destroy();
  }
  return { latenciesMs, failures, attempted: done, firstFailure, wallMs: performance.now() - began };
}

/**
 * `count` sign-ins on the stack's own Cognito API, `concurrency` at a time; the ID token of each. Each one is a
 * token the gateway has never seen.
 */
export async function signInMany(target: SignInTarget, count: number, concurrency: number): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const tokens: string[] = [];
  let started = 0;
  let failures = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      const answer = await initiateAuth(agent, target);
      const idToken =
        answer.status === 200
          ? (JSON.parse(answer.body) as { AuthenticationResult?: { IdToken?: string } }).AuthenticationResult?.IdToken
          : undefined;
      if (idToken) tokens.push(idToken);
      else if (++failures > 10) throw new Error(`sign-ins fail: ${answer.status} ${answer.body.slice(0, 160)}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return tokens;
}

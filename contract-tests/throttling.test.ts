// Throttling does not fail a run (issue 15, item 4): against the real local stack whose Cognito answers every
// second InitiateAuth with TooManyRequestsException (HTTP 400, local/cognito/guards/throttling.ts, as the API
// reference's Errors give it), and behind a proxy answering every third API request 429 as API Gateway
// throttles, every check still passes; the throttled retries are counted and printed, and the checks in
// flight backed off. Which calls are throttled is fixed by count, never by timing; nothing here times anything.
import * as path from 'node:path';
import { THROTTLE_ENV } from '../local/cognito/guards/throttling';
import { formatTable } from './report';
import { runContract } from './run';
import { startFaultProxy } from './testing/fault-proxy';
import { LOCAL_CREDENTIALS, listUsers, startTestStack, type TestStack } from './testing/local-stack';

const PETS = path.join(__dirname, '..', 'openapi', 'pets.yaml');
const credentials = async () => LOCAL_CREDENTIALS;
const fast = { attempts: 4, throttledAttempts: 8, baseDelayMs: 5, maxDelayMs: 40 };

/** The stack's Cognito is started with the rules of the environment variable, read once as it starts. */
async function throttlingStack(rules: object): Promise<TestStack> {
  process.env[THROTTLE_ENV] = JSON.stringify(rules);
  try {
    return await startTestStack(PETS);
  } finally {
    delete process.env[THROTTLE_ENV];
  }
}

const failed = (report: { results: { name: string; passed: boolean }[] }) =>
  report.results.filter((r) => !r.passed).map((r) => r.name);

test('a Cognito that throttles every second InitiateAuth: the run passes, the throttled retries are reported and printed', async () => {
  const stack = await throttlingStack({ InitiateAuth: { every: 2 } });
  try {
    const report = await runContract({
      spec: PETS,
      outputsFile: stack.outputsFile,
      credentials,
      concurrency: 8,
      retry: fast,
    });
    expect(failed(report)).toEqual([]);
    const traffic = report.traffic!;
    // Every throttled InitiateAuth was sent again, so there are as many retries as refusals, and each sign-in
    // needed at most one: the calls are the sign-ins plus the retries.
    expect(traffic.throttledRetries).toEqual({ InitiateAuth: expect.any(Number) });
    expect(traffic.throttledRetries.InitiateAuth).toBeGreaterThan(0);
    expect(traffic.throttledRetries.InitiateAuth).toBe(Math.floor(traffic.cognitoCalls.InitiateAuth / 2));
    // The limit was halved at least once on the way.
    expect(traffic.concurrency).toMatchObject({ ceiling: 8 });
    expect(traffic.concurrency.halvings).toBeGreaterThanOrEqual(1);
    expect(traffic.concurrency.lowest).toBeLessThanOrEqual(4);
    const table = formatTable(report);
    expect(table).toContain(
      `throttled: ${traffic.throttledRetriesTotal} request${traffic.throttledRetriesTotal === 1 ? '' : 's'} retried with backoff (InitiateAuth ${traffic.throttledRetries.InitiateAuth})`,
    );
    expect(table).toMatch(/\d+ Cognito calls \(.*InitiateAuth \d+.*\), \d+ API requests/);
    expect(await listUsers(stack.outputs)).toEqual([]);
  } finally {
    await stack.stop();
  }
});

test('an API that answers every third request 429: the run passes, each 429 retried and counted, and the checks in flight back off', async () => {
  const stack = await startTestStack(PETS);
  const proxy = await startFaultProxy(stack.outputs.api_url, { tooManyRequestsEvery: 3 });
  try {
    const report = await runContract({
      spec: PETS,
      outputsFile: stack.outputsFile,
      overrides: { apiUrl: proxy.url },
      credentials,
      concurrency: 4,
      retry: fast,
    });
    expect(failed(report)).toEqual([]);
    const traffic = report.traffic!;
    // Every request the proxy got was one the harness counted, and every third was a 429 it retried.
    expect(traffic.apiRequests).toBe(proxy.requests.length);
    expect(traffic.throttledRetries).toEqual({ API: Math.floor(proxy.requests.length / 3) });
    expect(traffic.throttledRetries.API).toBeGreaterThan(0);
    expect(report.results.some((r) => r.attempts > 1)).toBe(true);
    expect(traffic.concurrency).toMatchObject({ ceiling: 4 });
    expect(traffic.concurrency.halvings).toBeGreaterThanOrEqual(1);
    expect(traffic.concurrency.lowest).toBeLessThanOrEqual(2);
  } finally {
    await proxy.stop();
    await stack.stop();
  }
});

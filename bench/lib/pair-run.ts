// The harness restricted to the no-token / valid-token pair (the public operations' no-token check
// included): runContract has no option to pick check cases, so the plan from createHarness is filtered
// here and run the way runContract runs it (same request building, retry policy and judging).
import { createHarness } from '../../contract-tests/harness';
import { DEFAULT_RETRY, sendWithRetry } from '../../contract-tests/http';
import type { CheckCase } from '../../contract-tests/expectations';
import type { Check } from '../../contract-tests/plan';

export const PAIR_CASES: readonly CheckCase[] = ['no-token', 'valid-token', 'public-no-token'];

export interface PairRunResult {
  checks: number;
  passed: number;
  failures: string[];
  durationMs: number;
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function forEachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export async function runPairOnly(spec: string, outputsFile: string, concurrency: number): Promise<PairRunResult> {
  const started = performance.now();
  const harness = await createHarness({ spec, outputsFile });
  const failures: string[] = [];
  let checks: Check[] = [];
  try {
    checks = harness.plan.checks.filter((c) => PAIR_CASES.includes(c.case));
    await harness.tools.tokens.preflight(
      checks.flatMap((c) => (c.credential.kind === 'token' ? [{ pool: c.credential.source.pool, client: c.credential.source.client, user: c.credential.source.kind === 'user' }] : [])),
    );
    await forEachLimited(checks, concurrency, async (check) => {
      try {
        const response = await sendWithRetry(await harness.requestFor(check), DEFAULT_RETRY);
        const problems = harness.judge(check, response);
        if (problems.length > 0) failures.push(`${check.name}: ${problems.join('; ')}`);
      } catch (error) {
        failures.push(`${check.name}: ${harness.redactor.redact(error instanceof Error ? error.message : String(error))}`);
      }
    });
  } finally {
    await harness.close();
  }
  return { checks: checks.length, passed: checks.length - failures.length, failures, durationMs: performance.now() - started };
}

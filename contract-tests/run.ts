// runContract: every planned check against the deployed API, a few at a time, each reported as it
// finishes. Test users are deleted at the end whatever happens.
import * as path from 'node:path';
import { createHarness, type Harness, type HarnessOptions } from './harness';
import { DEFAULT_RETRY, sendWithRetry, type RetryPolicy } from './http';
import type { Check } from './plan';
import { excerpt, type CheckResult, type ContractReport } from './report';
import { installSignalCleanup } from './tokens';

export interface ContractOptions extends HarnessOptions {
  /** Checks in flight at once. Default 4. */
  concurrency?: number;
  retry?: RetryPolicy;
  /** Called with each finished check (already redacted). */
  onResult?: (result: CheckResult) => void;
  /** Delete test users on SIGINT/SIGTERM and exit (the CLI sets this; a library caller usually does not). */
  handleSignals?: boolean;
}

async function runCheck(harness: Harness, check: Check, retry: RetryPolicy): Promise<CheckResult> {
  const started = Date.now();
  const base = {
    name: check.name,
    operation: check.operation.id,
    method: check.operation.method,
    path: check.operation.path,
    case: check.case,
    description: check.description,
    rule: check.expected.rule,
    expected: {
      status: check.expected.status,
      body: check.expected.body
        ? JSON.stringify('json' in check.expected.body ? check.expected.body.json : check.expected.body.text)
        : undefined,
    },
  };
  try {
    const request = await harness.requestFor(check);
    const response = await sendWithRetry(request, retry);
    const problems = harness.judge(check, response);
    return {
      ...base,
      got: { status: response.status, body: excerpt(harness.redactor.redact(response.bodyText)) },
      passed: problems.length === 0,
      problems,
      attempts: response.attempts,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    return {
      ...base,
      passed: false,
      problems: [harness.redactor.redact(`error: ${(error as Error).message}`)],
      attempts: 0,
      durationMs: Date.now() - started,
    };
  }
}

function tokenNeeds(checks: Check[]): { pool: string; client: string; user: boolean }[] {
  const sources = checks.flatMap((c) =>
    c.credential.kind === 'token' ? [c.credential.source] : c.credential.kind === 'forged' ? [c.credential.base] : [],
  );
  return sources.map((s) => ({ pool: s.pool, client: s.client, user: s.kind !== 'machine' }));
}

/** Runs `tasks` with at most `limit` in flight, keeping their order in the result. */
async function mapLimited<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export async function runContract(options: ContractOptions): Promise<ContractReport> {
  const startedAt = new Date();
  const harness = await createHarness(options);
  // After a signal, checks cut short by the cleanup are not findings: they are not reported.
  let interrupted = false;
  const uninstall = options.handleSignals
    ? installSignalCleanup(() => {
        interrupted = true;
        return harness.close();
      }, options.log)
    : () => undefined;
  try {
    await harness.tools.tokens.preflight(tokenNeeds(harness.plan.checks));
    const results = await mapLimited(harness.plan.checks, options.concurrency ?? 4, async (check) => {
      const result = await runCheck(harness, check, options.retry ?? DEFAULT_RETRY);
      if (!interrupted) options.onResult?.(result);
      return result;
    });
    const passed = results.filter((r) => r.passed).length;
    return harness.redactor.redactValue({
      spec: path.relative(process.cwd(), harness.model.file) || harness.model.file,
      apiUrl: harness.outputs.api_url,
      apiKind: harness.outputs.api_kind,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      results,
      omitted: harness.plan.omitted,
      passed,
      failed: results.length - passed,
    });
  } finally {
    try {
      await harness.close();
    } finally {
      uninstall();
    }
  }
}

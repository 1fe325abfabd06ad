// runContract: every planned check against the deployed API, a few at a time, each reported as it
// finishes. First: is anything answering (reachability.ts), and the test users earlier runs left (sweep.ts).
// A check that gets no answer is followed by one probe: if the API or Cognito is gone, the run stops there
// with that verdict instead of retrying every check in turn. Test users are deleted at the end whatever
// happens; a failure to delete them (or to write the token store) is an error of its own in the report,
// which is always returned once the checks have run. Checks in flight back off under throttling (AIMD,
// traffic.ts): every throttled answer, the API's or Cognito's, halves the limit; successes raise it again.
import * as path from 'node:path';
import { harnessInputError } from './errors';
import { createHarness, type Harness, type HarnessOptions } from './harness';
import { DEFAULT_RETRY, sendWithRetry, type RetryPolicy } from './http';
import type { Check, OmittedCheck } from './plan';
import { assertReachable, UnreachableError } from './reachability';
import { excerpt, type CheckResult, type ContractReport } from './report';
import { DEFAULT_SWEEP_AGE, parseDuration, type SweepOutcome } from './sweep';
import { installSignalCleanup } from './tokens';
import { AimdLimit, API_ACTION } from './traffic';

export interface ContractOptions extends HarnessOptions {
  /** Checks in flight at once at most (less while throttled). Default 4. */
  concurrency?: number;
  /** Called with each finished check (already redacted). */
  onResult?: (result: CheckResult) => void;
  /** Delete test users on SIGINT/SIGTERM and exit (the CLI sets this; a library caller usually does not). */
  handleSignals?: boolean;
  /**
   * Test users that earlier runs left and that are older than this are deleted before the checks: `0`, `90s`,
   * `30m`, `1h`, `2d`. Default 1h; 0 (every one) suits a CI job that is the only run against its stack.
   */
  sweepOlderThan?: string;
}

/** A check's result, and whether it got no answer at all (then the run probes whether anything is left). */
interface Ran {
  result: CheckResult;
  noAnswer: boolean;
  /** Its request was throttled at least once (the limit was told already, through the traffic counter). */
  throttled: boolean;
}

async function runCheck(harness: Harness, check: Check, retry: RetryPolicy): Promise<Ran> {
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
    const response = await sendWithRetry(request, retry, { traffic: harness.traffic, action: API_ACTION });
    const problems = harness.judge(check, response);
    const result = {
      ...base,
      got: { status: response.status, body: excerpt(harness.redactor.redact(response.bodyText)) },
      passed: problems.length === 0,
      problems,
      attempts: response.attempts,
      durationMs: Date.now() - started,
    };
    return { result, noAnswer: false, throttled: response.throttled > 0 };
  } catch (error) {
    const result = {
      ...base,
      passed: false,
      problems: [harness.redactor.redact(`error: ${(error as Error).message}`)],
      attempts: 0,
      durationMs: Date.now() - started,
    };
    return { result, noAnswer: true, throttled: false };
  }
}

function tokenNeeds(checks: Check[]): { pool: string; client: string; user: boolean }[] {
  const sources = checks.flatMap((c) =>
    c.credential.kind === 'token' ? [c.credential.source] : c.credential.kind === 'forged' ? [c.credential.base] : [],
  );
  return sources.map((s) => ({ pool: s.pool, client: s.client, user: s.kind !== 'machine' }));
}

function sweepAge(text: string): { text: string; ms: number } {
  const ms = parseDuration(text);
  if (ms === undefined)
    throw harnessInputError(
      'sweep-older-than',
      '--sweep-older-than',
      '',
      `Not a duration (received: ${text}).`,
      `Write 0, or a number with ms, s, m, h or d (e.g. 30m, 1h, 1h30m); default ${DEFAULT_SWEEP_AGE}.`,
    );
  return { text, ms };
}

/**
 * Runs the checks in plan order, as many in flight as the AIMD limit allows (at most options.concurrency). After a check that got no answer, one probe:
 * when the API or Cognito no longer answers, no further check starts and the verdict is returned.
 */
async function runChecks(
  harness: Harness,
  checks: Check[],
  options: ContractOptions,
  report: (result: CheckResult) => void,
  limit: AimdLimit,
): Promise<{ results: CheckResult[]; notRun: OmittedCheck[]; unreachable?: UnreachableError }> {
  const results: CheckResult[] = [];
  const notRun: OmittedCheck[] = [];
  let unreachable: UnreachableError | undefined;
  let next = 0;
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const admitted = async () => {
    while (inFlight >= limit.current) await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight++;
  };
  const release = () => {
    inFlight--;
    for (const wake of waiting.splice(0)) wake();
  };
  const worker = async () => {
    while (next < checks.length && !unreachable) {
      await admitted();
      if (next >= checks.length || unreachable) {
        release();
        break;
      }
      const check = checks[next++];
      let ran: Ran;
      try {
        ran = await runCheck(harness, check, options.retry ?? DEFAULT_RETRY);
      } finally {
        release();
      }
      if (!ran.noAnswer && !ran.throttled) limit.succeeded();
      if (ran.noAnswer && !unreachable) {
        try {
          await assertReachable(harness.endpoints());
        } catch (error) {
          if (!(error instanceof UnreachableError)) throw error;
          unreachable = error;
        }
      }
      if (ran.noAnswer && unreachable)
        notRun.push({ operation: check.operation.id, case: check.case, reason: `not run: ${unreachable.message}` });
      else {
        results.push(ran.result);
        report(ran.result);
      }
    }
  };
  await Promise.all(Array.from({ length: limit.summary().ceiling }, worker));
  for (const check of checks.slice(next))
    notRun.push({ operation: check.operation.id, case: check.case, reason: `not run: ${unreachable!.message}` });
  // In plan order, whatever order they finished in.
  const order = new Map(checks.map((c, i) => [c.name, i]));
  results.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
  return { results, notRun, unreachable };
}

export async function runContract(options: ContractOptions): Promise<ContractReport> {
  const startedAt = new Date();
  const olderThan = sweepAge(options.sweepOlderThan ?? DEFAULT_SWEEP_AGE);
  const harness = await createHarness(options);
  // After a signal, checks cut short by the cleanup are not findings: they are not reported.
  let interrupted = false;
  const uninstall = options.handleSignals
    ? installSignalCleanup(() => {
        interrupted = true;
        return harness.close();
      }, options.log)
    : () => undefined;
  const errors: string[] = [];
  const limit = new AimdLimit(Math.max(1, Math.min(options.concurrency ?? 4, harness.plan.checks.length)));
  // Throttling met anywhere (a check's request, a sign-in behind it) slows every check down.
  const unsubscribe = harness.traffic.onThrottled(() => limit.throttled());
  let ran: { results: CheckResult[]; notRun: OmittedCheck[]; unreachable?: UnreachableError } = {
    results: [],
    notRun: [],
  };
  let sweep: SweepOutcome | undefined;
  try {
    const needs = tokenNeeds(harness.plan.checks);
    // A configuration problem (credentials, a secret the outputs lack) is exit 2 before anything is sent.
    await harness.tools.tokens.preflight(needs);
    try {
      await assertReachable(harness.endpoints());
    } catch (error) {
      if (!(error instanceof UnreachableError)) throw error;
      ran = {
        results: [],
        notRun: harness.plan.checks.map((c) => ({
          operation: c.operation.id,
          case: c.case,
          reason: `not run: ${error.message}`,
        })),
        unreachable: error,
      };
    }
    if (!ran.unreachable) {
      sweep = await harness.tools.tokens.sweep(needs, olderThan);
      for (const user of sweep.swept) options.log?.(`swept test user ${user}, left by an earlier run`);
      ran = await runChecks(
        harness,
        harness.plan.checks,
        options,
        (result) => {
          if (!interrupted) options.onResult?.(result);
        },
        limit,
      );
    }
  } catch (error) {
    await harness.close().catch(() => undefined);
    uninstall();
    unsubscribe();
    throw error;
  }
  // From here on the report is returned whatever fails: each failure is an error of its own in it.
  try {
    await harness.saveTokens();
  } catch (error) {
    errors.push(`writing the token store ${harness.tokenStore?.file ?? ''}: ${(error as Error).message}`);
  }
  try {
    await harness.close();
  } catch (error) {
    errors.push(`cleanup: ${(error as Error).message}`);
  } finally {
    uninstall();
    unsubscribe();
  }
  const { results, notRun, unreachable } = ran;
  const passed = results.filter((r) => r.passed).length;
  const store = harness.tokenStore;
  return harness.redactor.redactValue({
    spec: path.relative(process.cwd(), harness.model.file) || harness.model.file,
    apiUrl: harness.outputs.api_url,
    apiKind: harness.outputs.api_kind,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    results,
    omitted: [...harness.plan.omitted, ...notRun],
    passed,
    failed: results.length - passed,
    ...(unreachable
      ? {
          unreachable: {
            target: unreachable.target,
            url: unreachable.url,
            code: unreachable.code,
            message: unreachable.message,
          },
        }
      : {}),
    ...(errors.length > 0 ? { errors } : {}),
    traffic: { ...harness.traffic.counts(), concurrency: limit.summary() },
    ...(sweep ? { sweep } : {}),
    ...(store
      ? {
          tokenStore: {
            file: store.file,
            expiredSent: results.filter((r) => r.case === 'expired').length,
            dropped: store.dropped,
          },
        }
      : {}),
  });
}

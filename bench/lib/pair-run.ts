// The harness restricted to the no-token / valid-token pair (the public operations' no-token check
// included), as Dredd is run: runContract with only those cases.
import { runContract } from '../../contract-tests/run';
import type { CheckCase } from '../../contract-tests/expectations';

export const PAIR_CASES: CheckCase[] = ['no-token', 'valid-token', 'public-no-token'];

export interface PairRunResult {
  checks: number;
  passed: number;
  failures: string[];
  durationMs: number;
}

export async function runPairOnly(spec: string, outputsFile: string, concurrency: number): Promise<PairRunResult> {
  const started = performance.now();
  const report = await runContract({ spec, outputsFile, concurrency, cases: PAIR_CASES });
  return {
    checks: report.results.length,
    passed: report.passed,
    failures: report.results.filter((r) => !r.passed).map((r) => `${r.name}: ${r.problems.join('; ')}`),
    durationMs: performance.now() - started,
  };
}

// How commands fail: anything a user can fix (a ProblemError: document, props, project file, outputs file,
// flags) exits 2 with every problem printed; an API or Cognito that does not answer exits 3 (gatehouse
// contract); other failures exit 1. No stack traces unless GATEHOUSE_DEBUG is set.
import { UnreachableError } from '../contract-tests/reachability';
import { InputError, ProblemError, formatProblems, problemAt } from '../openapi/model/problems';

/** Every exit code the commands use, as their help documents them. */
export const EXIT = {
  passed: 0,
  /** A check (or lint rule) failed, a test user could not be deleted, or something else went wrong. */
  failed: 1,
  /** Bad input: document, project file, props, outputs file, flags. */
  usage: 2,
  /** gatehouse contract: the API or Cognito does not answer (refused, unknown host, no answer in time). */
  unreachable: 3,
} as const;

/** A command-line flag or argument that cannot be used. */
export function usageError(flag: string, message: string, fix: string): InputError {
  return new InputError([problemAt('usage', flag, '', message, fix)]);
}

/** Misuse of the command line itself (an unknown command, a missing argument): exit 2, with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof ProblemError || error instanceof UsageError) return EXIT.usage;
  return error instanceof UnreachableError ? EXIT.unreachable : EXIT.failed;
}

export function reportError(error: unknown): void {
  if (error instanceof ProblemError) console.error(formatProblems(error.problems));
  else if (error instanceof Error) console.error(`gatehouse: ${error.message}`);
  else console.error(`gatehouse: ${String(error)}`);
  if (process.env.GATEHOUSE_DEBUG && error instanceof Error) console.error(error.stack);
}

/** A --concurrency value: a whole number from 1 to 64; `fallback` is the command's default, named in the fix. */
export function concurrencyOf(value: string, fallback: number): number {
  const concurrency = Number(value);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw usageError(
      '--concurrency',
      `Expected a whole number from 1 to 64 (received: ${value}).`,
      `Leave --concurrency out for ${fallback} checks in flight, or pass a number from 1 to 64.`,
    );
  return concurrency;
}

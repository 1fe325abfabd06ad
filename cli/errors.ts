// How commands fail: anything a user can fix (a ProblemError: document, props, project file, outputs file,
// flags) exits 2 with every problem printed; other failures exit 1. No stack traces unless GATEHOUSE_DEBUG is set.
import { InputError, ProblemError, formatProblems, problemAt } from '../openapi/model/problems';

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
  return error instanceof ProblemError || error instanceof UsageError ? 2 : 1;
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

// How commands fail: bad input or config exits 2 with a message naming what to fix; no stack traces
// unless GATEHOUSE_DEBUG is set.
import { SpecError, formatProblems } from '../openapi/model/problems';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError || error instanceof SpecError ? 2 : 1;
}

export function reportError(error: unknown): void {
  if (error instanceof SpecError) console.error(formatProblems(error.problems));
  else if (error instanceof Error) console.error(`gatehouse: ${error.message}`);
  else console.error(`gatehouse: ${String(error)}`);
  if (process.env.GATEHOUSE_DEBUG && error instanceof Error) console.error(error.stack);
}

// Bad input given to the harness (an outputs file, a config file, a flag, missing credentials): problems in
// the one shape of openapi/model/problems.ts, so the CLI prints them with formatProblems and exits 2. Kept
// here (not in cli/) so the harness library has no dependency on the CLI.
import { InputError, pointerOf, problemAt, type Problem } from '../openapi/model/problems';

export class HarnessInputError extends InputError {
  constructor(problems: Problem[]) {
    super(problems);
  }
}

/** One problem in `file` (an outputs or config file's path, or the flag or input it came from) at `pointer`. */
export function harnessInputError(
  rule: string,
  file: string,
  pointer: string,
  message: string,
  fix: string,
): HarnessInputError {
  return new HarnessInputError([problemAt(rule, file, pointer, message, fix)]);
}

/** `base` (a pointer) extended by more segments, each escaped. */
export function pointerUnder(base: string, ...segments: (string | number)[]): string {
  return base + pointerOf(...segments);
}

/** A value as a problem echoes it: JSON, cut short. */
export function received(value: unknown): string {
  const text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

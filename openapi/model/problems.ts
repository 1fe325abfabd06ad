// Everything a user can fix, in one shape: the file (document, project file, outputs file) or the input it came
// from (`SecuredApi props`, a command-line flag), a JSON pointer into it, what is wrong and how to fix it.
// Documents, props and harness input each have an error class of their own, all printed by formatProblems.
import * as path from 'node:path';

export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  /** Stable id of the rule, e.g. `security-missing`, `props-password-length`. */
  rule: string;
  /** A file's path, or the input the value came from when there is no file (`SecuredApi props`, `--only`). */
  file: string;
  /** JSON pointer into that file or input ('' is the whole of it). */
  pointer: string;
  message: string;
  fix: string;
}

/** A problem found in an OpenAPI document. */
export type SpecProblem = Problem;

/** The one base of every error a user can fix: the CLI prints its problems and exits 2. */
export abstract class ProblemError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[], what: string) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(`${errors.length} problem${errors.length === 1 ? '' : 's'} in ${what}:\n${formatProblems(errors)}`);
    this.name = new.target.name;
    this.problems = problems;
  }
}

/** Problems in an OpenAPI document. */
export class SpecError extends ProblemError {
  constructor(problems: Problem[]) {
    super(problems, 'the OpenAPI document');
  }
}

/** Props (of SecuredApi, the local stack or the project file) that AWS or Cognito would refuse. */
export class PropsError extends ProblemError {
  constructor(problems: Problem[]) {
    super(problems, 'the props');
  }
}

/** Input to a command or the harness: an outputs file, a config file, a flag. */
export class InputError extends ProblemError {
  constructor(problems: Problem[]) {
    super(problems, 'the input');
  }
}

/** One error-severity problem. */
export function problemAt(rule: string, file: string, pointer: string, message: string, fix: string): Problem {
  return { severity: 'error', rule, file, pointer, message, fix };
}

export function formatProblem(p: Problem, cwd = process.cwd()): string {
  const rel = path.isAbsolute(p.file) ? path.relative(cwd, p.file) || p.file : p.file;
  const where = p.pointer === '' ? rel : `${rel}#${p.pointer}`;
  return `${p.severity} ${where} [${p.rule}]\n  ${p.message}\n  fix: ${p.fix}`;
}

export function formatProblems(problems: Problem[], cwd?: string): string {
  return problems.map((p) => formatProblem(p, cwd)).join('\n');
}

/** RFC 6901 pointer from path segments. */
export function pointerOf(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Collects problems for one file or input. */
export class ProblemList {
  readonly items: Problem[] = [];
  constructor(readonly file: string) {}
  error(rule: string, pointer: string, message: string, fix: string): void {
    this.items.push({ severity: 'error', rule, file: this.file, pointer, message, fix });
  }
  warning(rule: string, pointer: string, message: string, fix: string): void {
    this.items.push({ severity: 'warning', rule, file: this.file, pointer, message, fix });
  }
  get hasErrors(): boolean {
    return this.items.some((p) => p.severity === 'error');
  }
}

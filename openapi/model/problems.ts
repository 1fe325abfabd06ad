// Problems found in a document: each names the file, the JSON pointer, what is wrong and how to fix it.
import * as path from 'node:path';

export type Severity = 'error' | 'warning';

export interface SpecProblem {
  severity: Severity;
  /** Stable id of the rule, e.g. `security-missing`. */
  rule: string;
  file: string;
  /** JSON pointer into the document ('' is the root). */
  pointer: string;
  message: string;
  fix: string;
}

export class SpecError extends Error {
  readonly problems: SpecProblem[];
  constructor(problems: SpecProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} in the OpenAPI document:\n${formatProblems(errors)}`,
    );
    this.name = 'SpecError';
    this.problems = problems;
  }
}

export function formatProblem(p: SpecProblem, cwd = process.cwd()): string {
  const rel = path.isAbsolute(p.file) ? path.relative(cwd, p.file) || p.file : p.file;
  return `${p.severity} ${rel}#${p.pointer} [${p.rule}]\n  ${p.message}\n  fix: ${p.fix}`;
}

export function formatProblems(problems: SpecProblem[], cwd?: string): string {
  return problems.map((p) => formatProblem(p, cwd)).join('\n');
}

/** RFC 6901 pointer from path segments. */
export function pointerOf(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Collects problems for one document. */
export class ProblemList {
  readonly items: SpecProblem[] = [];
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

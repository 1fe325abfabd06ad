// Loading a document synchronously, for constructors: a cdktf app builds its tree in constructors, as the
// CDK's SpecRestApi reads its file. The loader (swagger-parser) is asynchronous only, so the one load runs in
// a child Node and this waits for its JSON: the model is plain data, and no document is parsed twice.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { LintResult, LoadOptions } from './load';
import { DOCUMENT_LIMITS } from './document-limits';
import { problemAt } from './problems';

/** The child's command: the built JavaScript, or the TypeScript source through tsx when running from source. */
function childArgs(): string[] {
  if (__filename.endsWith('.ts'))
    return ['--require', require.resolve('tsx/cjs'), path.join(__dirname, 'lint-child.ts')];
  return [path.join(__dirname, 'lint-child.js')];
}

/** lintSpec, synchronously; never throws for a bad document. */
export function lintSpecSync(file: string, options: LoadOptions = {}): LintResult {
  let output: string;
  try {
    output = execFileSync(process.execPath, [...childArgs(), path.resolve(file), JSON.stringify(options)], {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Every stage of the child is bounded (document-limits.ts); this bounds the child itself, start-up included.
      timeout: CHILD_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw error;
    return {
      problems: [
        problemAt(
          'document-limit-stage-seconds',
          path.resolve(file),
          '',
          `Loading the document took more than ${CHILD_TIMEOUT_MS / 1000} s, and was stopped.`,
          'Split the document into smaller files, or remove what makes it large (long YAML alias chains, huge schemas).',
        ),
      ],
    };
  }
  return JSON.parse(output) as LintResult;
}

/** Four stages of DOCUMENT_LIMITS.stageSeconds, and a minute for everything synchronous around them. */
const CHILD_TIMEOUT_MS = (4 * DOCUMENT_LIMITS.stageSeconds + 60) * 1000;

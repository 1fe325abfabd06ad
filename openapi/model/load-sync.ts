// Loading a document synchronously, for constructors: a cdktf app builds its tree in constructors, as the
// CDK's SpecRestApi reads its file. The loader (swagger-parser) is asynchronous only, so the one load runs in
// a child Node and this waits for its JSON: the model is plain data, and no document is parsed twice.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { LintResult, LoadOptions } from './load';

/** The child's command: the built JavaScript, or the TypeScript source through tsx when running from source. */
function childArgs(): string[] {
  if (__filename.endsWith('.ts'))
    return ['--require', require.resolve('tsx/cjs'), path.join(__dirname, 'lint-child.ts')];
  return [path.join(__dirname, 'lint-child.js')];
}

/** lintSpec, synchronously; never throws for a bad document. */
export function lintSpecSync(file: string, options: LoadOptions = {}): LintResult {
  const output = execFileSync(process.execPath, [...childArgs(), path.resolve(file), JSON.stringify(options)], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(output) as LintResult;
}

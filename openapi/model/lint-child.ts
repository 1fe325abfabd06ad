// Run by load-sync.ts in a child Node: lints one document (with the options given as JSON) and writes the
// LintResult as JSON to stdout.
import { lintSpec, type LoadOptions } from './load';

lintSpec(process.argv[2], process.argv[3] ? (JSON.parse(process.argv[3]) as LoadOptions) : {}).then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (error: unknown) => {
    process.stderr.write(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);

// Run by load-sync.ts in a child Node: lints one document and writes the LintResult as JSON to stdout.
import { lintSpec } from './load';

lintSpec(process.argv[2]).then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (error: unknown) => {
    process.stderr.write(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);

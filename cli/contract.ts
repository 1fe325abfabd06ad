// gatehouse contract: every operation of the document against a deployed stack (or the local one).
// Exit 0 when every check passes, 1 when one fails or the run had an error of its own (a test user it could
// not delete), 2 on bad input or config, 3 when the API or Cognito does not answer. The reports asked for
// are written in every one of these cases but 2 (bad input stops the run before anything is sent).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatTable, progressLine, toJUnit, toJson } from '../contract-tests/report';
import { runContract } from '../contract-tests/run';
import { CHECK_CASES, type CheckCase } from '../contract-tests/expectations';
import { toHtml } from '../contract-tests/html-report';
import { chooseProject } from '../stack/project';
import { concurrencyOf, EXIT, usageError } from './errors';
import type { ContractReport } from '../contract-tests/report';
import type { ContractCliOptions } from './program';

export const PASSWORD_ENV = 'GATEHOUSE_USER_PASSWORD';

function writeReport(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Each report asked for; one that cannot be written is named and does not stop the others. */
export function writeReports(
  report: ContractReport,
  files: { junit?: string; json?: string; html?: string },
  log: (line: string) => void,
): boolean {
  let written = true;
  const writers: [string | undefined, (r: ContractReport) => string][] = [
    [files.junit, toJUnit],
    [files.json, toJson],
    [files.html, toHtml],
  ];
  for (const [file, render] of writers) {
    if (!file) continue;
    try {
      writeReport(file, render(report));
    } catch (error) {
      written = false;
      log(`gatehouse contract: could not write the report ${file}: ${(error as Error).message}`);
    }
  }
  return written;
}

/** 3 when nothing answered, 1 for a failed check, an error of the run or no check at all, else 0. */
export function exitCodeOfReport(report: ContractReport): number {
  if (report.unreachable) return EXIT.unreachable;
  if (report.failed > 0 || (report.errors ?? []).length > 0 || (report.sweep?.failures ?? []).length > 0)
    return EXIT.failed;
  return report.results.length > 0 ? EXIT.passed : EXIT.failed;
}

export async function execute(options: ContractCliOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { spec, project } = chooseProject(options);
  if (!options.outputs)
    throw usageError(
      '--outputs',
      "No outputs file given: the harness needs the deployed stack's outputs.",
      'Pass --outputs <file>: the file `cdktf output --outputs-file <file> --outputs-file-include-sensitive-outputs` or `gatehouse local --outputs <file>` wrote.',
    );
  const args = options;
  const concurrency = concurrencyOf(args.concurrency, 4);
  let existingUser: { username: string; password: string } | undefined;
  if (args.user !== undefined) {
    const password = env[PASSWORD_ENV];
    if (!password)
      throw usageError(
        '--user',
        `The user "${args.user}" needs a password, and ${PASSWORD_ENV} is not set.`,
        `Put the user's password in the environment variable ${PASSWORD_ENV} (never on the command line), or leave --user out for a test user of the harness's own.`,
      );
    existingUser = { username: args.user, password };
  }

  const log = (line: string) => process.stderr.write(`${line}\n`);
  // Bad outputs, config or flags fail as a ProblemError (HarnessInputError, InputError): exit 2 with each problem.
  const report = await runContract({
    spec,
    outputsFile: options.outputs,
    stack: args.stack,
    api: args.api,
    overrides: { apiUrl: args.apiUrl, userPoolId: args.userPoolId, clientId: args.clientId },
    projectFile: project,
    only: args.only,
    cases: args.cases ? parseCases(args.cases) : undefined,
    concurrency,
    existingUser,
    hostedUiDriver: args.hostedUiBrowser ? 'browser' : 'form',
    tokenStore: args.tokenStore,
    apiKeyEnv: args.apiKeyEnv,
    env,
    sweepOlderThan: args.sweepOlderThan,
    handleSignals: true,
    log,
    onResult: (result) => log(progressLine(result)),
  });
  const written = writeReports(report, args, log);
  console.log(formatTable(report));
  if (report.unreachable) log(`gatehouse contract: ${report.unreachable.message}`);
  const code = exitCodeOfReport(report);
  return code === EXIT.passed && !written ? EXIT.failed : code;
}

function parseCases(list: string): CheckCase[] {
  const cases = list
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const unknown = cases.filter((c) => !(CHECK_CASES as string[]).includes(c));
  if (unknown.length > 0)
    throw usageError(
      '--cases',
      `No check named ${unknown.join(', ')} (received: ${list}).`,
      `Use some of ${CHECK_CASES.join(', ')}.`,
    );
  return cases as CheckCase[];
}

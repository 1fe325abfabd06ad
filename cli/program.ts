// The gatehouse command line, on commander: every command, its options and its help are declared here,
// and each command's code is loaded only when it runs, so `gatehouse lint` never loads cdktf and
// `gatehouse contract` never loads the local stack. Exit codes everywhere: 0 passed, 1 a check failed,
// 2 bad input (document, project file, props, flags), 3 (contract) the API or Cognito does not answer.
import { Command, CommanderError, Option } from 'commander';
import { exitCodeOf, reportError, UsageError } from './errors';
import { packageVersion } from './version';

export interface LintOptions {
  json?: boolean;
  config?: string;
}
export interface ProjectOptions {
  spec?: string;
  config?: string;
}
export interface LocalOptions extends ProjectOptions {
  outputs: string;
  host?: string;
  issuer?: 'local' | 'aws';
}
export interface ContractCliOptions extends ProjectOptions {
  outputs?: string;
  stack?: string;
  api?: string;
  apiUrl?: string;
  userPoolId?: string;
  clientId?: string;
  user?: string;
  hostedUiBrowser?: boolean;
  only?: string[];
  cases?: string;
  concurrency: string;
  junit?: string;
  json?: string;
  html?: string;
  tokenStore?: string;
  apiKeyEnv?: string;
  sweepOlderThan?: string;
}
export interface StartOptions {
  spec?: string[];
  config?: string;
  reports: string;
  concurrency: string;
}
export interface SynthOptions extends ProjectOptions {
  out: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The program; `exit` receives the command's exit code. */
export function buildProgram(exit: (code: number) => void, env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('gatehouse')
    .description(
      'Spec-first Amazon Cognito in front of Amazon API Gateway: lint, synth, a local stack, contract checks.',
    )
    .version(packageVersion(), '-v, --version', 'print the version')
    .showHelpAfterError()
    .exitOverride();
  const specOption = () => new Option('--spec <file>', "the OpenAPI document (default: the project file's spec)");
  const configOption = () =>
    new Option('--config <file>', 'the project file (default: gatehouse.config.yaml beside the document, or here)');

  program
    .command('lint')
    .description('check documents; every problem at once; exit 2 on errors')
    .argument('<spec...>', 'OpenAPI documents (YAML or JSON)')
    .option('--json', 'print the problems as JSON')
    .addOption(configOption())
    .action(async (specs: string[], options: LintOptions) =>
      exit(await (await import('./lint')).execute(specs, options)),
    );

  program
    .command('synth')
    .description("write cdk.tf.json for the document and the project file's props (no cdktf app needed)")
    .addOption(specOption())
    .addOption(configOption())
    .option('--out <dir>', 'output folder', process.env.CDKTF_OUTDIR ?? 'cdktf.out')
    .action(async (options: SynthOptions) => exit(await (await import('./synth')).execute(options)));

  program
    .command('local')
    .description('run the local Cognito and API Gateway for the document until Ctrl-C')
    .addOption(specOption())
    .addOption(configOption())
    .option('--outputs <file>', 'where to write the stack outputs', 'local-outputs.json')
    .option('--host <address>', 'loopback address to listen on', '127.0.0.1')
    .addOption(
      new Option(
        '--issuer <style>',
        "the tokens' iss: local (<cognito>/<pool id>) or aws (https://cognito-idp.<region>.amazonaws.com/<pool id>; keys stay local)",
      )
        .choices(['local', 'aws'])
        .default('local'),
    )
    .action(async (options: LocalOptions) => exit(await (await import('./local')).execute(options)));

  program
    .command('contract')
    .description('check every operation against a deployed (or local) stack')
    .addOption(specOption())
    .addOption(configOption())
    .option('--outputs <file>', 'outputs of `cdktf output --outputs-file` or `gatehouse local`')
    .option('--stack <name>', 'the stack, when the outputs file holds several')
    .option('--api <id>', 'the SecuredApi construct id, when the stack holds several')
    .option('--api-url <url>', 'override outputs api_url')
    .option('--user-pool-id <id>', 'override outputs user_pool_id')
    .option('--client-id <id>', 'sign the test user in through this app client')
    .option('--user <name>', 'use this existing user (password from GATEHOUSE_USER_PASSWORD) instead of a new one')
    .option('--hosted-ui-browser', "sign in at the hosted UI in headless Chromium (AWS's managed login pages need it)")
    .option('--only <operation>', 'only this operation (operationId, "METHOD /path" or path); repeatable', collect)
    .option('--cases <a,b,...>', 'only these checks, e.g. no-token,valid-token,public-no-token')
    .option('--concurrency <n>', 'checks in flight at once', '4')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--json <file>', 'write a JSON report')
    .option('--html <file>', 'write an HTML report')
    .option(
      '--token-store <file>',
      "keep this run's tokens in <file> (0600); a later run sends those that expired (the expired check); default: the project file's contract.tokenStore",
    )
    .option(
      '--api-key-env <name>',
      "send the API key held in the environment variable <name> as x-api-key (never the key on the command line); default: the project file's contract.apiKey",
    )
    .option(
      '--sweep-older-than <age>',
      'first delete test users earlier runs left that are older than <age> (0, 90s, 30m, 1h, 2d); 0 deletes every one, for a CI job that runs alone',
      '1h',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 every check passed; 1 a check failed, or a test user could not be deleted; 2 bad input (document, project file, outputs, flags); 3 the API or Cognito does not answer (refused, unknown host). Reports are written for 0, 1 and 3.',
    )
    .action(async (options: ContractCliOptions) => exit(await (await import('./contract')).execute(options, env)));

  program
    .command('start')
    .description('per document: lint, synth, local stack, every contract check, reports')
    .option('--spec <file>', 'a document (repeatable; default: the examples)', collect)
    .addOption(configOption())
    .option('--reports <dir>', 'where reports go', 'reports')
    .option('--concurrency <n>', 'checks in flight at once', '8')
    .action(async (options: StartOptions) => exit(await (await import('./start')).execute(options)));

  return program;
}

/**
 * Runs `gatehouse <argv>` and resolves to the exit code. Errors a user can fix reject as they are (a
 * ProblemError, or a UsageError for what commander refused), for callers that look at them.
 */
export async function parseAndRun(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c), env);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    // --help and --version end the parse with exit code 0; commander has printed what it refused.
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      throw new UsageError(error.message.replace(/^error: /, ''));
    }
    throw error;
  }
  return code;
}

/** The CLI: every error reported as the CLI reports it, and its exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    return await parseAndRun(argv, env);
  } catch (error) {
    // commander printed its own refusal already, with the usage.
    if (!(error instanceof UsageError)) reportError(error);
    return exitCodeOf(error);
  }
}

/** One command with its arguments, as `gatehouse <name> <argv>` runs it; rejects as parseAndRun does. */
export function runCommand(name: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return parseAndRun([name, ...argv], env);
}

// gatehouse contract: every operation of the document against a deployed stack (or the local one).
// Exit 0 when every check passes, 1 when one fails, 2 on bad input or config.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable, progressLine, toJUnit, toJson } from '../contract-tests/report';
import { runContract } from '../contract-tests/run';
import { CHECK_CASES, type CheckCase } from '../contract-tests/expectations';
import { UsageError, usageError } from './errors';

const USAGE = `usage: gatehouse contract --spec <file> --outputs <file> [options]
  --spec <file>          the OpenAPI document the stack was deployed from
  --outputs <file>       outputs of \`cdktf output --outputs-file\` or \`gatehouse local\`
  --stack <name>         the stack, when the outputs file holds several
  --api-url <url>        override outputs api_url
  --user-pool-id <id>    override outputs user_pool_id
  --client-id <id>       sign the test user in through this app client
  --user <name>          use this existing user (password from GATEHOUSE_USER_PASSWORD) instead of a new one
  --hosted-ui-browser    sign in at the hosted UI in headless Chromium (/usr/bin/chromium; CHROMIUM_PATH),
                         needed for AWS's managed login pages; default: the sign-in form over plain HTTP
  --config <file>        request values per operation (YAML)
  --only <op|path>       only this operation (operationId, "METHOD /path" or path); repeatable
  --cases <a,b,...>      only these checks, e.g. no-token,valid-token,public-no-token
  --concurrency <n>      checks in flight at once (default 4)
  --junit <file>         write a JUnit XML report
  --json <file>          write a JSON report`;

export const PASSWORD_ENV = 'GATEHOUSE_USER_PASSWORD';

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        spec: { type: 'string' },
        outputs: { type: 'string' },
        stack: { type: 'string' },
        'api-url': { type: 'string' },
        'user-pool-id': { type: 'string' },
        'client-id': { type: 'string' },
        user: { type: 'string' },
        'hosted-ui-browser': { type: 'boolean' },
        config: { type: 'string' },
        only: { type: 'string', multiple: true },
        cases: { type: 'string' },
        concurrency: { type: 'string' },
        junit: { type: 'string' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

function writeReport(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}

export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = parse(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!args.spec)
    throw new UsageError(`--spec is required: the OpenAPI document the stack was deployed from.\n${USAGE}`);
  if (!args.outputs)
    throw new UsageError(
      `--outputs is required: the file \`cdktf output --outputs-file <f> --outputs-file-include-sensitive-outputs\` or \`gatehouse local\` wrote.\n${USAGE}`,
    );
  const concurrency = args.concurrency === undefined ? 4 : Number(args.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw usageError(
      '--concurrency',
      `Expected a whole number from 1 to 64 (received: ${args.concurrency}).`,
      'Leave --concurrency out for 4 checks in flight, or pass a number from 1 to 64.',
    );
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
    spec: args.spec,
    outputsFile: args.outputs,
    stack: args.stack,
    overrides: { apiUrl: args['api-url'], userPoolId: args['user-pool-id'], clientId: args['client-id'] },
    configFile: args.config,
    only: args.only,
    cases: args.cases ? parseCases(args.cases) : undefined,
    concurrency,
    existingUser,
    hostedUiDriver: args['hosted-ui-browser'] ? 'browser' : 'form',
    handleSignals: true,
    log,
    onResult: (result) => log(progressLine(result)),
  });
  console.log(formatTable(report));
  if (args.junit) writeReport(args.junit, toJUnit(report));
  if (args.json) writeReport(args.json, toJson(report));
  return report.failed === 0 && report.results.length > 0 ? 0 : 1;
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

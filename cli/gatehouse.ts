// gatehouse <command>: each command lives in its own file and is loaded only when asked for,
// so `gatehouse lint` never loads cdktf and `gatehouse contract` never loads the local stack.
import { UsageError, exitCodeOf, reportError } from './errors';

type Command = { run(argv: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  lint: {
    summary: 'lint <spec>                      check a document; exit 2 on errors',
    load: () => import('./lint'),
  },
  local: {
    summary: 'local --spec <f> --outputs <f>   run the local Cognito and API Gateway',
    load: () => import('./local'),
  },
  contract: {
    summary: 'contract --spec <f> --outputs <f> check every operation against a deployed stack',
    load: () => import('./contract'),
  },
  start: {
    summary: 'start [--spec <f>]...            lint, synth, local stack, contract checks, report',
    load: () => import('./start'),
  },
};

function usage(): string {
  return [
    'usage: gatehouse <command> [options]',
    '',
    ...Object.values(COMMANDS).map((c) => `  gatehouse ${c.summary}`),
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"\n${usage()}`);
  return (await command.load()).run(rest);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      reportError(error);
      process.exitCode = exitCodeOf(error);
    },
  );
}

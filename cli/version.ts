// The package's version, read from its package.json: for `--version`, which the bin answers before loading
// commander or anything else (cli/gatehouse.ts), and for the program's own --version.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function packageVersion(): string {
  // The package's root holds package.json, one folder above cli/ (source) or two above dist/cli/ (built).
  for (const up of ['..', '../..']) {
    const file = path.join(__dirname, up, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

/** Whether the arguments ask for the version and nothing else, as commander's `-v, --version` answers them. */
export function asksVersionOnly(argv: string[]): boolean {
  return argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v');
}

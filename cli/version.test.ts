// `gatehouse --version` answered by the bin before commander loads must print what commander prints.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { asksVersionOnly, packageVersion } from './version';

const run = promisify(execFile);
const REPO = path.join(__dirname, '..');

describe('--version', () => {
  it.each(['--version', '-v'])('%s: the bin prints exactly what the program (commander) prints', async (flag) => {
    // The bin's own answer (cli/gatehouse.ts, from source) beside the program's (bin/gatehouse.js -> program.ts).
    const bin = await run(process.execPath, ['--require', require.resolve('tsx/cjs'), 'cli/gatehouse.ts', flag], {
      cwd: REPO,
    });
    const program = await run(process.execPath, ['bin/gatehouse.js', flag], { cwd: REPO });
    expect(bin).toEqual(program);
    expect(bin.stdout).toBe(`${packageVersion()}\n`);
  });

  it('is only the answer for the version flag alone', () => {
    expect(asksVersionOnly(['--version'])).toBe(true);
    expect(asksVersionOnly(['-v'])).toBe(true);
    expect(asksVersionOnly(['lint', '--version'])).toBe(false);
    expect(asksVersionOnly(['--version', 'lint'])).toBe(false);
    expect(asksVersionOnly([])).toBe(false);
  });
});

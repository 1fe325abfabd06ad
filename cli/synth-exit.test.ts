// `npm run synth` of a bad document exits 2, as `gatehouse lint` does, and writes nothing: cdktf reports any
// failure of its app as exit 1, so the script runs `main.ts --check` first (package.json "synth").
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const REPO = path.resolve(__dirname, '..');
const run = promisify(execFile);

test('main.ts --check of a document with a path item that $refs itself exits 2 with the problem, nothing written', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-synth-'));
  try {
    const spec = path.join(dir, 'api.yaml');
    fs.writeFileSync(
      spec,
      'openapi: 3.0.3\ninfo: { title: Bad, version: 1.0.0 }\npaths:\n  /pets:\n    $ref: "#/paths/~1pets"\n',
    );
    const out = path.join(dir, 'out');
    const script = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(script.scripts.synth).toMatch(/^tsx main\.ts --check && /);
    const failed = await run(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), path.join(REPO, 'main.ts'), '--check'],
      {
        cwd: dir,
        env: { ...process.env, API_SPEC: spec, CDKTF_OUTDIR: out },
      },
    ).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain('[ref-self]');
    expect(failed?.stderr).not.toContain('    at ');
    expect(fs.existsSync(out)).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

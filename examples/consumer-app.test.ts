// gatehouse as a platform team takes it: the packed tarball installed into a copy of examples/orders-app (its
// own package.json, main.ts, cdktf.json and project file), once on cdktf 0.21 and once on CDK Terrain 0.24.
// The app compiles against the package's declarations and synthesizes from built JavaScript (no tsx), then
// the installed `gatehouse local` and `gatehouse contract` run every check on the example's document.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..');
const EXAMPLE = path.join(__dirname, 'orders-app');
const run = promisify(execFile);

/** The app's framework packages, exactly as each one's README says to install them. */
const FRAMEWORKS = {
  cdktf: { core: 'cdktf', coreVersion: '0.21.0', provider: '@cdktf/provider-aws', providerVersion: '21.22.1' },
  cdktn: { core: 'cdktn', coreVersion: '0.24.0', provider: '@cdktn/provider-aws', providerVersion: '25.7.0' },
} as const;
type Framework = keyof typeof FRAMEWORKS;

let tmp: string;
let tarball: string;
const apps: Partial<Record<Framework, string>> = {};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-consumer-'));
  const { stdout } = await run('npm', ['pack', '--pack-destination', tmp, '--silent'], { cwd: ROOT });
  tarball = path.join(tmp, stdout.trim().split('\n').pop()!);
}, 300_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of the example depending on the tarball and on one framework, installed as `npm install` does. */
async function installApp(framework: Framework): Promise<string> {
  const app = path.join(tmp, framework);
  fs.cpSync(EXAMPLE, app, { recursive: true });
  const packages = FRAMEWORKS[framework];
  const manifest = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  manifest.dependencies = {
    constructs: manifest.dependencies.constructs,
    gatehouse: `file:${tarball}`,
    [packages.core]: packages.coreVersion,
    [packages.provider]: packages.providerVersion,
  };
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  if (framework === 'cdktn') {
    // The README's migration note: the same main.ts, importing from CDK Terrain's packages.
    const main = fs.readFileSync(path.join(app, 'main.ts'), 'utf8');
    fs.writeFileSync(
      path.join(app, 'main.ts'),
      main.replace("from 'cdktf'", "from 'cdktn'").replace("'@cdktf/provider-aws/", "'@cdktn/provider-aws/"),
    );
  }
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    maxBuffer: 64 * 1024 * 1024,
  });
  apps[framework] = app;
  return app;
}

interface Synthesized {
  terraform: { required_providers: { aws: { version: string } } };
  resource: Record<string, Record<string, unknown>>;
  output: Record<string, unknown>;
}

describe.each(Object.keys(FRAMEWORKS) as Framework[])('on %s', (framework) => {
  let app: string;
  beforeAll(async () => {
    app = await installApp(framework);
  }, 300_000);

  test('the package installs without tsx and exposes gatehouse, gatehouse/local and gatehouse/harness', async () => {
    expect(fs.existsSync(path.join(app, 'node_modules', 'tsx'))).toBe(false);
    const script = [
      "const g = require('gatehouse'); const l = require('gatehouse/local'); const h = require('gatehouse/harness');",
      'console.log(JSON.stringify([typeof g.SecuredApi, typeof g.lintSpec, typeof l.startLocalStack, typeof h.runContract]));',
    ].join(' ');
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: app });
    expect(JSON.parse(stdout)).toEqual(['function', 'function', 'function', 'function']);
  }, 60_000);

  test('main.ts compiles against the declarations and synthesizes from JavaScript', async () => {
    await run(process.execPath, [path.join(app, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app });
    const outdir = path.join(app, 'cdktf.out');
    await run(process.execPath, ['main.js'], { cwd: app, env: { ...process.env, CDKTF_OUTDIR: outdir } });
    const stack = JSON.parse(
      fs.readFileSync(path.join(outdir, 'stacks', 'orders', 'cdk.tf.json'), 'utf8'),
    ) as Synthesized;
    expect(Object.keys(stack.resource)).toEqual(
      expect.arrayContaining(['aws_api_gateway_rest_api', 'aws_cognito_user_pool', 'aws_cognito_user_pool_client']),
    );
    expect(Object.keys(stack.resource.aws_cognito_user_pool_client)).toHaveLength(2);
    expect(stack.output).toHaveProperty('api_url');
    // Each framework's provider bindings: the AWS provider version they were generated from.
    expect(stack.terraform.required_providers.aws.version).toBe(framework === 'cdktf' ? '6.25.0' : '6.66.0');
  }, 120_000);

  test('the installed gatehouse local and gatehouse contract pass every check of the example', async () => {
    const bin = path.join(app, 'node_modules', '.bin', 'gatehouse');
    const outputs = path.join(app, 'local-outputs.json');
    const local = spawn(bin, ['local', '--config', 'gatehouse.config.yaml', '--outputs', outputs], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await untilPrinted(local, 'Ctrl-C to stop.');
      const { stdout } = await run(bin, ['contract', '--config', 'gatehouse.config.yaml', '--outputs', outputs], {
        cwd: app,
      });
      expect(stdout).toMatch(/\b[1-9]\d* passed, 0 failed\b/);
    } finally {
      local.kill('SIGTERM');
    }
  }, 120_000);
});

function untilPrinted(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`not printed within 60 s: ${text}\n${seen}`)), 60_000);
    const read = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing: ${text}\n${seen}`)));
  });
}

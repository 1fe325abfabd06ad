// serverless-offline, the peer issue 15 names for the throughput bench: the same route as hello-http.yaml's
// GET /hello (an HTTP API jwt authorizer with the local stack's issuer and audience, the same lambda/hello handler,
// run in-process as the local stack runs it), in its own process on 127.0.0.1.
//
// It is not a dependency of gatehouse: version 13 (the last that installs from npm alone) needs the serverless
// framework 3, which is end of life, and its tree is about 280 MB. So it is installed on first use, from the
// pinned package.json and lockfile beside this file, into node_modules/.cache (npm's registry only).
// serverless-offline checks no signature: it starts only with --ignoreJWTSignature ("TODO: add code that will
// actually validate a JWT", src/events/http/authJWTSettingsExtractor.js), then decodes the token and checks
// exp and aud. The bench records what it answers to an `alg: none` token and a tampered one beside ours.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT, startServer, waitFor, type Server } from '../lib/child';

const PEER_DIR = path.join(__dirname, 'serverless-offline');
const HANDLER_DIR = path.join(REPO_ROOT, 'lambda', 'hello');

export interface PeerServer {
  /** e.g. http://127.0.0.1:41234 (no stage prefix). */
  url: string;
  /** `serverless-offline <version> (serverless <version>)`. */
  version: string;
  /** The process serving (its CPU is read per request, as the gateway's is). */
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface PeerOptions {
  issuer: string;
  audience: string[];
  /** Progress lines (the first install takes a while). */
  log?: (line: string) => void;
}

/** The folder the peer is installed in: keyed by the lockfile, so a changed pin installs afresh. */
function installDir(): string {
  const lock = fs.readFileSync(path.join(PEER_DIR, 'package-lock.json'));
  const key = createHash('sha256').update(lock).digest('hex').slice(0, 12);
  return path.join(REPO_ROOT, 'node_modules', '.cache', 'gatehouse-peers', `serverless-offline-${key}`);
}

function installedVersion(dir: string, name: string): string | undefined {
  const file = path.join(dir, 'node_modules', name, 'package.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version : undefined;
}

/** Installs the pinned peer once; a failed install leaves nothing behind that would pass for an installed one. */
function ensureInstalled(log: (line: string) => void): string {
  const dir = installDir();
  if (installedVersion(dir, 'serverless-offline') && fs.existsSync(path.join(dir, '.installed'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const file of ['package.json', 'package-lock.json'])
    fs.copyFileSync(path.join(PEER_DIR, file), path.join(dir, file));
  log(
    `installing the peer serverless-offline from bench/peers/serverless-offline into ${path.relative(REPO_ROOT, dir)} (first run only, about 280 MB)...`,
  );
  // --ignore-scripts: the peer needs none of its postinstall scripts to serve.
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' });
  if (npm.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`npm ci of the peer failed (exit ${npm.status}):\n${(npm.stderr ?? '').slice(-2000)}`);
  }
  fs.writeFileSync(path.join(dir, '.installed'), new Date().toISOString());
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** serverless.json for GET /hello behind a jwt authorizer, as hello-http.yaml declares it. */
function serviceConfig(options: PeerOptions): object {
  return {
    service: 'gatehouse-bench-peer',
    frameworkVersion: '3',
    provider: {
      name: 'aws',
      runtime: 'nodejs20.x',
      region: 'us-east-1',
      httpApi: {
        authorizers: {
          cognito: {
            type: 'jwt',
            identitySource: '$request.header.Authorization',
            issuerUrl: options.issuer,
            audience: options.audience,
          },
        },
      },
    },
    plugins: ['serverless-offline'],
    functions: {
      hello: {
        handler: 'hello/index.handler',
        events: [{ httpApi: { path: '/hello', method: 'get', authorizer: { name: 'cognito' } } }],
      },
    },
  };
}

export async function startServerlessOffline(options: PeerOptions): Promise<PeerServer> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dir = ensureInstalled(log);
  const service = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-peer-'));
  fs.mkdirSync(path.join(service, 'hello'));
  fs.copyFileSync(path.join(HANDLER_DIR, 'index.js'), path.join(service, 'hello', 'index.js'));
  fs.writeFileSync(path.join(service, 'serverless.json'), JSON.stringify(serviceConfig(options), null, 2));
  fs.symlinkSync(path.join(dir, 'node_modules'), path.join(service, 'node_modules'), 'dir');
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  let output = '';
  const server: Server = startServer(
    process.execPath,
    [
      path.join(dir, 'node_modules', 'serverless', 'bin', 'serverless.js'),
      'offline',
      '--host',
      '127.0.0.1',
      '--httpPort',
      String(httpPort),
      '--lambdaPort',
      String(lambdaPort),
      '--noPrependStageInUrl',
      '--ignoreJWTSignature',
      '--useInProcess',
    ],
    {
      cwd: service,
      // No telemetry, notifications or update checks: nothing leaves the machine.
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', SLS_DEPRECATION_DISABLE: '*' },
      onOutput: (text) => (output += text),
    },
  );
  const stop = async () => {
    await server.stop();
    fs.rmSync(service, { recursive: true, force: true });
  };
  try {
    await waitFor(
      'serverless-offline to be ready',
      () => /Server ready/.test(output) || server.child.exitCode !== null,
      60000,
      50,
    );
    if (server.child.exitCode !== null) throw new Error(`serverless-offline exited:\n${output.slice(-2000)}`);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${httpPort}`,
    pid: server.child.pid,
    version: `serverless-offline ${installedVersion(dir, 'serverless-offline')} (serverless ${installedVersion(dir, 'serverless')}, end of life)`,
    stop,
  };
}

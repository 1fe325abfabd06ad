// npm run stress: the local stack under hostile load and faults, loopback only, outside `npm test`.
//   1. the gateway (`gatehouse local` on openapi/pets.yaml, its own process) at 200 connections with a valid
//      ID token, then forged ones only (wrong key, alg none, tampered payload, junk signature characters,
//      ...), then all mixed: a forged token answered 2xx is a false accept;
//   2. 20,000 sign-ins at 50 in parallel: the last thousand's p50 within 20 % of the first thousand's;
//   3. the JWKS slow (past the 1,500 ms timeout) and down (503), behind a gateway that must re-read it;
//   4. the stack killed (kill -9) mid harness run, then the harness killed after creating its user.
// Prints requests sent, false accepts, errors, faults survived, data lost, users left behind, RSS before and
// after, and the sign-in drift; writes bench/results/stress.json. Bounded in time: about 3 minutes on a
// quiet 2-core machine; each phase has a cap (--seconds, --sign-in-seconds) so a loaded one stays bounded.
// Exit 1 on a false accept, lost data, a user left behind or a fault not survived (the drift is a verdict
// in the table: it moves with the machine's load).
// Run: npm run stress [-- --connections 200 --seconds 8 --sign-ins 20000 --sign-in-seconds 75 --no-faults]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { clientNames, createUser, deleteUser, localCognitoClient, signIn } from '../lib/cognito-tokens';
import { startStackChild } from '../lib/local-stack-child';
import { loadAverage, rssMiB } from '../lib/process-stats';
import { report, runMain, type Figure } from '../lib/report';
import { runSignIns, signInTarget } from '../lib/sign-in-load';
import { round } from '../lib/stats';
import { driftOf } from '../sign-in-history';
import { forgeFrom } from './forged-tokens';
import { loadWithTokens, type LoadResult, type LoadToken } from './gateway-load';
import { runHarnessFaults, type FaultOutcome } from './harness-faults';
import { runJwksFaults } from './jwks-fault';

const SPEC = 'openapi/pets.yaml';
const DRIFT_TARGET_PERCENT = 120;
const BENCH_USER_PREFIX = 'gatehouse-bench-';

interface StressOptions {
  connections: number;
  seconds: number;
  signIns: number;
  signInSeconds: number;
  faults: boolean;
}

function options(argv: string[]): StressOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      connections: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '8' },
      'sign-ins': { type: 'string', default: '20000' },
      'sign-in-seconds': { type: 'string', default: '75' },
      'no-faults': { type: 'boolean', default: false },
    },
  });
  const whole = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, not "${text}"`);
    return n;
  };
  return {
    connections: whole('connections', values.connections!),
    seconds: whole('seconds', values.seconds!),
    signIns: whole('sign-ins', values['sign-ins']!),
    signInSeconds: whole('sign-in-seconds', values['sign-in-seconds']!),
    faults: !values['no-faults'],
  };
}

const processStart = performance.now();
const log = (line: string) =>
  process.stderr.write(`stress [${((performance.now() - processStart) / 1000).toFixed(0)} s]: ${line}\n`);
const mib = (value: number | null) => (value === null ? null : round(value, 1));

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const startedAt = new Date();
  const began = performance.now();
  const ownRssBefore = process.memoryUsage().rss / 2 ** 20;
  const loadBefore = loadAverage();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-stress-'));
  const stack = await startStackChild(SPEC, path.join(workDir, 'outputs.json'));
  const pid = stack.server.child.pid!;
  const cognito = localCognitoClient(stack.outputs);
  const rssBefore = rssMiB(pid);
  const user = await createUser(cognito, stack.outputs);
  let userDeleted = false;
  try {
    const clients = clientNames(stack.outputs);
    const { idToken } = await signIn(cognito, stack.outputs, clients.user, user);
    const forged = await forgeFrom(idToken);
    const valid: LoadToken = { kind: 'valid ID token', token: idToken, valid: true };
    const forgedTokens: LoadToken[] = forged.map((f) => ({ ...f, valid: false }));
    const url = `${stack.outputs.api_url}/pets`;
    const loads: LoadResult[] = [];
    const load = { connections: opts.connections, durationS: opts.seconds };
    for (const [name, tokens] of [
      ['valid tokens', [valid]],
      ['forged tokens', forgedTokens],
      ['mixed tokens', [valid, ...forgedTokens]],
    ] as const) {
      log(`gateway, ${name}, ${opts.connections} connections, ${opts.seconds} s`);
      loads.push(await loadWithTokens(name, url, [...tokens], load));
    }

    log(`${opts.signIns} sign-ins at 50 in parallel (at most ${opts.signInSeconds} s)`);
    const target = signInTarget(stack.outputs, clients.user, user);
    await runSignIns(target, 500, 50);
    const signIns = await runSignIns(
      target,
      opts.signIns,
      50,
      (done) => done % 5000 === 0 && log(`  ${done} sign-ins`),
      performance.now() + opts.signInSeconds * 1000,
    );
    const drift = driftOf(signIns.latenciesMs, 1000);
    const rssAfter = rssMiB(pid);

    await deleteUser(cognito, stack.outputs, user);
    userDeleted = true;
    const benchUsersLeft =
      (
        await cognito.send(
          new ListUsersCommand({ UserPoolId: stack.outputs.user_pool_id, Filter: `email ^= "${BENCH_USER_PREFIX}"` }),
        )
      ).Users?.length ?? 0;

    let jwks: Awaited<ReturnType<typeof runJwksFaults>> | undefined;
    let harness: FaultOutcome[] = [];
    if (opts.faults) {
      log('faults: JWKS slow, then down');
      jwks = await runJwksFaults({ connections: 50, durationS: Math.min(opts.seconds, 4) });
      log('faults: stack killed mid-run, harness killed');
      harness = await runHarnessFaults();
    }

    const allLoads = [...loads, ...(jwks?.phases ?? [])];
    const sent = allLoads.reduce((n, l) => n + l.sent, 0) + signIns.attempted;
    const falseAccepts = allLoads.reduce((n, l) => n + l.falseAccepts, 0);
    // Under a JWKS fault a valid token may be refused (the keys are out of reach): only transport errors count.
    const errors =
      loads.reduce((n, l) => n + l.errors, 0) +
      (jwks?.phases ?? []).reduce((n, l) => n + l.transportErrors, 0) +
      signIns.failures;
    const faults = [
      ...(jwks
        ? jwks.phases.map((p) => ({
            name: `JWKS ${p.mode}`,
            survived: p.answered > 0 && p.falseAccepts === 0 && p.transportErrors === 0,
          }))
        : []),
      ...(jwks ? [{ name: 'JWKS back: a valid token passes', survived: jwks.recovered }] : []),
      ...harness,
    ];
    const survived = faults.filter((f) => f.survived).length;
    const dataLost = harness.reduce((n, f) => n + f.dataLost + f.dataDirectoriesLeft, 0);
    const usersLeft = benchUsersLeft + harness.reduce((n, f) => n + f.usersLeft, 0);
    const notes = harness.map((f) => `${f.name}: ${f.detail}`);

    const figures: Figure[] = [
      { name: 'requests sent (gateway and sign-ins)', value: sent, unit: '' },
      { name: 'false accepts', value: falseAccepts, unit: '', target: { op: '<=', value: 0 } },
      { name: 'errors', value: errors, unit: '', target: { op: '<=', value: 0 } },
      {
        name: 'faults survived',
        value: survived,
        unit: `of ${faults.length}`,
        target: { op: '>=', value: faults.length },
        note: opts.faults ? undefined : 'faults skipped (--no-faults)',
      },
      {
        name: 'data lost (reports, dead stacks’ data directories left)',
        value: dataLost,
        unit: '',
        target: { op: '<=', value: 0 },
      },
      { name: 'users left behind', value: usersLeft, unit: '', target: { op: '<=', value: 0 } },
      { name: 'stack RSS before', value: mib(rssBefore), unit: 'MiB' },
      { name: 'stack RSS after', value: mib(rssAfter), unit: 'MiB' },
      {
        name: 'stress process RSS before / after',
        value: round(process.memoryUsage().rss / 2 ** 20 - ownRssBefore, 1),
        unit: 'MiB grown',
      },
      {
        name: `sign-ins made (of ${opts.signIns})`,
        value: signIns.attempted,
        unit: '',
        target: { op: '>=', value: opts.signIns },
        note: signIns.attempted < opts.signIns ? `stopped at the ${opts.signInSeconds} s cap` : undefined,
      },
      { name: `sign-ins: first ${drift.window} p50`, value: round(drift.firstP50Ms, 1), unit: 'ms' },
      { name: `sign-ins: last ${drift.window} p50`, value: round(drift.lastP50Ms, 1), unit: 'ms' },
      {
        name: 'sign-ins: last/first p50',
        value: round(drift.ratioPercent, 1),
        unit: '%',
        target: { op: '<=', value: DRIFT_TARGET_PERCENT },
      },
      { name: 'load average (1 min) before', value: loadBefore, unit: '' },
      { name: 'load average (1 min) after', value: loadAverage(), unit: '' },
      { name: 'wall time', value: round((performance.now() - began) / 1000, 0), unit: 's' },
    ];
    const rows = [
      ['load', 'sent', 'answered', 'false accepts', 'valid refused', 'transport errors', 'req/s', 'p99 ms'],
      ...allLoads.map((l) => [
        l.name,
        `${l.sent}`,
        `${l.answered}`,
        `${l.falseAccepts}`,
        `${l.refusedValid}`,
        `${l.transportErrors}`,
        `${l.requestsPerSecond}`,
        `${l.p99Ms}`,
      ]),
    ];
    const faultRows = [['fault', 'survived'], ...faults.map((f) => [f.name, f.survived ? 'yes' : 'NO'])];
    const result = report(
      'stress',
      `Stress: the local stack under ${opts.connections} connections, ${opts.signIns} sign-ins and faults (loopback only)`,
      startedAt,
      figures,
      {
        options: opts,
        loads: allLoads,
        signIns: {
          ...drift,
          attempted: signIns.attempted,
          failures: signIns.failures,
          firstFailure: signIns.firstFailure,
        },
        faults: harness,
      },
      [
        { title: 'Gateway loads (sent − answered: requests still in flight when the load stopped)', rows },
        { title: 'Faults', rows: faultRows },
      ],
    );
    if (notes.length > 0) process.stdout.write(`\n${notes.map((n) => `* ${n}`).join('\n')}\n`);
    const hard = ['false accepts', 'faults survived', 'users left behind'];
    if (result.figures.some((f) => f.verdict === 'missed' && (hard.includes(f.name) || f.name.startsWith('data lost'))))
      process.exitCode = 1;
  } finally {
    if (!userDeleted) await deleteUser(cognito, stack.outputs, user).catch(() => undefined);
    cognito.destroy();
    await stack.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

runMain(main);

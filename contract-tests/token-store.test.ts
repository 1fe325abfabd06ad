// The `expired` check, end to end: the harness run twice against one local stack whose one clock (the local
// Cognito's and the gateway's) is moved past the tokens' lifetime between the runs. The second run finds the
// first run's tokens expired in its store, sends each (the pool's own signature, only the time wrong) on
// every secured operation and passes; against a gateway that ignores exp the same check fails. Expected
// answers: docs/aws-authorizer-semantics.md, REST table row "expired" (401 {"message":"The incoming token has
// expired"}) and HTTP table row "`exp` past" (401).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bindAuthorizers } from './binding';
import { harnessValuesOf } from './config';
import { loadApiModel } from '../openapi/model/load';
import type { ContractReport } from './report';
import { Redactor } from './redact';
import { runContract } from './run';
import { startFakeGateway } from './testing/fake-gateway';
import { LOCAL_CREDENTIALS } from './testing/local-stack';
import { TokenStore, type StoredToken } from './token-store';
import { startLocalStack, type LocalStack } from '../local/stack';

const ROOT = path.join(__dirname, '..');
const PETS = path.join(ROOT, 'openapi', 'pets.yaml');
const HELLO = path.join(ROOT, 'openapi', 'hello-http.yaml');
const credentials = async () => LOCAL_CREDENTIALS;
/** Longer than any access or ID token of the example pools lives (an hour), shorter than a refresh token. */
const TWO_HOURS = 2 * 3600 * 1000;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-token-store-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A local stack on a clock the test moves: it starts two hours in the past. */
async function stackOnMovableClock(
  spec: string,
): Promise<{ stack: LocalStack; clock: { offset: number; now(): number } }> {
  const clock = { offset: -TWO_HOURS, now: () => Date.now() + clock.offset };
  const stack = await startLocalStack({ spec, clock: () => clock.now() });
  return { stack, clock };
}

const secured = (report: ContractReport) =>
  [...new Set(report.results.filter((r) => r.case === 'valid-token').map((r) => r.operation))].sort();
const expiredChecks = (report: ContractReport) => report.results.filter((r) => r.case === 'expired');
const failed = (report: ContractReport) =>
  report.results
    .filter((r) => !r.passed)
    .map((r) => r.name)
    .sort();

function storedTokens(file: string): StoredToken[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { tokens: StoredToken[] }).tokens;
}

describe.each([
  ['REST', PETS, { status: 401, body: '{"message":"The incoming token has expired"}' }],
  ['HTTP', HELLO, { status: 401, body: '{"message":"Unauthorized"}' }],
])('%s API: two runs, the clock moved two hours between them', (_kind, spec, answer) => {
  let stack: LocalStack;
  let clock: { offset: number; now(): number };
  let store: string;
  let first: ContractReport;
  let second: ContractReport;
  beforeAll(async () => {
    ({ stack, clock } = await stackOnMovableClock(spec));
    store = path.join(tmp, `${path.basename(spec)}.tokens.json`);
    const run = () =>
      runContract({ spec, outputs: stack.outputs, credentials, tokenStore: store, now: () => clock.now() });
    first = await run();
    clock.offset = 0;
    second = await run();
  }, 180_000);
  afterAll(() => stack?.stop());

  test('the first run has no expired token yet: `expired` is not run, with the reason and the flag; the rest pass', () => {
    expect(first.failed).toBe(0);
    expect(expiredChecks(first)).toEqual([]);
    const notRun = first.omitted.filter((o) => o.case === 'expired');
    expect(notRun.map((o) => o.operation).sort()).toEqual(secured(first));
    for (const o of notRun)
      expect(o.reason).toMatch(new RegExp(`holds no expired .* run again with --token-store ${store}`));
  });

  test('the store is written 0600 and holds the ID and access tokens the run used, per pool and client', () => {
    expect(fs.statSync(store).mode & 0o777).toBe(0o600);
    const tokens = storedTokens(store);
    expect(tokens.length).toBeGreaterThan(0);
    for (const t of tokens) {
      expect(t).toMatchObject({ issuer: stack.outputs.issuer, userPoolId: stack.outputs.user_pool_id });
      expect(Object.values(stack.outputs.clients).map((c) => c.id)).toContain(t.clientId);
    }
    expect(tokens.some((t) => t.kind === 'user-id')).toBe(true);
  });

  test('the second run sends an expired token of the pool on every secured operation and passes', () => {
    expect(failed(second)).toEqual([]);
    const expired = expiredChecks(second);
    expect(expired.map((r) => r.operation).sort()).toEqual(secured(second));
    for (const r of expired) expect(r.got).toEqual(answer);
    expect(second.tokenStore).toMatchObject({ file: store, expiredSent: expired.length });
  });

  test('no token of the store is printed in any report', () => {
    const text = JSON.stringify([first, second]);
    for (const t of storedTokens(store)) {
      expect(text).not.toContain(t.token);
      expect(text).not.toContain(t.token.split('.')[2]);
    }
  });
});

test("against a gateway that ignores exp, the second run's `expired` checks fail (the check can fail)", async () => {
  const { stack, clock } = await stackOnMovableClock(PETS);
  const bound = bindAuthorizers(stack.model, stack.outputs);
  const ignoring = await startFakeGateway({
    model: stack.model,
    authorizers: bound,
    poolIssuer: stack.outputs.issuer,
    jwksUrl: stack.outputs.jwks_url,
    stage: stack.outputs.stage,
    faults: { ignoreExp: true },
  });
  try {
    const store = path.join(tmp, 'ignoring.tokens.json');
    const options = { spec: PETS, credentials, tokenStore: store, now: () => clock.now() };
    const first = await runContract({ ...options, outputs: stack.outputs });
    expect(failed(first)).toEqual([]);
    clock.offset = 0;
    const second = await runContract({ ...options, outputs: { ...stack.outputs, api_url: ignoring.url } });
    const expired = expiredChecks(second);
    expect(expired.length).toBeGreaterThan(0);
    expect(failed(second)).toEqual(expired.map((r) => r.name).sort());
    for (const r of expired) expect(r.problems[0]).toMatch(/^status 2\d\d, expected 401/);
  } finally {
    await ignoring.stop();
    await stack.stop();
  }
}, 180_000);

test('without a store, `expired` is not run and the reason names --token-store and contract.tokenStore', async () => {
  const { stack, clock } = await stackOnMovableClock(PETS);
  try {
    clock.offset = 0;
    const report = await runContract({ spec: PETS, outputs: stack.outputs, credentials, cases: ['expired'] });
    expect(report.results).toEqual([]);
    expect(report.omitted.length).toBeGreaterThan(0);
    for (const o of report.omitted)
      expect(o.reason).toMatch(/pass --token-store <file> \(or set contract\.tokenStore in the project file\)/);
  } finally {
    await stack.stop();
  }
}, 60_000);

describe('the store file', () => {
  const token = (exp: number) =>
    `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.c2ln`;
  const entry = (over: Partial<StoredToken>): StoredToken => ({
    issuer: 'http://127.0.0.1:1/pool',
    userPoolId: 'us-east-1_pool',
    clientId: 'client',
    clientName: 'web',
    kind: 'user-id',
    scopes: [],
    token: token(1000),
    exp: 1000,
    storedAt: new Date(0).toISOString(),
    keepUntil: new Date(10 ** 13).toISOString(),
    ...over,
  });
  const source = { kind: 'user', pool: 'main', client: 'web', token: 'id' } as const;
  const identity = { issuer: 'http://127.0.0.1:1/pool', userPoolId: 'us-east-1_pool', clientId: 'client' };

  test('entries older than their refresh-token validity are dropped on read and not written again', () => {
    const file = path.join(tmp, 'old.json');
    // exp in seconds, times in ms: both expired at 6 s; the first kept until 5 s only.
    const old = entry({ keepUntil: new Date(5000).toISOString(), token: token(1), exp: 1 });
    const kept = entry({ token: token(2), exp: 2 });
    fs.writeFileSync(file, JSON.stringify({ version: 1, tokens: [old, kept] }), { mode: 0o644 });
    const opened = TokenStore.open(file, new Redactor(), 6000);
    expect(opened.dropped).toBe(1);
    expect(opened.expired(source, identity, 6000)?.exp).toBe(2);
    opened.save(6000);
    expect(storedTokens(file).map((t) => t.exp)).toEqual([2]);
    // Written 0600 even over a file that was more open.
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  test('a token is expired only once its exp has passed, and only for its own pool, client and kind', () => {
    const file = path.join(tmp, 'keys.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, tokens: [entry({})] }));
    const opened = TokenStore.open(file, new Redactor(), 0);
    expect(opened.expired(source, identity, 999_000)).toBeUndefined();
    expect(opened.expired(source, identity, 1_000_000)?.exp).toBe(1000);
    expect(opened.expired({ ...source, token: 'access' }, identity, 1_000_000)).toBeUndefined();
    expect(opened.expired(source, { ...identity, clientId: 'other' }, 1_000_000)).toBeUndefined();
    expect(opened.expired(source, { ...identity, userPoolId: 'us-east-1_other' }, 1_000_000)).toBeUndefined();
  });

  test('a file that is not a store is refused as input (exit 2), naming the file and the fix', () => {
    const file = path.join(tmp, 'not-a-store.json');
    fs.writeFileSync(file, '{"tokens": "no"}');
    expect(() => TokenStore.open(file, new Redactor(), 0)).toThrow(
      /not-a-store\.json \[token-store-file\][\s\S]*fix: /,
    );
  });

  test("the project file's contract.tokenStore is resolved against the project file's folder", async () => {
    const model = await loadApiModel(PETS);
    const project = path.join(tmp, 'project', 'gatehouse.config.yaml');
    expect(harnessValuesOf({ tokenStore: '.gatehouse/tokens.json' }, project, '/contract', model).tokenStore).toBe(
      path.join(tmp, 'project', '.gatehouse', 'tokens.json'),
    );
    expect(() => harnessValuesOf({ tokenStore: 7 }, project, '/contract', model)).toThrow(
      /#\/contract\/tokenStore \[config-token-store\]/,
    );
  });
});

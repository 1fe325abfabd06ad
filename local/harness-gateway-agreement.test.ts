// The harness and the local gateway agree, row by row of docs/aws-authorizer-semantics.md's REST and HTTP
// tables: every check the harness plans against a real local stack (its expectation, from expectations.ts
// and its bound authorizer) is decided by the local gateway's authorizer (local/gateway/authorizer.ts) on
// the same real token, and the two outcomes must match. identityValidationExpression gets documents of its
// own: one the client id merely contains (refused by both: AWS matches the whole aud) and one it matches.
import * as fs from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApiModel } from '../openapi/model/load';
import { decodeJwt } from 'jose';
import { ProblemList } from '../openapi/model/problems';
import type { ApiModel } from '../openapi/model/types';
import { outputsValues, placeholderResolver } from '../stack/binding';
import { bindAuthorizers as bindForGateway, type BoundAuthorizer } from '../stack/bound-authorizers';
import type { StackOutputs } from '../stack/outputs';
import { bindAuthorizers } from '../contract-tests/binding';
import type { CheckCase, ExpectedOutcome } from '../contract-tests/expectations';
import { createHarness, type Harness } from '../contract-tests/harness';
import { buildPlan, isUserClient, type Check, type Prefix } from '../contract-tests/plan';
import { MAIN_POOL } from '../contract-tests/tokens';
import { authorize, type AuthDecision, type LocalAuthorizer } from './gateway/authorizer';
import { localAuthorizers, type PoolDirectory } from './gateway/bind';
import { KeyStore } from './gateway/key-store';
import { startTestIssuer, type TestIssuer } from './gateway/test-support';
import { startLocalStack, type LocalStack } from './stack';

const ROOT = path.join(__dirname, '..');
const PETS = path.join(ROOT, 'openapi/pets.yaml');
const HELLO = path.join(ROOT, 'openapi/hello-http.yaml');
const SEMANTICS = path.join(ROOT, 'docs/aws-authorizer-semantics.md');

type Kind = 'rest' | 'http';

/** One planned check, as the harness expects it and as the gateway decided it. */
interface Judged {
  kind: Kind;
  /** Which document or scenario it came from, for messages. */
  source: string;
  check: Check;
  authorizer: BoundAuthorizer;
  decision: AuthDecision;
  disagreements: string[];
}

/** Picks the checks a row is about: the case, and where the case alone does not say, the route. */
interface Selector {
  case: CheckCase;
  /** The operation has scopes (true) or none (false). */
  scoped?: boolean;
  /** The authorizer has an identityValidationExpression. */
  validated?: boolean;
}

/** What exercises a row; a string for a row that is no authorizer decision (and why). */
type Coverage = Selector[] | string;

const UNKNOWN_ROUTE =
  'not an authorizer decision: the harness calls only documented operations (local/authorizer-semantics.test.ts checks the route table)';
const BAD_TOKEN: Selector[] = [
  { case: 'malformed' },
  { case: 'wrong-prefix' },
  { case: 'tampered-payload' },
  { case: 'jku-attacker-key' },
  { case: 'embedded-jwk-attacker-key' },
  { case: 'unknown-kid' },
  { case: 'alg-none' },
  { case: 'hs256-with-public-key' },
];

/** Keyed by each row's first cell, exactly as the semantics document writes it. */
const REST_ROWS: Record<string, Coverage> = {
  'header missing or empty': [{ case: 'no-token' }],
  'not a JWT, bad signature, unknown `kid`, `alg` not RS256 (`none`, HS256)': BAD_TOKEN,
  // The pool's own token, presented to the gateway after its exp (the harness takes it from its token store).
  expired: [{ case: 'expired' }],
  'token from a pool not in `providerARNs` (issuer mismatch)': [{ case: 'other-pool' }],
  'method **without** scopes + valid ID token': [{ case: 'valid-token', scoped: false }],
  'method without scopes + access token': [{ case: 'access-token-instead-of-id', validated: false }],
  'method **with** scopes + access token holding at least one of them': [
    { case: 'valid-token', scoped: true },
    { case: 'user-access-token-scoped' },
  ],
  'method with scopes + access token holding none of them': [{ case: 'missing-scope' }],
  'method with scopes + ID token': [{ case: 'id-token-instead-of-access' }],
  '`identityValidationExpression` set, `aud` does not match': [{ case: 'client-outside-validation' }],
  '`identityValidationExpression` set + **any access token** (it has no `aud`)': [
    { case: 'access-token-instead-of-id', validated: true },
  ],
  '`Authorization: Bearer <token>`': [{ case: 'valid-token-bearer' }],
  'ID token from another app client of the same pool': [
    { case: 'other-client-id-token' },
    { case: 'client-outside-validation' },
  ],
  'route not in the API, no `Authorization` header': UNKNOWN_ROUTE,
  'route not in the API, with an `Authorization` header': UNKNOWN_ROUTE,
};

const HTTP_ROWS: Record<string, Coverage> = {
  'header missing, malformed, bad signature, `alg` not RSA, unknown kid': [{ case: 'no-token' }, ...BAD_TOKEN],
  // No pool issues a token with nbf or iat in the future: local/authorizer-semantics.test.ts checks those.
  '`iss` ≠ issuer; `exp` past; `nbf`/`iat` future': [{ case: 'other-pool' }, { case: 'expired' }],
  'neither `aud` nor (absent `aud`) `client_id` in audience': [{ case: 'wrong-audience' }],
  "route has scopes, token's `scope` holds none of them (an ID token included)": [
    { case: 'missing-scope' },
    { case: 'id-token-instead-of-access' },
  ],
  'ID token on a route without scopes, its `aud` in the audience': [{ case: 'valid-token', scoped: false }],
  'Cognito access token': [
    { case: 'access-token-via-client-id' },
    { case: 'valid-token', scoped: true },
    { case: 'user-access-token-scoped' },
  ],
  'route not in the API': UNKNOWN_ROUTE,
};

/** The first cell of every row of the one table under `## <heading>`. */
function tableRows(heading: string): string[] {
  const text = fs.readFileSync(SEMANTICS, 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`${SEMANTICS} has no section "${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  const lines = text.slice(start, end < 0 ? undefined : end).split('\n');
  // The header row and the |---| row come first.
  return lines
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) => line.split('|')[1].trim());
}

const REST_TABLE = tableRows('REST API, `cognito_user_pools` authorizer');
const HTTP_TABLE = tableRows('HTTP API, `jwt` authorizer');

/** Every way the gateway's decision differs from what the harness expects. */
function disagreements(expected: ExpectedOutcome, decision: AuthDecision): string[] {
  const found: string[] = [];
  const passes = expected.outcome === 'success';
  if (passes !== decision.allow) {
    found.push(
      `harness expects ${passes ? 'a pass' : `${expected.status}`}, gateway ${decision.allow ? 'lets it pass' : `refuses ${decision.status} (${decision.reason})`}`,
    );
    return found;
  }
  if (decision.allow) return found;
  if (decision.status !== expected.status) found.push(`status: harness ${expected.status}, gateway ${decision.status}`);
  const body = expected.body && 'json' in expected.body ? expected.body.json : undefined;
  if (
    body &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    'message' in body &&
    body.message !== decision.message
  )
    found.push(`message: harness ${JSON.stringify(body.message)}, gateway ${JSON.stringify(decision.message)}`);
  const errorType = expected.headers?.['x-amzn-errortype'];
  if (errorType !== undefined && errorType !== decision.errorType)
    found.push(`x-amzn-ErrorType: harness ${errorType}, gateway ${String(decision.errorType)}`);
  if (expected.headersPresent?.includes('www-authenticate') && decision.wwwAuthenticate === undefined)
    found.push('www-authenticate: the harness wants one, the gateway sends none');
  return found;
}

function lowerCased(headers: Record<string, string>): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** The gateway's authorizers, bound as the local stack binds them and tied to the stack's one pool. */
function gatewayAuthorizers(model: ApiModel, outputs: StackOutputs): Record<string, LocalAuthorizer> {
  const pools: PoolDirectory = { [outputs.user_pool_arn]: { issuer: outputs.issuer, jwksUrl: outputs.jwks_url } };
  const problems = new ProblemList(model.file);
  const local = localAuthorizers(
    bindForGateway(model, placeholderResolver(outputsValues(outputs)), problems),
    pools,
    problems,
  );
  if (problems.hasErrors) throw new Error(`gateway binding: ${JSON.stringify(problems.items)}`);
  return local;
}

/** Outputs with `foreign`'s pool among extra_pools, so the harness has a real token of an untrusted pool. */
function withForeignPool(outputs: StackOutputs, foreign: StackOutputs): StackOutputs {
  return { ...outputs, extra_pools: { [foreign.user_pool_arn]: { ...foreign } } };
}

const keys = new KeyStore();

/** Each check of `checks` (public ones have nothing to authorize) through both. */
async function judgeAll(
  kind: Kind,
  source: string,
  checks: Check[],
  harnessAuthorizers: Record<string, BoundAuthorizer>,
  gateway: Record<string, LocalAuthorizer>,
  headersOf: (check: Check) => Promise<IncomingHttpHeaders>,
): Promise<Judged[]> {
  const out: Judged[] = [];
  for (const check of checks) {
    const auth = check.operation.auth;
    if (auth.kind !== 'authorizer') continue;
    const decision = await authorize(await headersOf(check), gateway[auth.authorizer], auth.scopes, keys);
    out.push({
      kind,
      source,
      check,
      authorizer: harnessAuthorizers[auth.authorizer],
      decision,
      disagreements: disagreements(check.expected, decision),
    });
  }
  return out;
}

const harnessHeaders = (harness: Harness) => async (check: Check) =>
  lowerCased((await harness.requestFor(check)).headers);

/**
 * The plan's `expired` checks (the harness runs them from its token store): each sends the real token of its
 * source, and the gateway decides it one second after that token's exp, as a later run would present it.
 */
async function judgeExpired(
  kind: Kind,
  source: string,
  harness: Harness,
  gateway: Record<string, LocalAuthorizer>,
): Promise<Judged[]> {
  const out: Judged[] = [];
  // As if the store held an expired token of every source.
  const plan = buildPlan(harness.model, harness.outputs, harness.authorizers, { expiredToken: () => undefined });
  for (const check of plan.checks) {
    const auth = check.operation.auth;
    if (check.credential.kind !== 'expired' || auth.kind !== 'authorizer') continue;
    const live: Check = { ...check, credential: { ...check.credential, kind: 'token' } };
    const headers = lowerCased((await harness.requestFor(live)).headers);
    const token = String(headers[check.tokenHeader]).replace(/^Bearer /, '');
    const later = (decodeJwt(token).exp ?? 0) * 1000 + 1000;
    const decision = await authorize(headers, gateway[auth.authorizer], auth.scopes, keys, later);
    out.push({
      kind,
      source,
      check,
      authorizer: harness.authorizers[auth.authorizer],
      decision,
      disagreements: disagreements(check.expected, decision),
    });
  }
  return out;
}

/** Where the document variants are written. */
let dir: string;

/** The pets document with PetsHeaderAuth's identityValidationExpression replaced, written to `dir`. */
async function petsWithExpression(expression: string): Promise<ApiModel> {
  const text = fs.readFileSync(PETS, 'utf8');
  const written = 'identityValidationExpression: "^{{clientId:web}}$"';
  if (!text.includes(written)) throw new Error(`${PETS} no longer holds ${written}`);
  const file = path.join(dir, `pets-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, text.replace(written, `identityValidationExpression: ${JSON.stringify(expression)}`));
  return loadApiModel(file);
}

/** The ids of the user clients other than `except`. */
function userIds(outputs: StackOutputs, except: string): string[] {
  return Object.entries(outputs.clients)
    .filter(([name, c]) => name !== except && isUserClient(c))
    .map(([, c]) => c.id);
}

/** The shortest start of `id` that no other id starts with. */
function distinguishingPrefix(id: string, others: string[]): string {
  for (let length = 1; length <= id.length; length++) {
    const prefix = id.slice(0, length);
    if (!others.some((other) => other.startsWith(prefix))) return prefix;
  }
  throw new Error(`client id ${id} starts another id`);
}

const judged: Judged[] = [];
const stacks: LocalStack[] = [];
const harnesses: Harness[] = [];
let webId: string;
let expressions: { contained: Judged[]; matching: Judged[]; literal: Judged[] };

/** Every check of `document` on its own stack, tokens of `foreign`'s pool as the untrusted ones. */
async function judgeDocument(kind: Kind, stack: LocalStack, foreign: LocalStack): Promise<Harness> {
  const outputs = withForeignPool(stack.outputs, foreign.outputs);
  const harness = await createHarness({ spec: stack.model, outputs });
  harnesses.push(harness);
  const gateway = gatewayAuthorizers(stack.model, stack.outputs);
  judged.push(
    ...(await judgeAll(
      kind,
      path.basename(stack.model.file),
      harness.plan.checks,
      harness.authorizers,
      gateway,
      harnessHeaders(harness),
    )),
    ...(await judgeExpired(kind, path.basename(stack.model.file), harness, gateway)),
  );
  return harness;
}

const PREFIXED: Record<Prefix, (token: string) => string> = {
  raw: (token) => token,
  bearer: (token) => `Bearer ${token}`,
  wrong: (token) => `Token ${token}`,
};

/**
 * The literal case, on a stand-in issuer that signs whatever claims it is asked to: the clients `xabcx` (web)
 * and `abc` under the expressions `abc` and `x.*`, and every check of the harness that sends an ID token.
 */
async function literalExpressions(issuer: TestIssuer, outputs: StackOutputs): Promise<Judged[]> {
  const standIn: StackOutputs = {
    ...outputs,
    user_pool_arn: issuer.arn,
    issuer: issuer.issuer,
    jwks_url: issuer.jwksUrl,
    // A client `abc` that the expression `abc` lets through, so the harness has a valid token to plan from.
    clients: { web: { ...outputs.clients.web, id: 'xabcx' }, other: { ...outputs.clients.web, id: 'abc' } },
    extra_pools: undefined,
  };
  const found: Judged[] = [];
  for (const expression of ['abc', 'x.*']) {
    const model = await petsWithExpression(expression);
    const getPet = { ...model, operations: model.operations.filter((op) => op.id === 'getPet') };
    const bound = bindAuthorizers(getPet, standIn);
    const checks = buildPlan(getPet, standIn, bound).checks.filter(
      (c) => c.credential.kind === 'token' && c.credential.source.kind === 'user' && c.credential.source.token === 'id',
    );
    const headersOf = async (check: Check) => {
      if (check.credential.kind !== 'token') throw new Error(`${check.name} sends no real token`);
      const token = await issuer.idToken({ aud: standIn.clients[check.credential.source.client].id });
      return { [check.tokenHeader]: PREFIXED[check.credential.prefix](token) };
    };
    found.push(
      ...(await judgeAll(
        'rest',
        `pets with ${expression}`,
        checks,
        bound,
        gatewayAuthorizers(getPet, standIn),
        headersOf,
      )),
    );
  }
  return found;
}

let issuer: TestIssuer;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-agreement-'));
  stacks.push(...(await Promise.all([PETS, PETS, HELLO, HELLO].map((spec) => startLocalStack({ spec })))));
  const [pets, otherPets, hello, otherHello] = stacks;
  const petsHarness = await judgeDocument('rest', pets, otherPets);
  await judgeDocument('http', hello, otherHello);

  // identityValidationExpression: the other user clients' ids and a part of the web client's real id, then a
  // start that only the web client's id has.
  webId = pets.outputs.clients.web.id;
  const others = Object.entries(pets.outputs.clients)
    .filter(([name]) => name !== 'web')
    .map(([, c]) => c.id);
  const outputs = withForeignPool(pets.outputs, otherPets.outputs);
  const run = async (expression: string): Promise<Judged[]> => {
    const model = await petsWithExpression(expression);
    const bound = bindAuthorizers(model, outputs);
    const plan = buildPlan(model, outputs, bound);
    const getPet = plan.checks.filter((c) => c.operation.id === 'getPet');
    return judgeAll(
      'rest',
      `pets with ${expression}`,
      getPet,
      bound,
      gatewayAuthorizers(model, pets.outputs),
      harnessHeaders(petsHarness),
    );
  };
  issuer = await startTestIssuer();
  expressions = {
    // partner and spa match whole, so the harness has a valid token; the web client is the one it refuses.
    contained: await run([...userIds(pets.outputs, 'web'), webId.slice(1, -1)].join('|')),
    matching: await run(`${distinguishingPrefix(webId, others)}.*`),
    literal: await literalExpressions(issuer, pets.outputs),
  };
  judged.push(...expressions.contained, ...expressions.matching, ...expressions.literal);
}, 180_000);

afterAll(async () => {
  for (const harness of harnesses) await harness.close().catch(() => undefined);
  await Promise.all(stacks.map((stack) => stack.stop()));
  await issuer?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const describeJudged = (j: Judged) =>
  `${j.source} ${j.check.name} (${j.check.description}): ${j.disagreements.join('; ') || 'agree'}`;

function selected(kind: Kind, selector: Selector): Judged[] {
  return judged.filter((j) => {
    const auth = j.check.operation.auth;
    const scoped = auth.kind === 'authorizer' && auth.scopes.length > 0;
    const validated = j.authorizer.kind === 'cognito_user_pools' && j.authorizer.identityValidation !== undefined;
    return (
      j.kind === kind &&
      j.check.case === selector.case &&
      (selector.scoped === undefined || scoped === selector.scoped) &&
      (selector.validated === undefined || validated === selector.validated)
    );
  });
}

/** Checks that send the ID token of the test user signed in through `client` of the stack's own pool. */
const idTokenOf = (client: string) => (j: Judged) =>
  j.check.credential.kind === 'token' &&
  j.check.credential.source.kind === 'user' &&
  j.check.credential.source.pool === MAIN_POOL &&
  j.check.credential.source.client === client &&
  j.check.credential.source.token === 'id';

describe.each([
  ['REST', 'rest', REST_TABLE, REST_ROWS],
  ['HTTP', 'http', HTTP_TABLE, HTTP_ROWS],
] as const)('%s table of docs/aws-authorizer-semantics.md', (_name, kind, table, rows) => {
  test('every row is covered here, and nothing here names a row the document does not have', () => {
    expect(table.filter((row) => !(row in rows))).toEqual([]);
    expect(Object.keys(rows).filter((row) => !table.includes(row))).toEqual([]);
  });

  test.each(table.filter((row) => typeof rows[row] !== 'string'))(
    'row "%s": the harness and the gateway agree on every check of it',
    (row) => {
      for (const selector of rows[row] as Selector[]) {
        const checks = selected(kind, selector);
        expect({ selector, planned: checks.length > 0 }).toEqual({ selector, planned: true });
        expect(checks.filter((j) => j.disagreements.length > 0).map(describeJudged)).toEqual([]);
      }
    },
  );
});

test('every check the harness plans on both documents is decided by the gateway as the harness expects', () => {
  expect(judged.length).toBeGreaterThan(40);
  expect(judged.filter((j) => j.disagreements.length > 0).map(describeJudged)).toEqual([]);
});

describe('identityValidationExpression is matched against the whole aud by both', () => {
  test("an expression the web client's id only contains: its real ID token is refused by both", () => {
    expect(webId.slice(1, -1).length).toBeGreaterThan(0);
    const web = expressions.contained.filter(idTokenOf('web'));
    expect(web.map((j) => [j.check.case, j.check.expected.status, j.decision.allow])).toEqual([
      ['client-outside-validation', 401, false],
    ]);
  });

  test("an expression matching the web client's whole id: its real ID token passes both, another client's is refused by both", () => {
    const outcomes = (c: CheckCase) =>
      expressions.matching.filter((j) => j.check.case === c).map((j) => [j.check.expected.outcome, j.decision.allow]);
    expect(outcomes('valid-token')).toEqual([['success', true]]);
    expect(outcomes('client-outside-validation')).toEqual([['rejected', false]]);
    expect(expressions.matching.filter((j) => j.disagreements.length > 0).map(describeJudged)).toEqual([]);
  });

  test('"abc" and the client id "xabcx": refused by both; "x.*": passes both', () => {
    const xabcx = expressions.literal.filter(idTokenOf('web'));
    expect(xabcx.map((j) => [j.source, j.check.case, j.check.expected.outcome, j.decision.allow])).toEqual([
      ['pets with abc', 'client-outside-validation', 'rejected', false],
      ['pets with x.*', 'valid-token', 'success', true],
      ['pets with x.*', 'valid-token-bearer', 'success', true],
      ['pets with x.*', 'wrong-prefix', 'rejected', false],
    ]);
  });
});

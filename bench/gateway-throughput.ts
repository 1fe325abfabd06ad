// Gateway throughput (issue 15 items 1, 6 and 7): autocannon (in this process) against two local stacks
// (`gatehouse local`, each its own process): openapi/pets.yaml's REST GET /pets with a valid ID token, without
// one, and its public GET /health (the same mock pipeline without an authorizer); openapi/hello-http.yaml's HTTP
// API aws_proxy GET /hello with one token, and with a token never seen before on every request (minted
// beforehand by 30,000 sign-ins, so minting is not measured). Each is set beside a bare node:http server (its own
// process) answering the same body; GET /pets's bare and GET /health are also sent the authorized run's
// Authorization header, so that one comparison holds the request bytes equal. The servers' CPU per request
// (user + system, /proc) is read beside each throughput, and each reply's header bytes. 127.0.0.1 only. Each scenario is warmed up once (not counted), then the
// scenarios run in ROUNDS interleaved rounds and the median round is reported: the cores are shared, and
// interleaving spreads other work evenly over the scenarios. The hello stack's RSS is read at start, after the
// sign-ins and after the loads (item 7). Where the time goes: bench/gateway-profile.ts.
// Run: npx tsx bench/gateway-throughput.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon is CommonJS with `export =` typings
import autocannon = require('autocannon');
import { startServerlessOffline, type PeerServer } from './peers/serverless-offline';
import { startServer, waitFor, type Server } from './lib/child';
import { clientNames, createUser, deleteUser, localCognitoClient, signIn } from './lib/cognito-tokens';
import { startStackChild, type StackChild } from './lib/local-stack-child';
import { cpuTimes, cpuUsPerRequest, replyBytes, type ReplyBytes } from './lib/process-cpu';
import { rssMiB } from './lib/process-stats';
import { report, runMain, type Figure } from './lib/report';
import { signInMany, signInTarget } from './lib/sign-in-load';
import { percentile, round } from './lib/stats';

const SPEC = 'openapi/pets.yaml';
const LAMBDA_SPEC = 'openapi/hello-http.yaml';
const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_THROUGHPUT_SECONDS || 5);
const WARMUP_S = 1;
const ROUNDS = Number(process.env.BENCH_THROUGHPUT_ROUNDS || 3);
/** Item 7: sign-ins before the loads; their ID tokens are the fresh tokens of item 6. */
const SIGN_INS = Number(process.env.BENCH_THROUGHPUT_SIGN_INS || 30_000);
const SIGN_IN_CONCURRENCY = 50;
/** Fresh tokens per counted round (and half as many to warm up): what 30,000 sign-ins leave, split. */
const FRESH_PER_ROUND = Math.floor(SIGN_INS / (ROUNDS + 0.5));
const FRESH_WARMUP = FRESH_PER_ROUND >> 1;

/** Issue 15 item 1. */
const VS_NO_AUTHORIZER_PERCENT = 90;
const VS_BARE_PERCENT = 65;
const P99_VS_BARE = 2;
/** Issue 15 item 6. */
const LAMBDA_VS_BARE_PERCENT = 50;
const FRESH_TOKENS_PER_S = 10_000;
/** Issue 15 item 7. */
const RSS_GROWTH = 2;

/** Issue 15's peer (bench/peers/serverless-offline.ts); BENCH_PEERS=0 leaves it out. */
const PEERS = process.env.BENCH_PEERS !== '0';
const SERVERLESS_OFFLINE_NOTE =
  'serverless-offline 13 with serverless 3 (end of life; 14 needs serverless 4, whose npm package downloads the ' +
  'framework from outside npm and asks for a login), the same route and handler, run in-process (--useInProcess) ' +
  'as the local stack runs it. It starts its jwt authorizer only with --ignoreJWTSignature and then checks no ' +
  "signature: see the 'alg: none' and tampered-payload rows";

interface Scenario {
  name: string;
  url: string;
  headers: Record<string, string>;
  expectedStatus: number;
  /** The server process answering, whose CPU time per request is read from /proc. */
  pid?: number;
  /** A new header set per request, and at most this many requests (fresh tokens): see freshTokens(). */
  perRequest?: { headers: () => Record<string, string>; amount: number };
}

interface ScenarioResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  total: number;
  errors: number;
  timeouts: number;
  /** Answers with another status than the scenario's (e.g. a 401 in the authorized run). */
  unexpectedStatus: number;
  statusCodes: Record<string, number>;
  /** The server's user + system CPU per request (null where /proc cannot be read). */
  cpuUsPerRequest: number | null;
}

async function load(scenario: Scenario, seconds: number, amount?: number): Promise<ScenarioResult> {
  const perRequest = scenario.perRequest;
  const cpuBefore = scenario.pid === undefined ? null : cpuTimes(scenario.pid);
  const started = performance.now();
  const result = await autocannon({
    url: scenario.url,
    connections: CONNECTIONS,
    ...(perRequest
      ? {
          amount: amount ?? perRequest.amount,
          // autocannon ends a fixed amount at its next sample tick and reports that as its duration, rounded up
          // to whole seconds by default (8,571 requests over 1.2 s read as 2,848 req/s): tick every 10 ms.
          sampleInt: 10,
          requests: [
            { setupRequest: (request) => ({ ...request, headers: { ...request.headers, ...perRequest.headers() } }) },
          ],
        }
      : { duration: seconds }),
    headers: scenario.headers,
  });
  const elapsedMs = performance.now() - started;
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
  );
  const answered = Object.values(statusCodes).reduce((sum, n) => sum + n, 0);
  return {
    name: scenario.name,
    // A run of a fixed amount: its total over the wall time to within a 10 ms tick of its last answer.
    requestsPerSecond: round(perRequest ? (result.requests.total * 1000) / elapsedMs : result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    total: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    unexpectedStatus: answered - (statusCodes[String(scenario.expectedStatus)] ?? 0),
    statusCodes,
    cpuUsPerRequest: (() => {
      const us = cpuUsPerRequest(cpuBefore, scenario.pid === undefined ? null : cpuTimes(scenario.pid), answered);
      return us === null ? null : round(us, 1);
    })(),
  };
}

async function startBareServer(
  body: string,
  contentType: string,
): Promise<{ server: Server; url: string; pid?: number }> {
  let output = '';
  const server = startServer('node', ['--require', 'tsx/cjs', 'bench/lib/bare-server.ts'], {
    env: { ...process.env, BARE_BODY: body, BARE_CONTENT_TYPE: contentType, BARE_STATUS: '200' },
    onOutput: (text) => (output += text),
  });
  await waitFor('the bare server to listen', () => /listening on (http:\S+)/.test(output), 30000);
  return { server, url: /listening on (http:\S+)/.exec(output)![1], pid: server.child.pid };
}

/** A token no pool signed (`alg: none`, the real claims) and the real token with one claim changed. */
function forgedTokens(token: string): { algNone: string; tampered: string } {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const algNone = `${encode({ ...JSON.parse(Buffer.from(header, 'base64url').toString('utf8')), alg: 'none' })}.${payload}.`;
  return { algNone, tampered: `${header}.${encode({ ...claims, 'cognito:username': 'mallory' })}.${signature}` };
}

/** Hands out each token once; past the last one, no token (the request then counts as an unexpected status). */
function freshTokens(tokens: string[]): () => Record<string, string> {
  let next = 0;
  return (): Record<string, string> => (next < tokens.length ? { authorization: tokens[next++] } : {});
}

function stackRss(stack: StackChild): number | null {
  const pid = stack.server.child.pid;
  return pid === undefined ? null : rssMiB(pid);
}

export async function main(): Promise<void> {
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-throughput-'));
  const stack = await startStackChild(SPEC, path.join(workDir, 'outputs.json'));
  let lambdaStack: StackChild | undefined;
  const cognito = localCognitoClient(stack.outputs);
  const user = await createUser(cognito, stack.outputs);
  const bares: { server: Server; url: string }[] = [];
  let peer: PeerServer | undefined;
  let lambdaCognito: ReturnType<typeof localCognitoClient> | undefined;
  let lambdaUser: Awaited<ReturnType<typeof createUser>> | undefined;
  try {
    lambdaStack = await startStackChild(LAMBDA_SPEC, path.join(workDir, 'hello-outputs.json'));
    const rssAtStart = stackRss(lambdaStack);
    const { idToken } = await signIn(cognito, stack.outputs, clientNames(stack.outputs).user, user);
    const petsUrl = `${stack.outputs.api_url}/pets`;
    const probe = await fetch(petsUrl, { headers: { authorization: idToken } });
    const body = await probe.text();
    if (probe.status !== 200)
      throw new Error(`GET ${petsUrl} with a valid ID token answered ${probe.status}: ${body.slice(0, 200)}`);
    const contentType = probe.headers.get('content-type') ?? 'application/json';
    const bare = await startBareServer(body, contentType);
    bares.push(bare);
    const healthUrl = `${stack.outputs.api_url}/health`;

    lambdaCognito = localCognitoClient(lambdaStack.outputs);
    lambdaUser = await createUser(lambdaCognito, lambdaStack.outputs);
    const lambdaClient = clientNames(lambdaStack.outputs).user;
    const signInStarted = performance.now();
    const minted = await signInMany(
      signInTarget(lambdaStack.outputs, lambdaClient, lambdaUser),
      SIGN_INS,
      SIGN_IN_CONCURRENCY,
    );
    const signInSeconds = (performance.now() - signInStarted) / 1000;
    const rssAfterSignIns = stackRss(lambdaStack);
    process.stdout.write(
      `${minted.length} sign-ins in ${signInSeconds.toFixed(0)} s; hello stack RSS ${rssAtStart?.toFixed(0)} -> ${rssAfterSignIns?.toFixed(0)} MiB\n`,
    );
    const [helloToken, ...fresh] = minted;
    const helloUrl = `${lambdaStack.outputs.api_url}/hello`;
    const helloProbe = await fetch(helloUrl, { headers: { authorization: helloToken } });
    const helloBody = await helloProbe.text();
    if (helloProbe.status !== 200)
      throw new Error(
        `GET ${helloUrl} with a valid ID token answered ${helloProbe.status}: ${helloBody.slice(0, 200)}`,
      );
    const helloBare = await startBareServer(helloBody, helloProbe.headers.get('content-type') ?? 'text/plain');
    bares.push(helloBare);
    if (PEERS) {
      peer = await startServerlessOffline({
        issuer: lambdaStack.outputs.issuer,
        audience: Object.values(lambdaStack.outputs.clients).map((c) => c.id),
      });
      process.stdout.write(`peer: ${peer.version} at ${peer.url}\n`);
    }
    const peerUrl = peer ? `${peer.url}/hello` : undefined;
    // What each answers to a token no pool signed: `alg: none`, and a real token with its payload changed.
    const forged = forgedTokens(helloToken);
    const forgedStatus = async (url: string | undefined, token: string) =>
      url === undefined ? null : (await fetch(url, { headers: { authorization: token } })).status;
    const forgedAnswers = {
      gatewayAlgNone: await forgedStatus(helloUrl, forged.algNone),
      gatewayTampered: await forgedStatus(helloUrl, forged.tampered),
      peerAlgNone: await forgedStatus(peerUrl, forged.algNone),
      peerTampered: await forgedStatus(peerUrl, forged.tampered),
    };

    const petsPid = stack.server.child.pid;
    const helloPid = lambdaStack.server.child.pid;
    // What a client reads per request, here and from bare: the status line and headers, the body.
    const replies: Record<string, ReplyBytes> = {
      'bare, /pets body': await replyBytes(`${bare.url}/pets`, {}),
      'gateway, authorized GET /pets': await replyBytes(petsUrl, { authorization: idToken }),
      'bare, /hello body': await replyBytes(`${helloBare.url}/hello`, {}),
      'gateway, GET /hello, one token': await replyBytes(helloUrl, { authorization: helloToken }),
    };
    const warmupTokens = fresh.slice(0, FRESH_WARMUP);
    const roundTokens = fresh.slice(FRESH_WARMUP);
    const freshScenario = (tokens: string[], amount: number): Scenario => ({
      name: 'gateway, HTTP API aws_proxy GET /hello, a fresh token per request',
      url: helloUrl,
      headers: {},
      expectedStatus: 200,
      pid: helloPid,
      perRequest: { headers: freshTokens(tokens), amount },
    });
    // One hand-out for all rounds, so no token is sent twice.
    const freshRounds = freshScenario(roundTokens, Math.min(FRESH_PER_ROUND, Math.floor(roundTokens.length / ROUNDS)));

    const scenarios: Scenario[] = [
      { name: 'bare node:http server', url: `${bare.url}/pets`, headers: {}, expectedStatus: 200, pid: bare.pid },
      {
        name: 'gateway, authorized GET /pets',
        url: petsUrl,
        headers: { authorization: idToken },
        expectedStatus: 200,
        pid: petsPid,
      },
      { name: 'gateway, unauthorized GET /pets', url: petsUrl, headers: {}, expectedStatus: 401, pid: petsPid },
      {
        name: 'gateway, public GET /health (no authorizer)',
        url: healthUrl,
        headers: {},
        expectedStatus: 200,
        pid: petsPid,
      },
      {
        name: 'bare node:http server, /hello body',
        url: `${helloBare.url}/hello`,
        headers: {},
        expectedStatus: 200,
        pid: helloBare.pid,
      },
      {
        name: 'gateway, HTTP API aws_proxy GET /hello, one token',
        url: helloUrl,
        headers: { authorization: helloToken },
        expectedStatus: 200,
        pid: helloPid,
      },
      freshRounds,
      // The same requests as the authorized run (its ~1 kB Authorization header), where nothing checks the
      // token: receiving and parsing a larger request is no part of the token check, nor of the gateway.
      {
        name: 'bare node:http server, with the Authorization header',
        url: `${bare.url}/pets`,
        headers: { authorization: idToken },
        expectedStatus: 200,
        pid: bare.pid,
      },
      {
        name: 'gateway, public GET /health with the Authorization header',
        url: healthUrl,
        headers: { authorization: idToken },
        expectedStatus: 200,
        pid: petsPid,
      },
      ...(peer && peerUrl
        ? [
            {
              name: 'serverless-offline, GET /hello, one token',
              url: peerUrl,
              headers: { authorization: helloToken },
              expectedStatus: 200,
              pid: peer.pid,
            },
            {
              ...freshScenario(roundTokens, freshRounds.perRequest!.amount),
              name: 'serverless-offline, GET /hello, a fresh token per request',
              url: peerUrl,
              pid: peer.pid,
            },
          ]
        : []),
    ];
    for (const scenario of scenarios)
      await (scenario.perRequest
        ? load(
            { ...scenario, perRequest: { headers: freshTokens(warmupTokens), amount: warmupTokens.length } },
            WARMUP_S,
          )
        : load(scenario, WARMUP_S));
    const rounds: ScenarioResult[][] = scenarios.map(() => []);
    for (let r = 0; r < ROUNDS; r++)
      for (const [i, scenario] of scenarios.entries()) {
        const result = await load(scenario, DURATION_S);
        rounds[i].push(result);
        process.stdout.write(
          `round ${r + 1}, ${scenario.name}: ${result.requestsPerSecond} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, server CPU ${result.cpuUsPerRequest} µs/request (${result.total} requests, ${result.errors} errors, ${result.unexpectedStatus} unexpected status)\n`,
        );
      }
    const rssAfterLoads = stackRss(lambdaStack);
    // The median round by throughput, so a scenario's figures come from one run; errors from all rounds.
    const results = rounds.map((runs) => {
      const medianRun = runs.find(
        (r) =>
          r.requestsPerSecond ===
          percentile(
            runs.map((x) => x.requestsPerSecond),
            50,
          ),
      )!;
      return {
        ...medianRun,
        errors: runs.reduce((n, r) => n + r.errors, 0),
        timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
        unexpectedStatus: runs.reduce((n, r) => n + r.unexpectedStatus, 0),
      };
    });
    const [
      bareResult,
      authorized,
      unauthorized,
      publicRoute,
      helloBareResult,
      helloCached,
      helloFresh,
      bareSameRequest,
      publicSameRequest,
      peerCached,
      peerFresh,
    ] = results as (ScenarioResult | undefined)[] as ScenarioResult[];
    const percentOf = (r: ScenarioResult, base: ScenarioResult) =>
      round((100 * r.requestsPerSecond) / base.requestsPerSecond, 1);
    const cpuPercentOf = (base: ScenarioResult, r: ScenarioResult) =>
      base.cpuUsPerRequest === null || !r.cpuUsPerRequest
        ? null
        : round((100 * base.cpuUsPerRequest) / r.cpuUsPerRequest, 1);
    const figures: Figure[] = [];
    for (const r of results)
      figures.push(
        { name: `${r.name}: throughput`, value: r.requestsPerSecond, unit: 'req/s' },
        { name: `${r.name}: p50 latency`, value: r.p50Ms, unit: 'ms' },
        { name: `${r.name}: p99 latency`, value: r.p99Ms, unit: 'ms' },
        { name: `${r.name}: server CPU (user + system) per request`, value: r.cpuUsPerRequest, unit: 'µs' },
        {
          name: `${r.name}: errors, timeouts and unexpected statuses`,
          value: r.errors + r.timeouts + r.unexpectedStatus,
          unit: '',
          target: { op: '<=', value: 0 },
        },
      );
    figures.push(
      {
        id: '15.1.authorized-vs-unauthorized',
        name: 'authorized GET /pets, % of the same pipeline without an authorizer (public GET /health)',
        value: percentOf(authorized, publicRoute),
        unit: '%',
        target: { op: '>=', value: VS_NO_AUTHORIZER_PERCENT },
        note:
          'GET /health is the same mock pipeline (request template, integration response) with security: []; ' +
          'the gap is the token check (cached: a Map lookup by the signature end, the whole token compared, ' +
          'then exp/nbf/iat against the clock, token_use/scopes and the client rule per request) and receiving ' +
          'and parsing the ~1 kB Authorization header (kernel and llhttp), which the next figure leaves out',
      },
      {
        name: 'authorized GET /pets, % of public GET /health sent the same Authorization header',
        value: percentOf(authorized, publicSameRequest),
        unit: '%',
        note: 'the same request bytes on both routes: the gap is the token check alone',
      },
      {
        name: 'authorized GET /pets, % of bare sent the same Authorization header',
        value: percentOf(authorized, bareSameRequest),
        unit: '%',
        note: 'bare answers the same, unchanged; only the request carries the token, as the authorized one does',
      },
      {
        name: "authorized GET /pets: bare's server CPU per request (same Authorization header), % of the gateway's",
        value: cpuPercentOf(bareSameRequest, authorized),
        unit: '%',
      },
      {
        id: '15.1.authorized-vs-bare',
        name: 'authorized GET /pets, % of bare',
        value: percentOf(authorized, bareResult),
        unit: '%',
        target: { op: '>=', value: VS_BARE_PERCENT },
      },
      {
        id: '15.1.p99-vs-bare',
        name: "authorized GET /pets p99, times bare's p99",
        value: round(authorized.p99Ms / Math.max(bareResult.p99Ms, 1), 2),
        unit: 'x',
        target: { op: '<=', value: P99_VS_BARE },
      },
      {
        name: "authorized GET /pets: bare's server CPU per request, % of the gateway's",
        value: cpuPercentOf(bareResult, authorized),
        unit: '%',
        note:
          'the same comparison by CPU time, which the other work on shared cores disturbs less than throughput ' +
          '(a throughput ratio also moves with how much of a core the load generator leaves each server)',
      },
      {
        name: "HTTP API aws_proxy GET /hello: bare's server CPU per request, % of the gateway's",
        value: cpuPercentOf(helloBareResult, helloCached),
        unit: '%',
      },
      ...Object.entries(replies).flatMap(([who, reply]): Figure[] => [
        {
          name: `reply of ${who}: status line and headers`,
          value: reply.headerBytes,
          unit: 'bytes',
          note: `${reply.headerLines} header lines: ${reply.names.join(', ')}`,
        },
        { name: `reply of ${who}: body`, value: reply.bodyBytes, unit: 'bytes' },
      ]),
      { name: 'unauthorized GET /pets (401), % of bare', value: percentOf(unauthorized, bareResult), unit: '%' },
      { name: 'public GET /health, % of bare', value: percentOf(publicRoute, bareResult), unit: '%' },
      {
        id: '15.6.lambda-route-vs-bare',
        name: 'HTTP API aws_proxy GET /hello (one token), % of bare',
        value: percentOf(helloCached, helloBareResult),
        unit: '%',
        target: { op: '>=', value: LAMBDA_VS_BARE_PERCENT },
        note: 'the handler (lambda/hello) runs in the gateway process, as the local stack runs functions',
      },
      {
        id: '15.6.fresh-tokens',
        name: 'HTTP API aws_proxy GET /hello, a token never seen before on every request',
        value: helloFresh.requestsPerSecond,
        unit: 'req/s',
        target: { op: '>=', value: FRESH_TOKENS_PER_S },
        note:
          `${freshRounds.perRequest!.amount} requests per round, each with its own ID token from the sign-ins, ` +
          'so every one is an RS256 verification (node:crypto, synchronous; ~56 µs of CPU each on an idle core, ' +
          'the floor of this figure). An absolute rate: on a loaded machine read it with the load and the ratio below',
      },
      {
        name: 'fresh tokens, % of bare',
        value: percentOf(helloFresh, helloBareResult),
        unit: '%',
      },
      {
        name: 'serverless-offline, GET /hello, one token',
        value: peerCached?.requestsPerSecond ?? null,
        unit: 'req/s',
        note: peer ? SERVERLESS_OFFLINE_NOTE : 'left out (BENCH_PEERS=0)',
      },
      {
        name: 'serverless-offline, GET /hello, one token, % of bare',
        value: peerCached ? percentOf(peerCached, helloBareResult) : null,
        unit: '%',
      },
      {
        name: 'serverless-offline, GET /hello, fresh tokens',
        value: peerFresh?.requestsPerSecond ?? null,
        unit: 'req/s',
      },
      {
        name: 'serverless-offline, GET /hello, fresh tokens, % of bare',
        value: peerFresh ? percentOf(peerFresh, helloBareResult) : null,
        unit: '%',
      },
      { name: "gateway, GET /hello with an 'alg: none' token: status", value: forgedAnswers.gatewayAlgNone, unit: '' },
      { name: 'gateway, GET /hello with a tampered payload: status', value: forgedAnswers.gatewayTampered, unit: '' },
      {
        name: "serverless-offline, GET /hello with an 'alg: none' token: status",
        value: forgedAnswers.peerAlgNone,
        unit: '',
      },
      {
        name: 'serverless-offline, GET /hello with a tampered payload: status',
        value: forgedAnswers.peerTampered,
        unit: '',
      },
      { name: 'hello stack RSS at start', value: rssAtStart === null ? null : round(rssAtStart, 0), unit: 'MiB' },
      {
        name: `hello stack RSS after ${minted.length} sign-ins`,
        value: rssAfterSignIns === null ? null : round(rssAfterSignIns, 0),
        unit: 'MiB',
      },
      {
        name: 'hello stack RSS after the sign-ins and the loads',
        value: rssAfterLoads === null ? null : round(rssAfterLoads, 0),
        unit: 'MiB',
      },
      {
        id: '15.7.rss-growth',
        name: `hello stack RSS after ${minted.length} sign-ins and the loads, times its RSS at start`,
        value: rssAtStart === null || rssAfterLoads === null ? null : round(rssAfterLoads / rssAtStart, 2),
        unit: 'x',
        target: { op: '<=', value: RSS_GROWTH },
        note: 'the local stack (local Cognito and gateway, one process) read from /proc/<pid>/status VmRSS',
      },
    );
    report(
      'gateway-throughput',
      `Gateway throughput: ${CONNECTIONS} connections, ${DURATION_S} s per run (fresh tokens: a fixed amount), median of ${ROUNDS} interleaved rounds, 127.0.0.1 (latency resolution: 1 ms)`,
      startedAt,
      figures,
      {
        spec: SPEC,
        lambdaSpec: LAMBDA_SPEC,
        connections: CONNECTIONS,
        durationSeconds: DURATION_S,
        warmupSeconds: WARMUP_S,
        signIns: { asked: SIGN_INS, minted: minted.length, seconds: round(signInSeconds, 1) },
        rssMiB: { atStart: rssAtStart, afterSignIns: rssAfterSignIns, afterLoads: rssAfterLoads },
        rounds,
        bodyBytes: Buffer.byteLength(body),
        replies,
        results,
        peer: peer?.version ?? null,
        forgedAnswers,
      },
    );
  } finally {
    await deleteUser(cognito, stack.outputs, user).catch(() => undefined);
    if (lambdaCognito && lambdaUser && lambdaStack)
      await deleteUser(lambdaCognito, lambdaStack.outputs, lambdaUser).catch(() => undefined);
    for (const bare of bares) await bare.server.stop();
    await peer?.stop();
    await lambdaStack?.stop();
    await stack.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

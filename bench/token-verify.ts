// CPU per token of the gateway's fresh-token check (issue 15 target 6b), in one process and without HTTP:
// authorize() of hello-http's jwt authorizer on Cognito-shaped ID tokens (unique jti, event_id and origin_jti,
// as sign-ins mint them) against a stand-in issuer's JWKS on 127.0.0.1, on a KeyStore with its default limits.
// Phases: a warm-up (JIT); fresh tokens, each seen once (target 6b's load: none is remembered); then tokens
// each sent twice (the cache takes a token at its second verification), first filling the cache, then with
// it full, so that each second sighting evicts the oldest entry. Beside them: node:crypto's verify alone (the
// floor), the strict parse alone, and a token already remembered (the cached path, issue 15 target 1).
// CPU is process.cpuUsage (user+sys, so GC helper threads count) and GC pause time from perf_hooks, both per
// call; each figure is the least of ROUNDS runs, the one the machine's other work disturbed least.
// Run: npx tsx bench/token-verify.ts (BENCH_TOKEN_FILL, BENCH_TOKEN_MEASURED, BENCH_TOKEN_ROUNDS shorten it)
import { createPublicKey, randomUUID, verify, type JsonWebKey } from 'node:crypto';
import { PerformanceObserver } from 'node:perf_hooks';
import { authorize, type LocalJwtAuthorizer } from '../local/gateway/authorizer';
import { parseCompactJws } from '../local/gateway/jws';
import { KeyStore } from '../local/gateway/key-store';
import { startTestIssuer, type TestIssuer } from '../local/gateway/test-support';
import { report, runMain, type Figure } from './lib/report';
import { round } from './lib/stats';

/** The KeyStore's default verifiedTokenLimit: this many tokens fill its cache. */
const FILL = Number(process.env.BENCH_TOKEN_FILL || 10_000);
/** Tokens per measured run. */
const MEASURED = Number(process.env.BENCH_TOKEN_MEASURED || 5_000);
const WARMUP = 1_000;
const ROUNDS = Number(process.env.BENCH_TOKEN_ROUNDS || 5);
const CACHED_CALLS = 100_000;
const MINT_CONCURRENCY = 64;
/** The `GET /hello` authorizer of openapi/hello-http.yaml, as bound against the stand-in issuer. */
const AUDIENCE = 'web-client-id';

interface Cost {
  cpuUs: number;
  gcUs: number;
}

let gcMs = 0;
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
});

/** CPU and GC pause per item of fn's work over `count` items (fn runs them all). */
async function measure(count: number, fn: () => unknown): Promise<Cost> {
  const gcBefore = gcMs;
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  // GC entries are delivered asynchronously: let the observer catch up before reading.
  await new Promise((resolve) => setImmediate(resolve));
  return { cpuUs: (used.user + used.system) / count, gcUs: ((gcMs - gcBefore) * 1000) / count };
}

async function best(rounds: number, run: () => Promise<Cost>): Promise<Cost> {
  const costs: Cost[] = [];
  for (let r = 0; r < rounds; r++) costs.push(await run());
  return costs.reduce((a, b) => (b.cpuUs < a.cpuUs ? b : a));
}

async function mint(issuer: TestIssuer, count: number): Promise<string[]> {
  const tokens: string[] = [];
  while (tokens.length < count) {
    const batch = Math.min(MINT_CONCURRENCY, count - tokens.length);
    tokens.push(
      ...(await Promise.all(
        Array.from({ length: batch }, async () =>
          // Flat, as node:http hands a header value over (jose's is a concatenation, slower to scan).
          Buffer.from(
            await issuer.idToken({ jti: randomUUID(), event_id: randomUUID(), origin_jti: randomUUID() }),
            'latin1',
          ).toString('latin1'),
        ),
      )),
    );
  }
  return tokens;
}

export async function main(): Promise<void> {
  const startedAt = new Date();
  const issuer = await startTestIssuer();
  gcObserver.observe({ entryTypes: ['gc'] });
  try {
    const authorizer: LocalJwtAuthorizer = {
      kind: 'jwt',
      name: 'cognito',
      pointer: '#/components/securitySchemes/cognito',
      tokenHeader: 'authorization',
      issuer: issuer.issuer,
      audience: [AUDIENCE],
      jwksUrl: issuer.jwksUrl,
    };
    const mintStarted = performance.now();
    const tokens = await mint(issuer, WARMUP + MEASURED * ROUNDS + FILL + MEASURED);
    process.stdout.write(
      `${tokens.length} tokens minted in ${((performance.now() - mintStarted) / 1000).toFixed(0)} s\n`,
    );
    const warmup = tokens.splice(0, WARMUP);
    const fresh = tokens.splice(0, MEASURED * ROUNDS);
    const fill = tokens.splice(0, FILL);
    const twiceWithCacheFull = tokens.splice(0, MEASURED);

    let refused = 0;
    const authorizeAll = async (keys: KeyStore, batch: readonly string[], times = 1) => {
      for (const token of batch)
        for (let i = 0; i < times; i++) {
          const decision = await authorize({ authorization: token }, authorizer, [], keys, Date.now());
          if (!decision.allow) refused++;
        }
    };

    await authorizeAll(new KeyStore(), warmup);
    const keys = new KeyStore();
    const seenOnce = await best(ROUNDS, () => {
      const batch = fresh.splice(0, MEASURED);
      return measure(batch.length, () => authorizeAll(keys, batch));
    });
    const rememberedFresh = keys.rememberedTokens;
    const filling = await measure(fill.length * 2, () => authorizeAll(keys, fill, 2));
    const evicting = await measure(twiceWithCacheFull.length * 2, () => authorizeAll(keys, twiceWithCacheFull, 2));
    const remembered = keys.rememberedTokens;

    // The parts, on tokens of the same shape, read and verified directly (not through the store). The cached
    // path's token is the last one filled, which the evictions left in the cache.
    const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: (JsonWebKey & { kid: string })[] };
    const sample = fill.slice(-MEASURED);
    const kid = parseCompactJws(sample[0])!.header.kid;
    const key = createPublicKey({ key: jwks.keys.find((k) => k.kid === kid)!, format: 'jwk' });
    const rsa = await best(ROUNDS, () =>
      measure(sample.length, () => {
        for (const token of sample) {
          const dot = token.lastIndexOf('.');
          const input = Buffer.from(token.slice(0, dot), 'latin1');
          if (!verify('sha256', input, key, Buffer.from(token.slice(dot + 1), 'base64url'))) refused++;
        }
      }),
    );
    const parse = await best(ROUNDS, () =>
      measure(sample.length, () => {
        for (const token of sample) if (!parseCompactJws(token)) refused++;
      }),
    );
    const one = sample[sample.length - 1];
    const cached = await best(ROUNDS, () =>
      measure(CACHED_CALLS, async () => {
        for (let i = 0; i < CACHED_CALLS; i++) {
          const decision = await authorize({ authorization: one }, authorizer, [], keys, Date.now());
          if (!decision.allow) refused++;
        }
      }),
    );
    if (refused > 0) throw new Error(`${refused} valid tokens were refused`);

    const figures: Figure[] = [
      {
        name: 'fresh token (each seen once): authorize() CPU per token',
        value: round(seenOnce.cpuUs, 1),
        unit: 'µs',
        note: `least of ${ROUNDS} runs of ${MEASURED} tokens; ${rememberedFresh} of them remembered`,
      },
      { name: 'fresh token: GC pause per token', value: round(seenOnce.gcUs, 1), unit: 'µs' },
      {
        name: 'fresh token: authorize() minus the signature, CPU per token',
        value: round(seenOnce.cpuUs - rsa.cpuUs, 1),
        unit: 'µs',
        note: 'decoding, the header and claim checks, the key lookup, marking the token seen',
      },
      {
        name: 'RS256 signature alone: node:crypto verify (the floor of the above)',
        value: round(rsa.cpuUs, 1),
        unit: 'µs',
      },
      { name: 'strict parse alone (parseCompactJws)', value: round(parse.cpuUs, 1), unit: 'µs' },
      {
        name: `tokens sent twice, filling the cache (0 -> ${FILL}): authorize() CPU per call`,
        value: round(filling.cpuUs, 1),
        unit: 'µs',
        note: 'both calls verify; the second remembers the token. One run',
      },
      {
        name: 'tokens sent twice, the cache full (each second call evicts the oldest): authorize() CPU per call',
        value: round(evicting.cpuUs, 1),
        unit: 'µs',
        note: `one run of ${MEASURED} tokens; the cache held ${remembered} tokens after it`,
      },
      { name: 'tokens sent twice, the cache full: GC pause per call', value: round(evicting.gcUs, 1), unit: 'µs' },
      {
        name: 'cached token (one token, remembered): authorize() CPU per call',
        value: round(cached.cpuUs, 2),
        unit: 'µs',
      },
    ];
    report(
      'token-verify',
      `Fresh-token check, one process, no HTTP: ${WARMUP} warm-up, ${ROUNDS} x ${MEASURED} fresh tokens, ${FILL} + ${MEASURED} tokens sent twice`,
      startedAt,
      figures,
      {
        fill: FILL,
        measured: MEASURED,
        rounds: ROUNDS,
        tokenChars: sample[0].length,
        filling,
        evicting,
        rsa,
        parse,
        cached,
      },
    );
  } finally {
    gcObserver.disconnect();
    await issuer.stop();
  }
}

if (require.main === module) runMain(main);

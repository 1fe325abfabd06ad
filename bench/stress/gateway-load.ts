// The gateway under load with tokens of several kinds at once: autocannon (in this process) cycles every
// connection through the token list and each answer is counted against the token it carried. A forged
// token answered 2xx is a false accept; a valid one answered anything else is an error.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon is CommonJS with `export =` typings
import autocannon = require('autocannon');

/**
 * autocannon's request sequence with a callback per answer, and its timeout: options autocannon has but
 * bench/types/autocannon.d.ts does not declare (an `export =` module's interfaces cannot be merged into).
 */
interface SequenceOptions {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: { method: string; path: string; headers: Record<string, string>; onResponse: (status: number) => void }[];
}

type AutocannonOptions = Parameters<typeof autocannon>[0];

export interface LoadToken {
  kind: string;
  token: string;
  valid: boolean;
}

export interface KindCount {
  answered: number;
  accepted: number;
  statuses: Record<string, number>;
}

export interface LoadResult {
  name: string;
  sent: number;
  answered: number;
  falseAccepts: number;
  /** Valid tokens refused, connection errors and timeouts. */
  errors: number;
  /** Connection errors and timeouts alone. */
  transportErrors: number;
  /** Valid tokens answered with anything but 2xx. */
  refusedValid: number;
  byKind: Record<string, KindCount>;
  requestsPerSecond: number;
  p99Ms: number;
}

export async function loadWithTokens(
  name: string,
  url: string,
  tokens: LoadToken[],
  options: { connections: number; durationS: number },
): Promise<LoadResult> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') throw new Error(`the stress suite runs on 127.0.0.1 only, not ${target.host}`);
  const byKind: Record<string, KindCount> = {};
  for (const t of tokens) byKind[t.kind] = { answered: 0, accepted: 0, statuses: {} };
  const sequence: SequenceOptions = {
    url: target.origin,
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
    requests: tokens.map((t) => ({
      method: 'GET',
      path: target.pathname + target.search,
      headers: { authorization: t.token },
      onResponse: (status: number) => {
        const count = byKind[t.kind];
        count.answered++;
        count.statuses[status] = (count.statuses[status] ?? 0) + 1;
        if (status >= 200 && status < 300) count.accepted++;
      },
    })),
  };
  const result = await autocannon(sequence as AutocannonOptions);
  let falseAccepts = 0;
  let refusedValid = 0;
  let answered = 0;
  for (const t of tokens) {
    const count = byKind[t.kind];
    answered += count.answered;
    if (t.valid) refusedValid += count.answered - count.accepted;
    else falseAccepts += count.accepted;
  }
  return {
    name,
    sent: result.requests.sent,
    answered,
    falseAccepts,
    errors: refusedValid + result.errors + result.timeouts,
    transportErrors: result.errors + result.timeouts,
    refusedValid,
    byKind,
    requestsPerSecond: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
  };
}

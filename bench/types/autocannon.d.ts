// The parts of autocannon's programmatic API the throughput bench uses; autocannon ships no type
// declarations and @types/autocannon lags its releases.
declare module 'autocannon' {
  interface RequestParams {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
  }
  interface Options {
    url: string;
    connections: number;
    duration?: number;
    /** Stop after this many requests instead of after `duration`. */
    amount?: number;
    /** Per-request hooks: `setupRequest` may change each request (a new token on every request). */
    requests?: { setupRequest?: (request: RequestParams) => RequestParams }[];
    method?: string;
    headers?: Record<string, string>;
    /** ms between samples (default 1000); a run of a fixed amount ends at the first tick after its last answer. */
    sampleInt?: number;
    /** Record the latency of non-2xx answers too (default false = included). */
    excludeErrorStats?: boolean;
  }
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
    total: number;
  }
  interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    statusCodeStats: Record<string, { count: number }>;
    latency: Histogram;
    requests: Histogram & { sent: number };
    throughput: Histogram;
  }
  function autocannon(options: Options): Promise<Result>;
  export = autocannon;
}

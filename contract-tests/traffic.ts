// What one run sends, counted where every request goes out (http.ts, which the Cognito SDK client sends
// through too, sdk-http-handler.ts): each attempt by action (the Cognito operation, the token endpoint, the
// API), and the retries throttling caused. Against AWS the Cognito figures are what its request-rate quotas
// count, so a run's Cognito calls must not grow with the number of operations it checks.

/** The action of every request to the API under test (everything else is Cognito's). */
export const API_ACTION = 'API';

export interface TrafficCounts {
  /** Requests sent to Cognito by action (InitiateAuth, AdminCreateUser, token endpoint, ...), retries included. */
  cognitoCalls: Record<string, number>;
  cognitoCallsTotal: number;
  /** Requests sent to the API under test, retries included. */
  apiRequests: number;
  /** Requests sent again because the answer was throttling (429, TooManyRequestsException), by action. */
  throttledRetries: Record<string, number>;
  throttledRetriesTotal: number;
}

export class Traffic {
  private readonly calls = new Map<string, number>();
  private readonly throttled = new Map<string, number>();
  private readonly throttleListeners = new Set<(action: string) => void>();

  /** One request about to be sent (each attempt counts: each is a request the quota sees). */
  sent(action: string): void {
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
  }

  /** An answer that was throttling, about to be retried. */
  throttledRetry(action: string): void {
    this.throttled.set(action, (this.throttled.get(action) ?? 0) + 1);
    for (const listener of this.throttleListeners) listener(action);
  }

  /** Told of every throttled answer (the run's in-flight limit backs off on it); returns the unsubscribe. */
  onThrottled(listener: (action: string) => void): () => void {
    this.throttleListeners.add(listener);
    return () => this.throttleListeners.delete(listener);
  }

  counts(): TrafficCounts {
    const sorted = (map: Map<string, number>) =>
      Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b))) as Record<string, number>;
    const cognito = new Map([...this.calls].filter(([action]) => action !== API_ACTION));
    const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
    return {
      cognitoCalls: sorted(cognito),
      cognitoCallsTotal: sum(cognito),
      apiRequests: this.calls.get(API_ACTION) ?? 0,
      throttledRetries: sorted(this.throttled),
      throttledRetriesTotal: sum(this.throttled),
    };
  }
}

/**
 * The in-flight limit of a run, additive increase / multiplicative decrease (as TCP does): a throttled answer
 * halves it (never below 1), and each success raises it by 1/limit, so by one per full window of successes,
 * never above the ceiling the caller chose. After a cut, throttles go unheeded until a window of requests has
 * finished: one burst of 429s to the requests already in flight is one signal, not one halving each.
 */
export class AimdLimit {
  private value: number;
  private readonly ceiling: number;
  private lowest: number;
  private halvings = 0;
  private finishedSinceCut = 0;

  constructor(ceiling: number) {
    this.ceiling = Math.max(1, Math.floor(ceiling));
    this.value = this.ceiling;
    this.lowest = this.ceiling;
  }

  /** Whole requests allowed in flight now. */
  get current(): number {
    return Math.max(1, Math.floor(this.value));
  }

  throttled(): void {
    if (this.halvings > 0 && this.finishedSinceCut < this.current) return;
    this.value = Math.max(1, this.value / 2);
    this.halvings++;
    this.finishedSinceCut = 0;
    this.lowest = Math.min(this.lowest, this.current);
  }

  succeeded(): void {
    this.finishedSinceCut++;
    this.value = Math.min(this.ceiling, this.value + 1 / this.value);
  }

  /** For the report: the ceiling, the lowest the limit fell to and how often it was halved. */
  summary(): ConcurrencySummary {
    return { ceiling: this.ceiling, lowest: this.lowest, halvings: this.halvings };
  }
}

export interface ConcurrencySummary {
  ceiling: number;
  lowest: number;
  halvings: number;
}

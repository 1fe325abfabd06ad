// The lines `gatehouse local` and `gatehouse start` print at start: which operations a stand-in answers,
// and why, which backends off this machine are really called (tokens and all) because local.forward says so,
// and which routes refuse every request here (authorization that cannot pass locally).
import type { RefusedRoute } from './authorizers/bind-kinds';
import type { Forwarded, StandIn } from './runnable';

export function standInLines(standIns: StandIn[], forwarded: Forwarded[], refused: RefusedRoute[] = []): string[] {
  const route = (o: { method: string; path: string; operation: string }) =>
    `${o.method} ${o.path}${o.operation === `${o.method} ${o.path}` ? '' : ` (${o.operation})`}`;
  return [
    ...standIns.map((s) => `  stand-in         ${route(s)}: ${s.reason}`),
    ...forwarded.map((f) => `  forwarded        ${route(f)} -> ${f.uri} (local.forward: requests carry tokens there)`),
    ...refused.map((r) => `  refused          ${route(r)}: ${r.reason}`),
  ];
}

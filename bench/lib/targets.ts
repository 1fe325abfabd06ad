// Issue 15's targets, each named by the id of the figure that measures it (Figure.id) and the bench that
// produces that figure. Only the wording lives here: the bound and the value come from the bench's own figure
// in this run, so a target whose bench does not measure it yet reads "not measured", never a number.
import type { BenchResult, Figure, Verdict } from './report';

export interface IssueTarget {
  /** The id of the figure that measures it, e.g. `15.3.lint`. */
  id: string;
  item: number;
  /** The target, in the issue's words. */
  text: string;
  /** The bench script (bench/<bench>.ts) whose figure it is. */
  bench: string;
}

export const ISSUE_15_TARGETS: IssueTarget[] = [
  {
    id: '15.1.authorized-vs-unauthorized',
    item: 1,
    text: 'authorized throughput >= 90 % of the same pipeline without an authorizer',
    bench: 'gateway-throughput',
  },
  {
    id: '15.1.authorized-vs-bare',
    item: 1,
    text: 'authorized throughput >= 65 % of bare node:http',
    bench: 'gateway-throughput',
  },
  { id: '15.1.p99-vs-bare', item: 1, text: "authorized p99 <= 2x bare's p99", bench: 'gateway-throughput' },
  {
    id: '15.2.sequential-p50-drift',
    item: 2,
    text: "100,000 sequential InitiateAuth: the last thousand's p50 within 10 % of the first thousand's",
    bench: 'sign-in-history',
  },
  {
    id: '15.2.parallel-p50-drift',
    item: 2,
    text: "20,000 InitiateAuth at 50 in parallel: the last thousand's p50 within 10 % of the first thousand's",
    bench: 'sign-in-history',
  },
  {
    id: '15.2.bounded-storage',
    item: 2,
    text: 'memory and disk bounded by the refresh tokens still valid',
    bench: 'sign-in-history',
  },
  { id: '15.3.version', item: 3, text: 'built `gatehouse --version` <= 150 ms', bench: 'cli-start' },
  { id: '15.3.lint', item: 3, text: 'built `gatehouse lint openapi/pets.yaml` <= 400 ms', bench: 'cli-start' },
  { id: '15.3.synth1000', item: 3, text: 'built synth of 1,000 operations <= 1.0 s', bench: 'cli-start' },
  { id: '15.3.synth10000', item: 3, text: 'built synth of 10,000 operations <= 3 s', bench: 'cli-start' },
  {
    id: '15.3.synth-resources-constant',
    item: 3,
    text: 'synth resources constant from 1,000 to 10,000 operations',
    bench: 'cli-start',
  },
  { id: '15.3.local', item: 3, text: 'built `gatehouse local` ready <= 400 ms', bench: 'cli-start' },
  {
    id: '15.4.cognito-calls-independent',
    item: 4,
    text: 'Cognito calls per harness run the same for 10 and 1,000 operations',
    bench: 'contract-quotas',
  },
  {
    id: '15.4.throttled-run-passes',
    item: 4,
    text: 'a run against a throttling local Cognito still passes (retried, backed off)',
    bench: 'contract-quotas',
  },
  {
    id: '15.5.full-matrix',
    item: 5,
    text: 'the full matrix on 1,000 operations <= 5 s locally',
    bench: 'contract-matrix',
  },
  {
    id: '15.5.pair-vs-dredd',
    item: 5,
    text: 'the pair-only run >= 10x faster than Dredd on the same stack',
    bench: 'contract-matrix',
  },
  {
    id: '15.6.lambda-route-vs-bare',
    item: 6,
    text: 'HTTP API aws_proxy route >= 50 % of bare (beside serverless-offline)',
    bench: 'gateway-throughput',
  },
  {
    id: '15.6.fresh-tokens',
    item: 6,
    text: 'a token never seen before on every request >= 10k req/s (beside serverless-offline)',
    bench: 'gateway-throughput',
  },
  {
    id: '15.7.rss-growth',
    item: 7,
    text: "the local stack's RSS after 30,000 sign-ins and these loads within 2x its RSS at start",
    bench: 'gateway-throughput',
  },
];

export interface TargetRow {
  target: IssueTarget;
  figure?: Figure & { verdict: Verdict };
  /** What the row shows: the figure's verdict, or why there is none. */
  verdict: Verdict | 'not measured';
  why?: string;
}

/** Each target with the figure of this run that measures it, or why there is none. */
export function targetRows(targets: IssueTarget[], results: BenchResult[], ran: string[]): TargetRow[] {
  return targets.map((target) => {
    const result = results.find((r) => r.name === target.bench);
    const figure = result?.figures.find((f) => f.id === target.id);
    if (figure) return { target, figure, verdict: figure.target ? figure.verdict : 'not measured' };
    const why = !ran.includes(target.bench)
      ? `bench/${target.bench}.ts is not run (not there yet)`
      : !result
        ? `bench/${target.bench}.ts wrote no result`
        : `bench/${target.bench}.ts gives no figure ${target.id} yet`;
    return { target, verdict: 'not measured', why };
  });
}

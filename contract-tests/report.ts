// The results of a run and the three ways they are written: a console table, JUnit XML and JSON. Every
// string in a report has been through the Redactor before it gets here.
import type { CheckCase } from './expectations';
import type { OmittedCheck } from './plan';
import type { SweepOutcome } from './sweep';
import type { ConcurrencySummary, TrafficCounts } from './traffic';

export interface CheckResult {
  name: string;
  operation: string;
  method: string;
  path: string;
  case: CheckCase;
  /** What was sent, in words. */
  description: string;
  rule: string;
  expected: { status: number; body?: string };
  got?: { status: number; body: string };
  passed: boolean;
  /** Why it failed (empty when it passed). */
  problems: string[];
  attempts: number;
  durationMs: number;
}

export interface ContractReport {
  spec: string;
  apiUrl: string;
  apiKind: 'rest' | 'http';
  startedAt: string;
  durationMs: number;
  results: CheckResult[];
  omitted: OmittedCheck[];
  passed: number;
  failed: number;
  /** The API or Cognito stopped answering (before or during the run): the run's verdict; exit 3. */
  unreachable?: { target: string; url: string; code: string; message: string };
  /** Failures outside the checks (deleting test users, writing the token store): each its own error; exit 1. */
  errors?: string[];
  /** Test users of earlier runs deleted before the checks, and the younger ones left. */
  sweep?: SweepOutcome;
  /** The token store read and written, when one was given. */
  tokenStore?: { file: string; expiredSent: number; dropped: number };
  /**
   * Every request the run sent, counted where it went out: Cognito's by action (what its request-rate quotas
   * count; independent of the number of operations), the API's, the retries throttling caused, and how far the
   * in-flight limit backed off.
   */
  traffic?: TrafficReport;
}

export interface TrafficReport extends TrafficCounts {
  concurrency: ConcurrencySummary;
}

/** What the run itself has to say beside the checks, one line each: verdict, errors, sweep, token store. */
export function runNotes(report: ContractReport): { kind: 'unreachable' | 'error' | 'info'; text: string }[] {
  const notes: { kind: 'unreachable' | 'error' | 'info'; text: string }[] = [];
  if (report.unreachable) notes.push({ kind: 'unreachable', text: report.unreachable.message });
  for (const error of report.errors ?? []) notes.push({ kind: 'error', text: error });
  const sweep = report.sweep;
  if (sweep) {
    notes.push({
      kind: 'info',
      text: `swept ${sweep.swept.length} test user${sweep.swept.length === 1 ? '' : 's'} that earlier runs left (older than ${sweep.olderThan})${sweep.swept.length > 0 ? `: ${sweep.swept.join(', ')}` : ''}`,
    });
    if (sweep.left.length > 0)
      notes.push({
        kind: 'info',
        text: `left ${sweep.left.length} younger test user${sweep.left.length === 1 ? '' : 's'} (a run still going may own them; --sweep-older-than sets the age): ${sweep.left.map((u) => `${u.user} in ${u.pool}, created ${u.createdAt}`).join('; ')}`,
      });
    for (const failure of sweep.failures) notes.push({ kind: 'error', text: `sweep: ${failure}` });
  }
  if (report.tokenStore)
    notes.push({
      kind: 'info',
      text: `token store ${report.tokenStore.file}: ${report.tokenStore.expiredSent} expired token${report.tokenStore.expiredSent === 1 ? '' : 's'} sent, ${report.tokenStore.dropped} entr${report.tokenStore.dropped === 1 ? 'y' : 'ies'} dropped as older than the refresh-token validity`,
    });
  if (report.traffic) notes.push(...trafficNotes(report.traffic));
  return notes;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const byAction = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([action, n]) => `${action} ${n}`)
    .join(', ');

function trafficNotes(traffic: TrafficReport): { kind: 'info'; text: string }[] {
  const { concurrency } = traffic;
  const notes: { kind: 'info'; text: string }[] = [
    {
      kind: 'info',
      text: `${plural(traffic.cognitoCallsTotal, 'Cognito call')}${traffic.cognitoCallsTotal > 0 ? ` (${byAction(traffic.cognitoCalls)})` : ''}, ${plural(traffic.apiRequests, 'API request')}`,
    },
  ];
  if (traffic.throttledRetriesTotal > 0)
    notes.push({
      kind: 'info',
      text: `throttled: ${plural(traffic.throttledRetriesTotal, 'request')} retried with backoff (${byAction(traffic.throttledRetries)}); checks in flight backed off from ${concurrency.ceiling} to ${concurrency.lowest} (${plural(concurrency.halvings, 'halving')})`,
    });
  return notes;
}

const BODY_EXCERPT = 300;

export function excerpt(text: string, max = BODY_EXCERPT): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function progressLine(r: CheckResult): string {
  const got = r.got ? String(r.got.status) : 'no answer';
  return `${r.passed ? 'PASS' : 'FAIL'} ${r.name}: expected ${r.expected.status}, got ${got} (${r.durationMs} ms)${r.passed ? '' : ` — ${r.problems.join('; ')}`}`;
}

export function formatTable(report: ContractReport): string {
  const header = ['operation', 'check', 'expected', 'got', 'result'];
  const rows = report.results.map((r) => [
    r.operation,
    r.case,
    String(r.expected.status),
    r.got ? String(r.got.status) : '-',
    r.passed ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  const failures = report.results.filter((r) => !r.passed);
  if (failures.length > 0) {
    out.push('', 'failures:');
    for (const r of failures)
      out.push(
        `  ${r.name} (${r.method} ${r.path}): sent ${r.description}`,
        ...r.problems.map((p) => `    ${p}`),
        `    rule: ${r.rule}`,
      );
  }
  if (report.omitted.length > 0) {
    out.push('', 'not run:');
    for (const o of report.omitted) out.push(`  ${o.operation} ${o.case}: ${o.reason}`);
  }
  const notes = runNotes(report);
  if (notes.length > 0) {
    out.push('', 'run:');
    for (const note of notes) out.push(`  ${note.kind === 'info' ? '' : `${note.kind.toUpperCase()}: `}${note.text}`);
  }
  out.push(
    '',
    `${report.passed} passed, ${report.failed} failed, ${report.results.length} checks in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return out.join('\n');
}

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // Characters XML 1.0 cannot hold at all.
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

export function toJUnit(report: ContractReport): string {
  const byOperation = new Map<string, CheckResult[]>();
  for (const r of report.results) byOperation.set(r.operation, [...(byOperation.get(r.operation) ?? []), r]);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gatehouse contract" tests="${report.results.length}" failures="${report.failed}" time="${seconds(report.durationMs)}">`,
  ];
  for (const [operation, results] of byOperation) {
    const failed = results.filter((r) => !r.passed).length;
    const time = results.reduce((sum, r) => sum + r.durationMs, 0);
    lines.push(
      `  <testsuite name="${xml(operation)}" tests="${results.length}" failures="${failed}" time="${seconds(time)}">`,
    );
    for (const r of results) {
      const open = `    <testcase classname="${xml(`${r.method} ${r.path}`)}" name="${xml(r.name)}" time="${seconds(r.durationMs)}"`;
      if (r.passed) {
        lines.push(`${open}/>`);
        continue;
      }
      const detail = [`sent: ${r.description}`, `rule: ${r.rule}`, ...r.problems, r.got ? `body: ${r.got.body}` : '']
        .filter(Boolean)
        .join('\n');
      lines.push(
        `${open}>`,
        `      <failure message="${xml(r.problems.join('; '))}">${xml(detail)}</failure>`,
        '    </testcase>',
      );
    }
    lines.push('  </testsuite>');
  }
  // The run's own errors (unreachable, a user left behind) fail the suite too, each as its own test case.
  const problems = runNotes(report).filter((n) => n.kind !== 'info');
  if (problems.length > 0) {
    lines.push(
      `  <testsuite name="gatehouse contract run" tests="${problems.length}" failures="0" errors="${problems.length}">`,
    );
    problems.forEach((p, i) =>
      lines.push(
        `    <testcase classname="run" name="${xml(`${p.kind} ${i + 1}`)}">`,
        `      <error message="${xml(p.text)}">${xml(p.text)}</error>`,
        '    </testcase>',
      ),
    );
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

export function toJson(report: ContractReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// The results of a run and the three ways they are written: a console table, JUnit XML and JSON. Every
// string in a report has been through the Redactor before it gets here.
import type { CheckCase } from './expectations';
import type { OmittedCheck } from './plan';

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
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

export function toJson(report: ContractReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

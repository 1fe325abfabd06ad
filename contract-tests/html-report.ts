// The contract report as one HTML page a person opens from disk: the operations × check cases matrix at a glance,
// each cell's reason on hover, focus and in a details table, and filters by status. Nothing outside the file loads.
import { createHash } from 'node:crypto';
import { CHECK_CASES, type CheckCase } from './expectations';
import { Redactor } from './redact';
import { runNotes, type CheckResult, type ContractReport } from './report';

/** `none`: the plan has no check of this case for this operation (it does not apply, or was not selected). */
export type CellStatus = 'pass' | 'fail' | 'not-run' | 'none';

interface Cell {
  status: CellStatus;
  /** One line: why the cell is what it is. */
  reason: string;
  /** The details-table row it links to; `none` cells have none. */
  detail?: number;
}

interface Row {
  operation: string;
  /** Unknown when every check of the operation was left out of the plan (the omissions name only the id). */
  method?: string;
  path?: string;
  cells: Map<CheckCase, Cell>;
}

interface Detail {
  status: Exclude<CellStatus, 'none'>;
  name: string;
  row: Row;
  result?: CheckResult;
  reason: string;
}

const WORDS: Record<CellStatus, string> = { pass: 'passed', fail: 'failed', 'not-run': 'not run', none: 'no check' };
const MARKS: Record<CellStatus, string> = { pass: '✓', fail: '✗', 'not-run': '○', none: '·' };

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For text and quoted attribute values alike: every string of the report is untrusted. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Numbers too: a report read back from a JSON file is typed only by trust. */
const num = (n: number) => escapeHtml(String(n));

function gotWords(r: CheckResult): string {
  return r.got ? `got ${r.got.status}` : 'got no answer';
}

function resultReason(r: CheckResult): string {
  if (r.passed) return `passed: expected ${r.expected.status}, ${gotWords(r)} (${r.rule})`;
  return `failed: ${r.problems.join('; ')} (sent ${r.description}; expected ${r.expected.status}, ${gotWords(r)}; rule: ${r.rule})`;
}

function buildMatrix(report: ContractReport): { cases: CheckCase[]; rows: Row[]; details: Detail[] } {
  const rows = new Map<string, Row>();
  const details: Detail[] = [];
  const rowOf = (operation: string) => {
    let row = rows.get(operation);
    if (!row) rows.set(operation, (row = { operation, cells: new Map() }));
    return row;
  };
  for (const r of report.results) {
    const row = rowOf(r.operation);
    row.method ??= r.method;
    row.path ??= r.path;
    const status = r.passed ? 'pass' : 'fail';
    const reason = resultReason(r);
    row.cells.set(r.case, { status, reason, detail: details.length });
    details.push({ status, name: r.name, row, result: r, reason });
  }
  for (const o of report.omitted) {
    const row = rowOf(o.operation);
    const reason = `not run: ${o.reason}`;
    row.cells.set(o.case, { status: 'not-run', reason, detail: details.length });
    details.push({ status: 'not-run', name: `${o.operation} ${o.case}`, row, reason });
  }
  const present = new Set([...report.results.map((r) => r.case), ...report.omitted.map((o) => o.case)]);
  return { cases: CHECK_CASES.filter((c) => present.has(c)), rows: [...rows.values()], details };
}

function apiHost(apiUrl: string): string {
  try {
    return new URL(apiUrl).host;
  } catch {
    return apiUrl;
  }
}

function when(startedAt: string): string {
  const date = new Date(startedAt);
  return Number.isNaN(date.getTime()) ? startedAt : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function cellHtml(row: Row, c: CheckCase, index: number): string {
  const cell: Cell = row.cells.get(c) ?? {
    status: 'none',
    reason: 'no check: the plan has none of this case for this operation',
  };
  const label = escapeHtml(`${row.operation} ${c}: ${cell.reason}`);
  const inner =
    `<span class="mark" aria-hidden="true">${MARKS[cell.status]}</span>` +
    `<span class="tip" aria-hidden="true"><b>${escapeHtml(`${row.operation} ${c}`)}</b> ${escapeHtml(cell.reason)}</span>`;
  // Real checks link to their details row (a tab stop, the reason in full); the many empty cells are no tab stops.
  const target =
    cell.detail === undefined
      ? `<span class="target" role="img" aria-label="${label}">${inner}</span>`
      : `<a class="target" href="#check-${cell.detail}" aria-label="${label}">${inner}</a>`;
  return `<td class="cell ${cell.status}" data-status="${cell.status}" data-col="${index}" title="${label}">${target}</td>`;
}

function rowHtml(row: Row, cases: CheckCase[]): string {
  const method = row.method ?? '?';
  const path = row.path ?? '(path unknown: no check of it ran)';
  const head =
    `<th scope="row" class="operation"><span class="method">${escapeHtml(method)}</span> ` +
    `<code class="path">${escapeHtml(path)}</code> <span class="op">${escapeHtml(row.operation)}</span></th>`;
  return `<tr class="op-row" data-operation="${escapeHtml(row.operation)}">${head}${cases.map((c, i) => cellHtml(row, c, i)).join('')}</tr>`;
}

function operationHtml(row: Row): string {
  return row.method === undefined ? '' : `${escapeHtml(row.method)} <code>${escapeHtml(row.path ?? '')}</code>`;
}

function detailHtml(d: Detail, index: number): string {
  const r = d.result;
  const cells = r
    ? [
        operationHtml(d.row),
        escapeHtml(r.description),
        `${num(r.expected.status)}${r.expected.body ? ` <code>${escapeHtml(r.expected.body)}</code>` : ''}`,
        r.got ? `${num(r.got.status)}${r.got.body ? ` <code>${escapeHtml(r.got.body)}</code>` : ''}` : 'no answer',
        `${r.problems.map((p) => `<div class="problem">${escapeHtml(p)}</div>`).join('')}<div class="rule">rule: ${escapeHtml(r.rule)}</div>`,
      ]
    : [operationHtml(d.row), '', '', '', `<div class="problem">${escapeHtml(d.reason)}</div>`];
  return (
    `<tr id="check-${index}" class="detail ${d.status}" data-status="${d.status}">` +
    `<th scope="row">${escapeHtml(d.name)}</th><td class="status">${MARKS[d.status]} ${WORDS[d.status]}</td>` +
    `${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`
  );
}

const STYLE = `
:root { color-scheme: light dark; --pass: #1a7f37; --fail: #cf222e; --skip: #7d6608; --none: #8c959f; --line: #d0d7de; --tip: #fff; --fg: #1f2328; }
@media (prefers-color-scheme: dark) { :root { --pass: #3fb950; --fail: #f85149; --skip: #d29922; --line: #30363d; --tip: #161b22; --fg: #e6edf3; } }
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: var(--fg); }
.run-notes .note-error, .run-notes .note-unreachable { color: var(--fail); }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
.summary .n-pass { color: var(--pass); } .summary .n-fail { color: var(--fail); } .summary .n-not-run { color: var(--skip); }
.filters { margin: 1rem 0; display: flex; gap: .4rem; flex-wrap: wrap; }
.filters button { font: inherit; padding: .2rem .7rem; border: 1px solid var(--line); border-radius: 1rem; background: none; color: inherit; cursor: pointer; }
.filters button[aria-pressed="true"] { background: var(--fg); color: Canvas; }
table { border-collapse: collapse; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; white-space: nowrap; }
.legend { color: var(--none); }
.matrix th, .matrix td { border: 1px solid var(--line); }
.matrix thead th.case { vertical-align: bottom; padding: .3rem .1rem; font-weight: normal; }
.matrix thead th.case span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
.matrix th.operation { text-align: left; white-space: nowrap; padding: .2rem .5rem; font-weight: normal; }
.method { font-weight: 600; font-size: .8rem; } .op { color: var(--none); }
.cell { position: relative; text-align: center; min-width: 1.6rem; padding: 0; }
.cell .target { display: block; padding: .2rem; text-decoration: none; color: inherit; }
.cell.pass { color: var(--pass); } .cell.fail { color: var(--fail); background: color-mix(in srgb, var(--fail) 14%, transparent); font-weight: 700; }
.cell.not-run { color: var(--skip); } .cell.none { color: var(--none); }
.cell .tip { display: none; position: absolute; z-index: 2; top: 100%; left: 0; width: 26rem; text-align: left; font-weight: normal;
  padding: .5rem; background: var(--tip); color: var(--fg); border: 1px solid var(--line); border-radius: .3rem; box-shadow: 0 2px 8px #0003; }
.cell:nth-last-child(-n+8) .tip { left: auto; right: 0; }
.cell:hover .tip, .cell:focus-within .tip { display: block; }
.cell .target:focus { outline: 2px solid Highlight; outline-offset: -2px; }
.off .target { visibility: hidden; }
.details th, .details td { border-top: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
.details tr.fail .status { color: var(--fail); font-weight: 700; } .details tr.pass .status { color: var(--pass); } .details tr.not-run .status { color: var(--skip); }
.details tr:target { outline: 2px solid Highlight; }
.details code { word-break: break-all; }
.rule { color: var(--none); }
`;

// Reads only data-* attributes the page already holds: the report's text never passes through script.
const SCRIPT = `
(function () {
  var bar = document.querySelector('.filters');
  var buttons = bar.querySelectorAll('button');
  var rows = document.querySelectorAll('.matrix tbody tr');
  var heads = document.querySelectorAll('.matrix thead th.case');
  var details = document.querySelectorAll('.details tbody tr');
  var empty = document.querySelector('.empty');
  function apply(wanted) {
    var used = [];
    var shown = 0;
    rows.forEach(function (row) {
      var cells = row.querySelectorAll('td.cell');
      var any = false;
      cells.forEach(function (cell) {
        var match = wanted === 'all' || cell.dataset.status === wanted;
        cell.classList.toggle('off', !match);
        if (match) { any = true; used[cell.dataset.col] = true; }
      });
      row.hidden = !any;
      if (any) shown++;
    });
    var columns = [heads].concat(Array.prototype.map.call(rows, function (row) { return row.querySelectorAll('td.cell'); }));
    columns.forEach(function (list) {
      list.forEach(function (el, i) { el.hidden = wanted !== 'all' && !used[i]; });
    });
    details.forEach(function (tr) { tr.hidden = wanted !== 'all' && tr.dataset.status !== wanted; });
    empty.hidden = shown > 0;
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.dataset.filter === wanted)); });
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { apply(b.dataset.filter); }); });
  bar.hidden = false;
})();
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The run's verdict, errors and sweep, above the matrix: an unreachable API is the first thing to read. */
function runNotesHtml(report: ContractReport): string {
  const notes = runNotes(report);
  if (notes.length === 0) return '';
  const item = (n: (typeof notes)[number]) =>
    `<li class="note-${n.kind}">${n.kind === 'info' ? '' : `<strong>${n.kind === 'error' ? 'Error' : 'Unreachable'}:</strong> `}${escapeHtml(n.text)}</li>`;
  return `<ul class="run-notes">\n${notes.map(item).join('\n')}\n</ul>`;
}

/** The whole page. Strings are masked again by shape and escaped: a stray token or tag in a reason stays inert. */
export function toHtml(input: ContractReport): string {
  // The harness already redacted the report; tokens echoed into text it never saw are masked here by shape too.
  const report = new Redactor().redactValue(input);
  const { cases, rows, details } = buildMatrix(report);
  const counts = { pass: report.passed, fail: report.failed, 'not-run': report.omitted.length };
  const title = `Contract report: ${report.spec}`;
  const summary =
    `<span class="n-pass" data-count="pass">${num(counts.pass)} passed</span>, ` +
    `<span class="n-fail" data-count="fail">${num(counts.fail)} failed</span>, ` +
    `<span class="n-not-run" data-count="not-run">${counts['not-run']} not run</span> — ` +
    `<code class="spec">${escapeHtml(report.spec)}</code> against <code class="host">${escapeHtml(apiHost(report.apiUrl))}</code> ` +
    `(${report.apiKind === 'http' ? 'HTTP' : 'REST'} API), ` +
    `<time datetime="${escapeHtml(report.startedAt)}">${escapeHtml(when(report.startedAt))}</time>, ` +
    `${(Number(report.durationMs) / 1000).toFixed(1)} s`;
  const filter = (status: string, words: string, n: number) =>
    `<button type="button" data-filter="${status}" aria-pressed="${status === 'all'}">${words} (${num(n)})</button>`;
  const csp = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="summary">${summary}</p>
${runNotesHtml(report)}
<div class="filters" role="group" aria-label="Show checks by result" hidden>
${filter('all', 'All', report.results.length + report.omitted.length)}
${filter('fail', 'Failed only', counts.fail)}
${filter('not-run', 'Not run only', counts['not-run'])}
${filter('pass', 'Passed only', counts.pass)}
</div>
<p class="legend">${MARKS.pass} passed &nbsp; ${MARKS.fail} failed &nbsp; ${MARKS['not-run']} not run &nbsp; ${MARKS.none} no such check for the operation. Hover or focus a cell for its reason; each links to its row under "Every check".</p>
<table class="matrix">
<caption>Checks by operation (rows) and check case (columns)</caption>
<thead><tr><th scope="col">Operation</th>${cases.map((c) => `<th scope="col" class="case"><span>${escapeHtml(c)}</span></th>`).join('')}</tr></thead>
<tbody>
${rows.map((row) => rowHtml(row, cases)).join('\n')}
</tbody>
</table>
<p class="empty" hidden>No check has this result.</p>
<h2>Every check</h2>
<table class="details">
<thead><tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col">Operation</th><th scope="col">Sent</th><th scope="col">Expected</th><th scope="col">Got</th><th scope="col">Why</th></tr></thead>
<tbody>
${details.map(detailHtml).join('\n')}
</tbody>
</table>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

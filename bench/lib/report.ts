// How every bench script reports: one table on stdout (figure, value, target, met/missed) and the same
// figures as JSON in bench/results/<name>.json, which run-all.ts reads back for its summary.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomically } from '../../openapi/model/write-atomically';

export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Figure {
  /**
   * The issue target this figure measures, e.g. `15.3.lint` (bench/lib/targets.ts lists them): how run-all finds
   * it, whatever its name says.
   */
  id?: string;
  /** What is measured, in words. */
  name: string;
  /** null when it could not be measured; `note` then says why. */
  value: number | null;
  unit: string;
  target?: Target;
  note?: string;
}

export type Verdict = 'met' | 'missed' | 'not measured' | '';

/** A side-by-side table printed above the figures (e.g. one row per document size). */
export interface SideTable {
  title: string;
  rows: string[][];
}

export interface BenchResult {
  name: string;
  title: string;
  startedAt: string;
  environment: Environment;
  figures: (Figure & { verdict: Verdict })[];
  /** Raw measurements behind the figures (per document size, per run, ...). */
  details: unknown;
}

export interface Environment {
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  /** When the figures were reported. */
  loadAverage1m: number;
  /** 1, 5 and 15 minutes, when the figures were reported. */
  loadAverage: number[];
  /** 1, 5 and 15 minutes, when the bench started (this module loaded: every bench imports it first thing). */
  loadAverageAtStart: number[];
}

const LOAD_AT_START = os.loadavg();

export const RESULTS_DIR = path.join(__dirname, '..', 'results');

export function verdictOf(f: Figure): Verdict {
  if (f.value === null) return 'not measured';
  if (!f.target) return '';
  return (f.target.op === '<=' ? f.value <= f.target.value : f.value >= f.target.value) ? 'met' : 'missed';
}

const twoDecimals = (loads: number[]) => loads.map((l) => Math.round(l * 100) / 100);

export function environment(): Environment {
  const cpus = os.cpus();
  const load = os.loadavg();
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    loadAverage1m: load[0],
    loadAverage: twoDecimals(load),
    loadAverageAtStart: twoDecimals(LOAD_AT_START),
  };
}

/** The load line every report prints: timings on a loaded machine are upper bounds, and this says how loaded. */
export function loadLine(env: Environment): string {
  return (
    `load average ${env.loadAverageAtStart.join(' ')} at the start, ${env.loadAverage.join(' ')} at the end ` +
    `(1, 5, 15 min) on ${env.cpus} cores, Node ${env.node}`
  );
}

function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  if (Number.isInteger(value)) return `${value} ${unit}`.trim();
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`.trim();
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function figureRows(figures: BenchResult['figures']): string[][] {
  return [
    ['figure', 'value', 'target', 'verdict'],
    ...figures.map((f) => [
      f.name,
      formatValue(f.value, f.unit),
      f.target ? `${f.target.op} ${f.target.value} ${f.unit}`.trim() : '',
      f.verdict,
    ]),
  ];
}

/** Prints the table (and notes) and writes bench/results/<name>.json. */
export function report(
  name: string,
  title: string,
  startedAt: Date,
  figures: Figure[],
  details: unknown,
  tables: SideTable[] = [],
): BenchResult {
  const result: BenchResult = {
    name,
    title,
    startedAt: startedAt.toISOString(),
    environment: environment(),
    figures: figures.map((f) => ({ ...f, verdict: verdictOf(f) })),
    details,
  };
  process.stdout.write(`\n${title}\n${loadLine(result.environment)}\n`);
  for (const table of tables) process.stdout.write(`\n${table.title}\n${formatTable(table.rows)}\n`);
  process.stdout.write(`\n${formatTable(figureRows(result.figures))}\n`);
  const notes = result.figures.filter((f) => f.note);
  if (notes.length > 0) process.stdout.write(`\n${notes.map((f) => `* ${f.name}: ${f.note}`).join('\n')}\n`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  // Written whole: run-all reads these, and a half-written file must never be read.
  writeFileAtomically(file, JSON.stringify(result, null, 2) + '\n', { mode: 0o644 });
  process.stdout.write(`\n(${path.relative(process.cwd(), file)})\n`);
  return result;
}

/** Runs a bench script's main when the file is run directly, with a clean exit code on failure. */
export function runMain(main: () => Promise<unknown>): void {
  main().then(
    () => undefined,
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

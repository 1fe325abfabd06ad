// Synth scale: cold `cdktf synth` (what `npm run synth` runs: npx tsx main.ts) of generated documents of
// 10, 100 and 1,000 operations, beside the per-method style (bench/per-method-style) on the same documents.
// Each synth is its own process, so every figure is a cold start; peak RSS is the largest process's.
// Run: npx tsx bench/synth-scale.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureCommand } from './lib/child';
import { report, runMain, type Figure } from './lib/report';
import { writeGeneratedSpec } from './lib/spec-generator';
import { percentile, round } from './lib/stats';

export const SIZES = [10, 100, 1000];
const SYNTH_TARGET_MS = 3000;
/** Runs per style and size; the median is reported (the machine is shared, single runs are noisy). */
const RUNS = Number(process.env.BENCH_SYNTH_RUNS || 3);

type Style = 'gatehouse' | 'per-method';
const ENTRY: Record<Style, string> = { gatehouse: 'main.ts', 'per-method': 'bench/per-method-style/main.ts' };

export interface SynthMeasurement {
  style: Style;
  operations: number;
  /** Median over the runs. */
  wallMs: number;
  wallMsRuns: number[];
  peakRssMiB: number | null;
  resources: number;
  resourcesByType: Record<string, number>;
  cdkTfJsonBytes: number;
}

/** Resources of the synthesized stack (data sources and outputs are not counted), in total and by type. */
export function countResources(cdkTfJson: string): { total: number; byType: Record<string, number> } {
  const parsed = JSON.parse(cdkTfJson) as { resource?: Record<string, Record<string, unknown>> };
  const byType = Object.fromEntries(
    Object.entries(parsed.resource ?? {}).map(([type, named]) => [type, Object.keys(named).length]),
  );
  return { total: Object.values(byType).reduce((sum, n) => sum + n, 0), byType };
}

function findCdkTfJson(outdir: string): string {
  const stacks = path.join(outdir, 'stacks');
  const [stack] = fs.existsSync(stacks) ? fs.readdirSync(stacks) : [];
  if (!stack) throw new Error(`no stack was synthesized under ${outdir}`);
  return path.join(stacks, stack, 'cdk.tf.json');
}

async function synthOnce(
  style: Style,
  spec: string,
  operations: number,
  workDir: string,
): Promise<Omit<SynthMeasurement, 'wallMsRuns'>> {
  const outdir = fs.mkdtempSync(path.join(workDir, `${style}-${operations}-`));
  // CHECKPOINT_DISABLE as `npm run synth` sets it: no phoning home from a benchmark.
  const env = { ...process.env, API_SPEC: spec, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' };
  const run = await measureCommand('npx', ['tsx', ENTRY[style]], { env });
  if (run.exitCode !== 0)
    throw new Error(
      `${style} synth of ${operations} operations failed (exit ${run.exitCode}):\n${run.stderr.slice(-2000)}`,
    );
  const file = findCdkTfJson(outdir);
  const text = fs.readFileSync(file, 'utf8');
  const { total, byType } = countResources(text);
  return {
    style,
    operations,
    wallMs: round(run.wallMs, 0),
    peakRssMiB: run.peakRssMiB === null ? null : round(run.peakRssMiB, 1),
    resources: total,
    resourcesByType: byType,
    cdkTfJsonBytes: Buffer.byteLength(text),
  };
}

export async function main(): Promise<void> {
  const startedAt = new Date();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-synth-'));
  try {
    const measurements: SynthMeasurement[] = [];
    for (const operations of SIZES) {
      const spec = writeGeneratedSpec(workDir, operations);
      for (const style of ['gatehouse', 'per-method'] as Style[]) {
        const runs = [];
        for (let run = 0; run < RUNS; run++) runs.push(await synthOnce(style, spec, operations, workDir));
        const wallMsRuns = runs.map((r) => r.wallMs);
        // The median run's figures; resources are the same in every run.
        const median = runs.find((r) => r.wallMs === percentile(wallMsRuns, 50))!;
        const m: SynthMeasurement = { ...median, wallMsRuns };
        measurements.push(m);
        process.stdout.write(
          `${style.padEnd(10)} ${String(operations).padStart(5)} operations: ${m.wallMs} ms, ${m.peakRssMiB ?? '?'} MiB, ${m.resources} resources\n`,
        );
      }
    }
    const of = (style: Style, operations: number) =>
      measurements.find((m) => m.style === style && m.operations === operations)!;
    const largest = SIZES[SIZES.length - 1];
    const ours = SIZES.map((n) => of('gatehouse', n).resources);
    const figures: Figure[] = [];
    for (const n of SIZES) {
      const g = of('gatehouse', n);
      const p = of('per-method', n);
      figures.push(
        {
          name: `gatehouse synth, ${n} operations`,
          value: g.wallMs,
          unit: 'ms',
          target: n === largest ? { op: '<=', value: SYNTH_TARGET_MS } : undefined,
        },
        { name: `per-method synth, ${n} operations`, value: p.wallMs, unit: 'ms' },
        {
          name: `gatehouse peak RSS, ${n} operations`,
          value: g.peakRssMiB,
          unit: 'MiB',
          note: g.peakRssMiB === null ? `${'/usr/bin/time'} is not installed` : undefined,
        },
        { name: `per-method peak RSS, ${n} operations`, value: p.peakRssMiB, unit: 'MiB' },
        { name: `gatehouse resources, ${n} operations`, value: g.resources, unit: '' },
        { name: `per-method resources, ${n} operations`, value: p.resources, unit: '' },
      );
    }
    // Constant: the same count at every size (the document is one resource's body).
    figures.push({
      name: `gatehouse resource growth, ${SIZES[0]} -> ${largest} operations`,
      value: Math.max(...ours) - Math.min(...ours),
      unit: 'resources',
      target: { op: '<=', value: 0 },
    });
    const side = [
      [
        'operations',
        'gatehouse synth',
        'per-method synth',
        'gatehouse peak RSS',
        'per-method peak RSS',
        'gatehouse resources',
        'per-method resources',
      ],
      ...SIZES.map((n) => {
        const [g, p] = [of('gatehouse', n), of('per-method', n)];
        const mib = (v: number | null) => (v === null ? '—' : `${v} MiB`);
        return [
          String(n),
          `${g.wallMs} ms`,
          `${p.wallMs} ms`,
          mib(g.peakRssMiB),
          mib(p.peakRssMiB),
          String(g.resources),
          String(p.resources),
        ];
      }),
    ];
    report(
      'synth-scale',
      `Synth scale: cold synth of generated REST documents (one process per synth, median of ${RUNS})`,
      startedAt,
      figures,
      { runsPerFigure: RUNS, measurements },
      [{ title: 'Side by side', rows: side }],
    );
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

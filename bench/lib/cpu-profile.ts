// Reads a V8 .cpuprofile (node --cpu-prof) and sums time per function, self and inclusive, optionally only
// over a time window (the load run, not the start-up). Hand-written: the format is a plain JSON tree and
// the published readers add a dependency for twenty lines.
import * as fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds between samples. */
  timeDeltas: number[];
}

export interface FunctionTime {
  /** `function (file)`, the file relative to the repository or node_modules. */
  name: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  sampledMs: number;
  idleMs: number;
  functions: FunctionTime[];
}

function label(node: ProfileNode, repoRoot: string): string {
  const { functionName, url } = node.callFrame;
  const file = url
    .replace(/^file:\/\//, '')
    .replace(`${repoRoot}/`, '')
    .replace(/^.*node_modules\//, '');
  return `${functionName || '(anonymous)'}${file ? ` (${file})` : ''}`;
}

/** Time per function over samples taken between fromMs and toMs after the profile started. */
export function summarizeProfile(
  file: string,
  repoRoot: string,
  window: { fromMs: number; toMs: number } = { fromMs: 0, toMs: Infinity },
): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

  const timeById = new Map<number, number>();
  let clockUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    clockUs += profile.timeDeltas[i];
    const ms = clockUs / 1000;
    if (ms < window.fromMs || ms > window.toMs) continue;
    timeById.set(profile.samples[i], (timeById.get(profile.samples[i]) ?? 0) + profile.timeDeltas[i] / 1000);
  }

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sampledMs = 0;
  let idleMs = 0;
  for (const [id, ms] of timeById) {
    sampledMs += ms;
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === '(idle)') idleMs += ms;
    self.set(label(leaf, repoRoot), (self.get(label(leaf, repoRoot)) ?? 0) + ms);
    // A recursive function counts once per sample.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const name = label(byId.get(at)!, repoRoot);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  }
  const functions = [...total.entries()]
    .map(([name, totalMs]) => ({ name, selfMs: self.get(name) ?? 0, totalMs }))
    .sort((a, b) => b.totalMs - a.totalMs);
  return { sampledMs, idleMs, functions };
}

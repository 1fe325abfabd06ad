import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { summarizeProfile } from './cpu-profile';

// A three-frame profile in V8's format: root -> handler -> verify, sampled every 1 ms.
const profile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 4] },
    {
      id: 2,
      callFrame: { functionName: 'handler', url: 'file:///repo/local/gateway/index.ts', lineNumber: 3 },
      children: [3],
    },
    { id: 3, callFrame: { functionName: 'verify', url: 'file:///repo/node_modules/jose/verify.js', lineNumber: 9 } },
    { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
  ],
  samples: [2, 3, 3, 4, 3],
  timeDeltas: [1000, 1000, 1000, 1000, 1000],
};

describe('summarizeProfile', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-prof-')), 'p.cpuprofile');
  beforeAll(() => fs.writeFileSync(file, JSON.stringify(profile)));
  afterAll(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

  it('sums self and inclusive time per function, with files relative to the repository and node_modules', () => {
    const summary = summarizeProfile(file, '/repo');
    const byName = Object.fromEntries(summary.functions.map((f) => [f.name, f]));
    expect(summary.sampledMs).toBe(5);
    expect(summary.idleMs).toBe(1);
    expect(byName['handler (local/gateway/index.ts)']).toEqual({
      name: 'handler (local/gateway/index.ts)',
      selfMs: 1,
      totalMs: 4,
    });
    expect(byName['verify (jose/verify.js)']).toEqual({ name: 'verify (jose/verify.js)', selfMs: 3, totalMs: 3 });
  });

  it('counts only the samples inside the window', () => {
    // Samples end at 1, 2, 3, 4 and 5 ms; the window 2..3 ms holds two verify samples.
    const summary = summarizeProfile(file, '/repo', { fromMs: 2, toMs: 3 });
    expect(summary.sampledMs).toBe(2);
    expect(summary.functions.find((f) => f.name.startsWith('verify'))?.totalMs).toBe(2);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './child';
import { buildSettled, buildSources, buildState, isExcluded } from './build-freshness';

describe('whether dist/ is a build of the current sources', () => {
  let root: string;
  const write = (file: string, at: number) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
    fs.utimesSync(path.join(root, file), at, at);
  };
  // Seconds since the epoch, as utimes takes them.
  const BUILT = 2_000_000_000;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-build-'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ bin: { gatehouse: 'dist/cli/gatehouse.js' } }));
    fs.writeFileSync(
      path.join(root, 'tsconfig.build.json'),
      JSON.stringify({ include: ['main.ts', 'cli', 'local'], exclude: ['**/*.test.ts', 'local/fixtures'] }),
    );
    fs.utimesSync(path.join(root, 'tsconfig.build.json'), BUILT - 100, BUILT - 100);
    write('main.ts', BUILT - 10);
    write('cli/program.ts', BUILT - 10);
    write('local/stack.ts', BUILT - 10);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is not fresh when the bin has not been built', () => {
    expect(buildState(root)).toEqual({
      fresh: false,
      reason: 'dist/cli/gatehouse.js is missing',
      bin: 'dist/cli/gatehouse.js',
    });
  });

  it('is fresh when the bin is newer than every source', () => {
    write('dist/cli/gatehouse.js', BUILT);
    expect(buildState(root).fresh).toBe(true);
  });

  it('is stale when a source changed after the build, and names it', () => {
    write('dist/cli/gatehouse.js', BUILT);
    write('local/stack.ts', BUILT + 5);
    const state = buildState(root);
    expect(state.fresh).toBe(false);
    expect(state.reason).toMatch(/^local\/stack\.ts \(changed .*\) is newer than dist\/cli\/gatehouse\.js/);
  });

  it('is stale when the build config changed after the build', () => {
    write('dist/cli/gatehouse.js', BUILT);
    fs.utimesSync(path.join(root, 'tsconfig.build.json'), BUILT + 5, BUILT + 5);
    expect(buildState(root).reason).toMatch(/^tsconfig\.build\.json /);
  });

  it('ignores what the build does not compile: tests, excluded folders, folders outside include', () => {
    write('dist/cli/gatehouse.js', BUILT);
    write('cli/program.test.ts', BUILT + 5);
    write('local/fixtures/handler.ts', BUILT + 5);
    write('bench/cli-start.ts', BUILT + 5);
    write('cli/README.md', BUILT + 5);
    expect(buildState(root).fresh).toBe(true);
  });

  it("reads this repository's exclude patterns as tsc does for the files that matter", () => {
    const exclude = ['**/*.test.ts', '**/test-support.ts', 'contract-tests/testing', 'stack/refused-props.ts'];
    expect(isExcluded('cli/local.test.ts', exclude)).toBe(true);
    expect(isExcluded('local/cognito/test-support.ts', exclude)).toBe(true);
    expect(isExcluded('contract-tests/testing/fake-gateway.ts', exclude)).toBe(true);
    expect(isExcluded('stack/refused-props.ts', exclude)).toBe(true);
    expect(isExcluded('contract-tests/testing-plan.ts', exclude)).toBe(false);
    expect(isExcluded('cli/local.ts', exclude)).toBe(false);
    const sources = buildSources(REPO_ROOT);
    expect(sources).toContain(path.join('cli', 'gatehouse.ts'));
    expect(sources.some((f) => f.endsWith('.test.ts') || f.startsWith('bench'))).toBe(false);
  });
});

describe('whether a build in dist/ has finished', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bench-settled-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const at = (file: string, seconds: number) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
    fs.utimesSync(path.join(root, file), seconds, seconds);
    fs.utimesSync(path.dirname(path.join(root, file)), seconds, seconds);
  };

  it('has not while the bin is missing (dist/ emptied by a build under way)', () => {
    at('dist/modules/cdk.js', 100);
    expect(buildSettled(root, 'dist/cli/gatehouse.js', 3000, 200_000)).toBe(false);
  });

  it('has once nothing under dist/ changed for the quiet time, however deep the last change', () => {
    at('dist/cli/gatehouse.js', 100);
    at('dist/local/gateway/integrations/mock.js', 102);
    fs.utimesSync(path.join(root, 'dist'), 100, 100);
    fs.utimesSync(path.join(root, 'dist', 'local'), 100, 100);
    fs.utimesSync(path.join(root, 'dist', 'local', 'gateway'), 100, 100);
    expect(buildSettled(root, 'dist/cli/gatehouse.js', 3000, 104_000)).toBe(false);
    expect(buildSettled(root, 'dist/cli/gatehouse.js', 3000, 105_000)).toBe(true);
  });
});

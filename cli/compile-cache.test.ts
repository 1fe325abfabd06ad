// The built CLI's compile cache: modules compiled through it behave as Node's loader makes them behave
// (exports, require and its resolve, require.main, __filename/__dirname, import(), error positions), a second
// process takes them from the cache, and a cache folder others can write to is never used.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CACHE_MODULE = path.join(__dirname, 'compile-cache.ts');

function fixture(dir: string): string {
  fs.writeFileSync(
    path.join(dir, 'entry.js'),
    [
      'const { enableCompileCache, compileCacheStats } = require(process.env.CACHE_MODULE);',
      'const state = enableCompileCache();',
      "const dep = require('./dep');",
      'let line;',
      'try { dep.fail(); } catch (error) { line = /dep\\.js:(\\d+)/.exec(error.stack)[1]; }',
      "const mine = (files) => files.filter((f) => f.startsWith(__dirname)).map((f) => require('node:path').basename(f)).sort();",
      'const stats = () => ({ hits: mine(compileCacheStats.hits), misses: mine(compileCacheStats.misses) });',
      "require('./esm-loader')().then((esm) => console.log(JSON.stringify({ state, ...dep.facts(), esm: esm.value, line, ...stats() })));",
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(dir, 'dep.js'),
    [
      "const other = require('./other');",
      'exports.facts = () => ({',
      '  other: other.name,',
      '  file: path(__filename),',
      '  dir: path(__dirname),',
      "  resolved: path(require.resolve('./other')),",
      '  isMain: require.main === module,',
      '  mainIsEntry: path(require.main.filename),',
      '  thisIsExports: this === exports,',
      '});',
      "function path(p) { return require('node:path').basename(p); }",
      'exports.fail = () => {',
      "  throw new Error('line 13');",
      '};',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'other.js'), "module.exports = { name: 'other' };\n");
  fs.writeFileSync(path.join(dir, 'esm.mjs'), 'export const value = 42;\n');
  // import() in a CommonJS module: Node's own compile, so it works as it does without the cache.
  fs.writeFileSync(path.join(dir, 'esm-loader.js'), "module.exports = () => import('./esm.mjs');\n");
  return path.join(dir, 'entry.js');
}

function run(entry: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--require', require.resolve('tsx/cjs'), entry], {
    encoding: 'utf8',
    env: { ...process.env, CACHE_MODULE, NODE_DISABLE_COMPILE_CACHE: '', ...env },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe('compile cache', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-compile-cache-test-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const expectedFacts = {
    other: 'other',
    file: 'dep.js',
    dir: path.basename(''),
    resolved: 'other.js',
    isMain: false,
    mainIsEntry: 'entry.js',
    thisIsExports: true,
    esm: 42,
    line: '13',
  };

  it('compiles modules as Node does, then serves them from the cache in the next process', () => {
    const entry = fixture(dir);
    const cache = path.join(dir, 'cache');
    const first = run(entry, { GATEHOUSE_COMPILE_CACHE: cache });
    const compiled = ['dep.js', 'other.js'];
    expect(first).toEqual({ ...expectedFacts, dir: path.basename(dir), state: 'hooked', hits: [], misses: compiled });
    const second = run(entry, { GATEHOUSE_COMPILE_CACHE: cache });
    expect(second).toEqual({ ...first, hits: compiled, misses: [] });
  });

  it('compiles a changed module again', () => {
    const entry = fixture(dir);
    const cache = path.join(dir, 'cache');
    run(entry, { GATEHOUSE_COMPILE_CACHE: cache });
    fs.writeFileSync(path.join(dir, 'other.js'), "module.exports = { name: 'changed' };\n");
    expect(run(entry, { GATEHOUSE_COMPILE_CACHE: cache })).toMatchObject({
      other: 'changed',
      hits: ['dep.js'],
      misses: ['other.js'],
    });
  });

  it('uses no cache folder others can write to, and none when switched off', () => {
    const entry = fixture(dir);
    const open = path.join(dir, 'open');
    fs.mkdirSync(open, { mode: 0o777 });
    fs.chmodSync(open, 0o777);
    expect(run(entry, { GATEHOUSE_COMPILE_CACHE: open })).toMatchObject({ state: 'off', hits: [], misses: [] });
    expect(fs.readdirSync(open)).toEqual([]);
    const cache = path.join(dir, 'cache');
    expect(run(entry, { GATEHOUSE_COMPILE_CACHE: cache, NODE_DISABLE_COMPILE_CACHE: '1' })).toMatchObject({
      state: 'off',
      other: 'other',
    });
    expect(fs.existsSync(cache)).toBe(false);
  });
});

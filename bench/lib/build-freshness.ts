// Whether dist/ is a build of the sources as they are now: a bench that times the built CLI must not time
// yesterday's JavaScript, so it builds first when the bin is missing or older than any source it is built from.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BuildState {
  fresh: boolean;
  /** Why it is fresh or not, in words (file names and times), for the bench's output. */
  reason: string;
  /** The built bin, relative to the root (package.json's bin.gatehouse). */
  bin: string;
}

interface BuildConfig {
  include?: string[];
  exclude?: string[];
}

const wildcard = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^$()|[\]\\{}]/g, '\\$&').replace(/\*/g, '.*')}$`);

/** tsconfig.build.json's exclude entries: `**\/<name pattern>` matches a file name anywhere, others a path prefix. */
export function isExcluded(relative: string, exclude: string[]): boolean {
  const file = relative.split(path.sep).join('/');
  return exclude.some((pattern) => {
    if (pattern.startsWith('**/')) return wildcard(pattern.slice(3)).test(path.posix.basename(file));
    return file === pattern || file.startsWith(`${pattern.replace(/\/$/, '')}/`);
  });
}

/** The TypeScript files the build compiles (tsconfig.build.json's include minus its exclude), with the configs. */
export function buildSources(root: string): string[] {
  const config = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as BuildConfig;
  const exclude = config.exclude ?? [];
  const sources = ['tsconfig.build.json', 'tsconfig.json'].filter((f) => fs.existsSync(path.join(root, f)));
  const walk = (relative: string) => {
    if (isExcluded(relative, exclude)) return;
    const full = path.join(root, relative);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) {
      for (const entry of fs.readdirSync(full)) walk(path.join(relative, entry));
    } else if (/\.ts$/.test(relative) && !/\.d\.ts$/.test(relative)) sources.push(relative);
  };
  for (const entry of config.include ?? []) walk(entry);
  return sources;
}

export function buildState(root: string): BuildState {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin?: Record<string, string> };
  const bin = pkg.bin?.gatehouse ?? 'dist/cli/gatehouse.js';
  const binFile = path.join(root, bin);
  if (!fs.existsSync(binFile)) return { fresh: false, reason: `${bin} is missing`, bin };
  const builtAt = fs.statSync(binFile).mtimeMs;
  let newest = { file: '', mtimeMs: -Infinity };
  for (const file of buildSources(root)) {
    const mtimeMs = fs.statSync(path.join(root, file)).mtimeMs;
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  const at = (ms: number) => new Date(ms).toISOString();
  if (newest.mtimeMs > builtAt)
    return {
      fresh: false,
      reason: `${newest.file} (changed ${at(newest.mtimeMs)}) is newer than ${bin} (built ${at(builtAt)})`,
      bin,
    };
  return { fresh: true, reason: `${bin} (built ${at(builtAt)}) is newer than every source it is built from`, bin };
}

/** The newest modification time of anything under `dir` (files and folders), or undefined when it is missing. */
export function newestChange(dir: string): number | undefined {
  if (!fs.existsSync(dir)) return undefined;
  let newest = fs.statSync(dir).mtimeMs;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const t = entry.isDirectory() ? newestChange(full) : fs.statSync(full).mtimeMs;
    if (t !== undefined && t > newest) newest = t;
  }
  return newest;
}

/**
 * Whether a build in `dir` looks finished: the bin is there and nothing under `dir` changed for `quietMs`.
 * The checkout is shared, and someone else's `npm run build` empties dist/ and writes it again.
 */
export function buildSettled(root: string, bin: string, quietMs: number, now = Date.now()): boolean {
  if (!fs.existsSync(path.join(root, bin))) return false;
  const newest = newestChange(path.join(root, bin.split('/')[0]));
  return newest !== undefined && now - newest >= quietMs;
}

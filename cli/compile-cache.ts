// A V8 code cache for the built CLI's CommonJS modules: every `gatehouse` run compiles the same few hundred
// files (commander, yaml, ajv, swagger-parser, cdktf, the provider's submodules), and V8 can keep what it
// compiled. Node 22.1+ does this itself (module.enableCompileCache); on Node 20 the same is done here by
// compiling each module through vm.Script with cachedData, the way Node's loader compiles it otherwise.
// The cache lives in a directory of the user's own (0700, owned by them, else no cache): cached bytecode is
// code, so a directory another user can write to is never read. NODE_DISABLE_COMPILE_CACHE=1 switches it off
// (Node's own setting for its cache); GATEHOUSE_COMPILE_CACHE=<dir> moves it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { writeFileAtomically } from '../openapi/model/write-atomically';

export type CompileCacheState = 'native' | 'hooked' | 'off';

/** What of node:module's CommonJS loader this uses; not in @types/node, stable since Node 12. */
interface LoaderModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}
interface LoaderStatics {
  prototype: LoaderModule;
  _resolveFilename(request: string, parent: LoaderModule, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: LoaderModule): string[] | null;
  _extensions: unknown;
  _cache: unknown;
  enableCompileCache?: (dir?: string) => unknown;
}

const loader = Module as unknown as LoaderStatics;

/** The wrapper Node's loader puts around a CommonJS module (Module.wrap). */
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_END = '\n});';

/** Where the cache goes: its root (the directory that must be the user's alone) and the folder for this Node. */
export function cacheDirOf(env: NodeJS.ProcessEnv = process.env): { root: string; dir: string } {
  const root = env.GATEHOUSE_COMPILE_CACHE || path.join(os.tmpdir(), `gatehouse-compile-cache-${os.userInfo().uid}`);
  return { root, dir: path.join(root, `${process.version}-${process.arch}`) };
}

/** The folder, made when missing; undefined when it cannot be made, or its root is someone else's or writable by others. */
function privateDir({ root, dir }: { root: string; dir: string }): string | undefined {
  try {
    fs.mkdirSync(root, { recursive: true, mode: 0o700 });
    const stat = fs.statSync(root);
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return undefined;
    if ((stat.mode & 0o022) !== 0) return undefined;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  } catch {
    return undefined;
  }
}

/**
 * Turns the cache on for the modules required from now on. Native on Node 22.1+, otherwise by compiling
 * through vm.Script; 'off' when disabled or no private directory is to be had.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): CompileCacheState {
  if (env.NODE_DISABLE_COMPILE_CACHE) return 'off';
  const dir = privateDir(cacheDirOf(env));
  if (dir === undefined) return 'off';
  if (typeof loader.enableCompileCache === 'function') {
    loader.enableCompileCache(dir);
    return 'native';
  }
  hookCompile(dir);
  return 'hooked';
}

/** Files compiled through the hook in this process: from the cache, or compiled (and written at exit). */
export const compileCacheStats: { hits: string[]; misses: string[] } = { hits: [], misses: [] };

/** `import(` anywhere, comments and strings included: a false positive only costs that file its cache. */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

interface Pending {
  script: vm.Script;
  file: string;
}

function hookCompile(dir: string): void {
  const original = loader.prototype._compile;
  const pending: Pending[] = [];
  loader.prototype._compile = function compileCached(this: LoaderModule, content: string, filename: string) {
    // What Node strips first (a BOM, a hashbang) and what imports ESM goes the usual way: a vm.Script's
    // import() needs a loader option Node 20 calls experimental (and warns about), and fails from cached data.
    if (content.charCodeAt(0) === 0xfeff || content.startsWith('#!') || DYNAMIC_IMPORT.test(content))
      return original.call(this, content, filename);
    const file = path.join(
      dir,
      `${createHash('sha256').update(filename).update('\0').update(content).digest('hex')}.bin`,
    );
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(WRAPPER_START + content + WRAPPER_END, { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) {
      compileCacheStats.misses.push(filename);
      pending.push({ script, file });
    } else compileCacheStats.hits.push(filename);
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireOf(this), this, filename, path.dirname(filename));
  };
  // After the run, so the cache holds the functions the run compiled lazily too.
  process.once('exit', () => {
    for (const { script, file } of pending) {
      try {
        const data = script.createCachedData();
        writeFileAtomically(file, data);
      } catch {
        // A cache that cannot be written costs the next run its speed, nothing else.
      }
    }
  });
}

/** The `require` Node's loader gives a module (makeRequireFunction). */
function requireOf(mod: LoaderModule): NodeJS.Require {
  const require = ((id: string) => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: unknown) =>
    loader._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = loader._extensions as NodeJS.Require['extensions'];
  require.cache = loader._cache as NodeJS.Require['cache'];
  return require;
}

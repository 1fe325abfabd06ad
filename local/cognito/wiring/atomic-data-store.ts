// cognito-local's data store (one JSON file per pool, plus clients.json) with writes that a crash cannot
// tear. cognito-local's StormDB store writes the file in place with fs.writeFile, so a `kill -9` mid-write
// leaves half a JSON document, and two saves of one file at once can interleave. Here each save writes a
// temporary file beside it and renames it over the old one (rename is atomic on one file system), so the
// file is always a whole earlier or later state. Saves of one file coalesce: while one is being written,
// later ones wait and the next write takes the newest state, so a burst costs two writes, not one each.
// No fsync: the data directory lives as long as its process, and a killed process loses nothing the kernel
// already has; only a power loss could, and then the temporary directory is gone too.
//
// The files hold users' passwords and client secrets: they are created 0600, the directory 0700.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context } from 'cognito-local/lib/services/context';
import type { DataStore } from 'cognito-local/lib/services/dataStore/dataStore';
import type { DataStoreFactory } from 'cognito-local/lib/services/dataStore/factory';

type JsonRecord = Record<string, unknown>;

/** cognito-local's records keep dates in members named *Date; on disk they are ISO strings (as its StormDB store has them). */
function datesToStrings(this: unknown, key: string, value: unknown): unknown {
  if (!key.endsWith('Date')) return value;
  const original = (this as JsonRecord)[key];
  if (!(original instanceof Date))
    throw new Error(`Serialize: expected ${key} to hold a Date, received a ${typeof original}`);
  return original.toISOString();
}

function stringsToDates(key: string, value: unknown): unknown {
  if (!key.endsWith('Date')) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') return new Date(Date.parse(value));
  throw new Error(`Deserialize: expected ${key} to hold a string or a number, received a ${typeof value}`);
}

let sequence = 0;

/** One JSON file written whole, atomically, with saves coalesced. */
export class AtomicJsonFile {
  private writing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(
    readonly file: string,
    private readonly state: () => unknown,
  ) {}

  /** Resolves once a write that began after this call (so it holds the state as of now, or newer) is on disk. */
  save(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.writing) return this.start();
    const after = this.writing.catch(() => undefined);
    this.queued = after.then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<void> {
    const writing = this.writeNow().finally(() => {
      if (this.writing === writing) this.writing = undefined;
    });
    this.writing = writing;
    return writing;
  }

  private async writeNow(): Promise<void> {
    // The temporary name does not end in .json: cognito-local takes every *.json in the directory for a pool.
    const temp = `${this.file}.${process.pid}.${++sequence}.tmp`;
    const text = JSON.stringify(this.state(), datesToStrings, 2);
    try {
      await writeFile(temp, text, { mode: 0o600 });
      await rename(temp, this.file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

/** The store behind one file, with StormDB's semantics as cognito-local uses them: live references in and out. */
export class AtomicDataStore implements DataStore {
  constructor(
    private readonly root: JsonRecord,
    private readonly file: AtomicJsonFile,
  ) {}

  static async open(file: string, defaults: object): Promise<AtomicDataStore> {
    let root: JsonRecord = {};
    try {
      root = JSON.parse(await readFile(file, 'utf8'), stringsToDates) as JsonRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // As StormDB's default(): an empty store takes the defaults, a stored one keeps what it has.
    if (Object.keys(root).length === 0) root = defaults as JsonRecord;
    const state = root;
    const writer = new AtomicJsonFile(file, () => state);
    await writer.save();
    return new AtomicDataStore(state, writer);
  }

  async getRoot<T>(_ctx: Context): Promise<T | null> {
    return (this.root as T) ?? null;
  }

  get<T>(ctx: Context, key: string | string[]): Promise<T | null>;
  get<T>(ctx: Context, key: string | string[], defaultValue: T): Promise<T>;
  async get<T>(_ctx: Context, key: string | string[], defaultValue?: T): Promise<T | null> {
    let value: unknown = this.root;
    for (const part of Array.isArray(key) ? key : [key]) {
      if (value === null || typeof value !== 'object') {
        value = undefined;
        break;
      }
      value = (value as JsonRecord)[part];
    }
    return (value as T | undefined) ?? defaultValue ?? null;
  }

  async set<T>(_ctx: Context, key: string | string[], value: T): Promise<void> {
    const path = Array.isArray(key) ? key : [key];
    let parent = this.root;
    for (const part of path.slice(0, -1)) {
      const next = parent[part];
      if (next === null || typeof next !== 'object') parent[part] = {};
      parent = parent[part] as JsonRecord;
    }
    parent[path[path.length - 1]] = value;
    await this.file.save();
  }

  async delete(_ctx: Context, key: string | string[]): Promise<void> {
    const path = Array.isArray(key) ? key : [key];
    let parent: unknown = this.root;
    for (const part of path.slice(0, -1)) parent = (parent as JsonRecord | undefined)?.[part];
    if (parent !== null && typeof parent === 'object') delete (parent as JsonRecord)[path[path.length - 1]];
    await this.file.save();
  }
}

export class AtomicDataStoreFactory implements DataStoreFactory {
  constructor(private readonly directory: string) {}

  async create(_ctx: Context, id: string, defaults: object): Promise<DataStore> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    return AtomicDataStore.open(join(this.directory, `${id}.json`), defaults);
  }
}

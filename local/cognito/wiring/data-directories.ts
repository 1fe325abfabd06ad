// The local Cognito's data directories: one per instance in the temporary directory, marked with the
// owning process, and those of processes that died without removing theirs (a `kill -9`, a crash, a
// closed terminal) removed when the next instance starts. They hold users' passwords and client secrets,
// so a dead stack's directory must not stay readable on the machine.
//
// A directory is removed only when its marker names a process that is gone: one without a marker may be
// an instance of an older version still running (or one between creating its directory and marking it),
// so it is left alone. On Linux the marker also holds the process's start time, so a reused PID is not
// taken for the owner still running.
import { lstat, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DATA_DIRECTORY_PREFIX = 'gatehouse-cognito-';
/** The marker's name: not *.json, which cognito-local would take for a pool. */
export const OWNER_FILE = 'owner';

export interface Owner {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks after boot); absent where there is no /proc. */
  startTicks?: string;
}

/** When `pid` started, as /proc has it; undefined where it cannot be read. */
export function startTicksOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces; the fields after it are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export function isAlive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but is another user's.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (owner.startTicks === undefined) return true;
  const now = startTicksOf(owner.pid);
  return now === undefined || now === owner.startTicks;
}

function parseOwner(text: string): Owner | undefined {
  try {
    const value = JSON.parse(text) as Partial<Owner>;
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) return undefined;
    return {
      pid: value.pid as number,
      ...(typeof value.startTicks === 'string' ? { startTicks: value.startTicks } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Removes the data directories under `root` whose owner has died; returns their paths. */
export async function sweepDataDirectories(root: string = tmpdir()): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const uid = process.getuid?.();
  const removed: string[] = [];
  await Promise.all(
    entries
      .filter((entry) => entry.isDirectory() && entry.name.startsWith(DATA_DIRECTORY_PREFIX))
      .map(async (entry) => {
        const directory = join(root, entry.name);
        try {
          // Only our own user's directories: another user's are theirs to clean (and we could not).
          if (uid !== undefined && (await lstat(directory)).uid !== uid) return;
          const owner = parseOwner(await readFile(join(directory, OWNER_FILE), 'utf8'));
          if (!owner || owner.pid === process.pid || isAlive(owner)) return;
          await rm(directory, { recursive: true, force: true });
          removed.push(directory);
        } catch {
          // Unmarked, unreadable, or removed meanwhile by another sweep or its owner's stop: not ours to judge.
        }
      }),
  );
  return removed;
}

export interface DataDirectory {
  path: string;
  /** Directories of dead instances removed before this one was made. */
  swept: string[];
}

/** Sweeps `root`, then makes this instance's directory (0700, as mkdtemp makes it) and marks it as this process's. */
export async function createDataDirectory(root: string = tmpdir()): Promise<DataDirectory> {
  const swept = await sweepDataDirectories(root);
  const path = await mkdtemp(join(root, DATA_DIRECTORY_PREFIX));
  try {
    const startTicks = startTicksOf(process.pid);
    const owner: Owner = { pid: process.pid, ...(startTicks !== undefined ? { startTicks } : {}) };
    await writeFile(join(path, OWNER_FILE), JSON.stringify(owner), { mode: 0o600 });
  } catch (error) {
    await rm(path, { recursive: true, force: true });
    throw error;
  }
  return { path, swept };
}

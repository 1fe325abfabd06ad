// What a benchmark reads about the local stack's process from outside it (Linux /proc): its resident
// memory, and the size of the local Cognito's data directory, found by the owner its marker names.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DATA_DIRECTORY_PREFIX, OWNER_FILE } from '../../local/cognito/wiring/data-directories';

/** Resident set size of `pid` in MiB; null where /proc cannot be read. */
export function rssMiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The local Cognito data directories in the temporary directory that `pid` owns. */
export function dataDirectoriesOf(pid: number, root = os.tmpdir()): string[] {
  const found: string[] = [];
  for (const name of fs.readdirSync(root)) {
    if (!name.startsWith(DATA_DIRECTORY_PREFIX)) continue;
    try {
      const owner = JSON.parse(fs.readFileSync(path.join(root, name, OWNER_FILE), 'utf8')) as { pid?: number };
      if (owner.pid === pid) found.push(path.join(root, name));
    } catch {
      // Not marked, or not readable: not the one asked for.
    }
  }
  return found;
}

/** Bytes of the files directly in `directory` (a data directory holds no subdirectories). */
export function directoryBytes(directory: string): number {
  let total = 0;
  for (const name of fs.readdirSync(directory)) total += fs.statSync(path.join(directory, name)).size;
  return total;
}

export function loadAverage(): number {
  return Math.round(os.loadavg()[0] * 100) / 100;
}

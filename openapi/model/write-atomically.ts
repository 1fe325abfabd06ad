// The one way gatehouse writes a file that something else reads (the outputs file, the token store, the cached
// schema validator and compiled code, bench results): whole or not at all, and readable by its owner only unless
// told otherwise. In the model's folder only because every layer may import the model; it reads no document.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `data` to a temporary file beside `file`, then renames it over `file`: a reader sees the old content or
 * the new, never part of it, and a failed write leaves no temporary file behind. The folder is created if missing.
 */
export function writeFileAtomically(file: string, data: string | Uint8Array, options: { mode?: number } = {}): void {
  const mode = options.mode ?? 0o600;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temp, data, { mode });
    // writeFileSync's mode is filtered by the umask: set it outright.
    fs.chmodSync(temp, mode);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

// The committed openapi/types/*.d.ts are what `npm run gen:types` generates from the documents today.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { TYPED_DOCUMENTS, TYPES_DIR } from '../../scripts/gen-types';

const REPO = path.resolve(__dirname, '..', '..');

describe('generated types', () => {
  let freshDir: string;
  beforeAll(async () => {
    freshDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-types-'));
    // A child process, as `npm run gen:types` runs it: openapi-typescript is ESM-only inside jest's runtime.
    await promisify(execFile)(
      path.join(REPO, 'node_modules', '.bin', 'tsx'),
      ['scripts/gen-types.ts', '--out', freshDir],
      { cwd: REPO },
    );
  });

  it.each(TYPED_DOCUMENTS.map((d) => [d.types, d.spec]))('openapi/types/%s is current with %s', (types) => {
    const fresh = fs.readFileSync(path.join(freshDir, types), 'utf8');
    expect(fresh).toContain('export interface components');
    // When this fails: run `npm run gen:types` and commit openapi/types.
    expect(fs.readFileSync(path.join(TYPES_DIR, types), 'utf8')).toBe(fresh);
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomically } from './write-atomically';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'write-atomically-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('writes the file whole into a new folder, 0600 whatever the umask, with no temporary file left', () => {
  const file = path.join(dir, 'nested', 'out.json');
  const umask = process.umask(0);
  try {
    writeFileAtomically(file, '{"a":1}\n');
  } finally {
    process.umask(umask);
  }
  expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n');
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  expect(fs.readdirSync(path.dirname(file))).toEqual(['out.json']);
});

test('replaces an existing file, with the mode asked for', () => {
  const file = path.join(dir, 'out.txt');
  fs.writeFileSync(file, 'old');
  writeFileAtomically(file, Buffer.from('new'), { mode: 0o644 });
  expect(fs.readFileSync(file, 'utf8')).toBe('new');
  expect(fs.statSync(file).mode & 0o777).toBe(0o644);
});

test('a rename that fails leaves the old content and no temporary file', () => {
  const file = path.join(dir, 'taken');
  fs.mkdirSync(file);
  fs.writeFileSync(path.join(file, 'inside'), 'x');
  expect(() => writeFileAtomically(file, 'new')).toThrow();
  expect(fs.readdirSync(dir)).toEqual(['taken']);
  expect(fs.readdirSync(file)).toEqual(['inside']);
});

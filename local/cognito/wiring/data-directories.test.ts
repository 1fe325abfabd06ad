// Data directories of local Cognito instances that died without removing theirs (kill -9) hold users'
// passwords and client secrets: the next instance to start removes them, and leaves alone those of
// instances still running and directories it cannot tell are ours.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalCognito } from './local-cognito';
import {
  createDataDirectory,
  DATA_DIRECTORY_PREFIX,
  OWNER_FILE,
  startTicksOf,
  sweepDataDirectories,
} from './data-directories';
import { startChild } from './testing/children';

let root: string;
beforeEach(() => {
  // A root of the test's own, so other local stacks on the machine are neither swept nor counted.
  root = mkdtempSync(join(tmpdir(), 'gatehouse-data-root-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('the data directory of a local Cognito killed with kill -9 is removed when the next one starts', async () => {
  const child = startChild('start-and-wait.ts', [root]);
  const { dataDirectory, poolId } = JSON.parse(await child.line((line) => line.startsWith('{'))) as {
    dataDirectory: string;
    poolId: string;
  };
  await child.kill9();
  expect(readFileSync(join(dataDirectory, `${poolId}.json`), 'utf8')).toContain('left-behind');

  const next = await startLocalCognito({ dataRoot: root });
  try {
    expect(next.sweptDataDirectories).toEqual([dataDirectory]);
    expect(existsSync(dataDirectory)).toBe(false);
    expect(existsSync(next.dataDirectory)).toBe(true);
  } finally {
    await next.stop();
  }
  // A child process starting Node, tsx and a local Cognito: longer than the default on a loaded machine.
}, 90_000);

test('a running instance’s directory, and one with no owner marked, are left alone', async () => {
  const running = await createDataDirectory(root);
  const unmarked = join(root, `${DATA_DIRECTORY_PREFIX}unmarked`);
  mkdirSync(unmarked);
  const notOurs = join(root, 'other-tool-dir');
  mkdirSync(notOurs);
  writeFileSync(join(notOurs, OWNER_FILE), JSON.stringify({ pid: 999_999_999 }));

  expect(await sweepDataDirectories(root)).toEqual([]);
  expect([running.path, unmarked, notOurs].every((dir) => existsSync(dir))).toBe(true);
});

test('a directory whose PID now belongs to another process (a reused PID) is removed', async () => {
  const ticks = startTicksOf(process.pid);
  if (ticks === undefined) return; // No /proc here: the PID alone decides, as the next test shows.
  const reused = join(root, `${DATA_DIRECTORY_PREFIX}reused`);
  mkdirSync(reused);
  // A live PID (this process's parent) with a start time it does not have: the owner that wrote it is gone.
  writeFileSync(join(reused, OWNER_FILE), JSON.stringify({ pid: process.ppid, startTicks: `${Number(ticks) + 1}` }));
  expect(await sweepDataDirectories(root)).toEqual([reused]);
});

test('a directory marked by a PID no process has is removed', async () => {
  const dead = join(root, `${DATA_DIRECTORY_PREFIX}dead`);
  mkdirSync(dead);
  writeFileSync(join(dead, OWNER_FILE), JSON.stringify({ pid: 999_999_999 }));
  writeFileSync(join(dead, 'us-east-1_x.json'), '{}');
  expect(await sweepDataDirectories(root)).toEqual([dead]);
  expect(existsSync(dead)).toBe(false);
});

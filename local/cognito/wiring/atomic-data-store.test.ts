// The local Cognito's pool files: written whole or not at all, so a `kill -9` in the middle of a save
// leaves an earlier state rather than half a JSON document (cognito-local's StormDB store writes in place);
// owner-only modes, since they hold passwords and client secrets; saves of one file coalesced.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AtomicDataStoreFactory } from './atomic-data-store';
import { silentContext } from './cognito-local-core';
import { startChild } from './testing/children';
import { createPool, createUser, startTestCognito } from '../test-support';

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-store-test-'));
  scratch.push(dir);
  return dir;
}

test('a pool’s file killed (kill -9) in the middle of saves is still a whole pool', async () => {
  const dir = scratchDir();
  const file = join(dir, 'us-east-1_killed.json');
  for (let kill = 0; kill < 3; kill++) {
    const child = startChild('write-pool-forever.ts', [dir]);
    await child.line((line) => line.startsWith('saved'));
    const whole = statSync(file).size;
    // Killed the moment the file is seen short of a whole pool (a write in place), else after 20 more saves.
    let seenShort = false;
    const until = child.lines + 20;
    while (child.lines < until && !seenShort) {
      seenShort = statSync(file).size < whole * 0.9;
      if (!seenShort) await new Promise((resolve) => setImmediate(resolve));
    }
    await child.kill9();
    expect(seenShort).toBe(false);
    const pool = JSON.parse(readFileSync(file, 'utf8')) as { Users: Record<string, { round?: number }> };
    expect(Object.keys(pool.Users)).toHaveLength(2000);
    expect(pool.Users['user-0'].round).toBeGreaterThanOrEqual(0);
  }
  // Three child processes, each starting Node and tsx: longer than the default on a loaded machine.
}, 120_000);

test('the pool and client files are readable by their owner only, in a directory only the owner can enter', async () => {
  const t = await startTestCognito();
  try {
    const poolId = await createPool(t.sdk);
    await t.sdk.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'secret', GenerateSecret: true }),
    );
    await createUser(t.sdk, poolId, 'alice');
    const dir = t.cognito.dataDirectory;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(['clients.json', `${poolId}.json`]));
    for (const file of files)
      expect({ file, mode: statSync(join(dir, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
  } finally {
    await t.stop();
  }
});

test('saves made at once all resolve and leave the last state on disk, with no temporary file behind', async () => {
  const dir = scratchDir();
  const store = await new AtomicDataStoreFactory(dir).create(silentContext, 'pool', { Users: {} });
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => store.set(silentContext, ['Users', `u${i}`], { Username: `u${i}` })),
  );
  await store.delete(silentContext, ['Users', 'u3']);
  const onDisk = JSON.parse(readFileSync(join(dir, 'pool.json'), 'utf8')) as { Users: Record<string, unknown> };
  expect(Object.keys(onDisk.Users)).toHaveLength(19);
  expect(onDisk.Users.u3).toBeUndefined();
  expect(readdirSync(dir)).toEqual(['pool.json']);
});

test('a pool read back from its file has its dates as dates and keeps what it had over the defaults', async () => {
  const dir = scratchDir();
  const created = new Date('2026-01-02T03:04:05.000Z');
  const first = await new AtomicDataStoreFactory(dir).create(silentContext, 'pool', { Users: {} });
  await first.set(silentContext, ['Users', 'alice'], { Username: 'alice', UserCreateDate: created });
  const again = await new AtomicDataStoreFactory(dir).create(silentContext, 'pool', { Users: {}, Other: true });
  const alice = await again.get<{ UserCreateDate: Date }>(silentContext, ['Users', 'alice']);
  expect(alice?.UserCreateDate).toEqual(created);
  expect(await again.get(silentContext, 'Other')).toBeNull();
  expect(await again.get(silentContext, ['Users', 'nobody', 'deeper'], 'default')).toBe('default');
});

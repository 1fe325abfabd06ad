// A child process for atomic-data-store.test.ts: fills a pool's file through the local Cognito's data
// store, then saves it again and again, printing a line after each save, until it is killed.
import { dataStoreFactoryFor, silentContext } from '../cognito-local-core';

async function main(directory: string): Promise<void> {
  const store = await dataStoreFactoryFor(directory).create(silentContext, 'us-east-1_killed', {
    Users: {},
    Options: { Id: 'us-east-1_killed' },
  });
  // About 4 MB of users, so one save takes long enough for a kill to land in the middle of it.
  const padding = 'x'.repeat(2000);
  const users = Object.fromEntries(
    Array.from({ length: 2000 }, (_, i) => [`user-${i}`, { Username: `user-${i}`, padding }]),
  );
  await store.set(silentContext, 'Users', users);
  for (let round = 0; ; round++) {
    await store.set(silentContext, ['Users', 'user-0'], { Username: 'user-0', padding, round });
    process.stdout.write(`saved ${round}\n`);
  }
}

void main(process.argv[2]);

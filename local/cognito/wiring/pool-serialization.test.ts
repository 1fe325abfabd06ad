import { KeyedQueue } from './pool-serialization';

/** A task that records when it starts and ends, and finishes when `release` is called. */
function gatedTask(log: string[], name: string, outcome: 'resolve' | 'reject' = 'resolve') {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const task = async () => {
    log.push(`${name} start`);
    await gate;
    log.push(`${name} end`);
    if (outcome === 'reject') throw new Error(`${name} failed`);
    return name;
  };
  return { task, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('tasks of one key run one at a time, in the order they were queued', async () => {
  const queue = new KeyedQueue();
  const log: string[] = [];
  const a = gatedTask(log, 'a');
  const b = gatedTask(log, 'b');
  const first = queue.run('pool-1', a.task);
  const second = queue.run('pool-1', b.task);
  await tick();
  expect(log).toEqual(['a start']);
  b.release();
  await tick();
  expect(log).toEqual(['a start']);
  a.release();
  expect(await Promise.all([first, second])).toEqual(['a', 'b']);
  expect(log).toEqual(['a start', 'a end', 'b start', 'b end']);
});

test('tasks of different keys run at the same time', async () => {
  const queue = new KeyedQueue();
  const log: string[] = [];
  const a = gatedTask(log, 'a');
  const b = gatedTask(log, 'b');
  const first = queue.run('pool-1', a.task);
  const second = queue.run('pool-2', b.task);
  await tick();
  expect(log).toEqual(['a start', 'b start']);
  b.release();
  a.release();
  await Promise.all([first, second]);
});

test('a failed task passes its error to its caller and does not stop the next one', async () => {
  const queue = new KeyedQueue();
  const log: string[] = [];
  const a = gatedTask(log, 'a', 'reject');
  const b = gatedTask(log, 'b');
  const first = queue.run('pool-1', a.task);
  const second = queue.run('pool-1', b.task);
  a.release();
  b.release();
  await expect(first).rejects.toThrow('a failed');
  await expect(second).resolves.toBe('b');
});

test('an idle key holds no entry', async () => {
  const queue = new KeyedQueue();
  await queue.run('pool-1', async () => 1);
  await tick();
  expect(queue.busyKeys).toBe(0);
});

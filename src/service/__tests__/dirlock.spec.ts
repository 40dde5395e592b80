/**
 * The transfer threads' folder locks (transfer/dirlock.ts): two threads
 * never work in one folder at once, folders apart do not wait for each
 * other, and a lock nobody gives back (a thread that died holding it) is
 * waited for once, 50 ms, then no more.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DirLocks, dirLockTable, giveBackAll } from '../engine/transfer/dirlock';
import { buildBundle } from './bundle';

let dir: string;
let bundle: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dirlock-'));
  bundle = buildBundle(path.join(dir, 'dirlock.cjs'), path.join(__dirname, '..', 'engine', 'transfer', 'dirlock.ts'));
}, 60000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** In a thread: `rounds` times, hold the lock of `file` and count how many threads are inside at once. */
const THREAD = `
const { workerData, parentPort } = require('node:worker_threads');
const { DirLocks } = require(workerData.bundle);
const locks = new DirLocks(workerData.table, require('node:worker_threads').threadId);
const seen = new Int32Array(workerData.seen);
for (let i = 0; i < workerData.rounds; i++) {
  locks.around(workerData.file, () => {
    const inside = Atomics.add(seen, 0, 1) + 1;
    Atomics.store(seen, 1, Math.max(Atomics.load(seen, 1), inside));
    const until = Date.now() + 0.2;
    while (Date.now() < until) {}
    Atomics.sub(seen, 0, 1);
    Atomics.add(seen, 2, 1);
  });
  // The rest of a file's work, outside the lock.
  const until = Date.now() + 0.3;
  while (Date.now() < until) {}
}
parentPort.postMessage('done');
`;

/** Two threads working on `files[0]` and `files[1]`: the most inside at once, and the rounds done. */
async function twoThreads(files: [string, string], rounds = 2000): Promise<{ most: number; done: number }> {
  const table = dirLockTable();
  const seen = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  await Promise.all(
    files.map(
      file =>
        new Promise((resolve, reject) => {
          const worker = new Worker(THREAD, { eval: true, workerData: { bundle, table, seen, file, rounds } });
          worker.once('message', resolve);
          worker.once('error', reject);
        })
    )
  );
  const counts = new Int32Array(seen);
  return { most: counts[1], done: counts[2] };
}

it('lets one thread at a time work in a folder', async () => {
  expect(await twoThreads(['/data/dl/a.bin', '/data/dl/b.bin'])).toEqual({ most: 1, done: 4000 });
}, 60000);

it('does not make a folder wait for another', () => {
  const table = dirLockTable();
  const holder = new DirLocks(table, 1);
  const other = new DirLocks(table, 2);
  holder.around('/data/one/a.bin', () => {
    const start = Date.now();
    expect(other.around('/data/other/b.bin', () => 'ran')).toBe('ran');
    expect(Date.now() - start).toBeLessThan(20);
  });
});

it('waits at most 50 ms for a lock, and the locks of a thread that died are given back', () => {
  const table = dirLockTable();
  const dead = new DirLocks(table, 7);
  const other = new DirLocks(table, 8);
  // Held and never given back: the thread holding it stops in the middle (as a thread that is terminated).
  expect(() =>
    dead.around('/data/dl/held.bin', () => {
      const start = Date.now();
      expect(other.around('/data/dl/other.bin', () => 'went ahead')).toBe('went ahead');
      const waited = Date.now() - start;
      expect(waited).toBeGreaterThanOrEqual(45);
      expect(waited).toBeLessThan(1000);
      throw new Error('stop');
    })
  ).toThrow('stop');
  // A thrown error gives the lock back too.
  let start = Date.now();
  other.around('/data/dl/c.bin', () => undefined);
  expect(Date.now() - start).toBeLessThan(20);
  // A lock left held (a cell naming thread 7) is given back for it.
  new Int32Array(table).fill(7);
  giveBackAll(table, 7);
  start = Date.now();
  other.around('/data/dl/d.bin', () => undefined);
  expect(Date.now() - start).toBeLessThan(20);
  expect(new Int32Array(table).every(cell => cell === 0)).toBe(true);
});

/**
 * Quota mode walks the root again after it changed (`DiskMonitor.stale`),
 * but not again and again while the engine's own downloads keep writing:
 * those are counted as they go, and the walk waits until they stop.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskMonitor } from '../engine/local/disk';

let root: string;
let disk: DiskMonitor;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-remeasure-'));
  fs.writeFileSync(path.join(root, 'a.bin'), Buffer.alloc(4096));
});
afterEach(() => {
  disk.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The times a walk ended, as the figures say them. */
async function walks(during: () => Promise<void>): Promise<Set<string | null>> {
  const seen = new Set<string | null>();
  const stop = disk.onChange(e => seen.add(e.measuredAt));
  await during();
  stop();
  return seen;
}

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

it("waits for the engine's own writes to stop before walking again, counting them meanwhile", async () => {
  disk = new DiskMonitor({ rootDir: root, mode: 'quota', limit: 10 ** 9, remeasureMs: 20 });
  await disk.refresh();
  const first = (await disk.usage()).measuredAt;
  const writing = await walks(async () => {
    for (let i = 0; i < 30; i++) {
      disk.changed(1000);
      await sleep(10);
    }
  });
  // Listeners heard of the writes, but no walk ran while they came: the figures count them.
  expect(writing.size).toBeGreaterThan(0);
  expect([...writing]).toEqual([first]);
  expect((await disk.usage()).measuredAt).toBe(first);
  // Once they stop, one walk measures afresh.
  const after = await walks(() => sleep(300));
  expect([...after].some(t => t !== first)).toBe(true);
});

it('walks again soon after a change that is not its own (a command line beside it)', async () => {
  disk = new DiskMonitor({ rootDir: root, mode: 'quota', limit: 10 ** 9, remeasureMs: 20 });
  await disk.refresh();
  const first = (await disk.usage()).measuredAt;
  const seen = await walks(async () => {
    for (let i = 0; i < 30; i++) {
      disk.stale();
      await sleep(10);
    }
  });
  expect([...seen].some(t => t !== first)).toBe(true);
});

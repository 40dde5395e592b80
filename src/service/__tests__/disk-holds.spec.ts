/**
 * The space check before each downloaded file (`DiskMonitor.hold`): a
 * folder of many small files does not ask the filesystem once per file, yet
 * the figure it reuses counts what the files wrote since, a check near the
 * limit measures again, and so does one after a write the disk refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiskMonitor, STATFS_REUSE_MS } from '../engine/local/disk';
import { tempRoot } from './transfer-helpers';

const MB = 1000 * 1000;

describe('space checks of many files', () => {
  let root: string;
  let calls: number;
  /** Bytes the fake filesystem has free (4 KiB blocks, no capacity: no margin). */
  let free: number;
  let disk: DiskMonitor;

  beforeEach(() => {
    root = tempRoot();
    fs.mkdirSync(path.join(root, 'dl'));
    calls = 0;
    free = 1000 * MB;
    disk = new DiskMonitor({
      rootDir: root,
      mode: 'filesystem',
      remeasureMs: null,
      statfs: async () => {
        calls++;
        return { bavail: Math.floor(free / 4096), bsize: 4096 };
      }
    });
  });

  afterEach(() => {
    disk.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('ask the filesystem once for a run of small files in one folder', async () => {
    const dir = path.join(root, 'dl');
    for (let i = 0; i < 20; i++) {
      const hold = await disk.hold(dir, 16 * 1024, `dl/f${i}`);
      hold.wrote(16 * 1024);
      hold.release();
    }
    expect(calls).toBe(1);
    // Another folder, and the same one once the figure is old, are measured again.
    await disk.checkSpace(root, 1, 'x');
    expect(calls).toBe(2);
    await new Promise(resolve => setTimeout(resolve, STATFS_REUSE_MS + 20));
    await disk.checkSpace(root, 1, 'x');
    expect(calls).toBe(3);
  });

  it('count what the files wrote since the figure was taken, and measure again near the limit', async () => {
    const dir = path.join(root, 'dl');
    // 300 MB written after the measure: the reused figure says 700 MB free, enough for 300 MB more.
    const first = await disk.hold(dir, 300 * MB, 'dl/a');
    first.wrote(300 * MB);
    first.release();
    free -= 300 * MB;
    const second = await disk.hold(dir, 300 * MB, 'dl/b');
    expect(calls).toBe(1);
    second.wrote(300 * MB);
    second.release();
    free -= 300 * MB;
    // 400 MB left: 300 MB would take more than half of it, so the filesystem is asked.
    const third = await disk.hold(dir, 300 * MB, 'dl/c');
    expect(calls).toBe(2);
    third.release();
    // Another writer filled the disk meanwhile: the next check, asking anew, refuses.
    free = 100 * MB;
    await expect(disk.hold(dir, 300 * MB, 'dl/d')).rejects.toMatchObject({ code: 'NoSpace' });
    expect(calls).toBe(3);
  });

  it('measure again after a write the disk refused', async () => {
    const dir = path.join(root, 'dl');
    (await disk.hold(dir, 1024, 'dl/a')).release();
    disk.stale(); // what a download does on ENOSPC
    free = 0;
    await expect(disk.hold(dir, 1024, 'dl/b')).rejects.toMatchObject({ code: 'NoSpace' });
    expect(calls).toBe(2);
  });
});

/**
 * Disk usage of the Jupyter root's filesystem.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { DiskResponse, EosError } from '../../core';

/**
 * The size, use and free space of the filesystem holding `root`.
 *
 * `free` is what the user can still write (`bavail`, as `df` shows as Avail);
 * `used` counts every allocated block (`blocks - bfree`), so `used + free` is
 * less than `total` by the blocks reserved for root.
 *
 * @throws EosError `Internal` when the root cannot be measured.
 */
export async function diskUsage(root: string, limit: number): Promise<DiskResponse> {
  try {
    const fs = await fsp.statfs(root);
    return {
      root,
      total: fs.blocks * fs.bsize,
      used: (fs.blocks - fs.bfree) * fs.bsize,
      free: fs.bavail * fs.bsize,
      limit,
      mode: (await isMountPoint(root)) ? 'filesystem' : 'shared'
    };
  } catch (err) {
    throw new EosError(
      'Internal',
      `Cannot measure the disk of ${root}`,
      err instanceof Error ? err.message : String(err)
    );
  }
}

/** Whether `dir` is the top of its own filesystem (`/` is). */
export async function isMountPoint(dir: string): Promise<boolean> {
  const parentDir = path.dirname(dir);
  if (parentDir === dir) {
    return true;
  }
  const [self, parent] = await Promise.all([fsp.stat(dir), fsp.stat(parentDir)]);
  return self.dev !== parent.dev;
}

/**
 * Local deletes of the disk gauge's free-up-space view.
 */
import { promises as fsp } from 'node:fs';
import { EosError, LocalDeleteRequest, LocalDeleteResponse } from '../../../core';
import { localError, relativeTo, resolveLocal } from './confine';
import { DiskSpace } from './disk';
import { TreeWalk } from './diskwalk';

/**
 * Delete local files or folders (recursively) of the Jupyter root, counting
 * the allocated bytes freed. Every path is checked before anything is deleted.
 */
export async function deleteLocal(
  root: string,
  request: LocalDeleteRequest,
  disk: DiskSpace
): Promise<LocalDeleteResponse> {
  const targets: { abs: string; shown: string }[] = [];
  for (const rel of request.paths) {
    const abs = await resolveLocal(root, rel);
    if (abs === root) {
      throw new EosError('InvalidRequest', 'Cannot delete the Jupyter root itself');
    }
    await fsp.lstat(abs).catch(err => {
      throw localError(err, rel);
    });
    targets.push({ abs, shown: relativeTo(root, abs) });
  }
  let freed = 0;
  const deleted: string[] = [];
  for (const t of targets) {
    // A folder already deleted with an earlier one of the list.
    const st = await fsp.lstat(t.abs).catch(() => null);
    if (st === null) {
      continue;
    }
    const size = st.isDirectory() ? (await new TreeWalk(t.abs).run()).bytes : st.blocks * 512;
    try {
      await fsp.rm(t.abs, { recursive: true });
    } catch (err) {
      throw localError(err, t.shown);
    }
    freed += size;
    disk.changed?.(-size, t.abs);
    deleted.push(t.shown);
  }
  return { deleted, freed };
}

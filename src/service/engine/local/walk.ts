/**
 * A local folder's files, streamed (one directory handle open per level, never
 * the whole tree in memory). Nothing is skipped silently: what cannot be read
 * or followed comes out as an error entry, which the job records as an item
 * failure. Only the engine's own temporary download files are left out.
 */
import { Dir, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { EosError } from '../../../core';
import { isInside, isPartialName, localError, relativeTo } from './confine';

/** One entry met by the walk. */
export type LocalEntry =
  | {
      kind: 'file';
      abs: string;
      /** The path below the walked folder, '/'-separated. */
      rel: string;
      size: number;
      mtimeMs: number;
    }
  /** An empty folder (kept as a folder marker). */
  | { kind: 'folder'; abs: string; rel: string }
  | { kind: 'error'; abs: string; rel: string; error: EosError };

/** Files stat-ed at once by the walk. */
const STAT_BATCH = 64;

/**
 * Every file under `abs` (a folder inside `root`), depth first, names in the
 * order the directory gives them. A symbolic link to a file inside the root is
 * read as that file; one to a folder is not followed, and one leading out of
 * the root is refused (both as error entries).
 */
export async function* walkLocal(
  root: string,
  abs: string,
  rel = '',
  signal?: AbortSignal
): AsyncGenerator<LocalEntry> {
  let dir: Dir;
  try {
    dir = await fsp.opendir(abs);
  } catch (err) {
    yield { kind: 'error', abs, rel, error: localError(err, relativeTo(root, abs)) };
    return;
  }
  let empty = true;
  // Files met in a row are looked at together (a stat each, in the thread pool), then come out in order.
  let files: { abs: string; rel: string; link: boolean }[] = [];
  const stated = () => {
    const batch = files;
    files = [];
    return Promise.all(batch.map(f => fileEntry(root, f.abs, f.rel, f.link)));
  };
  try {
    for await (const d of dir) {
      signal?.throwIfAborted();
      empty = false;
      const childAbs = path.join(abs, d.name);
      const childRel = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) {
        yield* await stated();
        yield* walkLocal(root, childAbs, childRel, signal);
      } else if (!isPartialName(d.name)) {
        files.push({ abs: childAbs, rel: childRel, link: d.isSymbolicLink() });
        if (files.length >= STAT_BATCH) {
          yield* await stated();
        }
      }
    }
    yield* await stated();
  } catch (err) {
    if (signal?.aborted) {
      throw err;
    }
    yield { kind: 'error', abs, rel, error: localError(err, relativeTo(root, abs)) };
    return;
  }
  if (empty) {
    yield { kind: 'folder', abs, rel };
  }
}

/** A file entry (symbolic links checked and followed to a file), or an error entry. */
async function fileEntry(root: string, abs: string, rel: string, link: boolean): Promise<LocalEntry> {
  const shown = relativeTo(root, abs);
  try {
    if (link) {
      const real = await fsp.realpath(abs);
      if (!isInside(root, real)) {
        throw new EosError(
          'OutsideRoot',
          `${JSON.stringify(shown)} is a symbolic link leading out of the Jupyter root`
        );
      }
    }
    const st = await fsp.stat(abs);
    if (st.isDirectory()) {
      throw new EosError('InvalidRequest', `${JSON.stringify(shown)} is a symbolic link to a folder: not followed`);
    }
    if (!st.isFile()) {
      throw new EosError('InvalidRequest', `${JSON.stringify(shown)} is not a regular file`);
    }
    return { kind: 'file', abs, rel, size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    return { kind: 'error', abs, rel, error: localError(err, shown) };
  }
}

/**
 * A local folder's files, streamed (one directory handle open per level, never
 * the whole tree in memory). Nothing is skipped silently: what cannot be read
 * or followed comes out as an error entry, which the job records as an item
 * failure. Only the engine's own temporary download files are left out.
 */
import { Dir, Stats, promises as fsp, stat } from 'node:fs';
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

/** What a stat gave. */
type Stated = { st: Stats } | { err: unknown };

/** Files stat-ed at once by the walk. */
const STAT_BATCH = 64;
/** Directory entries read per call (Node reads 32 by default: a round trip to the thread pool each). */
const DIR_BUFFER = 256;

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
    dir = await fsp.opendir(abs, { bufferSize: DIR_BUFFER });
  } catch (err) {
    yield { kind: 'error', abs, rel, error: localError(err, relativeTo(root, abs)) };
    return;
  }
  let empty = true;
  // Files met in a row are looked at together (a stat each, in the thread pool), then come out in order.
  let files: { abs: string; rel: string; link: boolean }[] = [];
  const stated = async () => {
    // Looked at once a batch: `throwIfAborted` on a combined signal costs more than the rest of a file's walk.
    signal?.throwIfAborted();
    const batch = files;
    files = [];
    const stats = await statAll(batch.map(f => (f.link ? null : f.abs)));
    return Promise.all(
      batch.map((f, i) => (f.link ? linkEntry(root, f.abs, f.rel) : fileEntry(root, f.abs, f.rel, stats[i]!)))
    );
  };
  try {
    for await (const d of dir) {
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

/**
 * The stats of `paths` (null: not asked), each with its error: one
 * promise for the batch, the stats themselves in the thread pool with the
 * callback API (`fs.promises.stat` costs a promise and more per file, 1.5x the
 * time of a 20,000-file walk).
 */
function statAll(paths: (string | null)[]): Promise<(Stated | null)[]> {
  const out: (Stated | null)[] = paths.map(() => null);
  let left = paths.filter(p => p !== null).length;
  return new Promise(resolve => {
    if (left === 0) {
      resolve(out);
    }
    paths.forEach((p, i) => {
      if (p !== null) {
        stat(p, (err, st) => {
          out[i] = err ? { err } : { st };
          if (--left === 0) {
            resolve(out);
          }
        });
      }
    });
  });
}

/** A symbolic link's entry: followed to a file inside the root, else an error entry. */
async function linkEntry(root: string, abs: string, rel: string): Promise<LocalEntry> {
  try {
    const real = await fsp.realpath(abs);
    if (!isInside(root, real)) {
      const shown = JSON.stringify(relativeTo(root, abs));
      throw new EosError('OutsideRoot', `${shown} is a symbolic link leading out of the Jupyter root`);
    }
    return fileEntry(root, abs, rel, { st: await fsp.stat(abs) });
  } catch (err) {
    return { kind: 'error', abs, rel, error: localError(err, relativeTo(root, abs)) };
  }
}

/** A file entry from what its stat gave, or an error entry. */
function fileEntry(root: string, abs: string, rel: string, stated: Stated): LocalEntry {
  if ('err' in stated) {
    return { kind: 'error', abs, rel, error: localError(stated.err, relativeTo(root, abs)) };
  }
  const { st } = stated;
  if (st.isFile()) {
    return { kind: 'file', abs, rel, size: st.size, mtimeMs: st.mtimeMs };
  }
  const shown = relativeTo(root, abs);
  if (st.isDirectory()) {
    const error = new EosError(
      'InvalidRequest',
      `${JSON.stringify(shown)} is a symbolic link to a folder: not followed`
    );
    return { kind: 'error', abs, rel, error };
  }
  return {
    kind: 'error',
    abs,
    rel,
    error: new EosError('InvalidRequest', `${JSON.stringify(shown)} is not a regular file`)
  };
}

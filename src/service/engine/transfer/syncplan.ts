/**
 * What a sync would do: both sides listed (the local folder walked, the EOS
 * folder listed), compared by size and modification time, with `exclude`
 * globs applied to both sides. Nothing is changed.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import {
  EosError,
  PathFilter,
  SyncPlan,
  SyncReason,
  SyncRequest,
  assertWritable,
  formatEosUri,
  isFolder
} from '../../../core';
import { EosStore } from '../s3/store';
import { keySegments, localError, relativeTo, resolveLocal } from '../local/confine';
import { forEachConcurrent } from '../jobs/pool';
import { headObject, objectModified } from './conflicts';
import { Place, placeOf, refuseListsOfRoots } from '../s3/places';
import { walkLocal } from '../local/walk';

/** The most entries each list of a plan shows (the counts are exact). */
export const MAX_PLAN_ENTRIES = 1000;
/** Modification times this close (ms) are the same (file systems keep whole seconds or less). */
const SAME_TIME_MS = 1000;

/** The two sides of a sync. */
export interface SyncSides {
  /** `upload`: the local folder is the source; `download`: the EOS folder is. */
  direction: 'upload' | 'download';
  /** The local folder (absolute) and how the request named it. */
  local: string;
  localShown: string;
  remote: Place;
}

/** A file or object of one side, by its path relative to the synced folder. */
export interface SideItem {
  rel: string;
  size: number;
  /** Local: the file's mtime; EOS: LastModified (the `mtime` metadata is read only when needed). */
  modifiedMs: number;
  /** Local files only. */
  abs?: string;
  /** EOS objects only. */
  key?: string;
  etag?: string;
}

/** A plan with every entry (not capped), for the sync job to run. */
export interface FullPlan {
  plan: SyncPlan;
  copy: (SideItem & { reason: SyncReason; target?: SideItem })[];
  delete: SideItem[];
  /** Source items that cannot be copied (EOS keys that are no local names), with why. */
  failed: (SideItem & { error: EosError })[];
}

const isEos = (text: string) => /^(e|s3):\/\//i.test(text);

/**
 * Check a sync's two sides: one local folder (confined to the root) and one
 * `e://` folder; a read-only EOS destination is refused before any S3 call.
 *
 * @throws EosError `InvalidRequest`, `OutsideRoot`, `ReadOnly`, `NotFound`
 */
export async function syncSides(store: EosStore, root: string, request: SyncRequest): Promise<SyncSides> {
  const fromEos = isEos(request.source);
  if (fromEos === isEos(request.destination)) {
    throw new EosError('InvalidRequest', 'A sync needs one local folder and one e:// folder');
  }
  const uri = fromEos ? request.source : request.destination;
  const localShown = fromEos ? request.destination : request.source;
  let path_ = store.locate(uri);
  refuseListsOfRoots(path_, 'sync');
  if (!fromEos) {
    assertWritable(path_, store.ctx);
  }
  if (!isFolder(path_)) {
    path_ = { ...path_, key: `${path_.key}/` };
  }
  const local = await resolveLocal(root, localShown);
  if (!fromEos) {
    const st = await fsp.stat(local).catch(err => {
      throw localError(err, localShown);
    });
    if (!st.isDirectory()) {
      throw new EosError('InvalidRequest', `${JSON.stringify(localShown)} is not a folder`);
    }
  }
  return {
    direction: fromEos ? 'download' : 'upload',
    local,
    localShown: relativeTo(root, local),
    remote: placeOf(path_, store)
  };
}

/**
 * A glob as a RegExp (picomatch syntax: `*` and `?` within a segment, `**`
 * across segments, `[abc]`, `{a,b}`; dot files are matched like others).
 * Without `/` it matches a name at any depth; `**\/x` matches `x` at the
 * root too.
 */
export function globRegExp(glob: string): RegExp {
  return picomatch.makeRe(glob.includes('/') ? glob : `**/${glob}`, { dot: true });
}

/**
 * Whether a relative path is transferred under `filters`: everything is,
 * unless a filter says otherwise; the last filter that matches decides.
 */
export function filterOf(filters: readonly PathFilter[] | undefined): (rel: string) => boolean {
  if (!filters?.length) {
    return () => true;
  }
  const compiled = filters.map(f => ({ include: f.include, re: globRegExp(f.glob) }));
  return rel => {
    let keep = true;
    for (const f of compiled) {
      if (f.re.test(rel)) {
        keep = f.include;
      }
    }
    return keep;
  };
}

/** Both sides listed, keyed by relative path; paths the filters leave out left out. */
async function listSides(
  store: EosStore,
  root: string,
  sides: SyncSides,
  kept: (rel: string) => boolean,
  signal?: AbortSignal
): Promise<{ local: Map<string, SideItem>; remote: Map<string, SideItem> }> {
  const local = new Map<string, SideItem>();
  const there = await fsp.stat(sides.local).catch(() => null);
  if (there?.isDirectory()) {
    for await (const e of walkLocal(root, sides.local, '', signal)) {
      if (e.kind === 'error' && kept(e.rel)) {
        throw e.error;
      }
      if (e.kind === 'file' && kept(e.rel)) {
        local.set(e.rel, { rel: e.rel, size: e.size, modifiedMs: e.mtimeMs, abs: e.abs });
      }
    }
  }
  const remote = new Map<string, SideItem>();
  const { bucket, key: prefix, uri } = sides.remote;
  for await (const o of store.walk(bucket, prefix, uri, signal)) {
    const rel = o.key.slice(prefix.length);
    if (rel === '' || rel.endsWith('/') || !kept(rel)) {
      continue; // folder markers hold no bytes to sync
    }
    remote.set(rel, { rel, size: o.size, modifiedMs: o.modified?.getTime() ?? 0, key: o.key, etag: o.etag });
  }
  return { local, remote };
}

/** Compute a sync's plan (nothing is changed). */
export async function planSync(
  store: EosStore,
  root: string,
  sides: SyncSides,
  request: SyncRequest,
  signal?: AbortSignal
): Promise<FullPlan> {
  const kept = filterOf([
    ...(request.exclude ?? []).map(glob => ({ include: false, glob })),
    ...(request.filters ?? [])
  ]);
  const { local, remote } = await listSides(store, root, sides, kept, signal);
  const [from, to] = sides.direction === 'upload' ? [local, remote] : [remote, local];
  const copy: FullPlan['copy'] = [];
  const failed: FullPlan['failed'] = [];
  let unchanged = 0;
  const same: [SideItem, SideItem][] = [];
  const folders = sides.direction === 'download' ? localFolders(from.keys()) : new Set<string>();
  for (const [rel, item] of from) {
    if (sides.direction === 'download') {
      try {
        keySegments(rel);
      } catch (err) {
        failed.push({ ...item, error: err as EosError }); // not a local name: named in the plan, failed by the job
        continue;
      }
      if (folders.has(rel)) {
        // `data` beside `data/x`: the local `data` is the folder of the other keys, every run.
        const shown = JSON.stringify(path.posix.join(sides.localShown, rel));
        const message = `${shown} is a folder on the server's disk (it holds other keys): a file cannot replace it`;
        failed.push({ ...item, error: new EosError('Conflict', message) });
        continue;
      }
    }
    const target = to.get(rel);
    if (target === undefined) {
      copy.push({ ...item, reason: 'new' });
    } else if (target.size !== item.size) {
      copy.push({ ...item, reason: 'size', target });
    } else {
      same.push([item, target]);
    }
  }
  // Equal sizes: compare times, reading an object's `mtime` metadata where LastModified cannot decide.
  const signal_ = signal ?? new AbortController().signal;
  await forEachConcurrent(same, 16, signal_, async ([item, target], s) => {
    const [file, object] = sides.direction === 'upload' ? [item, target] : [target, item];
    if (await sameTime(store, sides.remote, file, object, sides.direction, s)) {
      unchanged++;
    } else {
      copy.push({ ...item, reason: 'modified', target });
    }
  });
  copy.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const doomed = request.delete ? [...to.values()].filter(t => !from.has(t.rel)) : [];
  const bytes = copy.reduce((n, c) => n + c.size, 0);
  const shownRemote = formatEosUri(sides.remote.path);
  const [source, destination] =
    sides.direction === 'upload' ? [sides.localShown, shownRemote] : [shownRemote, sides.localShown];
  return {
    plan: {
      source,
      destination,
      copy: copy.slice(0, MAX_PLAN_ENTRIES).map(c => ({ path: c.rel, size: c.size, reason: c.reason })),
      delete: doomed.slice(0, MAX_PLAN_ENTRIES).map(d => ({ path: d.rel, size: d.size })),
      unchanged,
      bytes,
      copyCount: copy.length,
      deleteCount: doomed.length,
      ...(failed.length > 0 && {
        failed: failed
          .slice(0, MAX_PLAN_ENTRIES)
          .map(f => ({ path: f.rel, error: { code: f.error.code, message: f.error.message } })),
        failedCount: failed.length
      })
    },
    copy,
    delete: doomed,
    failed
  };
}

/**
 * Whether a file and an object have the same modification time. Uploading,
 * an object written after the file last changed is up to date (as `aws s3
 * sync` decides), with no request: a sync with nothing to do costs only its
 * listing. Otherwise, with the object's `mtime` metadata (written by uploads)
 * the two must agree; without it only LastModified is known, and the copy is
 * needed when the source is newer.
 */
async function sameTime(
  store: EosStore,
  remote: Place,
  file: SideItem,
  object: SideItem,
  direction: 'upload' | 'download',
  signal: AbortSignal
): Promise<boolean> {
  if (Math.abs(file.modifiedMs - object.modifiedMs) < SAME_TIME_MS) {
    return true;
  }
  if (direction === 'upload' && file.modifiedMs <= object.modifiedMs) {
    return true;
  }
  const uri = formatEosUri({ ...remote.path, key: remote.path.key + object.rel });
  const head = await headObject(store, remote.bucket, object.key!, uri, signal);
  const meta = head?.Metadata?.mtime !== undefined ? objectModified(head.Metadata) : undefined;
  if (meta !== undefined) {
    return Math.abs(meta.getTime() - file.modifiedMs) < SAME_TIME_MS;
  }
  return direction === 'upload' ? file.modifiedMs <= object.modifiedMs : object.modifiedMs <= file.modifiedMs;
}

/** Every folder the local names of `rels` need (`a/b/c` needs `a` and `a/b`); keys that are no local names need none. */
function localFolders(rels: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const rel of rels) {
    const segments = rel.split('/');
    if (segments.some(s => s === '' || s === '.' || s === '..')) {
      continue;
    }
    for (let i = 1; i < segments.length; i++) {
      folders.add(segments.slice(0, i).join('/'));
    }
  }
  return folders;
}

/** The local path of a relative path of the synced folder. */
export function localOf(sides: SyncSides, rel: string): string {
  return path.join(sides.local, ...keySegments(rel).segments);
}

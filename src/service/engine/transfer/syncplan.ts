/**
 * What a sync would do: both sides listed (a local folder walked, an EOS
 * folder listed), compared by size and modification time (two EOS folders:
 * by size, then ETag or LastModified), with the filters applied to both
 * sides. Nothing is changed.
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
import { listSides } from './synclists';
import { keySegments, localError, relativeTo, resolveLocal } from '../local/confine';
import { forEachConcurrent } from '../jobs/pool';
import { headObject } from './conflicts';
import { objectModified } from './contenttypes';
import { Place, placeOf, refuseListsOfRoots, resolveItem, uriOfKey } from '../s3/places';
import { checkKeyLength } from './upload';

/** The most entries each list of a plan shows (the counts are exact). */
export const MAX_PLAN_ENTRIES = 1000;
/** Modification times this close (ms) are the same (file systems keep whole seconds or less). */
const SAME_TIME_MS = 1000;

/** The two sides of a sync. */
export type SyncSides = LocalSyncSides | EosSyncSides;

/** A local folder and an EOS folder. */
export interface LocalSyncSides {
  /** `upload`: the local folder is the source; `download`: the EOS folder is. */
  direction: 'upload' | 'download';
  /** The local folder (absolute) and how the request named it. */
  local: string;
  localShown: string;
  remote: Place;
}

/** Two EOS folders: copies are server-side. */
export interface EosSyncSides {
  direction: 'eos';
  source: Place;
  /** The target folder (as `remote` is the EOS side of the others). */
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
  /** Source items that cannot be copied (EOS keys that are no local names or too long for the target), with why. */
  failed: (SideItem & { error: EosError })[];
}

const isEos = (text: string) => /^(e|s3):\/\//i.test(text);

/**
 * Check a sync's two sides: one local folder (confined to the root) and one
 * `e://` folder, or two `e://` folders; a read-only EOS destination is
 * refused before any S3 call.
 *
 * @throws EosError `InvalidRequest`, `OutsideRoot`, `ReadOnly`, `NotFound`
 */
export async function syncSides(store: EosStore, root: string, request: SyncRequest): Promise<SyncSides> {
  const fromEos = isEos(request.source);
  if (fromEos && isEos(request.destination)) {
    return eosSyncSides(store, request);
  }
  if (!fromEos && !isEos(request.destination)) {
    throw new EosError('InvalidRequest', 'A sync needs an e:// folder on at least one side');
  }
  const uri = fromEos ? request.source : request.destination;
  const localShown = fromEos ? request.destination : request.source;
  const remote = folderPlace(store, uri);
  if (!fromEos) {
    assertWritable(remote.path, store.ctx);
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
    remote
  };
}

/** An `e://` URI as a folder's place. */
function folderPlace(store: EosStore, uri: string): Place {
  const path_ = store.locate(uri);
  refuseListsOfRoots(path_, 'sync');
  return placeOf(isFolder(path_) ? path_ : { ...path_, key: `${path_.key}/` }, store);
}

/**
 * Check a sync between two EOS folders: a read-only target refused before
 * any S3 call, then folders that hold one another, then a source that is no
 * folder (a mistyped source would otherwise look empty, and `delete` would
 * empty the target).
 *
 * @throws EosError `ReadOnly`, `InvalidRequest`, `NotFound`
 */
async function eosSyncSides(store: EosStore, request: SyncRequest): Promise<EosSyncSides> {
  const target = folderPlace(store, request.destination);
  assertWritable(target.path, store.ctx);
  const source = folderPlace(store, request.source);
  if (source.bucket === target.bucket && (source.key.startsWith(target.key) || target.key.startsWith(source.key))) {
    const why = source.key === target.key ? 'they are the same folder' : 'one holds the other';
    throw new EosError('InvalidRequest', `Cannot sync ${source.uri} to ${target.uri}: ${why}`);
  }
  const item = await resolveItem(store, store.locate(request.source));
  if (item.kind !== 'folder') {
    throw new EosError('InvalidRequest', `${item.uri} is an object, not a folder: a sync takes folders`);
  }
  return { direction: 'eos', source, remote: target };
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

/**
 * Why a source item cannot be copied, if it cannot: a key that is no local
 * name (downloading), a key the target folder cannot hold (too long).
 */
function refusal(sides: SyncSides, item: SideItem, folders: Set<string>): EosError | undefined {
  const { rel } = item;
  if (sides.direction === 'eos') {
    try {
      checkKeyLength(sides.remote.key + rel, uriOfKey(sides.source, item.key!));
    } catch (err) {
      return err as EosError;
    }
    return undefined;
  }
  if (sides.direction === 'download') {
    try {
      keySegments(rel);
    } catch (err) {
      return err as EosError; // not a local name: named in the plan, failed by the job
    }
    if (folders.has(rel)) {
      // `data` beside `data/x`: the local `data` is the folder of the other keys, every run.
      const shown = JSON.stringify(path.posix.join(sides.localShown, rel));
      const message = `${shown} is a folder on the server's disk (it holds other keys): a file cannot replace it`;
      return new EosError('Conflict', message);
    }
  }
  return undefined;
}

/** Compute a sync's plan (nothing is changed). */
export async function planSync(
  store: EosStore,
  root: string,
  sides: SyncSides,
  request: SyncRequest,
  signal?: AbortSignal,
  limit = Infinity
): Promise<FullPlan> {
  const kept = filterOf([
    ...(request.exclude ?? []).map(glob => ({ include: false, glob })),
    ...(request.filters ?? [])
  ]);
  const { from, to } = await listSides(store, root, sides, kept, signal, limit);
  const copy: FullPlan['copy'] = [];
  const failed: FullPlan['failed'] = [];
  let unchanged = 0;
  const same: [SideItem, SideItem][] = [];
  const folders = sides.direction === 'download' ? localFolders(from.keys()) : new Set<string>();
  for (const [rel, item] of from) {
    const error = refusal(sides, item, folders);
    if (error) {
      failed.push({ ...item, error });
      continue;
    }
    const target = to.get(rel);
    if (target === undefined) {
      copy.push({ ...item, reason: 'new' });
    } else if (target.size !== item.size) {
      copy.push({ ...item, reason: 'size', target });
    } else if (sides.direction !== 'eos') {
      same.push([item, target]);
    } else if (sameObject(item, target)) {
      unchanged++;
    } else {
      copy.push({ ...item, reason: 'modified', target });
    }
  }
  // Equal sizes: compare times, reading an object's `mtime` metadata where LastModified cannot decide.
  const signal_ = signal ?? new AbortController().signal;
  const uploading = sides.direction === 'upload'; // `same` holds pairs of a file and an object only
  await forEachConcurrent(same, 16, signal_, async ([item, target], s) => {
    const [file, object] = uploading ? [item, target] : [target, item];
    if (await sameTime(store, sides.remote, file, object, uploading ? 'upload' : 'download', s)) {
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
    sides.direction === 'eos'
      ? [formatEosUri(sides.source.path), shownRemote]
      : sides.direction === 'upload'
        ? [sides.localShown, shownRemote]
        : [shownRemote, sides.localShown];
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

/** A simple ETag: the MD5 of the bytes (a multipart upload's, `<md5>-<parts>`, depends on the parts). */
const SIMPLE_ETAG = /^"?[0-9a-f]{32}"?$/i;

/**
 * Whether two objects of the same size hold the same bytes, without a
 * request: by ETag when both are simple; else the target is up to date when
 * it was written after the source last changed (a server-side copy is
 * written later than its source), as `aws s3 sync` decides.
 */
function sameObject(source: SideItem, target: SideItem): boolean {
  if (SIMPLE_ETAG.test(source.etag ?? '') && SIMPLE_ETAG.test(target.etag ?? '')) {
    return source.etag === target.etag;
  }
  return source.modifiedMs - target.modifiedMs < SAME_TIME_MS;
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
export function localOf(sides: LocalSyncSides, rel: string): string {
  return path.join(sides.local, ...keySegments(rel).segments);
}

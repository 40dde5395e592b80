/**
 * The two sides of a sync listed, keyed by path relative to the synced
 * folders: a local folder walked and an EOS folder listed, or two EOS
 * folders, both at once; the filters leave paths out of both.
 */
import { promises as fsp } from 'node:fs';
import { EosError } from '../../../core';
import { EosStore } from '../s3/store';
import { WalkedObject } from '../s3/listing';
import { walkSplit } from '../s3/splitwalk';
import { Place } from '../s3/places';
import { walkLocal } from '../local/walk';
import type { LocalSyncSides, SideItem, SyncSides } from './syncplan';

/** Both sides listed, keyed by relative path; paths the filters leave out left out. */
export async function listSides(
  store: EosStore,
  root: string,
  sides: SyncSides,
  kept: (rel: string) => boolean,
  signal?: AbortSignal,
  limit = Infinity
): Promise<{ from: Map<string, SideItem>; to: Map<string, SideItem> }> {
  // Both sides at once, and the first failure stops the other. The EOS folder being synced to is
  // listed in ranges split at the other side's names as soon as that side is known (s3/splitwalk.ts).
  const stop = new AbortController();
  const both = AbortSignal.any([stop.signal, ...(signal ? [signal] : [])]);
  const side = <T>(listing: Promise<T>): Promise<T> =>
    listing.catch(err => {
      stop.abort(err);
      throw err;
    });
  const names = (listing: Promise<Map<string, SideItem>>) => listing.then(items => items.keys());
  if (sides.direction === 'eos') {
    const source = side(listFolder(store, sides.source, kept, both, limit));
    const target = side(listFolder(store, sides.remote, kept, both, limit, names(source)));
    const [from, to] = await Promise.all([source, target]);
    return { from, to };
  }
  const localSide = side(listLocal(root, sides, kept, limit, both));
  const remote = side(listFolder(store, sides.remote, kept, both, limit, names(localSide)));
  const [local, listed] = await Promise.all([localSide, remote]);
  return sides.direction === 'upload' ? { from: local, to: listed } : { from: listed, to: local };
}

/** The local folder's files, keyed by path relative to it (none when it is not there). */
async function listLocal(
  root: string,
  sides: LocalSyncSides,
  kept: (rel: string) => boolean,
  limit: number,
  signal?: AbortSignal
): Promise<Map<string, SideItem>> {
  const local = new Map<string, SideItem>();
  const there = await fsp.stat(sides.local).catch(() => null);
  if (there?.isDirectory()) {
    for await (const e of walkLocal(root, sides.local, '', signal)) {
      if (e.kind === 'error' && kept(e.rel)) {
        throw e.error;
      }
      if (e.kind === 'file' && kept(e.rel)) {
        local.set(e.rel, { rel: e.rel, size: e.size, modifiedMs: e.mtimeMs, abs: e.abs });
        refuseBeyond(local.size, limit, sides.localShown);
      }
    }
  }
  return local;
}

/**
 * An EOS folder's objects, keyed by path relative to it (folder markers hold no bytes to sync),
 * listed in ranges when the names it likely holds come in `known`.
 */
async function listFolder(
  store: EosStore,
  place: Place,
  kept: (rel: string) => boolean,
  signal?: AbortSignal,
  limit = Infinity,
  known?: Promise<Iterable<string>>
): Promise<Map<string, SideItem>> {
  const { bucket, key: prefix, uri } = place;
  let count = 0;
  const take = (o: WalkedObject): SideItem | undefined => {
    const rel = o.key.slice(prefix.length);
    if (rel === '' || rel.endsWith('/') || !kept(rel)) {
      return undefined;
    }
    refuseBeyond(++count, limit, uri);
    return { rel, size: o.size, modifiedMs: o.modified?.getTime() ?? 0, key: o.key, etag: o.etag };
  };
  const items = await walkSplit(store, { bucket, prefix, uri, known, take }, signal);
  return new Map(items.map(item => [item.rel, item]));
}

/**
 * A preview answers within the proxy's timeout: a side with more than `limit`
 * files is refused (`PayloadTooLarge`); the sync itself, a job, has no limit.
 */
function refuseBeyond(count: number, limit: number, shown: string): void {
  if (count > limit) {
    throw new EosError(
      'PayloadTooLarge',
      `${shown} holds more than ${limit.toLocaleString('en-US')} files: too many to preview in one request. ` +
        'A sync without a preview has no such limit.'
    );
  }
}

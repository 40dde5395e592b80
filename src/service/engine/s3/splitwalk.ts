/**
 * A folder listed in several key ranges at once, when the keys it likely
 * holds are known beforehand: the other side of a sync (the local folder's
 * files, or the source folder's objects). ListObjectsV2 answers one page of
 * 1,000 keys per round trip, so 100,000 objects listed one page after the
 * other take 100 round trips and 100 server-side page reads in a row.
 *
 * The walk starts from the first key at once, as a plain walk does. When the
 * known keys arrive while it still runs, the keys not listed yet are cut
 * into ranges of about a page each, split at known keys: the running walk
 * stops at the first split, and each range is listed from its split
 * (`StartAfter`) to the next one, several at a time. A known key the folder
 * does not hold, or keys it holds that nobody knew of, only change how many
 * pages a range takes: the ranges cover every key between them, so nothing is
 * missed or listed twice. The objects come out in S3's order.
 */
import { compareKeys } from '../../../core';
import { forEachConcurrent } from '../jobs/pool';
import type { EosStore } from './store';
import { KeyRange, WalkedObject } from './listing';

/** The keys one ListObjectsV2 answers at most. */
export const LIST_PAGE_KEYS = 1000;
/** Ranges listed at once. */
export const LIST_RANGES_IN_FLIGHT = 8;

/** Where one folder is listed: `take` turns each object into what is kept (undefined: left out). */
export interface SplitWalk<T> {
  bucket: string;
  prefix: string;
  uri: string;
  /** Names below `prefix` the folder likely holds, when they are known (any order). */
  known?: Promise<Iterable<string>>;
  take: (o: WalkedObject) => T | undefined;
  /** Known keys per range (tests make it small). */
  pageKeys?: number;
  inFlight?: number;
}

/**
 * Every object under the prefix, through `take`, in S3's order.
 *
 * @throws what `take` or a listing throws first, once every listing has stopped
 */
export async function walkSplit<T>(store: EosStore, walk: SplitWalk<T>, signal?: AbortSignal): Promise<T[]> {
  const { bucket, prefix, uri, take } = walk;
  const inner = new AbortController();
  const stop = () => inner.abort(signal?.reason);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    if (signal?.aborted) {
      stop();
    }
    const first: KeyRange = {};
    const head: T[] = [];
    let lastKey: string | undefined;
    let finished = false;
    const firstWalk = (async () => {
      for await (const o of store.walkRange(bucket, prefix, uri, first, inner.signal)) {
        lastKey = o.key;
        const kept = take(o);
        if (kept !== undefined) {
          head.push(kept);
        }
      }
      finished = true;
    })();
    // The first failure stops the rest; it is thrown once they have stopped.
    let failure: { error: unknown } | undefined;
    const fail = (error: unknown) => {
      failure ??= { error };
      inner.abort(error);
    };
    firstWalk.catch(fail);
    const known = await Promise.race([
      walk.known?.then(
        names => names,
        () => undefined // the other side's failure is reported where it is awaited
      ),
      firstWalk.then(
        () => undefined,
        () => undefined
      )
    ]);
    // Split what is not listed yet: decided and set in one go, before the walk yields again.
    const splits = known && !finished ? splitPoints(known, prefix, lastKey, walk.pageKeys ?? LIST_PAGE_KEYS) : [];
    if (splits.length === 0) {
      await firstWalk;
      return head;
    }
    first.through = splits[0];
    const ranges = splits.map((after, i) => ({ range: { after, through: splits[i + 1] }, kept: [] as T[] }));
    const rest = forEachConcurrent(ranges, walk.inFlight ?? LIST_RANGES_IN_FLIGHT, inner.signal, async (r, s) => {
      for await (const o of store.walkRange(bucket, prefix, uri, r.range, s)) {
        const kept = take(o);
        if (kept !== undefined) {
          r.kept.push(kept);
        }
      }
    });
    rest.catch(fail);
    await Promise.allSettled([firstWalk, rest]);
    if (failure) {
      throw failure.error;
    }
    return head.concat(...ranges.map(r => r.kept));
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/**
 * The keys to split a listing at: every `every`-th of the known names beyond
 * `after` (a key under `prefix`), as full keys in S3's order (none when they
 * fill a page or less). Names are compared without the prefix they share.
 */
export function splitPoints(
  names: Iterable<string>,
  prefix: string,
  after: string | undefined,
  every: number
): string[] {
  const from = after?.slice(prefix.length);
  const picked: string[] = [];
  let wide = false;
  for (const name of names) {
    if (from === undefined || compareKeys(name, from) > 0) {
      picked.push(name);
      wide ||= WIDE.test(name);
    }
  }
  // Without units from U+D800 up, UTF-16 order is S3's, and the built-in sort is much faster.
  if (wide) {
    picked.sort(compareKeys);
  } else {
    picked.sort();
  }
  const splits: string[] = [];
  for (let i = every - 1; i < picked.length - 1; i += every) {
    splits.push(prefix + picked[i]);
  }
  return splits;
}

/** UTF-16 units where UTF-16 order and code point order part. */
const WIDE = /[\ud800-\uffff]/;

/**
 * Conflicts on S3 targets: whether an object is there, and what the policy
 * (or the user, asked) says to do about it.
 */
import { ConflictChoice, ConflictPolicy, EosError } from '../../../core';
import { EosStore, headObject } from '../s3/store';

// Where an upload looks for its target (it lives with the store, which multipart completion also asks).
export { headObject };
import { objectModified } from './contenttypes';
import { JobContext } from '../jobs/jobs';
import { numberedName } from '../local/confine';
import { Place, uriOfKey } from '../s3/places';

/** The most "keep both" names tried. */
const MAX_NUMBERED = 1000;

/** Where an item is written, or null to skip it. */
export interface Decided {
  key: string;
  uri: string;
  /** Write only if nothing is there yet (`If-None-Match: *`). */
  mustNotExist: boolean;
}

/** What is written, for a conflict question. */
export interface SourceFacts {
  shown: string;
  size: number;
  /** ISO 8601. */
  modified?: string;
}

/**
 * Decide where an object goes under a conflict policy: `overwrite` writes
 * over; otherwise a target that exists is refused (`fail`), skipped,
 * written beside under a free name (`keep-both`), or asked about (`ask`).
 *
 * @throws EosError `Conflict` (policy `fail`)
 */
export async function decideObject(
  store: EosStore,
  ctx: Pick<JobContext, 'ask'>,
  policy: ConflictPolicy,
  dest: Place,
  key: string,
  source: SourceFacts,
  signal: AbortSignal
): Promise<Decided | null> {
  const uri = uriOfKey(dest, key);
  if (policy === 'overwrite') {
    return { key, uri, mustNotExist: false };
  }
  const head = await headObject(store, dest.bucket, key, uri, signal);
  if (head === null) {
    return { key, uri, mustNotExist: true };
  }
  let choice: ConflictChoice;
  if (policy === 'fail') {
    throw new EosError('Conflict', `${uri} already exists`);
  } else if (policy === 'ask') {
    choice = await ctx.ask({
      target: uri,
      source: source.shown,
      sourceSize: source.size,
      targetSize: head.ContentLength,
      sourceModified: source.modified,
      targetModified: objectModified(head.Metadata, head.LastModified)?.toISOString()
    });
  } else {
    choice = policy;
  }
  if (choice === 'skip') {
    return null;
  }
  if (choice === 'overwrite') {
    return { key, uri, mustNotExist: false };
  }
  return freeKey(store, dest, key, signal);
}

/** The first `name (n).ext` beside `key` that no object holds. */
async function freeKey(store: EosStore, dest: Place, key: string, signal: AbortSignal): Promise<Decided> {
  const slash = key.lastIndexOf('/');
  const dir = key.slice(0, slash + 1);
  const name = key.slice(slash + 1);
  for (let n = 1; n <= MAX_NUMBERED; n++) {
    const candidate = dir + numberedName(name, n);
    const uri = uriOfKey(dest, candidate);
    if ((await headObject(store, dest.bucket, candidate, uri, signal)) === null) {
      return { key: candidate, uri, mustNotExist: true };
    }
  }
  throw new EosError('Conflict', `No free name beside ${uriOfKey(dest, key)} (tried ${MAX_NUMBERED})`);
}

/**
 * What a retried copy or move finds already done (issue 16): a retry redoes
 * only the objects the first run did not copy. A copy is taken as done when
 * its target holds an object of the source's size that is the source's bytes
 * (same ETag: a single-part copy keeps it) or was written since the first run
 * started (a multipart copy makes a new ETag). Under `keep-both` and `ask`
 * the copy may sit under a numbered name (`a (1).txt`), looked for in turn.
 */
import { HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { ConflictPolicy } from '../../../core';
import { numberedName } from '../local/confine';
import { Place, uriOfKey } from '../s3/places';
import { EosStore, headObject } from '../s3/store';

/**
 * S3 keeps LastModified in whole seconds (and on its own clock): a copy made
 * in the second the first run started must still count as its own.
 */
const SINCE_MARGIN_MS = 2000;
/** The most numbered names a retry looks at for a `keep-both` copy. */
const MAX_NUMBERED_LOOKED = 100;

/** The copy of one source object, as a retry checks it. */
export interface CopyAttempt {
  target: Place;
  dstKey: string;
  size: number;
  /** The source's ETag, when known. */
  etag?: string;
}

/** Whether a retry of a copy started at `since` (ISO) finds `t` copied already. */
export async function alreadyCopied(
  store: EosStore,
  t: CopyAttempt,
  policy: ConflictPolicy,
  since: string,
  signal: AbortSignal
): Promise<boolean> {
  const after = Date.parse(since) - SINCE_MARGIN_MS;
  const ours = (head: HeadObjectCommandOutput) =>
    head.ContentLength === t.size &&
    ((t.etag !== undefined && head.ETag === t.etag) || (head.LastModified?.getTime() ?? 0) >= after);
  const head = await headObject(store, t.target.bucket, t.dstKey, uriOfKey(t.target, t.dstKey), signal);
  if (head === null) {
    return false;
  }
  if (ours(head)) {
    return true;
  }
  if (policy !== 'keep-both' && policy !== 'ask') {
    return false;
  }
  const slash = t.dstKey.lastIndexOf('/');
  for (let n = 1; n <= MAX_NUMBERED_LOOKED; n++) {
    const key = t.dstKey.slice(0, slash + 1) + numberedName(t.dstKey.slice(slash + 1), n);
    const numbered = await headObject(store, t.target.bucket, key, uriOfKey(t.target, key), signal);
    if (numbered === null) {
      return false;
    }
    if (ours(numbered)) {
      return true;
    }
  }
  return false;
}

/**
 * Copies from an S3 location outside EOS that S3 cannot make server-side:
 * the location is read unsigned (a public bucket: CopyObject is always
 * signed), or S3 refused the CopyObject (the service's credentials may not
 * read the source). The object is read by one GET pinned to its ETag and
 * stored as the imports from URLs store a response (`storeBody`: one
 * PutObject, or parts sent as they fill); nothing touches the local disk.
 */
import { Readable } from 'node:stream';
import { EosError, isEosBucket } from '../../../core';
import { EosStore } from '../s3/store';
import { JobContext } from '../jobs/jobs';
import { CopyTask } from '../s3/servercopy';
import { getPinned } from '../s3/pinned';
import { contentTypeOf } from './contenttypes';
import { storeBody } from './fromurl';
import { TransferOptions } from './run';

/** Whether a copy of `task` must go through the service rather than CopyObject: an unsigned source. */
export function mustStream(store: EosStore, task: CopyTask): boolean {
  return store.locations.unsigned(task.srcBucket, task.srcKey);
}

/** Whether a failed CopyObject of `task` is worth streaming instead: access refused to a source outside EOS. */
export function streamAfter(store: EosStore, task: CopyTask, err: unknown): boolean {
  return !isEosBucket(task.srcBucket, store.ctx) && err instanceof EosError && err.code === 'AccessDenied';
}

/**
 * Copy one object by reading it and writing it (its content type kept, no other metadata).
 * `onBytes` hears the bytes stored (negative when a failed upload takes them back).
 */
export async function streamCopy(
  store: EosStore,
  ctx: JobContext,
  task: CopyTask & { srcUri: string },
  options: Pick<TransferOptions, 'partSize' | 'partsInFlight'>,
  onBytes: (n: number) => void
): Promise<void> {
  const source = { bucket: task.srcBucket, key: task.srcKey, uri: task.srcUri, etag: task.etag };
  const out = await getPinned(store, source, undefined, {
    signal: ctx.signal,
    deadlineMs: null,
    changed: 'changed while it was being copied; copy it again'
  });
  const response = out.Body as Readable;
  try {
    const target = {
      bucket: task.dstBucket,
      key: task.dstKey,
      uri: task.uri,
      mustNotExist: task.mustNotExist ?? false
    };
    const contentType = out.ContentType || contentTypeOf(task.dstKey.split('/').pop()!);
    // The SDK may hand a checksum-checking stream over the message: a cut body throws while read, and
    // the byte count is checked against ContentLength.
    const body = { from: task.srcUri, response, length: out.ContentLength ?? null, ended: () => true };
    await storeBody(store, ctx, target, contentType, body, options, onBytes);
  } finally {
    response.destroy();
  }
}

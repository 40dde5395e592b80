/**
 * Server-side copies: one CopyObject up to MAX_SINGLE_COPY, a multipart copy
 * (UploadPartCopy) above it, aborted on failure or cancel (again in the
 * background while S3 cannot be reached) so no multipart upload is left behind.
 */
import { CopyObjectCommand, HeadObjectCommand, UploadPartCopyCommand } from '@aws-sdk/client-s3';
import { EosStore, headObject } from './store';
import { isConditionalConflict, isPreconditionFailed, refusedAsTaken } from './errors';
import { refusedOnRetry } from './lostanswer';
import { UploadedPart, abortUploadRetrying, completeUpload, createUpload, partRanges, partSize } from './multipart';
import { forEachConcurrent } from '../jobs/pool';

/** Parts copied at once within one object. */
export const PARTS_IN_FLIGHT = 4;

/** One object to copy. */
export interface CopyTask {
  srcBucket: string;
  srcKey: string;
  size: number;
  /** The source's ETag: the copy fails rather than copy a changed object. */
  etag?: string;
  dstBucket: string;
  dstKey: string;
  /** The destination's `e://` URI, for error messages. */
  uri: string;
  /**
   * The copy may not replace an object at the destination: it is made with
   * `If-None-Match: *`, so one written since the conflict check is kept and
   * the copy fails as `Conflict`.
   */
  mustNotExist?: boolean;
}

/** `CopySource`: bucket and key, each key segment URL-encoded. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** How copies are made. */
export interface CopyOptions {
  /** Above this many bytes an object is copied in parts (S3: 5 GiB). */
  multipartThreshold: number;
  /** The preferred part size of a multipart copy. */
  partSize: number;
  /** Objects copied at once. */
  concurrency: number;
}

/** Copy one object server-side: CopyObject, or in parts above the threshold. */
export async function serverCopy(
  store: EosStore,
  task: CopyTask,
  sizes: Omit<CopyOptions, 'concurrency'>,
  signal: AbortSignal
): Promise<void> {
  if (task.size > sizes.multipartThreshold) {
    await multipartCopy(store, task, partSize(task.size, sizes.partSize), signal);
  } else {
    await singleCopy(store, task, signal);
  }
}

/** Copy one object server-side with CopyObject (metadata copied by S3). */
export async function singleCopy(store: EosStore, task: CopyTask, signal: AbortSignal): Promise<void> {
  try {
    await store.s3(
      { bucket: task.dstBucket, uri: task.uri },
      abortSignal =>
        store.client.send(
          new CopyObjectCommand({
            Bucket: task.dstBucket,
            Key: task.dstKey,
            CopySource: copySource(task.srcBucket, task.srcKey),
            CopySourceIfMatch: task.etag,
            IfNoneMatch: task.mustNotExist ? '*' : undefined
          }),
          { abortSignal }
        ),
      { signal, deadlineMs: null }
    );
  } catch (err) {
    if (task.mustNotExist && (await copiedOnFirstAttempt(store, task, err, signal))) {
      return;
    }
    throw await copyRefused(store, task, err, signal);
  }
}

/**
 * Whether a copy whose retry S3 refused on `If-None-Match` (412 after more
 * than one attempt) was made by an earlier attempt whose answer was lost:
 * the destination has the source's size and its ETag, an MD5 (a copy keeps
 * a single-part object's; of a multipart source it cannot be told, and the
 * refusal stands).
 */
async function copiedOnFirstAttempt(
  store: EosStore,
  task: CopyTask,
  err: unknown,
  signal: AbortSignal
): Promise<boolean> {
  const md5 = task.etag?.replace(/"/g, '');
  if (!refusedOnRetry(err) || md5 === undefined || !/^[0-9a-f]{32}$/i.test(md5)) {
    return false;
  }
  const head = await headObject(store, task.dstBucket, task.dstKey, task.uri, signal);
  return head !== null && head.ContentLength === task.size && head.ETag?.replace(/"/g, '') === md5;
}

/**
 * What a refused copy says. A 412 is either condition failing: the source's
 * ETag pin or the destination's `If-None-Match`; the destination decides.
 */
async function copyRefused(store: EosStore, task: CopyTask, err: unknown, signal: AbortSignal): Promise<unknown> {
  if (!task.mustNotExist || !(isPreconditionFailed(err) || isConditionalConflict(err))) {
    return err;
  }
  if (isPreconditionFailed(err) && (await headObject(store, task.dstBucket, task.dstKey, task.uri, signal)) === null) {
    return err;
  }
  return refusedAsTaken(err, task.uri);
}

/**
 * Copy one object in parts of `partSize` (UploadPartCopy), keeping its
 * content headers and user metadata. The upload is aborted if anything fails.
 */
export async function multipartCopy(
  store: EosStore,
  task: CopyTask,
  partSize: number,
  signal: AbortSignal
): Promise<void> {
  const where = { bucket: task.dstBucket, uri: task.uri };
  const head = await store.s3(
    { bucket: task.srcBucket, uri: task.uri },
    abortSignal =>
      store
        .reader(task.srcBucket, task.srcKey)
        .send(new HeadObjectCommand({ Bucket: task.srcBucket, Key: task.srcKey, IfMatch: task.etag }), {
          abortSignal
        }),
    { signal }
  );
  const upload = await createUpload(
    store,
    { bucket: task.dstBucket, key: task.dstKey, uri: task.uri },
    {
      ContentType: head.ContentType,
      ContentEncoding: head.ContentEncoding,
      ContentDisposition: head.ContentDisposition,
      ContentLanguage: head.ContentLanguage,
      CacheControl: head.CacheControl,
      Metadata: head.Metadata
    },
    signal
  );
  const etag = task.etag ?? head.ETag;
  try {
    const parts: UploadedPart[] = [];
    // A part copy on its way is not cut when another fails (`letStartedEnd`): S3 goes on copying a part
    // whose request was cut, and may store it after the abort.
    await forEachConcurrent(
      partRanges(task.size, partSize),
      PARTS_IN_FLIGHT,
      signal,
      async (r, s) => {
        const out = await store.s3(
          where,
          abortSignal =>
            store.client.send(
              new UploadPartCopyCommand({
                Bucket: task.dstBucket,
                Key: task.dstKey,
                UploadId: upload.uploadId,
                PartNumber: r.n,
                CopySource: copySource(task.srcBucket, task.srcKey),
                CopySourceRange: `bytes=${r.start}-${r.start + r.length - 1}`,
                CopySourceIfMatch: etag
              }),
              { abortSignal }
            ),
          { signal: s, deadlineMs: null }
        );
        parts.push({ PartNumber: r.n, ETag: out.CopyPartResult!.ETag! });
      },
      { letStartedEnd: true }
    );
    await completeUpload(store, upload, parts, {
      signal,
      uri: task.uri,
      size: task.size,
      mustNotExist: task.mustNotExist
    });
  } catch (err) {
    // S3 unreachable (the likely cause) fails the abort too: it is tried again in the background.
    await abortUploadRetrying(store, upload, () => undefined);
    throw task.mustNotExist ? refusedAsTaken(err, task.uri) : err;
  }
}

/**
 * Server-side copies: one CopyObject up to MAX_SINGLE_COPY, a multipart copy
 * (UploadPartCopy) above it, aborted on failure or cancel so no multipart
 * upload is left behind.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  UploadPartCopyCommand
} from '@aws-sdk/client-s3';
import { EosStore } from './store';
import { forEachConcurrent } from './pool';

const MiB = 1024 * 1024;
/** S3's smallest part (all but the last). */
export const MIN_PART_SIZE = 5 * MiB;
/** S3's largest part. */
export const MAX_PART_SIZE = 5 * 1024 * MiB;
/** S3's most parts per upload. */
export const MAX_PARTS = 10000;
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
}

/** `CopySource`: bucket and key, each key segment URL-encoded. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The part size for an object: at least `preferred` and MIN_PART_SIZE, few enough parts. */
export function partSizeFor(size: number, preferred: number): number {
  const least = Math.ceil(size / MAX_PARTS);
  const part = Math.max(preferred, least, MIN_PART_SIZE);
  return Math.min(Math.ceil(part / MiB) * MiB, MAX_PART_SIZE);
}

/** Copy one object server-side with CopyObject (metadata copied by S3). */
export async function singleCopy(store: EosStore, task: CopyTask, signal: AbortSignal): Promise<void> {
  await store.s3(
    { bucket: task.dstBucket, uri: task.uri },
    abortSignal =>
      store.client.send(
        new CopyObjectCommand({
          Bucket: task.dstBucket,
          Key: task.dstKey,
          CopySource: copySource(task.srcBucket, task.srcKey),
          CopySourceIfMatch: task.etag
        }),
        { abortSignal }
      ),
    { signal, deadlineMs: null }
  );
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
      store.client.send(new HeadObjectCommand({ Bucket: task.srcBucket, Key: task.srcKey, IfMatch: task.etag }), {
        abortSignal
      }),
    { signal }
  );
  const created = await store.s3(
    where,
    abortSignal =>
      store.client.send(
        new CreateMultipartUploadCommand({
          Bucket: task.dstBucket,
          Key: task.dstKey,
          ContentType: head.ContentType,
          ContentEncoding: head.ContentEncoding,
          ContentDisposition: head.ContentDisposition,
          ContentLanguage: head.ContentLanguage,
          CacheControl: head.CacheControl,
          Metadata: head.Metadata
        }),
        { abortSignal }
      ),
    { signal }
  );
  const uploadId = created.UploadId!;
  const etag = task.etag ?? head.ETag;
  try {
    const ranges: { part: number; start: number; end: number }[] = [];
    for (let start = 0, part = 1; start < task.size; start += partSize, part++) {
      ranges.push({ part, start, end: Math.min(start + partSize, task.size) - 1 });
    }
    const parts: { PartNumber: number; ETag: string }[] = [];
    await forEachConcurrent(ranges, PARTS_IN_FLIGHT, signal, async (r, partSignal) => {
      const out = await store.s3(
        where,
        abortSignal =>
          store.client.send(
            new UploadPartCopyCommand({
              Bucket: task.dstBucket,
              Key: task.dstKey,
              UploadId: uploadId,
              PartNumber: r.part,
              CopySource: copySource(task.srcBucket, task.srcKey),
              CopySourceRange: `bytes=${r.start}-${r.end}`,
              CopySourceIfMatch: etag
            }),
            { abortSignal }
          ),
        { signal: partSignal, deadlineMs: null }
      );
      parts.push({ PartNumber: r.part, ETag: out.CopyPartResult!.ETag! });
    });
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    await store.s3(
      where,
      abortSignal =>
        store.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: task.dstBucket,
            Key: task.dstKey,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts }
          }),
          { abortSignal }
        ),
      { signal, deadlineMs: null }
    );
  } catch (err) {
    // Not under the job's signal: a cancelled job must still clean up.
    await store
      .s3(where, abortSignal =>
        store.client.send(
          new AbortMultipartUploadCommand({ Bucket: task.dstBucket, Key: task.dstKey, UploadId: uploadId }),
          {
            abortSignal
          }
        )
      )
      .catch(() => undefined);
    throw err;
  }
}

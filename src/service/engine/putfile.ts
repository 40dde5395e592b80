/**
 * One local file to one S3 object: a single PutObject below the part size,
 * a multipart upload (the SDK's multipart commands, positioned reads of the
 * file, several parts in flight) from it. A multipart upload is registered on
 * the job while open and aborted on failure or cancel.
 */
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand
} from '@aws-sdk/client-s3';
import { promises as fsp } from 'node:fs';
import { EosError } from '../../core';
import { EosStore } from './store';
import { MTIME_METADATA, formatMtime } from './contenttype';
import { JobContext } from './jobs';
import { localError } from './local';
import { MAX_PARTS, MAX_PART_SIZE } from './servercopy';
import { forEachConcurrent } from './pool';
import { headObject } from './s3targets';
import { isPreconditionFailed } from './s3errors';
import { TransferOptions, abortUpload } from './transfer';

/** A local file and the object it becomes. */
export interface PutTask {
  /** Absolute local path. */
  abs: string;
  /** The path relative to the root, for messages. */
  shown: string;
  size: number;
  /** Modification time, kept in the object's `mtime` metadata (seconds since the epoch). */
  mtimeMs: number;
  bucket: string;
  key: string;
  uri: string;
  contentType: string;
  /** Write only if no object is at the key (`If-None-Match: *`). */
  mustNotExist: boolean;
}

/** The part size of an upload: at least `preferred`, fewer than MAX_PARTS parts, whole MiB. */
export function uploadPartSize(size: number, preferred: number): number {
  const MiB = 1024 * 1024;
  const part = Math.max(preferred, Math.ceil(size / MAX_PARTS));
  return Math.min(Math.ceil(part / MiB) * MiB, MAX_PART_SIZE);
}

/** `x-amz-meta-mtime`: seconds since the epoch, with milliseconds. */
export function mtimeMetadata(mtimeMs: number): Record<string, string> {
  return { [MTIME_METADATA]: formatMtime(new Date(Math.floor(mtimeMs))) };
}

/** The error a write refused by `If-None-Match` becomes. */
function exists(task: PutTask): EosError {
  return new EosError('Conflict', `${task.uri} already exists`);
}

/** Upload a file; `onBytes` reports bytes sent (negative to take back a failed attempt's). */
export async function putFile(
  store: EosStore,
  ctx: JobContext,
  task: PutTask,
  options: TransferOptions,
  onBytes: (n: number) => void,
  signal: AbortSignal
): Promise<void> {
  if (task.size < options.partSize) {
    await putSmall(store, task, signal);
    onBytes(task.size);
    return;
  }
  let sent = 0;
  try {
    await putMultipart(store, ctx, task, options, n => ((sent += n), onBytes(n)), signal);
  } catch (err) {
    onBytes(-sent);
    throw err;
  }
}

async function putSmall(store: EosStore, task: PutTask, signal: AbortSignal): Promise<void> {
  let body: Buffer;
  try {
    body = await fsp.readFile(task.abs, { signal });
  } catch (err) {
    throw signal.aborted ? err : localError(err, task.shown);
  }
  if (body.length !== task.size) {
    throw new EosError('Conflict', `${task.shown} changed while it was being uploaded`);
  }
  try {
    await store.s3(
      { bucket: task.bucket, uri: task.uri },
      abortSignal =>
        store.client.send(
          new PutObjectCommand({
            Bucket: task.bucket,
            Key: task.key,
            Body: body,
            ContentLength: body.length,
            ContentType: task.contentType,
            Metadata: mtimeMetadata(task.mtimeMs),
            IfNoneMatch: task.mustNotExist ? '*' : undefined
          }),
          { abortSignal }
        ),
      { signal, deadlineMs: null }
    );
  } catch (err) {
    throw isPreconditionFailed(err) ? exists(task) : err;
  }
}

async function putMultipart(
  store: EosStore,
  ctx: JobContext,
  task: PutTask,
  options: TransferOptions,
  onBytes: (n: number) => void,
  signal: AbortSignal
): Promise<void> {
  const where = { bucket: task.bucket, uri: task.uri };
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(task.abs, 'r');
  } catch (err) {
    throw localError(err, task.shown);
  }
  try {
    const created = await store.s3(
      where,
      abortSignal =>
        store.client.send(
          new CreateMultipartUploadCommand({
            Bucket: task.bucket,
            Key: task.key,
            ContentType: task.contentType,
            Metadata: mtimeMetadata(task.mtimeMs)
          }),
          { abortSignal }
        ),
      { signal }
    );
    const upload = { bucket: task.bucket, key: task.key, uploadId: created.UploadId! };
    const close = ctx.openUpload(upload);
    try {
      const partSize = uploadPartSize(task.size, options.partSize);
      const ranges: { n: number; start: number; length: number }[] = [];
      for (let start = 0, n = 1; start < task.size; start += partSize, n++) {
        ranges.push({ n, start, length: Math.min(partSize, task.size - start) });
      }
      const parts: { PartNumber: number; ETag: string }[] = [];
      await forEachConcurrent(ranges, options.partsInFlight, signal, async (r, partSignal) => {
        const body = Buffer.allocUnsafe(r.length);
        let read: number;
        try {
          ({ bytesRead: read } = await fh.read(body, 0, r.length, r.start));
        } catch (err) {
          throw localError(err, task.shown);
        }
        if (read !== r.length) {
          throw new EosError('Conflict', `${task.shown} changed while it was being uploaded`);
        }
        const out = await store.s3(
          where,
          abortSignal =>
            store.client.send(
              new UploadPartCommand({
                Bucket: task.bucket,
                Key: task.key,
                UploadId: upload.uploadId,
                PartNumber: r.n,
                Body: body,
                ContentLength: r.length
              }),
              { abortSignal }
            ),
          { signal: partSignal, deadlineMs: null }
        );
        parts.push({ PartNumber: r.n, ETag: out.ETag! });
        onBytes(r.length);
      });
      parts.sort((a, b) => a.PartNumber - b.PartNumber);
      if (task.mustNotExist && (await headObject(store, task.bucket, task.key, task.uri, signal)) !== null) {
        throw exists(task);
      }
      try {
        await store.s3(
          where,
          abortSignal =>
            store.client.send(
              new CompleteMultipartUploadCommand({
                Bucket: task.bucket,
                Key: task.key,
                UploadId: upload.uploadId,
                MultipartUpload: { Parts: parts },
                IfNoneMatch: task.mustNotExist ? '*' : undefined
              }),
              { abortSignal }
            ),
          { signal, deadlineMs: null }
        );
      } catch (err) {
        throw isPreconditionFailed(err) ? exists(task) : err;
      }
      close();
    } catch (err) {
      await abortUpload(store, upload, close);
      throw err;
    }
  } finally {
    await fh.close();
  }
}

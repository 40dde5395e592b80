/**
 * One local file to one S3 object: a single PutObject below the part size,
 * a multipart upload (the SDK's multipart commands, positioned reads of the
 * file, several parts in flight) from it. A multipart upload is registered on
 * the job while open and aborted on failure or cancel.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { promises as fsp } from 'node:fs';
import { EosError } from '../../../core';
import { EosStore } from '../s3/store';
import { MTIME_METADATA, formatMtime } from './contenttypes';
import { JobContext } from '../jobs/jobs';
import { localError } from '../local/confine';
import { ObjectHeaders, UploadedPart, completeUpload, partRanges, partSize, uploadPart } from '../s3/multipart';
import { forEachConcurrent } from '../jobs/pool';
import { headObject } from './conflicts';
import { refusedAsTaken } from '../s3/errors';
import { TransferOptions } from './run';
import { UploadResume } from './resume';
import { CrcPiece, Verification, partChecksum, uploadChecksum } from './checksum';
import { UPLOAD_CRC, bodyChecksumFields, checksumFields } from '../s3/checksums';

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
  /** Told how the object's bytes were checked, once it is written. */
  verified?: (outcome: Verification) => void;
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
  const checksum = options.verifyChecksums !== false;
  if (task.size < options.partSize) {
    await putSmall(store, task, checksum, signal);
    onBytes(task.size);
  } else {
    let sent = 0;
    try {
      await putMultipart(store, ctx, task, options, checksum, n => ((sent += n), onBytes(n)), signal);
    } catch (err) {
      onBytes(-sent);
      throw err;
    }
  }
  task.verified?.(checksum ? { name: UPLOAD_CRC } : { reason: 'off' });
}

async function putSmall(store: EosStore, task: PutTask, checksum: boolean, signal: AbortSignal): Promise<void> {
  let body: Buffer;
  try {
    body = await fsp.readFile(task.abs, { signal });
  } catch (err) {
    throw signal.aborted ? err : localError(err, task.shown);
  }
  if (body.length !== task.size) {
    throw new EosError('Conflict', `${task.shown} changed while it was being uploaded`);
  }
  const crc = checksum ? (await partChecksum(body)).base64 : undefined;
  await putBody(
    store,
    task,
    body,
    { ContentType: task.contentType, Metadata: mtimeMetadata(task.mtimeMs) },
    signal,
    crc
  );
}

/**
 * One PutObject of `body` at the target, with `headers`; a target that must
 * not exist and does is refused (`Conflict`, naming it). `checksum`: the
 * body's `UPLOAD_CRC` in base64, which S3 checks and stores.
 */
export async function putBody(
  store: EosStore,
  target: { bucket: string; key: string; uri: string; mustNotExist: boolean },
  body: Buffer,
  headers: ObjectHeaders,
  signal: AbortSignal,
  checksum?: string
): Promise<void> {
  try {
    await store.s3(
      { bucket: target.bucket, uri: target.uri },
      abortSignal =>
        store.client.send(
          new PutObjectCommand({
            Bucket: target.bucket,
            Key: target.key,
            Body: body,
            ContentLength: body.length,
            ...headers,
            ...(checksum !== undefined && bodyChecksumFields(UPLOAD_CRC, checksum)),
            IfNoneMatch: target.mustNotExist ? '*' : undefined
          }),
          { abortSignal }
        ),
      { signal, deadlineMs: null }
    );
  } catch (err) {
    throw target.mustNotExist ? refusedAsTaken(err, target.uri) : err;
  }
}

async function putMultipart(
  store: EosStore,
  ctx: JobContext,
  task: PutTask,
  options: TransferOptions,
  checksum: boolean,
  onBytes: (n: number) => void,
  signal: AbortSignal
): Promise<void> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(task.abs, 'r');
  } catch (err) {
    throw localError(err, task.shown);
  }
  try {
    const part = partSize(task.size, options.partSize);
    const headers = { ContentType: task.contentType, Metadata: mtimeMetadata(task.mtimeMs) };
    // A new upload, or the one an interrupted upload of this file kept (resume.ts).
    const resume = await UploadResume.start(store, options.ledger, ctx.id, task, part, headers, signal, checksum);
    const { upload } = resume;
    const close = ctx.openUpload(upload);
    try {
      const ranges = partRanges(task.size, part);
      const parts: UploadedPart[] = [];
      const crcs: CrcPiece[] = [];
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
        // A part S3 holds already (a resumed upload) still counts in the full-object CRC.
        const crc = checksum ? await partChecksum(body) : undefined;
        const etag =
          resume.heldPart(r.n, body) ??
          (await uploadPart(
            store,
            upload,
            { n: r.n, body, length: r.length, checksum: crc?.base64 },
            partSignal,
            task.uri
          ));
        if (crc) {
          crcs.push({ start: r.start, length: r.length, crc: crc.crc });
        }
        parts.push({ PartNumber: r.n, ETag: etag, ...(crc && checksumFields(UPLOAD_CRC, crc.base64)) });
        onBytes(r.length);
      });
      if (task.mustNotExist && (await headObject(store, task.bucket, task.key, task.uri, signal)) !== null) {
        throw exists(task);
      }
      try {
        await completeUpload(store, upload, parts, {
          mustNotExist: task.mustNotExist,
          signal,
          uri: task.uri,
          size: task.size,
          checksum: checksum ? uploadChecksum(crcs) : undefined
        });
      } catch (err) {
        throw task.mustNotExist ? refusedAsTaken(err, task.uri) : err;
      }
      close();
      resume.completed();
    } catch (err) {
      // Kept for a retry on a fault or a cancel, else aborted.
      throw await resume.failed(store, err, signal, close);
    }
  } finally {
    await fh.close();
  }
}

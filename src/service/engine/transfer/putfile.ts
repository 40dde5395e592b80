/**
 * One local file to one S3 object: a single PutObject below the part size,
 * a multipart upload (several parts in flight) from it. Each PUT reads its
 * bytes, computes their CRC and sends them on a transfer thread when there
 * are threads (partput.ts, s3/dataput.ts), so this thread only plans, creates
 * and completes the upload with the SDK, and counts. A multipart upload is
 * registered on the job while open and aborted on failure or cancel.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { promises as fsp } from 'node:fs';
import { EosError } from '../../../core';
import { EosStore } from '../s3/store';
import { MTIME_METADATA, formatMtime } from './contenttypes';
import { JobContext } from '../jobs/jobs';
import { localError } from '../local/confine';
import { ObjectHeaders, UploadedPart, completeUpload, partRanges, partSize } from '../s3/multipart';
import { forEachConcurrent } from '../jobs/pool';
import { headObject } from './conflicts';
import { refusedAsTaken } from '../s3/errors';
import { holdsBody, refusedOnRetry } from '../s3/lostanswer';
import { TransferOptions } from './run';
import { UploadResume } from './resume';
import { CrcPiece, Verification, uploadChecksum } from './checksum';
import { PartTask, putPart } from './partput';
import { crcToBase64 } from '../s3/crc';
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
    await putSmall(store, task, options, signal);
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

async function putSmall(store: EosStore, task: PutTask, options: TransferOptions, signal: AbortSignal): Promise<void> {
  // A thread once one is ready (a first small file does not wait for them to start), else here.
  options.getThreads?.warm();
  await sendPart(store, options, partTask(task, 0, task.size, options), signal);
}

/** The PUT of bytes `start` to `start + length - 1` of the task's file (all of it, without `part`). */
function partTask(
  task: PutTask,
  start: number,
  length: number,
  options: TransferOptions,
  part?: PartTask['part'],
  file?: PartTask['file']
): PartTask {
  const { abs, shown, bucket, key, uri, contentType, mtimeMs, mustNotExist } = task;
  return {
    path: abs,
    shown,
    bucket,
    key,
    uri,
    start,
    length,
    checksum: options.verifyChecksums !== false,
    ...(part ? { part, file } : { object: { contentType, metadata: mtimeMetadata(mtimeMs), mustNotExist } })
  };
}

/**
 * Read and PUT a part on a thread (once one is ready), else here. A whole
 * object's PUT on the data path does not pass the client's write watch
 * (s3/changes.ts): its folder is told to the store's changes here.
 */
async function sendPart(store: EosStore, options: TransferOptions, task: PartTask, signal: AbortSignal) {
  const threads = options.getThreads;
  const result = await (threads?.ready() ? threads.put(task, signal) : putPart(store, task, signal));
  if (task.part === undefined) {
    store.changes.keys(task.bucket, [task.key], false);
  }
  return result;
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
    // Refused on a retry: the attempt whose answer was lost may have stored it.
    if (target.mustNotExist && refusedOnRetry(err) && (await holdsBody(store, target, body, { checksum, signal }))) {
      return;
    }
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
  // The file is read by the parts' PUTs (on the threads): a missing one is refused before S3 is
  // asked, and each part checks that the file is still this one.
  let file: PartTask['file'];
  try {
    const st = await fsp.stat(task.abs);
    file = { size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    throw localError(err, task.shown);
  }
  if (file.size !== task.size) {
    throw new EosError('Conflict', `${task.shown} changed while it was being uploaded`);
  }
  await options.getThreads?.whenReady();
  const part = partSize(task.size, options.partSize);
  const headers = { ContentType: task.contentType, Metadata: mtimeMetadata(task.mtimeMs) };
  // A new upload, or the one an interrupted upload of this file kept (resume.ts).
  const resume = await UploadResume.start(store, options.ledger, ctx.id, task, part, headers, signal, checksum);
  const { upload } = resume;
  const close = ctx.openUpload(upload);
  try {
    const parts: UploadedPart[] = [];
    const crcs: CrcPiece[] = [];
    // A part on its way is not cut when another fails, only by a cancel (`letStartedEnd`).
    await forEachConcurrent(
      partRanges(task.size, part),
      options.partsInFlight,
      signal,
      async (r, s) => {
        const put = partTask(task, r.start, r.length, options, { uploadId: upload.uploadId, n: r.n }, file);
        const out = await sendPart(store, options, { ...put, held: resume.heldDigest(r.n, r.length) }, s);
        // A part S3 holds already (a resumed upload) still counts in the full-object CRC.
        const etag = out.held ? resume.heldPart(r.n, r.length) : out.etag;
        const crc = out.crc === undefined ? undefined : BigInt(out.crc);
        if (crc !== undefined) {
          crcs.push({ start: r.start, length: r.length, crc });
        }
        parts.push({
          PartNumber: r.n,
          ETag: etag,
          ...(crc !== undefined && checksumFields(UPLOAD_CRC, crcToBase64(UPLOAD_CRC, crc)))
        });
        onBytes(r.length);
      },
      { letStartedEnd: true }
    );
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
}

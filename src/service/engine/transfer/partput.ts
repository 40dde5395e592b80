/**
 * One PUT of an upload, from the file to S3: a positioned read of a part (or
 * the whole of a small file), its CRC64NVME, and the PUT on the data path
 * (s3/dataput.ts, no SHA-256 of the payload). It runs where the bytes are
 * read: on an upload thread (thread.ts), or on the service's thread when
 * there are none; either answers only the ETag and the CRC, so the main
 * thread plans, completes and counts.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { EosError } from '../../../core';
import type { DataCaller } from '../s3/call';
import { putData } from '../s3/dataput';
import { refusedAsTaken } from '../s3/errors';
import { localError } from '../local/confine';
import { partChecksum } from '../s3/checksums';
import { BodyPool } from './bodypool';

/** This thread's part buffers (bodypool.ts). */
const bodies = new BodyPool();

/** A part of a file (or the whole of it) and where it goes. */
export interface PartTask {
  /** Absolute path of the file. */
  path: string;
  /** Its path relative to the root, for messages. */
  shown: string;
  bucket: string;
  key: string;
  uri: string;
  /** The first byte read. */
  start: number;
  /** Bytes read and sent. */
  length: number;
  /** A part's file as it was when its upload began (size, modification time): a file changed since is refused. */
  file?: { size: number; mtimeMs: number };
  /** Part `n` of the multipart upload `uploadId`; else the whole file as one object, created with `object`. */
  part?: { uploadId: string; n: number };
  object?: { contentType: string; metadata: Record<string, string>; mustNotExist: boolean };
  /** Send the bytes' `UPLOAD_CRC` (S3 checks it) and answer it. */
  checksum: boolean;
  /** The MD5 (hex) of the part S3 holds already (a resumed upload): not sent again when the bytes' is the same. */
  held?: string;
}

/** What a PUT answers. */
export interface PartResult {
  etag: string;
  /** The bytes' `UPLOAD_CRC` as a decimal string (it crosses threads), when asked for. */
  crc?: string;
  /** The part was held already, its bytes the same: nothing was sent. */
  held?: boolean;
}

/** Read `task`'s bytes, and PUT them unless S3 holds them already. */
export async function putPart(store: DataCaller, task: PartTask, signal: AbortSignal): Promise<PartResult> {
  const body = await readPart(task, signal);
  try {
    return await sendPart(store, task, body, signal);
  } finally {
    // Every attempt has ended (answered, failed or aborted): the buffer is free for the next part.
    bodies.give(body);
  }
}

async function sendPart(store: DataCaller, task: PartTask, body: Buffer, signal: AbortSignal): Promise<PartResult> {
  const crc = task.checksum ? await partChecksum(body) : undefined;
  const crcText = crc?.crc.toString();
  if (task.held !== undefined && createHash('md5').update(body).digest('hex') === task.held) {
    return { etag: `"${task.held}"`, crc: crcText, held: true };
  }
  const { bucket, key, uri, part, object } = task;
  try {
    const etag = await store.s3(
      { bucket, uri },
      abortSignal =>
        putData(
          store.wire(bucket, key),
          {
            bucket,
            key,
            body,
            part,
            checksum: crc?.base64,
            contentType: object?.contentType,
            metadata: object?.metadata,
            mustNotExist: object?.mustNotExist
          },
          abortSignal
        ),
      { signal, deadlineMs: null }
    );
    return { etag, crc: crcText };
  } catch (err) {
    throw object?.mustNotExist ? refusedAsTaken(err, uri) : err;
  }
}

/**
 * The task's bytes from its file. Each part's PUT opens the file again, so
 * a part checks that it is still the file its upload began with (`file`):
 * one rewritten or replaced meanwhile is refused, not mixed into the object.
 */
async function readPart(task: PartTask, signal: AbortSignal): Promise<Buffer> {
  // A whole file is read one byte past its size: a file grown since it was listed is refused.
  const whole = task.part === undefined;
  const want = whole ? task.length + 1 : task.length;
  const buffer = bodies.take(want);
  let body: Buffer | undefined;
  let same = true;
  try {
    const fh = await fsp.open(task.path, 'r');
    try {
      if (task.file !== undefined) {
        const st = await fh.stat();
        same = st.size === task.file.size && st.mtimeMs === task.file.mtimeMs;
      }
      let read = 0;
      while (read < want) {
        const { bytesRead } = await fh.read(buffer, read, want - read, task.start + read);
        if (bytesRead === 0) {
          break;
        }
        read += bytesRead;
      }
      signal.throwIfAborted();
      body = buffer.subarray(0, read);
    } finally {
      await fh.close();
    }
  } catch (err) {
    bodies.give(buffer);
    throw signal.aborted ? err : localError(err, task.shown);
  }
  if (!same || body.length !== task.length) {
    bodies.give(buffer);
    throw new EosError('Conflict', `${task.shown} changed while it was being uploaded`);
  }
  return body;
}

/**
 * What a computer upload holds while it runs: its files and their batch (one
 * request, one job), and the small rules about a file.
 */
import { Readable } from 'node:stream';
import { EosError } from '../../../core';
import { JobContext, OpenUpload } from '../jobs/jobs';
import { Place } from '../s3/places';
import { MTIME_METADATA, formatMtime } from './contenttypes';

/** One file of a computer upload. */
export interface FileUpload {
  id: string;
  batch: Batch;
  place: Place;
  size: number;
  modified?: string;
  /** The object is written only if nothing is at its key (`fail`, `skip`, `keep-both`). */
  mustNotExist: boolean;
  partCount: number;
  /** Parts stored in S3: number -> ETag, size and (with checksums) CRC; a part sent again replaces its entry. */
  parts: Map<number, { etag: string; size: number; crc?: { crc: bigint; base64: string } }>;
  /** Parts being received. */
  inFlight: Set<number>;
  upload?: OpenUpload;
  creating?: Promise<OpenUpload>;
  /** Unregisters the multipart upload from the job (it is no longer open). */
  close?: () => void;
  /** Completed, or being completed. */
  completing: boolean;
  done: boolean;
}

/** The files of one request and their job. */
export interface Batch {
  jobId: string;
  ctx: JobContext;
  partSize: number;
  /** Parts are sent with their CRC64NVME and files completed with the full-object one (`verifyChecksums`). */
  checksum: boolean;
  files: FileUpload[];
  /** Fired when the batch ends: in-flight parts stop. */
  controller: AbortController;
  /** Every part or S3 call in flight, to wait for before aborting. */
  pending: Set<Promise<unknown>>;
  lastActivity: number;
  timer?: NodeJS.Timeout;
  ended: boolean;
  finish: (error?: unknown) => void;
}

/** A target that must not exist was written by someone else while the upload ran. */
export function writtenMeanwhile(uri: string): EosError {
  return new EosError('Conflict', `${uri} already exists: it was written while the upload ran`);
}

/** The object's user metadata: the file's modification time. */
export function metadataOf(file: FileUpload): Record<string, string> {
  return file.modified ? { [MTIME_METADATA]: formatMtime(file.modified) } : {};
}

/** Bytes of a file stored so far. */
export function received(file: FileUpload): number {
  let n = 0;
  for (const p of file.parts.values()) {
    n += p.size;
  }
  return n;
}

/**
 * A part's body received whole: exactly `length` bytes (its Content-Length,
 * at most the part size). A body cut short or too long fails the part
 * before anything is sent to S3; `signal` stops the wait.
 */
export function receivePart(body: Readable, n: number, length: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const buffer = Buffer.allocUnsafe(length);
    let got = 0;
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) {
        return;
      }
      settled = true;
      body.off('data', onData);
      signal.removeEventListener('abort', onAbort);
      if (err === undefined) {
        resolve(buffer);
      } else {
        reject(err);
      }
    };
    const short = () => finish(new EosError('InvalidRequest', `Part ${n} ended before its ${length} bytes`));
    const onData = (chunk: Buffer) => {
      if (got + chunk.length > length) {
        finish(new EosError('InvalidRequest', `Part ${n} is longer than its ${length} bytes`));
        return;
      }
      chunk.copy(buffer, got);
      got += chunk.length;
    };
    const onAbort = () => finish(signal.reason);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    body.on('data', onData);
    body.once('end', () => (got === length ? finish() : short()));
    body.on('error', short);
    body.once('close', short);
  });
}

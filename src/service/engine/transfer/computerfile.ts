/**
 * What a computer upload holds while it runs: its files and their batch (one
 * request, one job), and the small rules about a file.
 */
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
  /** Parts stored in S3: number -> ETag and size. */
  parts: Map<number, { etag: string; size: number }>;
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

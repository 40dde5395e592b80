/**
 * The API of transfers: `api/transfer` (server disk <-> EOS), `api/sync/plan`
 * and `api/sync`, and uploads from the user's computer (`api/uploads`, its
 * parts and limits); their entries are in `ApiRoutes`, `./api`.
 */
import { ConflictPolicy, Job } from './api-jobs';
import { ApiError } from './errors';

/**
 * `POST api/transfer`: move bytes between the server's disk and EOS, as a job.
 *
 * Local paths are relative to the Jupyter root as JupyterLab's file browser
 * gives them (`data/a.bam`; `''` is the root); `..`, absolute paths and
 * symbolic links that lead out of the root are refused (`OutsideRoot`).
 * - `upload`: `sources` are local files or folders, `destination` an `e://` folder (ending in `/`).
 * - `download`: `sources` are `e://` objects or folders, `destination` a local folder.
 * Each source lands in the destination under its own name; folders recurse.
 */
export interface TransferRequest {
  kind: 'upload' | 'download';
  sources: string[];
  destination: string;
  /** Default `ask`. */
  conflict?: ConflictPolicy;
}
/** `POST api/sync/plan` and `POST api/sync`: make `destination` hold what `source` holds. */
export interface SyncRequest {
  /**
   * A local folder (relative to the root) and an `e://` folder, either way
   * round, or two `e://` folders (copied server-side; neither may hold the
   * other, the source must exist).
   */
  source: string;
  destination: string;
  /** Delete what the destination has and the source does not. Default false. */
  delete?: boolean;
  /** Glob patterns (`*.tmp`, `cache/**`) matched against paths relative to the source. */
  exclude?: string[];
  /**
   * Include and exclude globs after `exclude`, in order: the last that
   * matches a path decides (`eos sync --exclude "*" --include "*.vcf.gz"`).
   */
  filters?: PathFilter[];
}
/** An include or exclude glob, matched as `exclude` globs are, against the path relative to the source folder. */
export interface PathFilter {
  include: boolean;
  glob: string;
}
/** Why an item is copied by a sync. */
export type SyncReason = 'new' | 'size' | 'modified';
/** What a sync would do, computed without changing anything. */
export interface SyncPlan {
  source: string;
  destination: string;
  copy: { path: string; size: number; reason: SyncReason }[];
  delete: { path: string; size: number }[];
  /** Items the same on both sides. */
  unchanged: number;
  /** Bytes to copy. */
  bytes: number;
  /** The lists hold at most 1,000 entries each; the counts are exact. */
  copyCount: number;
  deleteCount: number;
  /**
   * Source items the sync cannot copy, with why (EOS keys that cannot be local
   * names, such as `a/../b` or `a//b`): the job fails each one by name. Only
   * when there are any; at most 1,000 listed, `failedCount` exact.
   */
  failed?: { path: string; error: ApiError }[];
  failedCount?: number;
}
/** One file of a computer upload. */
export interface UploadFile {
  /** The object's `e://` URI. */
  destination: string;
  size: number;
  /** ISO 8601: the file's modification time, kept in the object's metadata. */
  modified?: string;
}
/**
 * `POST api/uploads`: start uploading files from the user's computer. One job
 * for all of them; one multipart upload per file, created when its first part
 * arrives. With `conflict: 'fail'` (the default) existing targets are refused
 * with `Conflict`, listing them in `details`, before anything is written.
 */
export interface CreateUploadsRequest {
  files: UploadFile[];
  conflict?: 'fail' | 'overwrite' | 'skip' | 'keep-both';
}
export interface CreateUploadsResponse {
  job: Job;
  /** Bytes per part (8..64 MiB, fewer than 10,000 parts for the largest file); the last part may be shorter. */
  partSize: number;
  /** One per file, in order: its upload id (null when skipped) and the URI it will have. */
  uploads: { id: string | null; destination: string }[];
}
/**
 * `PUT api/uploads/part?id=&n=` with the part's raw bytes (`n` from 1); parts
 * may arrive in any order and several at once. An upload that receives
 * nothing for `UPLOAD_IDLE_MS` is aborted by the service.
 */
export interface UploadPartQuery {
  id: string;
  n: number;
}
export interface UploadPartResponse {
  n: number;
  /** Bytes of this upload received so far. */
  received: number;
}
/**
 * `POST api/uploads/complete {id}`: all parts of that file sent; answers the job.
 * `POST api/uploads/abort {id}`: cancels the whole job the upload belongs to
 * (every multipart upload of it is aborted); answers the job once stopped.
 */
export interface UploadIdRequest {
  id: string;
}
/** An upload that receives no part for this long is aborted (its multipart upload too). */
export const UPLOAD_IDLE_MS = 10 * 60 * 1000;
/** The most files one `api/uploads` request names (a bigger folder is sent in several requests, several jobs). */
export const MAX_UPLOAD_FILES = 1000;
/** The largest `api/uploads` body, in bytes (other JSON bodies: 64 KiB). */
export const MAX_UPLOADS_BODY = 1024 * 1024;
/** The smallest and largest part of a computer upload. */
export const MIN_UPLOAD_PART = 8 * 1024 * 1024;
export const MAX_UPLOAD_PART = 64 * 1024 * 1024;

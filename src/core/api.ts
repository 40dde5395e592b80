/**
 * The service's HTTP API: routes and their request/response bodies.
 *
 * All routes live under the proxy prefix (`<base_url>eos/`). S3 keys travel in
 * query strings (GET) or JSON bodies (POST), never in URL paths: the proxy
 * re-quotes paths and would mangle `%2F`, `?` and `#`.
 */
import { Access } from './access';
import {
  DiskLargestQuery,
  DiskLargestResponse,
  DiskQuery,
  DiskResponse,
  LocalDeleteRequest,
  LocalDeleteResponse,
  OffloadRequest
} from './api-disk';
import {
  CheckpointRequest,
  CheckpointsQuery,
  CheckpointsResponse,
  ContentQuery,
  ContentResponse,
  HeadQuery,
  HeadResponse,
  SaveQuery,
  SaveResponse
} from './api-open';
import { ApiError } from './errors';
import { Namespace } from './uri';

/** Seconds a presigned URL lives by default (the SDK's documented 48 h). */
export const DEFAULT_PRESIGN_SECONDS = 48 * 3600;
/** The longest a SigV4 presigned URL can live. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
/** The most entries one list page returns (S3's MaxKeys ceiling). */
export const MAX_LIST_LIMIT = 1000;
/** The default disk limit of an Explorer instance, in bytes. */
export const DEFAULT_DISK_LIMIT = 200 * 1000 ** 3;

/** The most objects one S3 DeleteObjects request removes. */
export const DELETE_BATCH = 1000;
/** Above this size S3 refuses a single CopyObject: multipart copy (UploadPartCopy) instead. */
export const MAX_SINGLE_COPY = 5 * 1024 ** 3;
/** The longest a `GET api/job?wait=` long poll is held, in milliseconds. */
export const MAX_JOB_WAIT_MS = 30000;

/** Route paths, relative to the service root (the keys of `ApiRoutes`). */
export const Routes = {
  whoami: 'api/whoami',
  list: 'api/list',
  stat: 'api/stat',
  presign: 'api/presign',
  disk: 'api/disk',
  mkdir: 'api/mkdir',
  count: 'api/count',
  delete: 'api/delete',
  copy: 'api/copy',
  job: 'api/job',
  cancelJob: 'api/job/cancel',
  jobs: 'api/jobs',
  answerJob: 'api/job/answer',
  retryJob: 'api/job/retry',
  clearJobs: 'api/jobs/clear',
  transfer: 'api/transfer',
  syncPlan: 'api/sync/plan',
  sync: 'api/sync',
  uploads: 'api/uploads',
  uploadPart: 'api/uploads/part',
  completeUpload: 'api/uploads/complete',
  abortUpload: 'api/uploads/abort',
  // Opening files and peeking (issue 8)
  content: 'api/content',
  saveContent: 'api/content/save',
  head: 'api/head',
  checkpoints: 'api/checkpoints',
  changeCheckpoint: 'api/checkpoints/change',
  // Disk gauge (issue 7)
  diskLargest: 'api/disk/largest',
  diskOffload: 'api/disk/offload',
  diskDelete: 'api/disk/delete'
} as const satisfies Record<string, RouteName>;

export interface NamespaceInfo {
  name: Namespace;
  /** The namespace root the user browses: `e://users/me/`, `e://org/`, `e://gencove/`. */
  uri: string;
  access: Access;
}

/** `GET api/whoami` */
export interface WhoAmIResponse {
  userId: string;
  orgId: string;
  orgBucket: string;
  gencoveBucket: string;
  /** The user's own space, `e://users/me/`. */
  home: string;
  namespaces: NamespaceInfo[];
  /** The service version. */
  version: string;
}

export type EntryKind = 'folder' | 'object';

/** One item of a listing. */
export interface Entry {
  kind: EntryKind;
  /** The last path segment, without a trailing slash; may be '' for a key like `a//b`. */
  name: string;
  /** The canonical `e://` URI (folders end with `/`). */
  uri: string;
  access: Access;
  /** Bytes; objects only. */
  size?: number;
  /** ISO 8601; objects only. */
  modified?: string;
  /** S3 storage class, e.g. STANDARD, GLACIER; objects only. */
  storageClass?: string;
}

/** `GET api/list?uri=&cursor=&limit=` */
export interface ListQuery {
  uri: string;
  /** The `next` of the previous page. */
  cursor?: string;
  /** Entries per page, 1..1000 (default 1000). */
  limit?: number;
  /**
   * Only entries whose name starts with this text (case-sensitive, done by S3
   * as a key prefix, so it stays fast on a folder of 100,000 keys).
   */
  prefix?: string;
}

/** One page of a folder: its folders, then its objects, in S3 key order. */
export interface ListResponse {
  /** The canonical URI of the folder listed. */
  uri: string;
  access: Access;
  entries: Entry[];
  /** Pass as `cursor` for the next page; null on the last page. */
  next: string | null;
}

/** `GET api/stat?uri=` */
export interface StatQuery {
  uri: string;
}

export interface StatResponse extends Entry {
  etag?: string;
  contentType?: string;
  contentEncoding?: string;
  cacheControl?: string;
  /** User metadata (`x-amz-meta-*`), names without the prefix. */
  metadata?: Record<string, string>;
  /** S3's restore status of an archived object (`x-amz-restore`), verbatim. */
  restore?: string;
  versionId?: string;
}

/** `POST api/presign` */
export interface PresignRequest {
  uri: string;
  /** Seconds; default 48 h. */
  expiresIn?: number;
  /**
   * Sign for a download to the user's computer: the URL's response carries
   * `Content-Disposition: attachment` with the object's name.
   */
  download?: boolean;
}

/** What set a presigned URL's expiry. */
export type ExpiryLimit = 'request' | 'maximum' | 'credentials';

export interface PresignResponse {
  url: string;
  /** ISO 8601: when the URL stops working. */
  expiresAt: string;
  /** Seconds from now until `expiresAt`. */
  expiresIn: number;
  /** `maximum`: capped at SigV4's 7 days; `credentials`: the signing credentials expire first. */
  limitedBy: ExpiryLimit;
}

/** `POST api/mkdir {uri}`: create a folder (a zero-byte marker object `folder/`). */
export interface MkdirRequest {
  /** The new folder's URI; a trailing slash is added when missing. */
  uri: string;
}

/** `POST api/count {uris}`: what deleting (or moving) these would touch, counted exactly. */
export interface CountRequest {
  uris: string[];
}

export interface CountResponse {
  /** Objects under the URIs (folder markers included). */
  objects: number;
  /** Their total size. */
  bytes: number;
  /** How many of the URIs are folders. */
  folders: number;
}

/** `POST api/delete {uris, recursive}`: starts a job. */
export interface DeleteRequest {
  uris: string[];
  /** Required for a folder that holds anything; without it such a folder is refused (`Conflict`). */
  recursive?: boolean;
}

/**
 * What to do when a target already exists: `fail` refuses the whole request
 * up front (`Conflict`); `ask` puts a question on the job and waits for
 * `api/job/answer` (that item waits, the others go on); `keep-both` writes
 * beside it under a free name (`name (1).ext`).
 */
export type ConflictPolicy = 'fail' | 'ask' | 'overwrite' | 'skip' | 'keep-both';
/** An answer to a conflict question. */
export type ConflictChoice = 'overwrite' | 'skip' | 'keep-both';

/**
 * `POST api/copy {sources, destination, move}`: a server-side copy or move, as a job.
 *
 * A destination ending in `/` is a folder each source goes into under its own
 * name; otherwise there must be one source and the destination is its new URI
 * (a rename). Folders copy every object under them.
 */
export interface CopyRequest {
  sources: string[];
  destination: string;
  /** Delete each source object once its copy is complete. */
  move?: boolean;
  /** Default `fail`: the job is refused with `Conflict` before anything is written. */
  conflict?: ConflictPolicy;
}

/**
 * `upload`: server disk -> EOS; `download`: EOS -> server disk; `sync`: either
 * way, by size and modification time; `computer-upload`: files from the
 * user's computer, sent in parts through `api/uploads`.
 */
export type JobKind =
  | 'delete'
  | 'copy'
  | 'move'
  | 'upload'
  | 'download'
  | 'sync'
  | 'computer-upload'
  // `offload`: "Move to EOS" of the disk gauge: upload, verify, then delete the local copy
  | 'offload';
/** `interrupted`: the service stopped while it ran (found so in the journal at start-up); retryable. */
export type JobState = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
/**
 * A named phase of a running job that moves no bytes the bar can show
 * (`verifying`: reading the uploaded objects back before deleting the local
 * files). Without it, the frontend names the phase from the counters.
 */
export type JobPhase = 'verifying';
/** A target that exists, waiting for the user's choice. */
export interface ConflictQuestion {
  /** Pass back to `api/job/answer`. */
  id: string;
  /** What would be written over: an `e://` URI or a local path relative to the Jupyter root. */
  target: string;
  /** What would be written there. */
  source: string;
  sourceSize?: number;
  targetSize?: number;
  /** ISO 8601. */
  sourceModified?: string;
  targetModified?: string;
}
/** One item that failed while the job went on. */
export interface JobFailure {
  /** The item: an `e://` URI or a local path relative to the Jupyter root. */
  item: string;
  error: ApiError;
}

/** A long-running operation in the service; poll `api/job` for its progress. */
export interface Job {
  id: string;
  kind: JobKind;
  state: JobState;
  /** The URIs acted on. */
  sources: string[];
  destination?: string;
  /** Objects done so far, and the total once known (null while counting). */
  objects: { done: number; total: number | null };
  bytes: { done: number; total: number | null };
  /** Targets skipped because they existed (`conflict: 'skip'`). */
  skipped: number;
  /** ISO 8601. */
  started: string;
  finished?: string;
  /** Why a `failed` job failed. */
  error?: ApiError;
  /** Bytes per second over the last few seconds (running jobs). */
  rate?: number;
  /** Seconds left at that rate, once the byte total is known. */
  eta?: number;
  /** The item being worked on (the last one started). */
  current?: string;
  /** A phase the counters cannot tell (see `JobPhase`). */
  phase?: JobPhase;
  /** The first conflict waiting for an answer; `questions` says how many wait. */
  question?: ConflictQuestion;
  questions?: number;
  /** Items that failed (at most the first 100); the job fails when any did. */
  failures?: JobFailure[];
  /** Whether `api/job/retry` can run it again (failed, cancelled and interrupted jobs). */
  retryable?: boolean;
  /** The id of the job a retry started. */
  retriedAs?: string;
}

/** `GET api/job?id=&wait=`: with `wait` (ms), answer when the job ends or the wait runs out. */
export interface JobQuery {
  id: string;
  wait?: number;
}

/** `POST api/job/cancel {id}` */
export interface CancelJobRequest {
  id: string;
}

/** `GET api/jobs`: every job the service knows, oldest first (also after a restart: the journal). */
export interface JobsResponse {
  jobs: Job[];
}
/** `POST api/job/answer`: the user's choice for a conflict question. */
export interface AnswerJobRequest {
  id: string;
  question: string;
  choice: ConflictChoice;
  /** Use the same choice for every later conflict of this job. */
  applyToAll?: boolean;
}
/** `POST api/job/retry {id}`: run a failed, cancelled or interrupted job again; answers the new job. */
export interface RetryJobRequest {
  id: string;
}
/** `POST api/jobs/clear {ids?}`: forget finished jobs (all finished ones without `ids`). */
export interface ClearJobsRequest {
  ids?: string[];
}
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
  /** A local folder (relative to the root) and an `e://` folder, either way round. */
  source: string;
  destination: string;
  /** Delete what the destination has and the source does not. Default false. */
  delete?: boolean;
  /** Glob patterns (`*.tmp`, `cache/**`) matched against paths relative to the source. */
  exclude?: string[];
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
/**
 * `GET api/events` (not in the table: a `text/event-stream`). On connect one
 * `jobs` event with `JobsResponse`; then a `job` event with the `Job` each
 * time one starts, changes state, asks, or (at most every 500 ms) progresses;
 * a `forget` event `{ids}` when jobs are cleared; `folders` (`FolderChanges`)
 * and `disk` (`DiskChangedEvent`) events, see `./api-events`. A comment line
 * every 15 s keeps the stream alive.
 */
export const EVENTS_ROUTE = 'api/events';

/** Every route: its method, its query (GET) or JSON body (POST), and its response. */
export interface ApiRoutes {
  'api/whoami': { method: 'GET'; query: Record<string, never>; response: WhoAmIResponse };
  'api/list': { method: 'GET'; query: ListQuery; response: ListResponse };
  'api/stat': { method: 'GET'; query: StatQuery; response: StatResponse };
  'api/presign': { method: 'POST'; body: PresignRequest; response: PresignResponse };
  'api/disk': { method: 'GET'; query: DiskQuery; response: DiskResponse };
  'api/mkdir': { method: 'POST'; body: MkdirRequest; response: Entry };
  'api/count': { method: 'POST'; body: CountRequest; response: CountResponse };
  'api/delete': { method: 'POST'; body: DeleteRequest; response: Job };
  'api/copy': { method: 'POST'; body: CopyRequest; response: Job };
  'api/job': { method: 'GET'; query: JobQuery; response: Job };
  'api/job/cancel': { method: 'POST'; body: CancelJobRequest; response: Job };
  'api/jobs': { method: 'GET'; query: Record<string, never>; response: JobsResponse };
  'api/job/answer': { method: 'POST'; body: AnswerJobRequest; response: Job };
  'api/job/retry': { method: 'POST'; body: RetryJobRequest; response: Job };
  'api/jobs/clear': { method: 'POST'; body: ClearJobsRequest; response: JobsResponse };
  'api/transfer': { method: 'POST'; body: TransferRequest; response: Job };
  'api/sync/plan': { method: 'POST'; body: SyncRequest; response: SyncPlan };
  'api/sync': { method: 'POST'; body: SyncRequest; response: Job };
  'api/uploads': { method: 'POST'; body: CreateUploadsRequest; response: CreateUploadsResponse };
  /** The body is the part's raw bytes (`application/octet-stream`), never JSON or base64. */
  'api/uploads/part': { method: 'PUT'; query: UploadPartQuery; raw: true; response: UploadPartResponse };
  'api/uploads/complete': { method: 'POST'; body: UploadIdRequest; response: Job };
  'api/uploads/abort': { method: 'POST'; body: UploadIdRequest; response: Job };
  // Opening files and peeking (issue 8)
  'api/content': { method: 'GET'; query: ContentQuery; response: ContentResponse };
  /** The body is the object's new bytes, raw. */
  'api/content/save': { method: 'PUT'; query: SaveQuery; raw: true; response: SaveResponse };
  'api/head': { method: 'GET'; query: HeadQuery; response: HeadResponse };
  'api/checkpoints': { method: 'GET'; query: CheckpointsQuery; response: CheckpointsResponse };
  'api/checkpoints/change': { method: 'POST'; body: CheckpointRequest; response: CheckpointsResponse };
  // Disk gauge (issue 7)
  'api/disk/largest': { method: 'GET'; query: DiskLargestQuery; response: DiskLargestResponse };
  'api/disk/offload': { method: 'POST'; body: OffloadRequest; response: Job };
  'api/disk/delete': { method: 'POST'; body: LocalDeleteRequest; response: LocalDeleteResponse };
}

/** A route path. */
export type RouteName = keyof ApiRoutes;
/** The HTTP method of a route. */
export type RouteMethod<R extends RouteName> = ApiRoutes[R]['method'];
/** The raw body of a `raw` route: bytes as the browser (a `Blob`, e.g. `file.slice()`) or Node holds them. */
export type RawBody = ArrayBuffer | ArrayBufferView | { readonly size: number; readonly type: string };
/** What a route takes: `{query}` for GET routes, `{body}` for POST routes, `{query, body}` for raw ones. */
export type RouteInput<R extends RouteName> = ApiRoutes[R] extends { query: infer Q; raw: true }
  ? { query: Q; body: RawBody }
  : ApiRoutes[R] extends { query: infer Q }
    ? { query: Q; body?: never }
    : ApiRoutes[R] extends { body: infer B }
      ? { body: B; query?: never }
      : never;
/** What a route answers. */
export type RouteResponse<R extends RouteName> = ApiRoutes[R]['response'];

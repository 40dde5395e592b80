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
import {
  AnswerJobRequest,
  CancelJobRequest,
  ClearJobsRequest,
  ConflictPolicy,
  Job,
  JobQuery,
  JobsResponse,
  RetryJobRequest
} from './api-jobs';
import {
  CreateUploadsRequest,
  CreateUploadsResponse,
  SyncPlan,
  SyncRequest,
  TransferRequest,
  UploadIdRequest,
  UploadPartQuery,
  UploadPartResponse
} from './api-transfer';
import type { ImportRequest } from './api-import';
import type { LocationsResponse, SetLocationsRequest } from './api-locations';
import { Namespace } from './uri';

/** Seconds a presigned URL lives by default (the SDK's documented 48 h). */
export const DEFAULT_PRESIGN_SECONDS = 48 * 3600;
/** The longest a SigV4 presigned URL can live. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
/** The most entries one list page returns (S3's MaxKeys ceiling). */
export const MAX_LIST_LIMIT = 1000;
/** The default disk limit of an Explorer instance, in bytes. */
export const DEFAULT_DISK_LIMIT = 200 * 1000 ** 3;

/** The most objects `api/count` counts (10 list pages): beyond, it answers `more`. */
export const COUNT_LIMIT = 10000;
/** The most files on either side `api/sync/plan` previews (the sync itself, a job, has no limit). */
export const SYNC_PLAN_LIMIT = 20000;
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
  diskDelete: 'api/disk/delete',
  importUrls: 'api/import',
  // S3 locations outside EOS (issue 17)
  locations: 'api/locations'
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
  /**
   * The count stopped at COUNT_LIMIT objects (an answer must come within the
   * proxy's timeout): there are more, and `objects` and `bytes` are a floor.
   */
  more: boolean;
}

/** `POST api/delete {uris, recursive}`: starts a job. */
export interface DeleteRequest {
  uris: string[];
  /** Required for a folder that holds anything; without it such a folder is refused (`Conflict`). */
  recursive?: boolean;
}

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
  'api/import': { method: 'POST'; body: ImportRequest; response: Job };
  /** The S3 locations outside EOS the panel added (its settings), replacing the service's list. */
  'api/locations': { method: 'POST'; body: SetLocationsRequest; response: LocationsResponse };
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

/**
 * The service's HTTP API: routes and their request/response bodies.
 *
 * All routes live under the proxy prefix (`<base_url>eos/`). S3 keys travel in
 * query strings (GET) or JSON bodies (POST), never in URL paths: the proxy
 * re-quotes paths and would mangle `%2F`, `?` and `#`.
 */
import { Access } from './access';
import { Namespace } from './uri';

/** Seconds a presigned URL lives by default (the SDK's documented 48 h). */
export const DEFAULT_PRESIGN_SECONDS = 48 * 3600;
/** The longest a SigV4 presigned URL can live. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
/** The most entries one list page returns (S3's MaxKeys ceiling). */
export const MAX_LIST_LIMIT = 1000;
/** The default disk limit of an Explorer instance, in bytes. */
export const DEFAULT_DISK_LIMIT = 200 * 1000 ** 3;

/** Route paths, relative to the service root. */
export const Routes = {
  whoami: 'api/whoami',
  list: 'api/list',
  stat: 'api/stat',
  presign: 'api/presign',
  disk: 'api/disk'
} as const;

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
  cursor?: string;
  limit?: number;
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
}

/** `POST api/presign` */
export interface PresignRequest {
  uri: string;
  /** Seconds; default 48 h. */
  expiresIn?: number;
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

/** `GET api/disk` */
export interface DiskResponse {
  /** The Jupyter root directory measured. */
  root: string;
  /** Bytes of the filesystem holding the root. */
  total: number;
  used: number;
  /** Bytes available to the user (statfs `bavail`, as `df` shows). */
  free: number;
  /** The instance's disk allowance in bytes (default 200 GB). */
  limit: number;
  /**
   * `filesystem`: the root is its own filesystem (as on Explorer);
   * `shared`: it shares a filesystem with other data, so `used` covers more than the root.
   */
  mode: 'filesystem' | 'shared';
}

/**
 * The API of opening EOS files in JupyterLab and peeking into them (issue 8):
 * limits, and the types of `api/content`, `api/content/save`, `api/head` and
 * the checkpoints routes (their entries are in `ApiRoutes`, `./api`).
 */
import { Access } from './access';

/** The largest object `api/content` returns unless asked for less (the proxy buffers whole responses). */
export const DEFAULT_OPEN_LIMIT = 50 * 1000 ** 2;
/**
 * The largest `limit` a client may ask `api/content` for: base64 in JSON stays
 * under the proxy's 100 MiB. Decimal, as every size the settings and the UI show.
 */
export const MAX_OPEN_LIMIT = 64 * 1000 ** 2;
/** Records `api/head` returns unless asked, and the most it returns. */
export const DEFAULT_HEAD_LINES = 100;
export const MAX_HEAD_LINES = 10000;
/** Header lines (`##` of a VCF, `@` of a SAM) `api/head` returns at most, besides the records. */
export const MAX_HEAD_HEADER_LINES = 10000;
/** Characters of one line `api/head` keeps; a longer line is cut (and said so). */
export const MAX_HEAD_LINE_CHARS = 64 * 1024;
/** Decoded bytes after which `api/head` stops whatever the line count (the answer stays small). */
export const MAX_HEAD_DECODED_BYTES = 8 * 1024 * 1024;

/** How an object's bytes travel in JSON: UTF-8 text, or base64 for anything else. */
export type ContentFormat = 'text' | 'base64';

/**
 * `GET api/content?uri=&format=&limit=&content=`: an object's facts and (unless
 * `content=false`) its bytes. Bigger than `limit`: `PayloadTooLarge` naming the limit.
 */
export interface ContentQuery {
  uri: string;
  /** `text` refuses bytes that are not UTF-8 (`InvalidRequest`); default: text when they are, else base64. */
  format?: ContentFormat;
  /** Bytes; default DEFAULT_OPEN_LIMIT, at most MAX_OPEN_LIMIT. */
  limit?: number;
  /** false: the facts only (no size limit applies). Default true. */
  content?: boolean;
}

export interface ContentResponse {
  /** The canonical `e://` URI. */
  uri: string;
  name: string;
  size: number;
  /** ISO 8601. */
  modified: string;
  /** The ETag of the bytes returned: pass it to `api/content/save` as `etag`. */
  etag: string;
  /** The stored content type, else one from the name. */
  contentType: string;
  access: Access;
  /** null when `content=false`. */
  format: ContentFormat | null;
  content: string | null;
}

/**
 * `PUT api/content/save?uri=&etag=` with the object's new bytes (raw): a
 * conditional write. With `etag` the object must still have it (`If-Match`):
 * changed by someone else meanwhile, it is refused with `Conflict` and nothing
 * is written. Without `etag` the object must not exist (`If-None-Match: *`).
 * Read-only places are refused (`ReadOnly`) before any S3 call; bodies above
 * MAX_OPEN_LIMIT with `PayloadTooLarge`.
 */
export interface SaveQuery {
  uri: string;
  etag?: string;
}

export interface SaveResponse {
  uri: string;
  size: number;
  modified: string;
  etag: string;
}

/**
 * `GET api/head?uri=&lines=&header=`: the first lines of an object, read by
 * ranged GETs that stop as soon as enough lines are decoded; gzip and BGZF
 * (concatenated gzip members) are decompressed on the fly, found by their
 * magic bytes.
 */
export interface HeadQuery {
  uri: string;
  /** Lines wanted (not counting header lines); default DEFAULT_HEAD_LINES, at most MAX_HEAD_LINES. */
  lines?: number;
  /**
   * A prefix marking header lines at the start (`#` for VCF, `@` for SAM):
   * they are returned apart and do not count (at most MAX_HEAD_HEADER_LINES).
   */
  header?: string;
}

export interface HeadResponse {
  uri: string;
  /** The object's size, in bytes. */
  size: number;
  etag: string;
  /** Whether the bytes were gzip (or BGZF) and decompressed. */
  compressed: boolean;
  /** The leading header lines (only with `header`). */
  header: string[];
  lines: string[];
  /** Bytes read from S3: what the ranged GETs returned. */
  bytesRead: number;
  /** Bytes after decompression that were looked at. */
  bytesDecoded: number;
  /** Whether the whole object was read (so `lines` may be fewer than asked). */
  complete: boolean;
  /** How many lines were longer than MAX_HEAD_LINE_CHARS and cut. */
  cut: number;
}

/**
 * Checkpoints of files opened from EOS: kept in the service's memory (never
 * as S3 objects beside the user's data), one per file, lost when the
 * service restarts. `GET api/checkpoints?uri=` lists them.
 */
export interface CheckpointsQuery {
  uri: string;
}

export interface Checkpoint {
  id: string;
  /** ISO 8601: when it was taken. */
  modified: string;
}

export interface CheckpointsResponse {
  checkpoints: Checkpoint[];
}

/**
 * `POST api/checkpoints/change {uri, action, id?}`: `create` keeps the object's
 * current bytes (within DEFAULT_OPEN_LIMIT; bigger objects get none),
 * `restore` writes checkpoint `id` back over the object, `delete` forgets it.
 */
export interface CheckpointRequest {
  uri: string;
  action: 'create' | 'restore' | 'delete';
  id?: string;
}

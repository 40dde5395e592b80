/**
 * The API of the local disk gauge (issue 7): `api/disk`, `api/disk/largest`,
 * `api/disk/offload` and `api/disk/delete` (their entries are in `ApiRoutes`, `./api`).
 */
/**
 * `GET api/disk?mode=`: the Jupyter root's disk, in one of two modes.
 * - `filesystem`: the root is its own mount (as `/home/explorer` on an
 *   instance): figures as `df` gives them (`used` = allocated blocks, `free` =
 *   `bavail`), `capacity` = `used + free` (the base of `df`'s Use%).
 * - `quota`: the root shares a bigger disk: `used` is the root's allocated
 *   size (what `du -sB1` counts) from a background walk, `capacity` the
 *   configured `limit`, `free` what is left of it (and never more than the
 *   filesystem has).
 */
export interface DiskResponse {
  /** The Jupyter root directory measured. */
  root: string;
  mode: DiskMode;
  /** `auto`: chosen by whether the root is a mount point; `config`: set by the service's configuration; `request`: asked for with `?mode=`. */
  modeSource: 'auto' | 'config' | 'request';
  /** Bytes of the filesystem holding the root. */
  total: number;
  /** Bytes in use: the filesystem's (filesystem mode) or the root's (quota mode). */
  used: number;
  /** Bytes the user can still write. */
  free: number;
  /** The configured allowance in bytes (default 200 GB); quota mode measures against it. */
  limit: number;
  /** What `percent` is of: `used + free` (filesystem) or `limit` (quota). */
  capacity: number;
  /** `used` as a percentage of `capacity`, 0..100+ (one decimal). */
  percent: number;
  /** Where `percent` stands against `thresholds`. */
  level: DiskLevel;
  thresholds: DiskThresholds;
  /** ISO 8601: when `used` was measured (quota mode: when the walk that gave it ended); null while the first walk runs. */
  measuredAt: string | null;
  /** The background walk of the root (quota mode's figure and the largest items come from it). */
  walk: DiskWalkInfo;
}

/** How the root's disk is measured (see `DiskResponse`). */
export type DiskMode = 'filesystem' | 'quota';
/** Where usage stands against the thresholds. */
export type DiskLevel = 'ok' | 'warn' | 'critical';
/** Percentages of the capacity from which usage is a warning, then critical. */
export interface DiskThresholds {
  warn: number;
  critical: number;
}
export const DEFAULT_DISK_THRESHOLDS: DiskThresholds = { warn: 80, critical: 95 };

/** The level of `percent` against `thresholds` (a threshold reached counts). */
export function diskLevel(percent: number, thresholds: DiskThresholds): DiskLevel {
  if (percent >= thresholds.critical) {
    return 'critical';
  }
  return percent >= thresholds.warn ? 'warn' : 'ok';
}

/** `used` as a percentage of `capacity`, rounded to one decimal (100 when there is no capacity). */
export function diskPercent(used: number, capacity: number): number {
  return capacity > 0 ? Math.round((used / capacity) * 1000) / 10 : 100;
}

/** The background walk of the Jupyter root. */
export interface DiskWalkInfo {
  /** `idle`: never run yet; `running`: under way (the figures so far); `done`: the last one ended. */
  state: 'idle' | 'running' | 'done';
  /** Entries counted by the walk under way, or by the last one. */
  files: number;
  folders: number;
  /** Allocated bytes counted so far (hard links once). */
  bytes: number;
  /** ISO 8601. */
  started: string | null;
  finished: string | null;
  /** Folders the walk could not read (their content is not counted). */
  unreadable: number;
}

/** `GET api/disk?mode=`: `mode` asks for one mode instead of the service's. */
export interface DiskQuery {
  mode?: DiskMode;
}

/** `GET api/disk/largest?offset=&limit=`: the biggest local files and folders, biggest first. */
export interface DiskLargestQuery {
  /** Items to skip (default 0). */
  offset?: number;
  /** Items per page, 1..500 (default 100). */
  limit?: number;
  /**
   * Only the items directly in this folder (relative to the root, `''` for
   * the root itself), biggest first: one level of a tree whose rows never
   * hold each other. Without it, every file and folder in one ranking.
   */
  under?: string;
}

/** A local file or folder of the Jupyter root. */
export interface DiskItem {
  /** Relative to the root, `/`-separated, as the file browser gives paths. */
  path: string;
  kind: 'file' | 'folder';
  /**
   * Apparent bytes, as the file browser and `ls -l` give them (a folder: the
   * sum of the files under it, a hard-linked file counted at one name only).
   * What deleting it frees can be more: whole disk blocks.
   */
  size: number;
  /** ISO 8601 modification time. */
  modified: string;
}

export interface DiskLargestResponse {
  items: DiskItem[];
  /** Items in the whole ranking (files and folders; with `under`, those in that folder). */
  total: number;
  /** Pass as `offset` for the next page; null on the last page. */
  next: number | null;
  /** ISO 8601: when the walk the ranking comes from ended; null while the first walk runs (`items` is then empty). */
  measuredAt: string | null;
  walk: DiskWalkInfo;
  /** Folders the walk could not read, with why (their content is missing from the ranking). */
  unreadable: { path: string; error: string }[];
}

/**
 * `POST api/disk/offload {paths, destination?}`: "Move to EOS". Each local
 * file or folder is uploaded to the same relative path under `destination`
 * (default `e://users/me/`), each file is read back and compared (size and
 * SHA-256), and only then its local copy is deleted. Existing objects are
 * never overwritten (refused up front).
 */
export interface OffloadRequest {
  /** Local paths relative to the Jupyter root. */
  paths: string[];
  /** An `e://` folder ending in `/` (default `e://users/me/`). */
  destination?: string;
}

/** `POST api/disk/delete {paths}`: delete local files or folders (recursively) of the Jupyter root. */
export interface LocalDeleteRequest {
  paths: string[];
}

export interface LocalDeleteResponse {
  /** Paths deleted. */
  deleted: string[];
  /** Allocated bytes freed. */
  freed: number;
}

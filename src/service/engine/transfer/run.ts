/**
 * What uploads, downloads and syncs share: their tuning and which failures
 * stop a whole job.
 */
import { promises as fsp } from 'node:fs';
import { EosError, Job, PathFilter, TransferRequest } from '../../../core';
import { isUnreachable } from '../s3/errors';
import type { GetWorkers } from './threads';
import { JobContext } from '../jobs/jobs';
import { DiskSpace } from '../local/disk';
import type { ResumeLedger } from './resumeledger';

const MiB = 1024 * 1024;

/** Free space of a filesystem, as `fs.statfs` answers it. */
export interface FsSpace {
  bavail: number | bigint;
  bsize: number | bigint;
}

/** How transfers run; tests shrink sizes and inject `statfs`. */
export interface TransferOptions {
  /** The Jupyter root (a realpath): local paths are confined to it. */
  rootDir: string;
  /** The smallest part of a multipart upload, and the range of a ranged download (default 8 MiB). */
  partSize: number;
  /**
   * The range one GET of a big download fetches (default 32 MiB). Each range
   * streams to disk, so memory does not grow with it; fewer, larger requests
   * cost less CPU per byte.
   */
  rangeSize: number;
  /**
   * An import from a URL whose server offers byte ranges and says a length of
   * at least this many bytes fetches it in part-sized ranges, `partsInFlight`
   * at once (default 64 MiB); a smaller one, or one without ranges, is streamed.
   */
  importRangesFrom: number;
  /** Parts (or ranges) of one file in flight (default 4; the service and `eos`: twice the transfer threads, at least 8, `downloadFigures`). */
  partsInFlight: number;
  /** Ranges of one download in flight, when they differ from `partsInFlight` (`downloadFigures`). */
  rangesInFlight?: number;
  /** Files in flight (default 16); a download's at first, when `maxFilesInFlight` is more. */
  filesInFlight: number;
  /** The most files a download keeps in flight, raised from `filesInFlight` while its rate grows (`InFlight`). */
  maxFilesInFlight?: number;
  /** Big files (one part or more) in flight, bounding memory (default 2). */
  bigFilesInFlight: number;
  /** The free space of the filesystem holding a folder. */
  statfs: (dir: string) => Promise<FsSpace>;
  /** The disk check downloads go through (the engine's `DiskMonitor`; without it, `statfs` in filesystem mode). */
  disk?: DiskSpace;
  /** The threads downloads' GETs and uploads' PUTs run on (the engine's, when its bundle is there); without them, this thread. */
  getThreads?: GetWorkers;
  /** Where interrupted transfers are kept for a retry (the engine's, with `resume`); without it none is. */
  ledger?: ResumeLedger;
  /**
   * Check every byte end to end (default true): uploads send S3 the
   * full-object CRC64NVME of the bytes read, downloads compare the CRC of
   * the bytes written with the one S3 stores. About 0.8 s of CPU per GiB.
   */
  verifyChecksums?: boolean;
}

export const DEFAULT_TRANSFER_OPTIONS: Omit<TransferOptions, 'rootDir' | 'disk'> = {
  partSize: 8 * MiB,
  rangeSize: 32 * MiB,
  importRangesFrom: 64 * MiB,
  partsInFlight: 4,
  filesInFlight: 16,
  bigFilesInFlight: 2,
  statfs: dir => fsp.statfs(dir)
};

/**
 * Whether a failure of one item should stop the whole job: S3 unreachable or
 * the credentials refused (every other item would fail the same way), the
 * local disk full, or a cancel.
 */
export function isFatal(err: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) {
    return true;
  }
  if (!(err instanceof EosError)) {
    return false;
  }
  return isUnreachable(err) || err.code === 'NoCredentials' || err.code === 'NoSpace';
}

/**
 * Run one item's work: an item failure is recorded on the job (which goes
 * on); a fatal one is thrown.
 */
export async function asItem(ctx: JobContext, item: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (isFatal(err, ctx.signal)) {
      throw err;
    }
    ctx.fail(item, err);
  }
}

/** A semaphore: at most `n` holders at once. */
export class Limit {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}

  /** Run `fn` once a place is free. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) {
      this.free--;
    } else {
      await new Promise<void>(resolve => this.waiting.push(resolve));
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.free++;
      }
    }
  }
}

/**
 * A job's totals, counted as its items stream past and set on the record
 * once the stream ends; a skipped item takes its bytes off the total, so
 * `bytes.done` reaches it.
 */
export class Totals {
  private objects = 0;
  private bytes = 0;
  private skippedBytes = 0;

  constructor(private readonly progress: Job) {}

  /** Pass `items` through, counting those `sizeOf` gives a size (null: not an object). */
  async *count<T>(items: AsyncIterable<T>, sizeOf: (item: T) => number | null): AsyncGenerator<T> {
    for await (const item of items) {
      const size = sizeOf(item);
      if (size !== null) {
        this.objects++;
        this.bytes += size;
      }
      yield item;
    }
    this.progress.objects.total = this.objects;
    this.progress.bytes.total = this.bytes - this.skippedBytes;
  }

  /** Count an object skipped (its target exists). */
  skip(size: number): void {
    this.progress.skipped++;
    this.skippedBytes += size;
    if (this.progress.bytes.total !== null) {
      this.progress.bytes.total -= size;
    }
  }
}

/** The most existing targets a `Conflict` refusal names. */
export const MAX_NAMED_CONFLICTS = 20;
/**
 * The most entries of a folder the up-front check of policy `fail` looks at
 * (10 list pages): the request must answer within the proxy's 300 s. Beyond,
 * the job refuses each existing target as a failed item (`Conflict`).
 */
export const PRECHECK_LIMIT = 10000;

/**
 * Policy `fail`: refuse with `Conflict` when any target exists, naming up to
 * MAX_NAMED_CONFLICTS of them in the details (a `+` says there were more).
 */
export function refuseIfAny(existing: string[]): void {
  if (existing.length === 0) {
    return;
  }
  const shown = existing.slice(0, MAX_NAMED_CONFLICTS);
  const more = existing.length > MAX_NAMED_CONFLICTS ? '+' : '';
  throw new EosError(
    'Conflict',
    existing.length === 1 ? `${existing[0]} already exists` : `${shown.length}${more} targets already exist`,
    shown.join('\n')
  );
}

/** An include or exclude glob of a transfer, applied in order (the last that matches decides). */
export type TransferFilter = PathFilter;

/**
 * A transfer as the command line asks for it: the HTTP request, plus a name
 * for a single source at the destination, include/exclude filters and move.
 */
export interface NamedTransferRequest extends TransferRequest {
  /**
   * With one source: its name at the destination instead of its own. `''`
   * puts a folder's contents into the destination folder itself.
   */
  name?: string;
  filters?: TransferFilter[];
  /**
   * Move: delete each source file or object once its copy is written and
   * verified (a skipped or failed one stays). A download's sources must be
   * in a writable place.
   */
  move?: boolean;
}

// The one matcher of include/exclude globs, beside the glob rule.
export { filterOf } from './syncplan';

/**
 * The name a request's single source takes at the destination, or undefined
 * for its own.
 *
 * @throws EosError `InvalidRequest` for a name with several sources or one
 *   that cannot be a single path segment
 */
export function requestedName(request: NamedTransferRequest): string | undefined {
  const { name } = request;
  if (name === undefined) {
    return undefined;
  }
  if (request.sources.length !== 1) {
    throw new EosError('InvalidRequest', 'A new name can be given to a single source only');
  }
  if (name.includes('/') || name === '.' || name === '..' || name.includes('\0')) {
    throw new EosError('InvalidRequest', `${JSON.stringify(name)} cannot be a file name`);
  }
  return name;
}

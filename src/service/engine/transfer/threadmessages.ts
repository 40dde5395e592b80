/**
 * What crosses between the service's thread and a transfer thread
 * (`threads.ts` on one side, `thread.ts` on the other): the worker's start
 * data, the messages each way, and the `Outbox` that posts the messages of
 * one turn of a loop together.
 */
import type { RangeResult, RangeTask } from './getrange';
import type { PartResult, PartTask } from './partput';
import type { CrcName } from '../s3/crc';
import type { S3Error } from '../s3/errors';
import type { LentCredentials, LentRoute } from '../s3/lentwire';

/** Progress is posted to the main thread every this many bytes (and at the end). */
export const BYTES_BATCH = 8 * 1024 * 1024;

/** What a worker starts with. */
export interface GetWorkerData {
  role: 'eos-get';
  /** The label of the endpoint in error messages. */
  label: string;
  /** The threads' folder locks (`dirlock.ts`). */
  dirLocks: SharedArrayBuffer;
}

/** A failure to lend, as it crosses to a thread: an `EosError`'s code, else the error's name (for `toEosError`). */
export interface LendFailure {
  name: string;
  message: string;
  code?: string;
}

/** Where a GET's bytes go. */
export interface RangeFile {
  /** Absolute path of the (temporary) file. */
  path: string;
  /** Create it (`wx`), else open the existing one. */
  create: boolean;
  /** Set its modification time from the object before closing it. */
  setTimes: boolean;
  /** Compute this CRC of the bytes written (answered as the result's `crc`). */
  crc?: CrcName;
  /**
   * A whole file (one GET): once written, its size and its checksum checked
   * (`checkOnThread`), move it to `final` on the thread: `rename` over a file
   * there (`overwrite`), or `link` (then the temporary name is removed) only
   * where none is (`new`). A name taken, or a checksum the thread cannot
   * compare, leaves the file where it is for the main thread to place
   * (`GetResult.placed` unset).
   */
  place?: { final: string; how: 'overwrite' | 'new' };
}

/** What a GET on a thread answers: its `RangeResult`, and where it placed the file (`RangeFile.place`). */
export interface GetResult extends RangeResult {
  placed?: string;
}

/**
 * main -> worker: the messages of one turn of the main thread's loop go
 * together (`Outbox`), as do a thread's answers: a folder of small files
 * with 256 in flight costs a few messages per turn, not two per file.
 * `lent` answers an ask (`route`, `credentials`) of the thread.
 */
export type ToWorker =
  | { type: 'get'; id: number; task: RangeTask; file: RangeFile }
  | { type: 'put'; id: number; task: PartTask }
  | { type: 'abort'; id: number }
  | { type: 'lent'; ask: number; route?: LentRoute; credentials?: LentCredentials; failure?: LendFailure };

/** What a thread asks the service's thread for (s3/lentwire.ts). */
export type Ask = { type: 'route'; ask: number; bucket: string } | { type: 'credentials'; ask: number };

/** worker -> main; `n`: bytes written since the last message. */
export type FromWorker =
  | Ask
  | { type: 'ready' }
  | { type: 'bytes'; id: number; n: number }
  | { type: 'done'; id: number; result: GetResult | PartResult; n: number }
  | { type: 'failed'; id: number; code: string; message: string; details?: string; s3?: S3Error.IFailure; n: number };

/**
 * Messages to post, gathered until the end of the current turn of the event
 * loop and posted as one array: each `postMessage` wakes the other thread's
 * loop, and each wake costs the kernel as much as a small file's bytes.
 */
export class Outbox<T> {
  private queued: T[] = [];

  constructor(private readonly post: (batch: T[]) => void) {}

  send(m: T): void {
    if (this.queued.push(m) === 1) {
      setImmediate(() => this.flush());
    }
  }

  /** Post what is queued now. */
  flush(): void {
    const batch = this.queued;
    if (batch.length > 0) {
      this.queued = [];
      this.post(batch);
    }
  }
}

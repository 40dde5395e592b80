/**
 * One GET of an object (or of one range of it), pinned to its ETag, streamed
 * into a local file at the range's offset. The service's event loop writes
 * through `GatheredWrites` (positioned writes in the thread pool); a download
 * worker thread writes through `SyncWrites` (its loop does nothing else, so
 * a blocking write costs no hop to the thread pool).
 */
import { promises as fsp, writeSync } from 'node:fs';
import { EosError } from '../../../core';
import { isPreconditionFailed } from '../s3/errors';
import { DataHead, DataSink, getData } from '../s3/dataget';
import type { DataCaller } from '../s3/call';
import { localError, noSpace } from '../local/confine';
import { objectModified } from './contenttypes';
import { Crc, CrcName, crcNow } from '../s3/crc';
import { StoredChecksum, storedChecksum } from '../s3/checksums';

/** One GET into a file: the object, and where its bytes go. */
export interface RangeTask {
  bucket: string;
  key: string;
  uri: string;
  etag?: string;
  /** The file's path relative to the root, for messages. */
  shown: string;
  /** The first byte fetched, also its offset in the file. */
  start: number;
  /** Bytes fetched. */
  length: number;
  /** Fetch the whole object (no `Range` header); else bytes `start` to `start + length - 1`. */
  whole: boolean;
  /** Read without signing (an S3 location added unsigned): a download thread has no store's locations. */
  unsigned?: boolean;
  /** Ask the (whole-object) GET for the object's stored checksum, answered as the result's `stored`. */
  checksum?: boolean;
}

/** What a GET answers besides its bytes: the modification time to give the file. */
export interface RangeResult {
  /** Milliseconds since the epoch, from the object's metadata (else its LastModified). */
  modifiedMs?: number;
  /** The CRC of the bytes written, when the sink computed one. */
  crc?: bigint;
  /** Its algorithm. */
  crcName?: CrcName;
  /** The checksum the object stores, when the task asked for it. */
  stored?: StoredChecksum;
}

/** Where a body's bytes go, chunk by chunk. */
export interface RangeSink {
  /** The offset after the last byte added. */
  readonly end: number;
  /** The CRC of the bytes added, when one is computed (a whole-object GET may change its algorithm before the first byte). */
  crc?: Crc;
  add(chunk: Uint8Array): Promise<void> | void;
  /** Write what is held and wait for every write. */
  flush(): Promise<void> | void;
  /** Wait for a write in flight, ignoring its failure (the caller is failing already). */
  settle(): Promise<void> | void;
}

/**
 * GET `task`'s bytes into `sink`, reporting each chunk to `onBytes`; checks
 * that exactly `task.length` bytes arrived.
 *
 * @throws EosError `Conflict` when the object changed since it was listed
 */
export async function fetchRange(
  store: DataCaller,
  task: RangeTask,
  sink: RangeSink,
  onBytes: (n: number) => void,
  signal: AbortSignal
): Promise<RangeResult> {
  const { bucket, key, uri, etag, whole, unsigned, checksum } = task;
  const limit = task.start + task.length;
  const body: DataSink = {
    get position() {
      return sink.end;
    },
    head(h) {
      if (checksum && sink.crc !== undefined) {
        sink.crc = crcFor(storedChecksum(h.checksums ?? {}), sink.crc);
      }
    },
    add(chunk) {
      if (sink.end + chunk.length > limit) {
        throw new EosError('Upstream', `S3 sent more bytes than asked for ${uri}`);
      }
      const added = sink.add(chunk);
      if (added) {
        return added.then(() => onBytes(chunk.length));
      }
      onBytes(chunk.length);
    }
  };
  let head: DataHead;
  try {
    head = await store.s3(
      { bucket, uri },
      abortSignal =>
        getData(
          store.wire(bucket, key),
          { bucket, key, etag, start: task.start, end: limit, whole, unsigned, checksum },
          body,
          abortSignal
        ),
      { signal, deadlineMs: null }
    );
    await sink.flush();
  } catch (err) {
    await sink.settle();
    if (isPreconditionFailed(err)) {
      throw new EosError('Conflict', `${uri} changed while it was being downloaded; download it again`);
    }
    throw err;
  }
  if (sink.end !== limit) {
    throw new EosError('Upstream', `S3 sent ${sink.end - task.start} of ${task.length} bytes of ${uri}`);
  }
  return {
    modifiedMs: objectModified(head.metadata, head.lastModified)?.getTime(),
    ...(sink.crc && { crc: sink.crc.value(), crcName: sink.crc.name }),
    ...(checksum && { stored: storedChecksum(head.checksums ?? {}) })
  };
}

/**
 * The CRC a whole-object GET computes once its answer says what the object
 * stores: that algorithm (so the file is never read back to compute
 * another), none when there is nothing to compare with, else `guess`.
 */
function crcFor(stored: StoredChecksum, guess: Crc): Crc | undefined {
  if (!('name' in stored)) {
    return undefined;
  }
  return stored.name === guess.name ? guess : (crcNow(stored.name) ?? guess);
}

/** Bytes gathered before one positioned write (fewer, larger writes: less time in the thread pool). */
const WRITE_BLOCK = 1024 * 1024;

/**
 * Positioned writes of a body's chunks, gathered into blocks of about
 * `WRITE_BLOCK` bytes; one block is written while the next is read, so the
 * network and the disk overlap and memory stays at two blocks per body.
 */
export class GatheredWrites implements RangeSink {
  end: number;
  private chunks: Uint8Array[] = [];
  private gathered = 0;
  private at: number;
  private pending: Promise<void> = Promise.resolve();

  /** @param crc - computes the CRC of the bytes written, chunk by chunk */
  constructor(
    private readonly fh: fsp.FileHandle,
    start: number,
    private readonly shown: string,
    public crc?: Crc
  ) {
    this.end = start;
    this.at = start;
  }

  async add(chunk: Uint8Array): Promise<void> {
    this.crc?.update(chunk);
    this.chunks.push(chunk);
    this.gathered += chunk.length;
    this.end += chunk.length;
    if (this.gathered >= WRITE_BLOCK) {
      await this.pending;
      this.pending = this.writeBlock();
    }
  }

  async flush(): Promise<void> {
    await this.pending;
    if (this.gathered > 0) {
      await this.writeBlock();
    }
  }

  async settle(): Promise<void> {
    await this.pending.catch(() => undefined);
  }

  private writeBlock(): Promise<void> {
    const chunks = this.chunks;
    const bytes = this.gathered;
    const at = this.at;
    this.chunks = [];
    this.gathered = 0;
    this.at += bytes;
    return this.fh.writev(chunks, at).then(
      ({ bytesWritten }) => checkWritten(bytesWritten, bytes, this.shown),
      err => {
        throw localError(err, this.shown);
      }
    );
  }
}

/** Each chunk written where it belongs as it arrives, blocking (for a worker thread). */
export class SyncWrites implements RangeSink {
  end: number;

  /** @param crc - computes the CRC of the bytes written, chunk by chunk */
  constructor(
    private readonly fd: number,
    start: number,
    private readonly shown: string,
    public crc?: Crc
  ) {
    this.end = start;
  }

  add(chunk: Uint8Array): void {
    this.crc?.update(chunk);
    let written: number;
    try {
      written = writeSync(this.fd, chunk, 0, chunk.length, this.end);
    } catch (err) {
      throw localError(err, this.shown);
    }
    checkWritten(written, chunk.length, this.shown);
    this.end += chunk.length;
  }

  flush(): void {}

  settle(): void {}
}

function checkWritten(written: number, bytes: number, shown: string): void {
  if (written !== bytes) {
    // A short write: the disk filled up between the last write and this one.
    throw noSpace(shown, `only ${written} of ${bytes} bytes could be written`);
  }
}

/**
 * One S3 object to one local file: ranged GETs pinned to the object's ETag
 * (`If-Match`), several in flight for a big object, written with positioned
 * writes into a hidden temporary file beside the target, its size checked,
 * its modification time set, then moved into place. On failure or cancel the
 * temporary file is removed.
 */
import { GetObjectCommand, GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { EosError } from '../../core';
import { toEosError } from './s3errors';
import { EosStore } from './store';
import { localError, numberedName, partialPath } from './local';
import { forEachConcurrent } from './pool';
import { objectModified } from './s3targets';
import { TransferOptions, isPreconditionFailed } from './transfer';

/** An object and the local file it becomes. */
export interface GetTask {
  bucket: string;
  key: string;
  uri: string;
  size: number;
  etag?: string;
  /** Absolute local path of the file. */
  final: string;
  /** The path relative to the root, for messages. */
  shown: string;
  /** How to place the file: over an existing one, beside it (`name (1).ext`), or only where none is. */
  place: 'overwrite' | 'keep-both' | 'new';
}

/** The most ranges one object is fetched in (as S3 allows at most 10,000 parts). */
const MAX_RANGES = 10000;

/** Download an object; answers the local path it was written to. `onBytes` reports bytes written. */
export async function getFile(
  store: EosStore,
  task: GetTask,
  options: TransferOptions,
  onBytes: (n: number) => void,
  signal: AbortSignal
): Promise<string> {
  const temp = partialPath(task.final);
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(temp, 'wx', 0o644);
  } catch (err) {
    throw localError(err, task.shown);
  }
  let written = 0;
  let closed = false;
  try {
    let first: GetObjectCommandOutput | undefined;
    const write = async (out: GetObjectCommandOutput, start: number, length: number) => {
      first ??= out;
      const sink = new GatheredWrites(fh, start, task.shown);
      try {
        for await (const chunk of out.Body as AsyncIterable<Uint8Array>) {
          if (sink.end + chunk.length > start + length) {
            throw new EosError('Upstream', `S3 sent more bytes than asked for ${task.uri}`);
          }
          await sink.add(chunk);
          written += chunk.length;
          onBytes(chunk.length);
        }
        await sink.flush();
      } catch (err) {
        await sink.settle();
        // The body broke off (connection lost): an S3 failure, not a bug.
        throw err instanceof EosError
          ? err
          : toEosError(err, { bucket: task.bucket, uri: task.uri, endpoint: store.endpoint });
      }
      if (sink.end !== start + length) {
        throw new EosError('Upstream', `S3 sent ${sink.end - start} of ${length} bytes of ${task.uri}`);
      }
    };
    const range = Math.max(options.rangeSize, Math.ceil(task.size / MAX_RANGES));
    if (task.size <= range) {
      await write(await get(store, task, undefined, signal), 0, task.size);
    } else {
      const ranges: { start: number; length: number }[] = [];
      for (let start = 0; start < task.size; start += range) {
        ranges.push({ start, length: Math.min(range, task.size - start) });
      }
      await forEachConcurrent(ranges, options.partsInFlight, signal, async (r, rangeSignal) => {
        const out = await get(store, task, `bytes=${r.start}-${r.start + r.length - 1}`, rangeSignal);
        await write(out, r.start, r.length);
      });
    }
    // Every block's write was checked whole, so the bytes counted are the bytes on disk.
    if (written !== task.size) {
      throw new EosError('Upstream', `${task.uri}: ${written} bytes arrived, ${task.size} expected`);
    }
    closed = true;
    await fh.close();
    const modified = objectModified(first?.Metadata, first?.LastModified);
    if (modified) {
      await fsp.utimes(temp, modified, modified);
    }
    return await placeFile(temp, task);
  } catch (err) {
    onBytes(-written);
    if (!closed) {
      await fh.close().catch(() => undefined);
    }
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Bytes gathered before one positioned write (fewer, larger writes: less time in the thread pool). */
const WRITE_BLOCK = 1024 * 1024;

/**
 * Positioned writes of a body's chunks, gathered into blocks of about
 * `WRITE_BLOCK` bytes; one block is written while the next is read, so the
 * network and the disk overlap and memory stays at two blocks per body.
 */
class GatheredWrites {
  /** Where the next chunk goes: the start plus every byte added. */
  end: number;
  private chunks: Uint8Array[] = [];
  private gathered = 0;
  private at: number;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly fh: fsp.FileHandle,
    start: number,
    private readonly shown: string
  ) {
    this.end = start;
    this.at = start;
  }

  async add(chunk: Uint8Array): Promise<void> {
    this.chunks.push(chunk);
    this.gathered += chunk.length;
    this.end += chunk.length;
    if (this.gathered >= WRITE_BLOCK) {
      await this.pending;
      this.pending = this.writeBlock();
    }
  }

  /** Write what is gathered and wait for every write. */
  async flush(): Promise<void> {
    await this.pending;
    if (this.gathered > 0) {
      await this.writeBlock();
    }
  }

  /** Wait for the write in flight, ignoring its failure (the caller is failing already). */
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
      ({ bytesWritten }) => {
        if (bytesWritten !== bytes) {
          throw new EosError('NoSpace', `Only ${bytesWritten} of ${bytes} bytes of ${this.shown} could be written`);
        }
      },
      err => {
        throw localError(err, this.shown);
      }
    );
  }
}

/** One GET (of a range), pinned to the ETag. */
async function get(
  store: EosStore,
  task: GetTask,
  range: string | undefined,
  signal: AbortSignal
): Promise<GetObjectCommandOutput> {
  try {
    return await store.s3(
      { bucket: task.bucket, uri: task.uri },
      abortSignal =>
        store.client.send(
          new GetObjectCommand({ Bucket: task.bucket, Key: task.key, Range: range, IfMatch: task.etag }),
          { abortSignal }
        ),
      { signal, deadlineMs: null }
    );
  } catch (err) {
    if (isPreconditionFailed(err)) {
      throw new EosError('Conflict', `${task.uri} changed while it was being downloaded; download it again`);
    }
    throw err;
  }
}

/**
 * Move the complete temporary file into place: over the target (`overwrite`),
 * or only where no file is (a hard link fails if the name is taken, so a
 * file that appeared meanwhile is never replaced); `keep-both` takes the next
 * free `name (n).ext`.
 */
async function placeFile(temp: string, task: GetTask): Promise<string> {
  if (task.place === 'overwrite') {
    await fsp.rename(temp, task.final).catch(err => {
      throw localError(err, task.shown);
    });
    return task.final;
  }
  const dir = path.dirname(task.final);
  const name = path.basename(task.final);
  for (let n = 0; n <= 1000; n++) {
    const target = n === 0 ? task.final : path.join(dir, numberedName(name, n));
    try {
      await fsp.link(temp, target);
      await fsp.rm(temp, { force: true });
      return target;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw localError(err, task.shown);
      }
      if (task.place === 'new') {
        throw new EosError('Conflict', `${JSON.stringify(task.shown)} already exists`);
      }
    }
  }
  throw new EosError('Conflict', `No free name beside ${JSON.stringify(task.shown)}`);
}

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

/** The largest range fetched by one GET of a big object (ranges start at the part size). */
const MAX_RANGE = 64 * 1024 * 1024;

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
      let pos = start;
      try {
        for await (const chunk of out.Body as AsyncIterable<Uint8Array>) {
          if (pos + chunk.length > start + length) {
            throw new EosError('Upstream', `S3 sent more bytes than asked for ${task.uri}`);
          }
          await fh.write(chunk, 0, chunk.length, pos).catch(err => {
            throw localError(err, task.shown);
          });
          pos += chunk.length;
          written += chunk.length;
          onBytes(chunk.length);
        }
      } catch (err) {
        // The body broke off (connection lost): an S3 failure, not a bug.
        throw toEosError(err, { bucket: task.bucket, uri: task.uri, endpoint: store.endpoint });
      }
      if (pos !== start + length) {
        throw new EosError('Upstream', `S3 sent ${pos - start} of ${length} bytes of ${task.uri}`);
      }
    };
    const range = Math.min(
      Math.max(options.partSize, Math.ceil(task.size / 10000)),
      Math.max(MAX_RANGE, options.partSize)
    );
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
    const size = (await fh.stat()).size;
    if (size !== task.size || written !== task.size) {
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

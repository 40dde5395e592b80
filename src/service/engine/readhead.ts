/**
 * Read an object from its start without downloading it: ranged GETs pinned
 * to its ETag, fetched only as fast as the reader consumes them, and gzip
 * (`.gz`, `.bgz`, BGZF's many members included) decompressed on the fly. The
 * command line's `eos cat` and `eos head` read through this; stopping early
 * (a `head` that has its lines) fetches no further range.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { EosError, toS3 } from '../../core';
import { EosStore } from './store';
import { getPinned } from './getrange';

/** Bytes of the first range; later ranges double up to MAX_READ_RANGE. */
export const FIRST_READ_RANGE = 256 * 1024;
export const MAX_READ_RANGE = 8 * 1024 * 1024;

/** Whether an object name says gzip. */
export function isGzipName(name: string): boolean {
  return /\.(gz|bgz|gzip)$/i.test(name);
}

/** How to read. */
export interface ReadOptions {
  /** Decompress gzip (default: when the name ends in `.gz`, `.bgz` or `.gzip`). */
  gunzip?: boolean;
  /** Bytes of the first range (tests shrink it to cross range boundaries). */
  firstRange?: number;
  signal?: AbortSignal;
}

/**
 * The object's bytes (decompressed when gzip), as a stream.
 *
 * @throws EosError `NotFound`, `InvalidRequest` for a folder; the stream
 *   fails with `Conflict` when the object changes while it is read
 */
export async function readObject(store: EosStore, uri: string, options: ReadOptions = {}): Promise<Readable> {
  const entry = await store.stat(uri, options.signal);
  if (entry.kind === 'folder') {
    throw new EosError('InvalidRequest', `${entry.uri} is a folder, not an object`);
  }
  const { bucket, key } = toS3(store.locate(entry.uri), store.ctx);
  const size = entry.size ?? 0;
  const etag = entry.etag;
  let range = options.firstRange ?? FIRST_READ_RANGE;

  async function* ranges(): AsyncGenerator<Uint8Array> {
    for (let start = 0; start < size;) {
      const end = Math.min(size, start + range) - 1;
      const out = await getPinned(
        store,
        { bucket, key, uri: entry.uri, etag },
        { start, end },
        {
          signal: options.signal,
          deadlineMs: null,
          changed: 'changed while it was read; read it again'
        }
      );
      for await (const chunk of out.Body as AsyncIterable<Uint8Array>) {
        yield chunk;
      }
      start = end + 1;
      range = Math.min(range * 2, MAX_READ_RANGE);
    }
  }

  const raw = Readable.from(ranges(), { objectMode: false, highWaterMark: 64 * 1024 });
  if (!(options.gunzip ?? isGzipName(key))) {
    return raw;
  }
  const gunzip = createGunzip();
  raw.on('error', err => gunzip.destroy(err));
  gunzip.on('close', () => raw.destroy());
  return raw.pipe(gunzip);
}

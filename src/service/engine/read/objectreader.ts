/**
 * Reading an object from its start without downloading it: ranged GETs
 * pinned to its ETag, each fetched only when the reader wants more (a small
 * first range, then doubling), gzip and BGZF (concatenated gzip members)
 * decompressed as the bytes arrive. Peek (`readHead`, `GET api/head`) reads
 * the first lines through it; `eos cat` and `eos head` read its bytes. A peek
 * into a 40 GB `.fastq.gz` costs a few KiB; stopping early (a reader that has
 * its lines, a closed pipe) fetches no further range.
 */
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { EosError, MAX_HEAD_LINE_CHARS } from '../../../core';
import { getPinned } from '../s3/pinned';
import { EosStore } from '../s3/store';
import { Place, placeOf, refuseListsOfRoots } from '../s3/places';

/** Whether an object name says gzip. */
export function isGzipName(name: string): boolean {
  return /\.(gz|bgz|gzip)$/i.test(name);
}

/** Whether bytes start with gzip's magic number (BGZF is gzip too). */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** An object that should decompress as gzip and does not. */
export class NotGzipError extends EosError {
  constructor(uri: string, reason: string) {
    super('InvalidRequest', `${uri} is not readable as gzip (${reason})`);
  }
}

/** How an `ObjectReader` reads. */
export interface ObjectReaderOptions {
  /** Stops the reading (a client gone, Ctrl-C). */
  signal?: AbortSignal;
  /** Bytes of the first ranged GET; later ones double up to `maxRange`. */
  firstRange?: number;
  maxRange?: number;
  /** Decompress gzip: always, never, or (undefined) when the bytes start with gzip's magic number. */
  gunzip?: boolean;
  /** Characters kept of one line by `lines()` (default MAX_HEAD_LINE_CHARS); longer lines are cut and counted. */
  maxLineChars?: number;
}

/** The first range read by default, and the largest (Peek's sizes; `eos cat` asks for larger ones). */
export const FIRST_RANGE = 64 * 1024;
export const MAX_RANGE = 1024 * 1024;

/** A gunzip stream fed chunk by chunk: each `feed` answers what that chunk decompressed to. */
class Inflater {
  private readonly gunzip = zlib.createGunzip();
  private out: Buffer[] = [];
  private failure: Error | null = null;

  constructor(private readonly uri: string) {
    this.gunzip.on('data', (d: Buffer) => this.out.push(d));
    this.gunzip.on('error', err => {
      this.failure = err;
    });
  }

  /** Decompress one chunk (`null`: the end of the object). */
  async feed(chunk: Buffer | null): Promise<Buffer[]> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.gunzip.once('error', onError);
      const done = (err?: Error | null) => {
        this.gunzip.off('error', onError);
        if (err) {
          reject(err);
        } else {
          resolve();
        }
      };
      if (chunk === null) {
        this.gunzip.end(done);
      } else {
        this.gunzip.write(chunk, done);
      }
    }).catch(err => {
      throw new NotGzipError(this.uri, (err as Error).message);
    });
    if (this.failure) {
      throw new NotGzipError(this.uri, this.failure.message);
    }
    return this.out.splice(0);
  }

  close(): void {
    this.gunzip.destroy();
  }
}

/** One object read from its start; the counters say what it cost. */
export class ObjectReader {
  /** Bytes of the ranged GETs made (what S3 sends, even when the reader stops within a range). */
  bytesRead = 0;
  /** Bytes given out (after decompression). */
  bytesDecoded = 0;
  /** Whether the bytes are decompressed; known after the first range. */
  compressed = false;
  /** Whether every byte of the object was read and given out. */
  complete = false;
  /** Lines longer than `maxLineChars`, cut (by `lines()`). */
  cut = 0;

  private constructor(
    private readonly store: EosStore,
    private readonly place: Place,
    readonly size: number,
    readonly etag: string,
    private readonly options: ObjectReaderOptions
  ) {}

  /** The canonical URI read. */
  get uri(): string {
    return this.place.uri;
  }

  /**
   * Find the object (one HEAD) and get ready to read it.
   *
   * @throws EosError `NotFound`; `InvalidRequest` for a folder or a root
   */
  static async open(store: EosStore, uri: string, options: ObjectReaderOptions = {}): Promise<ObjectReader> {
    const path = store.locate(uri);
    refuseListsOfRoots(path, 'read');
    const folder = () => new EosError('InvalidRequest', `Cannot read ${uri}: it is a folder, not a file`);
    if (path.key === '' || path.key.endsWith('/')) {
      throw folder();
    }
    const entry = await store.stat(uri, options.signal);
    if (entry.kind === 'folder') {
      throw folder(); // a name with keys under it and no object
    }
    return new ObjectReader(store, placeOf(path, store), entry.size ?? 0, entry.etag ?? '', options);
  }

  /** The object's raw bytes, range after range, each fetched only when asked for. */
  private async *ranges(): AsyncGenerator<Buffer> {
    const { bucket, key, uri } = this.place;
    let length = this.options.firstRange ?? FIRST_RANGE;
    const maxRange = this.options.maxRange ?? MAX_RANGE;
    for (let start = 0; start < this.size;) {
      const end = Math.min(start + length, this.size) - 1;
      const out = await getPinned(
        this.store,
        { bucket, key, uri, etag: this.etag },
        { start, end },
        // The body streams as fast as the reader takes it: no deadline.
        { signal: this.options.signal, deadlineMs: null, changed: 'changed while it was being read; read it again' }
      );
      this.bytesRead += end - start + 1;
      let got = 0;
      for await (const chunk of out.Body as AsyncIterable<Uint8Array>) {
        got += chunk.length;
        yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      }
      if (got !== end - start + 1) {
        throw new EosError('Upstream', `S3 sent ${got} of ${end - start + 1} bytes of ${uri}`);
      }
      start = end + 1;
      length = Math.min(length * 2, maxRange);
    }
  }

  /** The object's bytes, decompressed when gzip (see `ObjectReaderOptions.gunzip`). */
  async *bytes(): AsyncGenerator<Buffer> {
    let inflater: Inflater | null = null;
    let first = true;
    try {
      for await (const raw of this.ranges()) {
        if (first) {
          this.compressed = this.options.gunzip ?? isGzip(raw);
          inflater = this.compressed ? new Inflater(this.uri) : null;
          first = false;
        }
        for (const piece of inflater ? await inflater.feed(raw) : [raw]) {
          this.bytesDecoded += piece.length;
          yield piece;
        }
      }
      for (const piece of inflater ? await inflater.feed(null) : []) {
        this.bytesDecoded += piece.length;
        yield piece;
      }
      this.complete = true;
    } finally {
      inflater?.close();
    }
  }

  /** The bytes as a stream (`eos cat`); destroying it stops the reading. */
  stream(): Readable {
    return Readable.from(this.bytes(), { objectMode: false, highWaterMark: 64 * 1024 });
  }

  /**
   * The object's lines decoded as UTF-8, without their line ends (`\n` or
   * `\r\n`). Breaking out of the loop stops the reading.
   */
  async *lines(): AsyncGenerator<string> {
    const maxChars = this.options.maxLineChars ?? MAX_HEAD_LINE_CHARS;
    const decoder = new TextDecoder('utf-8');
    let partial = '';
    let cutting = false;
    const take = function* (this: ObjectReader, text: string): Generator<string> {
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        const piece = text.slice(from, nl);
        from = nl + 1;
        let line = cutting ? partial : partial + piece;
        if (!cutting && line.length > maxChars) {
          line = line.slice(0, maxChars);
          this.cut++;
        }
        partial = '';
        cutting = false;
        yield line.endsWith('\r') ? line.slice(0, -1) : line;
      }
      if (!cutting) {
        partial += text.slice(from);
        if (partial.length > maxChars) {
          partial = partial.slice(0, maxChars);
          cutting = true;
          this.cut++;
        }
      }
    }.bind(this);
    this.complete = false;
    for await (const piece of this.bytes()) {
      yield* take(decoder.decode(piece, { stream: true }));
    }
    const done = this.complete;
    this.complete = false; // until the last line is given out
    yield* take(decoder.decode());
    if (partial !== '') {
      const last = partial;
      partial = '';
      yield last;
    }
    this.complete = done;
  }
}

/** What `readObject` is asked for. */
export interface ReadOptions {
  /** Decompress gzip (default: when the name ends in `.gz`, `.bgz` or `.gzip`). */
  gunzip?: boolean;
  /** Bytes of the first range (default FIRST_READ_RANGE; tests shrink it to cross range boundaries). */
  firstRange?: number;
  signal?: AbortSignal;
}

/** `eos cat`'s first range, and its largest: a whole object is read in few requests. */
export const FIRST_READ_RANGE = 256 * 1024;
export const MAX_READ_RANGE = 8 * 1024 * 1024;

/**
 * An object's bytes as a stream (`eos cat`, `eos head`), decompressed when
 * its name says gzip.
 *
 * @throws EosError `NotFound`, `InvalidRequest` for a folder; the stream
 *   fails with `Conflict` when the object changes while it is read, and with
 *   `NotGzipError` when it should decompress and does not
 */
export async function readObject(store: EosStore, uri: string, options: ReadOptions = {}): Promise<Readable> {
  const reader = await ObjectReader.open(store, uri, {
    signal: options.signal,
    firstRange: options.firstRange ?? FIRST_READ_RANGE,
    maxRange: MAX_READ_RANGE,
    gunzip: options.gunzip ?? isGzipName(uri)
  });
  return reader.stream();
}

/**
 * The first lines of an object without downloading it: ranged GETs (64 KiB
 * first, then doubling up to 1 MiB) pinned to the object's ETag, gzip and
 * BGZF (concatenated gzip members) decompressed as the bytes arrive, lines
 * decoded as UTF-8. The next range is fetched only when the lines decoded so
 * far are not enough, so a peek into a 40 GB `.fastq.gz` reads a few KiB.
 *
 * `ObjectLines` is the engine's streaming reader (`eos head`, `eos cat`);
 * `readHead` collects the first lines for `GET api/head`.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import * as zlib from 'node:zlib';
import {
  DEFAULT_HEAD_LINES,
  EosError,
  HeadResponse,
  MAX_HEAD_DECODED_BYTES,
  MAX_HEAD_HEADER_LINES,
  MAX_HEAD_LINES,
  MAX_HEAD_LINE_CHARS
} from '../../core';
import { EosStore } from './store';
import { Place, placeOf, refuseListsOfRoots } from './targets';
import { getPinned } from './getrange';

/** The first range read, and the largest. */
export const FIRST_RANGE = 64 * 1024;
export const MAX_RANGE = 1024 * 1024;

/** How an `ObjectLines` reads. */
export interface ObjectLinesOptions {
  /** Stops the reading (a client gone, Ctrl-C). */
  signal?: AbortSignal;
  /** Bytes of the first ranged GET (default FIRST_RANGE); later ones double up to `maxRange`. */
  firstRange?: number;
  maxRange?: number;
  /** Characters kept of one line (default MAX_HEAD_LINE_CHARS); longer lines are cut and counted. */
  maxLineChars?: number;
}

/** Whether bytes start with gzip's magic number (BGZF is gzip too). */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

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
      throw new EosError('InvalidRequest', `${this.uri} is not valid gzip: ${(err as Error).message}`);
    });
    if (this.failure) {
      throw new EosError('InvalidRequest', `${this.uri} is not valid gzip: ${this.failure.message}`);
    }
    return this.out.splice(0);
  }

  close(): void {
    this.gunzip.destroy();
  }
}

/** The decoded lines of one object, read lazily; counters say what it cost. */
export class ObjectLines {
  /** Bytes the ranged GETs returned. */
  bytesRead = 0;
  /** Bytes after decompression handed to the line decoder. */
  bytesDecoded = 0;
  /** Whether the object is gzip (or BGZF); known after the first range. */
  compressed = false;
  /** Whether every byte of the object was read and every line given out. */
  complete = false;
  /** Lines longer than `maxLineChars`, cut. */
  cut = 0;

  private constructor(
    private readonly store: EosStore,
    private readonly place: Place,
    readonly size: number,
    readonly etag: string,
    private readonly options: ObjectLinesOptions
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
  static async open(store: EosStore, uri: string, options: ObjectLinesOptions = {}): Promise<ObjectLines> {
    const path = store.locate(uri);
    refuseListsOfRoots(path, 'read');
    if (path.key === '' || path.key.endsWith('/')) {
      throw new EosError('InvalidRequest', `Cannot read ${uri}: it is a folder, not a file`);
    }
    const place = placeOf(path, store);
    const head = await store.s3(
      { bucket: place.bucket, uri: place.uri },
      abortSignal =>
        store.client.send(new HeadObjectCommand({ Bucket: place.bucket, Key: place.key }), { abortSignal }),
      { signal: options.signal }
    );
    return new ObjectLines(store, place, head.ContentLength ?? 0, head.ETag ?? '', options);
  }

  /** The object's bytes, range after range, each fetched only when asked for. */
  private async *ranges(): AsyncGenerator<Buffer> {
    const { bucket, key, uri } = this.place;
    let length = this.options.firstRange ?? FIRST_RANGE;
    const maxRange = this.options.maxRange ?? MAX_RANGE;
    for (let start = 0; start < this.size;) {
      const end = Math.min(start + length, this.size) - 1;
      const bytes = await getPinned(
        this.store,
        { bucket, key, uri, etag: this.etag },
        { start, end },
        {
          signal: this.options.signal,
          changed: 'changed while it was being read; try again',
          consume: async out => Buffer.from(await out.Body!.transformToByteArray())
        }
      );
      if (bytes.length !== end - start + 1) {
        throw new EosError('Upstream', `S3 sent ${bytes.length} of ${end - start + 1} bytes of ${uri}`);
      }
      this.bytesRead += bytes.length;
      start = end + 1;
      length = Math.min(length * 2, maxRange);
      yield bytes;
    }
  }

  /**
   * The object's lines, without their line ends (`\n` or `\r\n`). Breaking
   * out of the loop stops the reading: no further range is fetched.
   */
  async *lines(): AsyncGenerator<string> {
    const maxChars = this.options.maxLineChars ?? MAX_HEAD_LINE_CHARS;
    const decoder = new TextDecoder('utf-8');
    let inflater: Inflater | null = null;
    let partial = '';
    let cutting = false;
    const take = function* (this: ObjectLines, text: string): Generator<string> {
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
    try {
      let first = true;
      for await (const bytes of this.ranges()) {
        if (first) {
          this.compressed = isGzip(bytes);
          inflater = this.compressed ? new Inflater(this.uri) : null;
          first = false;
        }
        const decoded = inflater ? await inflater.feed(bytes) : [bytes];
        for (const piece of decoded) {
          this.bytesDecoded += piece.length;
          yield* take(decoder.decode(piece, { stream: true }));
        }
      }
      if (inflater) {
        for (const piece of await inflater.feed(null)) {
          this.bytesDecoded += piece.length;
          yield* take(decoder.decode(piece, { stream: true }));
        }
      }
      yield* take(decoder.decode());
      if (partial !== '') {
        const last = partial;
        partial = '';
        yield last;
      }
      this.complete = true;
    } finally {
      inflater?.close();
    }
  }
}

/** What `readHead` is asked for. */
export interface HeadOptions extends ObjectLinesOptions {
  /** Lines wanted, header lines not counted (default DEFAULT_HEAD_LINES, at most MAX_HEAD_LINES). */
  lines?: number;
  /** A prefix marking the leading header lines (`#` for VCF, `@` for SAM). */
  header?: string;
}

/**
 * The first lines of an object (`GET api/head`, `eos head`): reading stops
 * once enough lines are decoded, or MAX_HEAD_DECODED_BYTES were looked at.
 */
export async function readHead(store: EosStore, uri: string, options: HeadOptions = {}): Promise<HeadResponse> {
  const wanted = Math.min(options.lines ?? DEFAULT_HEAD_LINES, MAX_HEAD_LINES);
  const reader = await ObjectLines.open(store, uri, options);
  const header: string[] = [];
  const lines: string[] = [];
  let inHeader = options.header !== undefined && options.header !== '';
  if (wanted > 0) {
    for await (const line of reader.lines()) {
      if (inHeader && line.startsWith(options.header!) && header.length < MAX_HEAD_HEADER_LINES) {
        header.push(line);
      } else {
        inHeader = false;
        lines.push(line);
      }
      if (lines.length >= wanted || reader.bytesDecoded >= MAX_HEAD_DECODED_BYTES) {
        break;
      }
    }
  }
  return {
    uri: reader.uri,
    size: reader.size,
    etag: reader.etag,
    compressed: reader.compressed,
    header,
    lines,
    bytesRead: reader.bytesRead,
    bytesDecoded: reader.bytesDecoded,
    complete: reader.complete,
    cut: reader.cut
  };
}

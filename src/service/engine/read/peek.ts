/**
 * Peek (`GET api/head`): the first lines of an object, read through the
 * engine's one reader of an object's start (`ObjectReader`): a few KiB of a
 * 40 GB `.fastq.gz`, decompressed and decoded as they arrive.
 */
import {
  DEFAULT_HEAD_LINES,
  HeadResponse,
  MAX_HEAD_DECODED_BYTES,
  MAX_HEAD_HEADER_LINES,
  MAX_HEAD_LINES
} from '../../../core';
import { ObjectReader, ObjectReaderOptions } from './objectreader';
import { EosStore } from '../s3/store';

/** What `readHead` is asked for. */
export interface HeadOptions extends ObjectReaderOptions {
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
  const reader = await ObjectReader.open(store, uri, options);
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

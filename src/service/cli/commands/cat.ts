/**
 * `eos cat URI...` and `eos head URI [-n N]`: an object's bytes on standard
 * output, read with ranged GETs as fast as the output takes them (`.gz`
 * decompressed on the fly), for a quick look without a download.
 */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { EosError } from '../../../core';
import { NotGzipError, readObject } from '../../engine';
import { interruptible } from '../follow';
import { Output } from '../output';
import { Session } from '../session';
import { UsageError } from './cp';

export interface ReadOptions {
  /** `false` (`--raw`): never decompress. */
  decompress?: boolean;
}

/** Write a chunk, waiting when the output is full; false once the reader has gone (a closed pipe). */
async function put(out: Output, chunk: Uint8Array): Promise<boolean> {
  const stdout = out.stdout as NodeJS.WritableStream & { destroyed?: boolean };
  if (stdout.destroyed) {
    return false;
  }
  if (!stdout.write(chunk)) {
    await Promise.race([once(stdout, 'drain'), once(stdout, 'close'), once(stdout, 'error')]);
  }
  return !stdout.destroyed;
}

/** An object that does not decompress says how to read its raw bytes. */
async function* chunks(stream: Readable): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) {
      yield chunk as Buffer;
    }
  } catch (err) {
    if (err instanceof NotGzipError) {
      throw new EosError('InvalidRequest', `${err.message}; read its raw bytes with --raw`);
    }
    throw err;
  }
}

export async function cat(session: Session, out: Output, uris: string[], options: ReadOptions): Promise<void> {
  await interruptible(out, async signal => {
    for (const uri of uris) {
      const stream = await readObject(session.store, uri, { gunzip: gunzipOf(options), signal });
      try {
        for await (const chunk of chunks(stream)) {
          if (!(await put(out, chunk))) {
            return;
          }
        }
      } finally {
        stream.destroy();
      }
    }
  });
}

export async function head(session: Session, out: Output, uri: string, lines: string, options: ReadOptions) {
  const wanted = Number(lines);
  if (!Number.isSafeInteger(wanted) || wanted < 0) {
    throw new UsageError(`-n takes a number of lines, not ${JSON.stringify(lines)}`);
  }
  if (wanted === 0) {
    return;
  }
  await interruptible(out, async signal => {
    const stream = await readObject(session.store, uri, { gunzip: gunzipOf(options), signal });
    let left = wanted;
    try {
      for await (const chunk of chunks(stream)) {
        let end = chunk.length;
        for (let i = 0; i < chunk.length; i++) {
          if (chunk[i] === 0x0a && --left === 0) {
            end = i + 1;
            break;
          }
        }
        if (!(await put(out, chunk.subarray(0, end))) || left === 0) {
          return;
        }
      }
    } finally {
      stream.destroy();
    }
  });
}

function gunzipOf(options: ReadOptions): boolean | undefined {
  return options.decompress === false ? false : undefined;
}

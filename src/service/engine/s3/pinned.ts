/**
 * A GET through the SDK's client pinned to the ETag an object was listed
 * with (`If-Match`), for reads that hand the body on as a stream.
 */
import { GetObjectCommand, GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { EosError } from '../../../core';
import { isPreconditionFailed } from './errors';
import type { EosStore } from './store';

/** An object as listed: a GET of it is pinned to its ETag. */
export interface PinnedObject {
  bucket: string;
  key: string;
  uri: string;
  etag?: string;
}

/** How `getPinned` runs. */
export interface PinnedOptions<T> {
  signal?: AbortSignal;
  /** The deadline of the call (null: none, as the body streams for as long as it takes); default the store's. */
  deadlineMs?: number | null;
  /** What a changed object's `Conflict` says after its URI, e.g. "changed while it was read; read it again". */
  changed: string;
  /** Read the answer inside the call (under its deadline); default: answer the response, its body unread. */
  consume?: (out: GetObjectCommandOutput) => Promise<T>;
}

/**
 * One GET of an object, or of bytes `start` to `end` of it, with `If-Match`
 * its ETag, through the SDK: `eos cat`'s and Peek's ranged reads, and a copy's
 * streamed source (the downloads' GETs go on the data path, dataget.ts).
 *
 * @throws EosError `Conflict` when the object changed since it was listed
 */
export async function getPinned<T = GetObjectCommandOutput>(
  store: Pick<EosStore, 's3' | 'reader'>,
  obj: PinnedObject,
  range: { start: number; end: number } | undefined,
  options: PinnedOptions<T>
): Promise<T> {
  const { bucket, key, uri, etag } = obj;
  const Range = range ? `bytes=${range.start}-${range.end}` : undefined;
  const consume = options.consume ?? (async (out: GetObjectCommandOutput) => out as T);
  try {
    return await store.s3(
      { bucket, uri },
      async abortSignal =>
        consume(
          await store
            .reader(bucket, key)
            .send(new GetObjectCommand({ Bucket: bucket, Key: key, Range, IfMatch: etag }), {
              abortSignal
            })
        ),
      { signal: options.signal, deadlineMs: options.deadlineMs }
    );
  } catch (err) {
    if (isPreconditionFailed(err)) {
      throw new EosError('Conflict', `${uri} ${options.changed}`);
    }
    throw err;
  }
}

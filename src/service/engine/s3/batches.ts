/**
 * Batched DeleteObjects: at most DELETE_BATCH keys per request, per-key
 * errors turned into one error naming the keys.
 */
import { DeleteObjectCommand, DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { DELETE_BATCH, EosError, ErrorCode } from '../../../core';
import { EosStore } from './store';
import { detailLines } from './places';

/** One key to delete, with what to report about it. */
export interface DoomedKey {
  key: string;
  size: number;
  /** The `e://` URI, for error details. */
  uri: string;
}

/**
 * Keys a DeleteObjects round trip cannot carry faithfully: characters XML 1.0
 * cannot hold even as references (the request is refused), and a carriage
 * return (the SDK escapes it in the request, but an XML parser turns it into a
 * line feed in the answer, so a per-key error could not be matched to its
 * key). Such keys are deleted one by one with DeleteObject.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\x00-\x08\x0B\x0C\x0D\x0E-\x1F\uFFFE\uFFFF]/;

/** Whether a key can be named in an XML request body. */
export function xmlSafe(key: string): boolean {
  return !NOT_XML.test(key);
}

/** What a batch deleted, and the error naming the keys it did not. */
export interface BatchResult {
  deleted: DoomedKey[];
  /** AccessDenied when every failure was a denial, else Upstream. */
  error?: EosError;
}

/**
 * Delete up to DELETE_BATCH keys of one bucket in one request (keys XML
 * cannot carry each in a DeleteObject of its own).
 *
 * @throws EosError when the request itself fails (per-key failures are in the result)
 */
export async function deleteBatch(
  store: EosStore,
  bucket: string,
  keys: DoomedKey[],
  signal?: AbortSignal
): Promise<BatchResult> {
  if (keys.length === 0) {
    return { deleted: [] };
  }
  if (keys.length > DELETE_BATCH) {
    throw new Error(`deleteBatch: ${keys.length} keys, at most ${DELETE_BATCH} allowed`);
  }
  for (const k of keys.filter(k => !xmlSafe(k.key))) {
    await store.s3(
      { bucket, uri: k.uri },
      abortSignal => store.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: k.key }), { abortSignal }),
      { signal }
    );
  }
  const safe = keys.filter(k => xmlSafe(k.key));
  if (safe.length === 0) {
    return { deleted: keys };
  }
  const result = await store.s3(
    { bucket, uri: safe[0].uri },
    abortSignal =>
      store.client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: safe.map(k => ({ Key: k.key })), Quiet: true } }),
        { abortSignal }
      ),
    { signal }
  );
  const errors = result.Errors ?? [];
  if (errors.length === 0) {
    return { deleted: keys };
  }
  const failed = new Set(errors.map(e => e.Key ?? ''));
  const uriOf = new Map(keys.map(k => [k.key, k.uri]));
  const lines = errors.map(e => `${uriOf.get(e.Key ?? '') ?? e.Key}: ${e.Code ?? 'Error'} ${e.Message ?? ''}`.trim());
  const code: ErrorCode = errors.every(e => e.Code === 'AccessDenied') ? 'AccessDenied' : 'Upstream';
  return {
    deleted: keys.filter(k => !failed.has(k.key)),
    error: new EosError(code, `S3 did not delete ${errors.length} of ${keys.length} objects`, detailLines(lines))
  };
}

/**
 * Collects keys of one bucket and deletes them a full batch at a time;
 * `flush` deletes the rest. `onDeleted` runs after each successful batch.
 */
export class Deleter {
  private pending: DoomedKey[] = [];

  constructor(
    private readonly store: EosStore,
    readonly bucket: string,
    private readonly onDeleted: (keys: DoomedKey[]) => void = () => undefined
  ) {}

  /** Add a key; deletes a batch once DELETE_BATCH are waiting. */
  async add(key: DoomedKey, signal?: AbortSignal): Promise<void> {
    this.pending.push(key);
    if (this.pending.length >= DELETE_BATCH) {
      await this.flushBatch(signal);
    }
  }

  /** Delete every key still waiting. */
  async flush(signal?: AbortSignal): Promise<void> {
    while (this.pending.length > 0) {
      await this.flushBatch(signal);
    }
  }

  private async flushBatch(signal?: AbortSignal): Promise<void> {
    const batch = this.pending.splice(0, DELETE_BATCH);
    const result = await deleteBatch(this.store, this.bucket, batch, signal);
    this.onDeleted(result.deleted);
    if (result.error) {
      throw result.error;
    }
  }
}

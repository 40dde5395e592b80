/**
 * Opening and saving objects as documents: read an object whole (bounded:
 * the proxy buffers whole responses) and write it back conditionally, so a
 * change made by someone else meanwhile is never overwritten silently.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  ContentFormat,
  ContentResponse,
  DEFAULT_OPEN_LIMIT,
  EosError,
  EosPath,
  MAX_OPEN_LIMIT,
  SaveResponse,
  accessOf,
  basename,
  formatEosUri
} from '../../../core';
import { contentTypeOf } from '../transfer/contenttypes';
import { EosStore } from '../s3/store';
import { Place, placeOf, refuseChange, refuseListsOfRoots } from '../s3/places';
import { isConditionalConflict, isPreconditionFailed } from '../s3/errors';
import { holdsBody, refusedOnRetry } from '../s3/lostanswer';

/** What `readContent` is asked for. */
export interface ReadContentOptions {
  format?: ContentFormat;
  /** Refuse objects bigger than this (default DEFAULT_OPEN_LIMIT). */
  limit?: number;
  /** false: the facts only. */
  content?: boolean;
  signal?: AbortSignal;
}

/** The object a document path names (never a folder or a root). */
function objectPlace(store: EosStore, uri: string, action: string): Place {
  const path: EosPath = store.locate(uri);
  refuseListsOfRoots(path, action);
  if (path.key === '' || path.key.endsWith('/')) {
    throw new EosError('InvalidRequest', `Cannot ${action} ${formatEosUri(path)}: it is a folder, not a file`);
  }
  return placeOf(path, store);
}

/** The limit a request may set: a whole number of bytes up to MAX_OPEN_LIMIT. */
function checkedLimit(limit: number | undefined): number {
  return Math.min(limit ?? DEFAULT_OPEN_LIMIT, MAX_OPEN_LIMIT);
}

/** A size for messages: `52.4 MB`, or `900 bytes` below a megabyte. */
export function megabytes(bytes: number): string {
  return bytes < 1000 ** 2 ? `${bytes} bytes` : `${(bytes / 1000 ** 2).toFixed(1)} MB`;
}

/** Bytes as `format` (text when not given and the bytes are UTF-8, else base64). */
function encode(
  bytes: Buffer,
  format: ContentFormat | undefined,
  uri: string
): { format: ContentFormat; content: string } {
  if (format === 'base64') {
    return { format, content: bytes.toString('base64') };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { format: 'text', content: text };
  } catch {
    if (format === 'text') {
      throw new EosError('InvalidRequest', `${uri} is not UTF-8 text; open it as a binary file`);
    }
    return { format: 'base64', content: bytes.toString('base64') };
  }
}

/** Reads of an object that another client keeps rewriting, before giving up. */
const READ_ATTEMPTS = 3;

/**
 * An object's facts and bytes. The bytes are read with one GET pinned to the
 * ETag the HEAD saw, so facts and bytes belong together; an object rewritten
 * between the two is read again (its newest version), a few times.
 *
 * @throws EosError `PayloadTooLarge` above the limit, naming it; `NotFound`;
 *   `InvalidRequest` for a folder or for non-UTF-8 bytes asked as text;
 *   `Conflict` when it changed during every attempt
 */
export async function readContent(
  store: EosStore,
  uri: string,
  options: ReadContentOptions = {}
): Promise<ContentResponse> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readOnce(store, uri, options);
    } catch (err) {
      if (!(err instanceof ChangedWhileRead) || attempt >= READ_ATTEMPTS) {
        throw err;
      }
    }
  }
}

/** The object was rewritten between the HEAD and the GET. */
class ChangedWhileRead extends EosError {}

async function readOnce(store: EosStore, uri: string, options: ReadContentOptions): Promise<ContentResponse> {
  const place = objectPlace(store, uri, 'open');
  const { bucket, key } = place;
  const where = { bucket, uri: place.uri };
  const head = await store.s3(
    where,
    abortSignal => store.reader(bucket, key).send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
    { signal: options.signal }
  );
  const size = head.ContentLength ?? 0;
  const facts = {
    uri: place.uri,
    name: basename(place.path),
    size,
    modified: (head.LastModified ?? new Date(0)).toISOString(),
    etag: head.ETag ?? '',
    contentType: head.ContentType && head.ContentType !== 'binary/octet-stream' ? head.ContentType : contentTypeOf(key),
    access: accessOf(place.path, store.ctx)
  };
  if (options.content === false) {
    return { ...facts, format: null, content: null };
  }
  const limit = checkedLimit(options.limit);
  if (size > limit) {
    throw new EosError(
      'PayloadTooLarge',
      `${place.uri} is ${megabytes(size)}, above the ${megabytes(limit)} limit for opening files: ` +
        'download it or peek into it instead'
    );
  }
  let bytes: Buffer;
  try {
    bytes = await store.s3(
      where,
      async abortSignal => {
        const out = await store
          .reader(bucket, key)
          .send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: head.ETag }), {
            abortSignal
          });
        return Buffer.from(await out.Body!.transformToByteArray());
      },
      { signal: options.signal, deadlineMs: null }
    );
  } catch (err) {
    if (isPreconditionFailed(err)) {
      throw new ChangedWhileRead('Conflict', `${place.uri} changed while it was being read; open it again`);
    }
    throw err;
  }
  return { ...facts, ...encode(bytes, options.format, place.uri) };
}

/**
 * The refusals of a save that need no S3 call: read-only places, roots, folders.
 *
 * @throws EosError `ReadOnly` or `InvalidRequest`
 */
export function checkSave(store: EosStore, uri: string): Place {
  refuseChange(store.locate(uri), store, 'save');
  return objectPlace(store, uri, 'save');
}

/**
 * Write an object conditionally: with `etag` only if it still has that ETag
 * (`If-Match`), without it only if it does not exist (`If-None-Match: *`).
 * Both conditions are S3's own (moto honours them too), so there is no window
 * between a check and the write. Read-only places are refused before any S3 call.
 *
 * @throws EosError `ReadOnly`; `Conflict` when the condition failed (nothing written)
 */
export async function saveContent(
  store: EosStore,
  uri: string,
  bytes: Buffer,
  etag: string | undefined,
  signal?: AbortSignal
): Promise<SaveResponse> {
  const place = checkSave(store, uri);
  if (bytes.length > MAX_OPEN_LIMIT) {
    throw new EosError(
      'PayloadTooLarge',
      `Cannot save ${place.uri}: files above ${megabytes(MAX_OPEN_LIMIT)} are not saved from the editor`
    );
  }
  const { bucket, key } = place;
  const where = { bucket, uri: place.uri };
  let written: string | undefined;
  try {
    const put = await store.s3(
      where,
      abortSignal =>
        store.client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            ContentLength: bytes.length,
            ContentType: contentTypeOf(key),
            ...(etag === undefined ? { IfNoneMatch: '*' } : { IfMatch: etag })
          }),
          { abortSignal }
        ),
      { signal, deadlineMs: null }
    );
    written = put.ETag;
  } catch (err) {
    // Refused on a retry: the attempt whose answer was lost may have written these bytes.
    written = refusedOnRetry(err) ? ((await holdsBody(store, place, bytes, { signal })) ?? undefined) : undefined;
    if (written === undefined && (isPreconditionFailed(err) || isConditionalConflict(err))) {
      throw new EosError(
        'Conflict',
        etag === undefined
          ? `${place.uri} already exists; nothing was written`
          : `${place.uri} was changed by someone else since it was opened; nothing was written`,
        (err as EosError).details
      );
    }
    if (etag !== undefined && err instanceof EosError && err.code === 'NotFound') {
      throw new EosError('Conflict', `${place.uri} was deleted since it was opened; nothing was written`, err.details);
    }
    if (written === undefined) {
      throw err;
    }
  }
  const head = await store.s3(
    where,
    abortSignal => store.reader(bucket, key).send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
    { signal }
  );
  return {
    uri: place.uri,
    size: head.ContentLength ?? bytes.length,
    modified: (head.LastModified ?? new Date()).toISOString(),
    // PutObject's own ETag: a write by someone else right after ours must make the next save conflict.
    etag: written ?? head.ETag ?? ''
  };
}

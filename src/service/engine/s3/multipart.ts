/**
 * The one S3 multipart lifecycle every upload and copy goes through: S3's
 * limits, the part-size rule, and create / upload a part / complete / abort.
 * Uploads from the computer (computer.ts), from the server disk (putfile.ts)
 * and server-side copies (servercopy.ts) all use it; so do the background
 * retries of an abort (transfer.ts) and the journal's clean-up after a
 * restart (journal.ts).
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { EosError } from '../../../core';
import { EosStore, headObject } from './store';
import { OpenUpload } from '../jobs/jobs';
import { completionClient } from './client';
import { UPLOAD_CRC, checksumFields } from './checksums';
import { putData } from './dataput';
import { retryingInBackground } from './background';
import { S3Error, isNoSuchUpload, isPreconditionFailed, isServerError, isUnreachable } from './errors';

const MiB = 1024 * 1024;
/** S3's smallest part (all but the last). */
export const MIN_PART_SIZE = 5 * MiB;
/** S3's largest part. */
export const MAX_PART_SIZE = 5 * 1024 * MiB;
/** S3's most parts per upload. */
export const MAX_PARTS = 10000;

/**
 * The part size of an object of `size` bytes: start from `preferred`, at
 * least S3's minimum, grown so the object fits in MAX_PARTS parts, in whole
 * MiB, at most MAX_PART_SIZE (an object above MAX_PARTS × MAX_PART_SIZE
 * cannot be uploaded in parts at all).
 */
export function partSize(size: number, preferred: number): number {
  const part = Math.max(preferred, MIN_PART_SIZE, Math.ceil(size / MAX_PARTS));
  return Math.min(Math.ceil(part / MiB) * MiB, MAX_PART_SIZE);
}

/** The parts of an object of `size` bytes in parts of `part` bytes: number (from 1), first byte, length. */
export function partRanges(size: number, part: number): { n: number; start: number; length: number }[] {
  const ranges: { n: number; start: number; length: number }[] = [];
  for (let start = 0, n = 1; start < size; start += part, n++) {
    ranges.push({ n, start, length: Math.min(part, size - start) });
  }
  return ranges;
}

/** The headers an object is created with (a copy keeps its source's). */
export interface ObjectHeaders {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  /** User metadata (`x-amz-meta-*`). */
  Metadata?: Record<string, string>;
}

/** A part S3 has stored. */
export interface UploadedPart {
  PartNumber: number;
  ETag: string;
  /** The part's CRC64NVME in base64, of an upload with checksums (S3 may ask for them on completion). */
  ChecksumCRC64NVME?: string;
}

/** The `e://` URI (or `s3://`) the upload writes, for error messages. */
function where(upload: { bucket: string; key: string }, uri?: string) {
  return { bucket: upload.bucket, uri: uri ?? `s3://${upload.bucket}/${upload.key}` };
}

/**
 * The uploads this process has opened and not yet seen completed or aborted:
 * a sweep for an upload whose creation went unanswered leaves them be (a
 * retry of the same transfer may have opened one on the same key meanwhile).
 */
const opened = new Set<string>();

/**
 * Start a multipart upload of `bucket`/`key` with `headers`; `checksum`: its
 * parts carry their CRC and its completion the whole object's
 * (`UPLOAD_CRC`, `ChecksumType: FULL_OBJECT`), which S3 checks and stores.
 */
export async function createUpload(
  store: EosStore,
  target: { bucket: string; key: string; uri?: string },
  headers: ObjectHeaders,
  signal?: AbortSignal,
  checksum = false
): Promise<OpenUpload> {
  const fullObject = checksum ? ({ ChecksumAlgorithm: UPLOAD_CRC, ChecksumType: 'FULL_OBJECT' } as const) : {};
  const sent = Date.now();
  try {
    const out = await store.s3(
      where(target, target.uri),
      abortSignal =>
        store.client.send(
          new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, ...headers, ...fullObject }),
          { abortSignal }
        ),
      { signal }
    );
    opened.add(out.UploadId!);
    if ((out.$metadata.attempts ?? 1) > 1) {
      // An earlier attempt may have opened an upload whose answer was lost.
      await abortLostRetrying(store, target, { from: sent, to: Date.now() });
    }
    return { bucket: target.bucket, key: target.key, uploadId: out.UploadId! };
  } catch (err) {
    if (mayHaveCreated(err)) {
      await abortLostRetrying(store, target, { from: sent, to: Date.now() });
    }
    throw err;
  }
}

/**
 * Whether a failed CreateMultipartUpload may have opened an upload all the
 * same: its answer (or an earlier attempt's) lost on the way back, or the
 * call cancelled while S3 had it. Only S3's own refusal (a 4xx) of the one
 * attempt, or a connection never made, says it did not.
 */
function mayHaveCreated(err: unknown): boolean {
  if (!(err instanceof S3Error) || (err.s3.attempts ?? 1) > 1) {
    return true;
  }
  const { status, network } = err.s3;
  if (status !== undefined) {
    return status >= 500;
  }
  return network === undefined || !NOT_CONNECTED.has(network);
}

/** Network codes of a request that never reached S3. */
const NOT_CONNECTED: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
]);

/**
 * How far (ms) S3's record of when an upload was opened may lie outside the
 * time its create request was under way: S3's clock against this machine's
 * beyond the offset the SDK corrects, and S3 giving whole seconds.
 */
export const LOST_WINDOW_MS = 5000;

/**
 * Abort the uploads of `target`'s key that S3 opened while a create request
 * whose answer never came was under way (`sent`, in this machine's clock):
 * ListMultipartUploads for the key, those opened in that window (give or take
 * `LOST_WINDOW_MS`) that this process does not hold. When S3 cannot be asked
 * (or has a server error), tried again in the background as an abort is;
 * when it refuses the listing (no permission to list uploads), given up. Another client's upload of
 * the same key opened in the same seconds would be aborted too: its writer
 * then fails with NoSuchUpload (a clear error; nothing is lost).
 */
async function abortLostRetrying(
  store: EosStore,
  target: { bucket: string; key: string; uri?: string },
  sent: { from: number; to: number }
): Promise<void> {
  const offset = store.client.config.systemClockOffset ?? 0;
  const from = sent.from + offset - LOST_WINDOW_MS;
  const to = sent.to + offset + LOST_WINDOW_MS;
  await retryingInBackground({ bucket: target.bucket, key: target.key, uploadId: null }, async () => {
    let all: (OpenUpload & { initiated: Date })[];
    try {
      all = await uploadsOfKey(store, target);
    } catch (err) {
      if (isUnreachable(err) || isServerError(err)) {
        throw err; // tried again later
      }
      return; // not allowed to list uploads (say): asking again will not help
    }
    for (const upload of all) {
      const at = upload.initiated.getTime();
      if (at >= from && at <= to && !opened.has(upload.uploadId)) {
        await abortUpload(store, upload, target.uri);
      }
    }
  });
}

/** The open multipart uploads of exactly `target`'s key, with when S3 opened each. */
async function uploadsOfKey(
  store: EosStore,
  target: { bucket: string; key: string; uri?: string }
): Promise<(OpenUpload & { initiated: Date })[]> {
  const found: (OpenUpload & { initiated: Date })[] = [];
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await store.s3(where(target, target.uri), abortSignal =>
      store.client.send(
        new ListMultipartUploadsCommand({
          Bucket: target.bucket,
          Prefix: target.key,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker
        }),
        { abortSignal }
      )
    );
    for (const u of page.Uploads ?? []) {
      if (u.Key === target.key && u.UploadId !== undefined && u.Initiated !== undefined) {
        found.push({ bucket: target.bucket, key: target.key, uploadId: u.UploadId, initiated: u.Initiated });
      }
    }
    // Past the key itself, the listing only holds longer keys.
    const past = (page.Uploads ?? []).some(u => u.Key !== undefined && u.Key !== target.key);
    if (!page.IsTruncated || past || page.NextKeyMarker === undefined) {
      return found;
    }
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
  }
}

/**
 * Upload part `n` of `body` (no deadline: a part takes as long as its
 * bytes); answers its ETag. `checksum`: its `UPLOAD_CRC` in base64, which S3
 * checks. Sent on the uploads' data path (dataput.ts: `node:http`, unsigned
 * payload), as the server disk's parts are on the transfer threads: the body
 * is in memory, so its CRC is known before it is sent and the SDK's payload
 * hash would only repeat the work.
 */
export async function uploadPart(
  store: EosStore,
  upload: OpenUpload,
  part: { n: number; body: Buffer; checksum?: string },
  signal: AbortSignal,
  uri?: string
): Promise<string> {
  const { bucket, key, uploadId } = upload;
  const request = { bucket, key, body: part.body, part: { uploadId, n: part.n }, checksum: part.checksum };
  return store.s3(where(upload, uri), abortSignal => putData(store.wire(bucket, key), request, abortSignal), {
    signal,
    deadlineMs: null
  });
}

/** How to complete an upload. */
export interface CompleteOptions {
  /** Write only if no object is at the key (`If-None-Match: *`). */
  mustNotExist?: boolean;
  signal?: AbortSignal;
  /** The URI for error messages. */
  uri?: string;
  /** The object's size (the parts' total): sizes the wait for S3 and checks an upload completed already. */
  size?: number;
  /** The whole object's `UPLOAD_CRC` in base64 (an upload created with `checksum`): S3 refuses the object when its own differs. */
  checksum?: string;
}

/**
 * Write the object from its parts (sorted here by number). No deadline: S3
 * may take minutes to assemble a big object, so the connection may stay
 * silent longer for a big one (`completionClient`).
 *
 * Idempotent: when an attempt was done but its answer lost (a timeout, a
 * 5xx), the SDK's retry finds the upload gone (NoSuchUpload) or, with
 * `mustNotExist`, the key taken (412). Then the object at the key is ours
 * when its ETag is the one S3 makes of exactly these parts, and that is
 * success.
 */
export async function completeUpload(
  store: EosStore,
  upload: OpenUpload,
  parts: readonly UploadedPart[],
  options: CompleteOptions = {}
): Promise<void> {
  const sorted = [...parts].sort((a, b) => a.PartNumber - b.PartNumber);
  const client = completionClient(store.client, options.size ?? 0);
  try {
    await store.s3(
      where(upload, options.uri),
      abortSignal =>
        client.send(
          new CompleteMultipartUploadCommand({
            Bucket: upload.bucket,
            Key: upload.key,
            UploadId: upload.uploadId,
            MultipartUpload: { Parts: sorted },
            IfNoneMatch: options.mustNotExist ? '*' : undefined,
            ...(options.checksum !== undefined && {
              ChecksumType: 'FULL_OBJECT',
              ...checksumFields(UPLOAD_CRC, options.checksum)
            })
          }),
          { abortSignal }
        ),
      { signal: options.signal, deadlineMs: null }
    );
  } catch (err) {
    if (!mayHaveCompleted(err) || !(await completedAlready(store, upload, sorted, options))) {
      throw err;
    }
  }
  opened.delete(upload.uploadId);
}

/** Whether a failed completion may have been done by S3 all the same (an earlier attempt's answer lost). */
function mayHaveCompleted(err: unknown): boolean {
  const retried = err instanceof S3Error && (err.s3.attempts ?? 1) > 1;
  return isNoSuchUpload(err) || isServerError(err) || isUnreachable(err) || (retried && isPreconditionFailed(err));
}

/**
 * Whether the object at the upload's key is the one these parts make: its
 * ETag is S3's multipart ETag of them (the MD5 of the parts' MD5s, `-N`);
 * where the parts' ETags are no MD5s (encryption with KMS), a `-N` ETag and
 * the expected size.
 */
async function completedAlready(
  store: EosStore,
  upload: OpenUpload,
  parts: readonly UploadedPart[],
  options: CompleteOptions
): Promise<boolean> {
  const head = await headObject(store, upload.bucket, upload.key, where(upload, options.uri).uri, options.signal);
  if (head?.ETag === undefined) {
    return false;
  }
  const etag = unquoted(head.ETag);
  const expected = multipartEtag(parts);
  if (expected !== null) {
    return etag === expected;
  }
  return etag.endsWith(`-${parts.length}`) && (options.size === undefined || head.ContentLength === options.size);
}

/** S3's ETag of an object completed from `parts` (sorted), or null when a part's ETag is no MD5. */
export function multipartEtag(parts: readonly UploadedPart[]): string | null {
  const digests = parts.map(p => unquoted(p.ETag));
  if (digests.length === 0 || !digests.every(d => /^[0-9a-f]{32}$/i.test(d))) {
    return null;
  }
  const md5 = createHash('md5');
  digests.forEach(d => md5.update(Buffer.from(d, 'hex')));
  return `${md5.digest('hex')}-${parts.length}`;
}

function unquoted(etag: string): string {
  return etag.replace(/^"|"$/g, '');
}

/** Rounds of abort-and-check for one upload before the background retries take over. */
const ABORT_ROUNDS = 3;
/** Pause before the next round, times the round's number. */
const ABORT_ROUND_MS = 250;

/**
 * Abort a multipart upload, not under any job's signal (a cancelled job must
 * still clean up), and make sure it is gone: a part S3 was still writing when
 * the abort came can keep the upload alive (S3 says to abort again), so
 * ListParts must answer NoSuchUpload. An upload S3 no longer knows (404
 * NoSuchUpload) is gone already: that is done too. A server error or an
 * upload still open is tried again, up to `ABORT_ROUNDS` times.
 *
 * @throws the last failure (at once when S3 cannot be reached)
 */
export async function abortUpload(store: EosStore, upload: OpenUpload, uri?: string): Promise<void> {
  const { bucket: Bucket, key: Key, uploadId: UploadId } = upload;
  const call = <T>(send: (abortSignal: AbortSignal) => Promise<T>) => store.s3(where(upload, uri), send);
  let failure: unknown;
  for (let round = 1; round <= ABORT_ROUNDS; round++) {
    try {
      await call(s =>
        store.client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }), { abortSignal: s })
      );
      await call(s =>
        store.client.send(new ListPartsCommand({ Bucket, Key, UploadId, MaxParts: 1 }), { abortSignal: s })
      );
      failure = new EosError('Upstream', `The multipart upload of ${Key} was still open after it was aborted`);
    } catch (err) {
      if (isNoSuchUpload(err)) {
        opened.delete(UploadId);
        return;
      }
      if (isUnreachable(err)) {
        throw err;
      }
      failure = err;
    }
    if (round < ABORT_ROUNDS) {
      await new Promise(resolve => setTimeout(resolve, ABORT_ROUND_MS * round));
    }
  }
  throw failure;
}

/**
 * Abort a multipart upload, and when that fails (S3 unreachable, say) try
 * again in the background. The upload stays registered on its job (so the
 * journal aborts it after a restart) until an abort succeeds, which calls
 * `close`.
 */
export async function abortUploadRetrying(store: EosStore, upload: OpenUpload, close: () => void): Promise<void> {
  await retryingInBackground(upload, async () => {
    await abortUpload(store, upload);
    close();
  });
}

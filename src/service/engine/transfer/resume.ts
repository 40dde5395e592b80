/**
 * Interrupted uploads from the server's disk resume: the multipart upload a
 * failed, cancelled or killed upload kept (see `resumeledger.ts`) is taken
 * by the next upload of the same file (same path, size, modification time
 * and part size) to the same key. S3's ListParts says which parts it holds;
 * a part is kept only when its size is the part's and its ETag is the MD5 of
 * the local bytes now read for it, else it is sent again. A changed file, a
 * changed part size, an upload S3 no longer knows or parts whose ETags are no
 * MD5s (KMS) start a new upload, the old one aborted.
 */
import { ListPartsCommand, Part } from '@aws-sdk/client-s3';
import { EosError } from '../../../core';
import { EosStore } from '../s3/store';
import { OpenUpload } from '../jobs/jobs';
import { ObjectHeaders, abortUploadRetrying, createUpload } from '../s3/multipart';
import { S3Error, isNoSuchUpload, isServerError, isUnreachable } from '../s3/errors';
import { RESUME_KEEP_MS, ResumeLedger, ResumeRecord, UploadRecord } from './resumeledger';

/** Whether a transfer that failed with `err` is worth keeping for a retry: a fault or a cancel, not a refusal. */
export function worthKeeping(err: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) {
    return true;
  }
  return isUnreachable(err) || isServerError(err) || (err instanceof EosError && err.code === 'NoCredentials');
}

/**
 * The error a kept transfer fails with: `err`, its message saying what is
 * kept and for how long (a cancel's reason is left as it is).
 */
export function keptError(err: unknown, signal: AbortSignal, what: string): unknown {
  if (signal.aborted || !(err instanceof EosError)) {
    return err;
  }
  const note = `${err.message}; ${what} kept for ${RESUME_KEEP_MS / 3600000} hours: retry to continue from there`;
  return err instanceof S3Error
    ? new S3Error(err.code, note, err.details, err.s3)
    : new EosError(err.code, note, err.details);
}

/** Every part S3 holds of an upload (ListParts, page by page). */
export async function listParts(store: EosStore, upload: OpenUpload, signal: AbortSignal): Promise<Part[]> {
  const parts: Part[] = [];
  let marker: string | undefined;
  do {
    const page = await store.s3(
      { bucket: upload.bucket, uri: `s3://${upload.bucket}/${upload.key}` },
      abortSignal =>
        store.client.send(
          new ListPartsCommand({
            Bucket: upload.bucket,
            Key: upload.key,
            UploadId: upload.uploadId,
            PartNumberMarker: marker
          }),
          { abortSignal }
        ),
      { signal }
    );
    parts.push(...(page.Parts ?? []));
    marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
  } while (marker !== undefined);
  return parts;
}

/** The local file an upload reads and the object it writes. */
export interface UploadSource {
  abs: string;
  size: number;
  mtimeMs: number;
  bucket: string;
  key: string;
  uri: string;
}

/** One multipart upload of a file: new, or resumed from what S3 holds of an interrupted one. */
export class UploadResume {
  /** Bytes of the parts found whole on S3 (not sent again). */
  resumedBytes = 0;

  private constructor(
    readonly upload: OpenUpload,
    private readonly record: UploadRecord,
    private readonly held: Map<number, { size: number; etag: string }>,
    private readonly ledger: ResumeLedger | undefined
  ) {}

  /**
   * Resume the kept upload of `source` in parts of `partSize` (when the
   * ledger has one and S3 still holds it), else create a new one with
   * `headers`; `checksum`: with a full-object checksum (multipart.ts's
   * `createUpload`), and only an upload kept alike resumes.
   */
  static async start(
    store: EosStore,
    ledger: ResumeLedger | undefined,
    jobId: string,
    source: UploadSource,
    partSize: number,
    headers: ObjectHeaders,
    signal: AbortSignal,
    checksum = false
  ): Promise<UploadResume> {
    const identity = { abs: source.abs, size: source.size, mtimeMs: source.mtimeMs, partSize, checksum };
    const kept = ledger?.take<UploadRecord>(
      jobId,
      (r): r is ResumeRecord & UploadRecord =>
        r.kind === 'upload' && r.bucket === source.bucket && r.key === source.key && r.abs === source.abs,
      r =>
        r.size === identity.size &&
        r.mtimeMs === identity.mtimeMs &&
        r.partSize === identity.partSize &&
        (r.checksum ?? false) === checksum
    );
    if (kept) {
      // S3 unreachable (or a cancel): the upload stays kept for the next try.
      const held = await heldParts(store, kept, signal).catch(err => {
        ledger!.keep(kept);
        throw err;
      });
      if (held !== null) {
        return new UploadResume(kept, kept, held, ledger);
      }
      ledger!.forget(kept);
      await abortUploadRetrying(store, kept, () => undefined);
    }
    const upload = await createUpload(store, source, headers, signal, checksum);
    const record: UploadRecord = { kind: 'upload', ...upload, ...identity };
    ledger?.open(jobId, record);
    return new UploadResume(upload, record, new Map(), ledger);
  }

  /**
   * The MD5 (hex) of part `n` of `length` bytes as S3 holds it (a resumed
   * upload), else undefined: whoever reads the part compares its bytes'
   * MD5 with it and sends it only when they differ (`partput.ts`).
   */
  heldDigest(n: number, length: number): string | undefined {
    const part = this.held.get(n);
    return part !== undefined && part.size === length ? part.etag : undefined;
  }

  /** Part `n` of `length` bytes was found held whole on S3 (not sent again): its ETag. */
  heldPart(n: number, length: number): string {
    this.resumedBytes += length;
    return `"${this.held.get(n)!.etag}"`;
  }

  /** The upload completed: forget it. */
  completed(): void {
    this.ledger?.forget(this.record);
  }

  /**
   * The upload failed with `err`: keep it for a retry (a fault or a cancel,
   * with a ledger), else abort it (retrying in the background). `close`
   * takes it off the job either way. Answers the error to throw (saying
   * what is kept).
   */
  async failed(store: EosStore, err: unknown, signal: AbortSignal, close: () => void): Promise<unknown> {
    if (this.ledger !== undefined && worthKeeping(err, signal) && this.ledger.keep(this.record)) {
      close();
      return keptError(err, signal, 'the parts S3 holds are');
    }
    this.ledger?.forget(this.record);
    await abortUploadRetrying(store, this.upload, close);
    return err;
  }
}

/**
 * The parts S3 holds of a kept upload, by number, with their MD5s; null when
 * the upload is gone or its parts cannot be checked (ETags that are no MD5s).
 */
async function heldParts(
  store: EosStore,
  upload: OpenUpload,
  signal: AbortSignal
): Promise<Map<number, { size: number; etag: string }> | null> {
  let parts: Part[];
  try {
    parts = await listParts(store, upload, signal);
  } catch (err) {
    if (isNoSuchUpload(err)) {
      return null;
    }
    throw err;
  }
  const held = new Map<number, { size: number; etag: string }>();
  for (const part of parts) {
    const etag = (part.ETag ?? '').replace(/^"|"$/g, '').toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(etag) || part.PartNumber === undefined || part.Size === undefined) {
      return null;
    }
    held.set(part.PartNumber, { size: part.Size, etag });
  }
  return held;
}

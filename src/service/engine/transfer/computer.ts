/**
 * Uploads from the user's computer: the browser sends each file in raw parts
 * and each part becomes a part of the file's S3 multipart upload.
 *
 * One job holds every file of a request. A file's multipart upload is created
 * when its first part arrives; a part is received whole (at most the part
 * size in memory), its CRC64NVME computed, and sent as one UploadPart with
 * it; `complete` checks every part arrived and writes the object with the
 * full-object CRC combined from the parts' (S3 refuses it when its own
 * differs), refusing to replace an object it must not.
 * An abort, a cancel of the job, or no part for `idleMs` aborts every
 * multipart upload of the job, so none is left behind.
 */
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateUploadsRequest,
  CreateUploadsResponse,
  EosError,
  Job,
  MIN_UPLOAD_PART,
  UploadPartResponse,
  formatEosUri
} from '../../../core';
import { isConditionalConflict, isPreconditionFailed } from '../s3/errors';
import { EosStore, objectExists } from '../s3/store';
import { planComputerUpload, relativeName } from './computerplan';
import { contentTypeOf } from './contenttypes';
import { Jobs, OpenUpload } from '../jobs/jobs';
import { abortUpload, completeUpload, createUpload, partSize as partSizeOf, uploadPart } from '../s3/multipart';
import { detailLines } from '../s3/places';
import { Batch, FileUpload, metadataOf, receivePart, received, writtenMeanwhile } from './computerfile';
import { tally, uploadChecksum } from './checksum';
import { UPLOAD_CRC, checksumFields, partChecksum } from '../s3/checksums';

/** How long `complete` waits for the job's final record once its last file is written. */
const SETTLE_MS = 2000;

/** Computer-upload tuning. */
export interface ComputerUploadOptions {
  /** An upload that receives no part for this long is aborted. */
  idleMs: number;
  /** Send each part's CRC64NVME and the full-object one (the `verifyChecksums` setting; default on). */
  checksum?: boolean;
}

/** Computer uploads in progress, by upload id. */
export class ComputerUploads {
  private readonly files = new Map<string, FileUpload>();

  constructor(
    private readonly store: EosStore,
    private readonly jobs: Jobs,
    private readonly options: ComputerUploadOptions
  ) {}

  /**
   * Check the files and start their job. Read-only and root targets are
   * refused before any S3 call; with `fail`, existing targets are refused
   * (`Conflict`, listed in `details`); `skip` leaves them out; `keep-both`
   * picks a free name.
   */
  async create(request: CreateUploadsRequest, signal?: AbortSignal): Promise<CreateUploadsResponse> {
    const { conflict, places, skipped, kept, folder } = await planComputerUpload(this.store, request, signal);
    // Every file of the request in parts of one size: the one its largest file needs.
    const partSize = partSizeOf(Math.max(0, ...kept.map(k => k.file.size)), MIN_UPLOAD_PART);
    const batch = {} as Batch;
    const job = this.jobs.start(
      {
        kind: 'computer-upload',
        sources: places.map(p => relativeName(folder, p.path)),
        // No `request`: the bytes come from the browser, so the service cannot run it again.
        destination: formatEosUri(folder)
      },
      ctx =>
        new Promise<void>((resolve, reject) => {
          Object.assign(batch, {
            jobId: ctx.id,
            ctx,
            partSize,
            checksum: this.options.checksum !== false,
            files: [],
            controller: new AbortController(),
            pending: new Set(),
            lastActivity: Date.now(),
            ended: false,
            finish: (error?: unknown) => (error === undefined ? resolve() : reject(error))
          } satisfies Batch);
          ctx.progress.objects.total = kept.length;
          ctx.progress.bytes.total = kept.reduce((n, k) => n + k.file.size, 0);
          ctx.progress.skipped = skipped.filter(Boolean).length;
          ctx.signal.addEventListener('abort', () => void this.end(batch, ctx.signal.reason), { once: true });
        })
    );
    const uploads: CreateUploadsResponse['uploads'] = [];
    for (const [i, place] of places.entries()) {
      if (skipped[i]) {
        uploads.push({ id: null, destination: place.uri });
        continue;
      }
      const f = request.files[i];
      const file: FileUpload = {
        id: randomBytes(12).toString('hex'),
        batch,
        place,
        size: f.size,
        modified: f.modified,
        mustNotExist: conflict !== 'overwrite',
        partCount: Math.ceil(f.size / partSize),
        parts: new Map(),
        inFlight: new Set(),
        completing: false,
        done: false
      };
      batch.files.push(file);
      this.files.set(file.id, file);
      uploads.push({ id: file.id, destination: place.uri });
    }
    if (batch.files.length === 0) {
      void this.end(batch);
    } else {
      this.arm(batch);
    }
    return { job: this.jobs.get(job.id), partSize, uploads };
  }

  /**
   * Receive one part from `body` whole, then send it to S3 (with its CRC). `length` is the request's
   * Content-Length: every part but the last must be exactly the part size.
   *
   * @throws EosError `NotFound` for an unknown upload; `InvalidRequest` for a
   *   part number or size the upload does not expect (before any S3 call);
   *   `Conflict` when that part is already being received or the upload is being completed.
   */
  async part(
    id: string,
    n: number,
    body: Readable,
    length: number | undefined,
    signal?: AbortSignal
  ): Promise<UploadPartResponse> {
    const file = this.file(id);
    const { batch } = file;
    const count = Math.max(file.partCount, 1);
    if (!Number.isSafeInteger(n) || n < 1 || n > count) {
      throw new EosError('InvalidRequest', `Invalid part number ${n}: ${file.place.uri} has parts 1 to ${count}`);
    }
    const expected = n < file.partCount ? batch.partSize : file.size - (count - 1) * batch.partSize;
    if (length === undefined) {
      throw new EosError('InvalidRequest', 'A part needs a Content-Length header');
    }
    if (length !== expected) {
      throw new EosError(
        'InvalidRequest',
        `Part ${n} of ${file.place.uri} must be ${expected} bytes (part size ${batch.partSize}), not ${length}`
      );
    }
    if (file.completing) {
      throw new EosError('Conflict', `${file.place.uri} is already being completed`);
    }
    if (file.inFlight.has(n)) {
      throw new EosError('Conflict', `Part ${n} of ${file.place.uri} is already being received`);
    }
    file.inFlight.add(n);
    batch.lastActivity = Date.now();
    batch.ctx.progress.current = file.place.uri;
    // A body cut short (the client went away) fails the part before any S3 call.
    const partSignal = AbortSignal.any([batch.controller.signal, ...(signal ? [signal] : [])]);
    const work = (async () => {
      if (expected === 0) {
        return { etag: '' }; // a file of 0 bytes: written whole at completion
      }
      const bytes = await receivePart(body, n, expected, partSignal);
      const crc = batch.checksum ? await partChecksum(bytes) : undefined;
      const upload = await this.multipart(file);
      const etag = await uploadPart(
        this.store,
        upload,
        { n, body: bytes, checksum: crc?.base64 },
        partSignal,
        file.place.uri
      );
      return { etag, crc };
    })();
    this.track(batch, work);
    try {
      const { etag, crc } = await work;
      const before = file.parts.get(n)?.size ?? 0;
      file.parts.set(n, { etag, size: expected, crc });
      batch.ctx.progress.bytes.done += expected - before;
      return { n, received: received(file) };
    } finally {
      file.inFlight.delete(n);
      batch.lastActivity = Date.now();
    }
  }

  /**
   * Write the object from its parts; answers the job.
   *
   * @throws EosError `InvalidRequest` when a part is missing (nothing is
   *   written and the upload stays open); `Conflict` when the target must
   *   not exist and does (the upload is aborted and the file fails).
   */
  async complete(id: string): Promise<Job> {
    const file = this.file(id);
    const { batch } = file;
    if (file.completing) {
      throw new EosError('Conflict', `${file.place.uri} is already being completed`);
    }
    const missing: number[] = [];
    for (let n = 1; n <= file.partCount; n++) {
      if (!file.parts.has(n) || file.inFlight.has(n)) {
        missing.push(n);
      }
    }
    if (missing.length > 0 || received(file) !== file.size) {
      throw new EosError(
        'InvalidRequest',
        `${file.place.uri} is not complete: ${missing.length} of ${file.partCount} parts missing`,
        `missing parts: ${detailLines(missing.map(String), 20).replace(/\n/g, ', ')}`
      );
    }
    file.completing = true;
    batch.lastActivity = Date.now();
    const work = this.write(file);
    this.track(batch, work);
    try {
      await work;
    } catch (err) {
      if (batch.ended) {
        throw err;
      }
      batch.ctx.fail(file.place.uri, err);
      await this.abortFile(file);
      this.settle(file);
      throw err;
    }
    batch.ctx.progress.objects.done++;
    tally(batch.ctx.progress, batch.checksum ? { name: UPLOAD_CRC } : { reason: 'off' });
    this.settle(file);
    return this.jobs.wait(batch.jobId, batch.ended ? SETTLE_MS : 0);
  }

  /** Abort the upload's job: every multipart upload of it is aborted. Answers the job once it has stopped. */
  async abort(id: string): Promise<Job> {
    return this.jobs.cancel(this.file(id).batch.jobId);
  }

  /** The file's multipart upload, created on first use and registered with its job. */
  private multipart(file: FileUpload): Promise<OpenUpload> {
    if (file.creating) {
      return file.creating;
    }
    const { batch, place } = file;
    file.creating = (async () => {
      const upload = await createUpload(
        this.store,
        place,
        { ContentType: contentTypeOf(place.key), Metadata: metadataOf(file) },
        batch.controller.signal,
        batch.checksum
      );
      file.upload = upload;
      file.close = batch.ctx.openUpload(upload);
      return upload;
    })();
    file.creating.catch(() => {
      if (file.upload === undefined) {
        file.creating = undefined;
      }
    });
    return file.creating;
  }

  /** Write the object: complete its multipart upload, or put it whole when it has no bytes. */
  private async write(file: FileUpload): Promise<void> {
    const { place } = file;
    const signal = file.batch.controller.signal;
    // S3 refuses the conditional write itself (412, or 409 while another write of the key
    // runs); a store that ignores `If-None-Match` on completion (moto) is caught by this check.
    if (file.mustNotExist && (await objectExists(this.store, place.bucket, place.key, place.uri, signal))) {
      throw writtenMeanwhile(place.uri);
    }
    try {
      await this.writeObject(file, signal);
    } catch (err) {
      throw isPreconditionFailed(err) || isConditionalConflict(err) ? writtenMeanwhile(place.uri) : err;
    }
    file.close?.();
    file.close = undefined;
  }

  /** Complete the file's multipart upload, or put it whole when it has no bytes. */
  private async writeObject(file: FileUpload, signal: AbortSignal): Promise<void> {
    const { place } = file;
    if (file.size === 0) {
      await this.store.s3(
        { bucket: place.bucket, uri: place.uri },
        abortSignal =>
          this.store.client.send(
            new PutObjectCommand({
              Bucket: place.bucket,
              Key: place.key,
              Body: Buffer.alloc(0),
              ContentLength: 0,
              ContentType: contentTypeOf(place.key),
              Metadata: metadataOf(file),
              IfNoneMatch: file.mustNotExist ? '*' : undefined
            }),
            { abortSignal }
          ),
        { signal }
      );
      return;
    }
    const upload = await this.multipart(file);
    const entries = [...file.parts.entries()].sort(([a], [b]) => a - b);
    const parts = entries.map(([n, p]) => ({
      PartNumber: n,
      ETag: p.etag,
      ...(p.crc && checksumFields(UPLOAD_CRC, p.crc.base64))
    }));
    // Each part starts at its number times the part size: the CRCs combine in that order.
    const pieces = entries.map(([n, p]) => ({
      start: (n - 1) * file.batch.partSize,
      length: p.size,
      crc: p.crc?.crc ?? 0n
    }));
    await completeUpload(this.store, upload, parts, {
      mustNotExist: file.mustNotExist,
      signal,
      uri: place.uri,
      size: file.size,
      checksum: file.batch.checksum ? uploadChecksum(pieces) : undefined
    });
  }

  /** A file is finished (written or failed): forget it, and end the job after its last file. */
  private settle(file: FileUpload): void {
    file.done = true;
    this.files.delete(file.id);
    if (file.batch.files.every(f => f.done)) {
      void this.end(file.batch);
    }
  }

  /**
   * End a batch: stop its parts, abort every multipart upload still open,
   * and end its job (with `error` when given; the job's own cancel otherwise
   * decides its state).
   */
  private async end(batch: Batch, error?: unknown): Promise<void> {
    if (batch.ended) {
      return;
    }
    batch.ended = true;
    clearTimeout(batch.timer);
    batch.controller.abort(error ?? new EosError('Upstream', 'The upload has ended'));
    await Promise.allSettled([...batch.pending]);
    const open = batch.files.filter(f => !f.done);
    await Promise.all(open.map(f => this.abortFile(f)));
    for (const file of open) {
      file.done = true;
      this.files.delete(file.id);
    }
    batch.finish(error);
  }

  /** Abort a file's multipart upload, if it has one (not under any signal: cleanup must happen). */
  private async abortFile(file: FileUpload): Promise<void> {
    const creating = file.creating;
    if (creating) {
      await creating.catch(() => undefined);
    }
    if (file.upload === undefined || file.close === undefined) {
      return;
    }
    const { place } = file;
    try {
      await abortUpload(this.store, file.upload, place.uri);
      file.close();
      file.close = undefined;
    } catch (err) {
      // Left registered on the job: the journal aborts it at the next start.
      file.batch.ctx.fail(place.uri, err);
    }
  }

  /** Keep `work` among the batch's pending calls until it settles. */
  private track(batch: Batch, work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined
    );
    batch.pending.add(settled);
    void settled.then(() => batch.pending.delete(settled));
  }

  /** Abort the batch when nothing has arrived for `idleMs`. */
  private arm(batch: Batch): void {
    const { idleMs } = this.options;
    const check = () => {
      if (batch.ended) {
        return;
      }
      const busy = batch.files.some(f => f.inFlight.size > 0 || f.completing);
      const idle = Date.now() - batch.lastActivity;
      if (!busy && idle >= idleMs) {
        const minutes = idleMs >= 60000 ? `${Math.round(idleMs / 60000)} min` : `${Math.round(idleMs / 1000)} s`;
        void this.end(
          batch,
          new EosError(
            'Upstream',
            `The upload stopped: no part arrived for ${minutes} (was the page closed?); its multipart uploads were aborted`
          )
        );
        return;
      }
      batch.timer = setTimeout(check, busy ? idleMs : idleMs - idle);
      batch.timer.unref?.();
    };
    batch.timer = setTimeout(check, idleMs);
    batch.timer.unref?.();
  }

  private file(id: string): FileUpload {
    const file = this.files.get(id);
    if (file === undefined) {
      throw new EosError(
        'NotFound',
        `No such upload: ${JSON.stringify(id.slice(0, 100))} (completed, aborted or timed out)`
      );
    }
    return file;
  }
}

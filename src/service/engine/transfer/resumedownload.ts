/**
 * Interrupted downloads resume: a download in ranges that fails on a fault,
 * is cancelled or whose service dies keeps its temporary file, recorded in
 * the resume ledger with the object's ETag and the ranges written whole. The
 * next download of the same object to the same file, with the same ETag,
 * size and range size, writes into that file and fetches only the other
 * ranges; anything else removes the old temporary file and starts over.
 */
import * as fs from 'node:fs';
import { partialPath } from '../local/confine';
import { DownloadRecord, ResumeLedger, ResumeRecord } from './resumeledger';
import { keptError, worthKeeping } from './resume';

/** The object a download fetches and the file it writes. */
export interface DownloadTarget {
  bucket: string;
  key: string;
  etag?: string;
  size: number;
  /** Absolute path of the file it becomes. */
  final: string;
  /** The job downloading it (forgetting the job drops what it kept). */
  jobId?: string;
}

/** The temporary file of one download in ranges: new, or the one an interrupted download kept. */
export class DownloadResume {
  private constructor(
    private readonly record: DownloadRecord,
    private readonly ledger: ResumeLedger | undefined,
    /** Whether the temporary file exists already (it holds the ranges of `record.done`). */
    readonly resumed: boolean
  ) {}

  /** The temporary file: a kept one of `target` in ranges of `range` bytes, else a new name. */
  static start(ledger: ResumeLedger | undefined, target: DownloadTarget, range: number): DownloadResume {
    const fresh = (): DownloadRecord => ({
      kind: 'download',
      bucket: target.bucket,
      key: target.key,
      etag: target.etag ?? '',
      size: target.size,
      range,
      final: target.final,
      temp: partialPath(target.final),
      done: []
    });
    if (ledger === undefined || target.etag === undefined) {
      return new DownloadResume(fresh(), undefined, false);
    }
    const jobId = target.jobId ?? '';
    const kept = ledger.take<DownloadRecord>(
      jobId,
      (r): r is ResumeRecord & DownloadRecord =>
        r.kind === 'download' && r.bucket === target.bucket && r.key === target.key && r.final === target.final,
      r => r.etag === target.etag && r.size === target.size && r.range === range && fs.existsSync(r.temp)
    );
    if (kept) {
      return new DownloadResume({ ...kept, done: [...kept.done] }, ledger, true);
    }
    const record = fresh();
    ledger.open(jobId, record);
    return new DownloadResume(record, ledger, false);
  }

  get temp(): string {
    return this.record.temp;
  }

  /** Whether the range starting at `start` is in the file already. */
  has(start: number): boolean {
    return this.record.done.includes(start);
  }

  /** The modification time the first range's GET gave (ms), when it was fetched by an earlier try. */
  get modifiedMs(): number | undefined {
    return this.record.modifiedMs;
  }

  /** The range starting at `start` is written whole (the first one with the file's time, `modifiedMs`). */
  rangeDone(start: number, modifiedMs?: number): void {
    this.record.done.push(start);
    if (start === 0) {
      this.record.modifiedMs = modifiedMs;
    }
    this.ledger?.update({ ...this.record, done: [...this.record.done] });
  }

  /** The file is in place: forget it. */
  completed(): void {
    this.ledger?.forget(this.record);
  }

  /**
   * The download failed with `err`: answers whether its temporary file is
   * kept for a retry (a fault or a cancel, with a ledger; when not, the
   * caller removes it) and the error to throw (saying what is kept).
   */
  failed(err: unknown, signal: AbortSignal): { kept: boolean; error: unknown } {
    if (this.ledger !== undefined && worthKeeping(err, signal) && this.ledger.keep({ ...this.record })) {
      return { kept: true, error: keptError(err, signal, 'the bytes already written are') };
    }
    this.ledger?.forget(this.record);
    return { kept: false, error: err };
  }
}

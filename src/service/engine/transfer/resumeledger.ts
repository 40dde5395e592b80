/**
 * The resume ledger: interrupted transfers kept for a bounded time so that
 * the next attempt continues where this one stopped.
 *
 * An upload from the server's disk that fails on a fault (S3 unreachable, a
 * 5xx), is cancelled, or whose service dies keeps its multipart upload,
 * recorded here with the local file's identity (absolute path, size,
 * modification time) and the part size; a download keeps its temporary file
 * with the ranges already written and the object's ETag. The next transfer of
 * the same file to (or from) the same key takes the record (`resume.ts`,
 * `resumedownload.ts`). A record is dropped, its multipart upload aborted or
 * its temporary file removed, when it is older than `RESUME_KEEP_MS`, when
 * its job is forgotten (dismissed, or pruned), or when the transfer
 * completes. So no multipart upload outlives the bound.
 *
 * With a file (the service's, beside its jobs journal) records survive a
 * restart: written whole (temporary file, rename) on every change, records
 * open in a process that died taken as kept. Without one (the `eos` command,
 * tests) they live in memory and are dropped when the engine closes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OpenUpload } from '../jobs/jobcontext';

/** How long an interrupted transfer is kept for a retry. */
export const RESUME_KEEP_MS = 24 * 60 * 60 * 1000;
/** How often kept records are checked for expiry. */
const SWEEP_MS = 60 * 60 * 1000;
const FORMAT = 1;

/** An interrupted upload from the server's disk: its multipart upload and the file it was reading. */
export interface UploadRecord extends OpenUpload {
  kind: 'upload';
  /** The local file: absolute path, size, modification time (ms). */
  abs: string;
  size: number;
  mtimeMs: number;
  partSize: number;
  /** Created with a full-object checksum (absent in records of older versions: without). */
  checksum?: boolean;
}

/** An interrupted download: its temporary file and the ranges of it already written. */
export interface DownloadRecord {
  kind: 'download';
  bucket: string;
  key: string;
  etag: string;
  size: number;
  /** The size of each range (all but the last). */
  range: number;
  /** The local file it becomes, and the temporary file holding the bytes so far. */
  final: string;
  temp: string;
  /** First bytes of the ranges written whole. */
  done: number[];
  /** The time to give the file (ms), from the first range's GET. */
  modifiedMs?: number;
}

export type ResumeRecord = (UploadRecord | DownloadRecord) & {
  /** The job that holds (or last held) it: forgetting that job drops it. */
  jobId: string;
  /** When it was opened or last kept (ms since the epoch): it expires `RESUME_KEEP_MS` after. */
  at: number;
};

/** What the ledger needs besides its file. */
export interface LedgerOptions {
  /** The ledger's file; null: in memory, dropped on `close`. */
  file: string | null;
  /** Abort a multipart upload (resolves once gone, also when S3 no longer knows it). */
  abortUpload: (upload: OpenUpload) => Promise<void>;
  log: (line: string) => void;
  keepMs?: number;
}

/** The name of a record: an upload by its id, a download by its temporary file. */
function idOf(record: UploadRecord | DownloadRecord): string {
  return record.kind === 'upload' ? `u:${record.uploadId}` : `d:${record.temp}`;
}

/** Interrupted transfers of one service (or one command), kept for a retry. */
export class ResumeLedger {
  private readonly records = new Map<string, ResumeRecord>();
  /** Records a transfer of this process is using now (neither kept nor to be taken). */
  private readonly active = new Set<string>();
  private closed = false;
  private readonly timer: NodeJS.Timeout;
  /** The sweep at start-up (records that expired while no process ran). */
  readonly started: Promise<void>;

  constructor(private readonly options: LedgerOptions) {
    for (const record of this.read()) {
      this.records.set(idOf(record), record);
    }
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref?.();
    this.started = this.sweep();
  }

  /** Whether the ledger keeps this multipart upload (the journal leaves it open after a restart). */
  holds(upload: OpenUpload): boolean {
    return this.records.has(`u:${upload.uploadId}`);
  }

  /** Whether the ledger keeps this download's temporary file (the journal leaves it after a restart). */
  holdsFile(temp: string): boolean {
    return this.records.has(`d:${temp}`);
  }

  /** The kept records (a copy), for tests and the bench. */
  list(): ResumeRecord[] {
    return [...this.records.values()].map(r => ({ ...r }));
  }

  /**
   * Take the kept record `match` finds for a transfer of job `jobId` (it is
   * then this transfer's, open until `keep` or `drop`); records of the same
   * target that do not match are dropped.
   */
  take<T extends UploadRecord | DownloadRecord>(
    jobId: string,
    sameTarget: (r: ResumeRecord) => r is ResumeRecord & T,
    matches: (r: T) => boolean
  ): (T & ResumeRecord) | null {
    let found: (T & ResumeRecord) | null = null;
    for (const [id, record] of this.records) {
      if (this.active.has(id) || !sameTarget(record)) {
        continue;
      }
      if (found === null && matches(record)) {
        found = record;
      } else {
        void this.drop(record);
      }
    }
    if (found === null) {
      return null;
    }
    this.open(jobId, found);
    return this.records.get(idOf(found)) as T & ResumeRecord;
  }

  /** Record a transfer of job `jobId` as under way (kept if the process dies). */
  open(jobId: string, record: UploadRecord | DownloadRecord): void {
    const id = idOf(record);
    this.active.add(id);
    this.records.set(id, { ...record, jobId, at: Date.now() } as ResumeRecord);
    this.write();
  }

  /** Update an open record (a download's ranges written). */
  update(record: UploadRecord | DownloadRecord): void {
    const current = this.records.get(idOf(record));
    if (current !== undefined) {
      this.records.set(idOf(record), { ...current, ...record, jobId: current.jobId, at: current.at } as ResumeRecord);
      this.write();
    }
  }

  /**
   * Keep an open record for a retry; answers false (and forgets it: the
   * caller cleans up) when the ledger is closed and cannot keep it.
   */
  keep(record: UploadRecord | DownloadRecord): boolean {
    const id = idOf(record);
    this.active.delete(id);
    const current = this.records.get(id);
    if (this.closed && this.options.file === null) {
      this.records.delete(id);
      return false;
    }
    this.records.set(id, { ...record, jobId: current?.jobId ?? '', at: Date.now() } as ResumeRecord);
    this.write();
    return true;
  }

  /** Forget a record whose transfer completed or cleaned up after itself. */
  forget(record: UploadRecord | DownloadRecord): void {
    const id = idOf(record);
    this.active.delete(id);
    if (this.records.delete(id)) {
      this.write();
    }
  }

  /** Drop the kept records of forgotten jobs (dismissed, or pruned). */
  dropJobs(ids: readonly string[]): void {
    for (const [id, record] of this.records) {
      if (!this.active.has(id) && ids.includes(record.jobId)) {
        void this.drop(record);
      }
    }
  }

  /** Drop the kept records older than the bound (`now` for tests). */
  async sweep(now = Date.now()): Promise<void> {
    const keepMs = this.options.keepMs ?? RESUME_KEEP_MS;
    const old = [...this.records.entries()].filter(([id, r]) => !this.active.has(id) && now - r.at >= keepMs);
    await Promise.all(old.map(([, r]) => this.drop(r)));
  }

  /**
   * Stop: an in-memory ledger drops what it keeps (nothing may outlive the
   * process unrecorded); a file-backed one leaves its records for the next start.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    if (this.options.file === null) {
      await Promise.all([...this.records.values()].filter(r => !this.active.has(idOf(r))).map(r => this.drop(r)));
    }
  }

  /** Abort a record's multipart upload or remove its temporary file, then forget it (kept when the abort fails). */
  private async drop(record: ResumeRecord): Promise<void> {
    const id = idOf(record);
    this.active.add(id);
    try {
      if (record.kind === 'upload') {
        await this.options.abortUpload(record);
      } else {
        await fs.promises.rm(record.temp, { force: true });
      }
      this.records.delete(id);
    } catch (err) {
      this.options.log(
        `eos-service: could not drop the interrupted transfer of s3://${record.bucket}/${record.key} ` +
          `(kept for the next sweep): ${(err as Error).message}`
      );
    } finally {
      this.active.delete(id);
      this.write();
    }
  }

  private read(): ResumeRecord[] {
    const { file, log } = this.options;
    if (file === null) {
      return [];
    }
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: number; records?: ResumeRecord[] };
      if (data?.version !== FORMAT || !Array.isArray(data.records)) {
        throw new Error(`not a version ${FORMAT} ledger`);
      }
      return data.records.filter(
        r =>
          (r?.kind === 'upload' || r?.kind === 'download') &&
          typeof r.bucket === 'string' &&
          typeof r.key === 'string' &&
          typeof r.at === 'number'
      );
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        log(`eos-service: the resume ledger ${file} is unreadable, ignored: ${(err as Error).message}`);
      }
      return [];
    }
  }

  private write(): void {
    const { file, log } = this.options;
    if (file === null) {
      return;
    }
    const temp = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(temp, JSON.stringify({ version: FORMAT, records: [...this.records.values()] }), {
        mode: 0o600
      });
      fs.renameSync(temp, file);
    } catch (err) {
      log(`eos-service: could not write the resume ledger ${file}: ${(err as Error).message}`);
      fs.rmSync(temp, { force: true });
    }
  }
}

/** The ledger file beside a jobs journal (`jobs-….json` → `resume-….json`). */
export function ledgerFileBeside(journalFile: string): string {
  return path.join(path.dirname(journalFile), path.basename(journalFile).replace(/^jobs-/, 'resume-'));
}

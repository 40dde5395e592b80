/**
 * The jobs journal: every job the service knows, kept in a file so that a
 * restarted service still lists them, marks the ones that were running
 * `interrupted` (retryable when the engine can run their request again),
 * aborts the multipart uploads they had open and removes the temporary files
 * their downloads were writing.
 *
 * The file is JSON, rewritten whole (temporary file, fsync, rename, so a
 * crash leaves the old or the new one, never half of one) at most once per
 * `debounceMs` while jobs change, and once more when the service closes. It
 * holds what the registry keeps (running jobs and the newest finished ones),
 * plus the uploads still to abort. One file per service identity (user,
 * buckets, endpoint, root dir): two Jupyter servers of one user never share one.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EosContext, Job, JobKind } from '../../../core';
import { JobRecord, Jobs, OpenUpload } from './jobs';

/** How long the journal waits after a change before writing (changes meanwhile are written together). */
export const JOURNAL_DEBOUNCE_MS = 1000;
/** The name of a download's temporary file (`partialPath` in local/confine.ts). */
const PARTIAL = /^\..+\.eos-partial-[0-9a-f]{12}$/;
/** The version of the journal's format. */
const FORMAT = 1;

/** What the journal file holds. */
interface JournalData {
  version: number;
  /** Every job of the registry, oldest first. */
  jobs: JobRecord[];
  /** Multipart uploads of earlier runs not yet aborted. */
  orphans: OpenUpload[];
}

/** Start a journaled job's request again as a new job. */
export type Rerun = (kind: JobKind, request: unknown) => Promise<Job>;

/** What the journal needs besides the registry. */
export interface JournalOptions {
  /** The journal file. */
  file: string;
  /** Abort a multipart upload an earlier run left open; resolves when it is gone (also when S3 no longer knows it). */
  abortUpload: (upload: OpenUpload) => Promise<void>;
  /** Whether an open upload is kept for a resume (the resume ledger's): not aborted then. */
  keeps?: (upload: OpenUpload) => boolean;
  /** Whether a download's temporary file is kept for a resume (the resume ledger's): not removed then. */
  keepsFile?: (file: string) => boolean;
  /** Start a journaled job's request again as a new job (`Engine.rerun`); without it restored jobs are not retryable. */
  rerun?: Rerun;
  log: (line: string) => void;
  debounceMs?: number;
}

/** The journal file of one service identity in `stateDir`. */
export function journalFile(stateDir: string, ctx: EosContext, rootDir: string, endpoint?: string): string {
  const identity = [ctx.orgBucket, ctx.gencoveBucket, endpoint ?? '', rootDir].join('\0');
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 16);
  return path.join(stateDir, `jobs-${ctx.userId}-${hash}.json`);
}

/** Keeps a registry's jobs on disk. */
export class Journal {
  private readonly orphans = new Map<string, OpenUpload>();
  /** The state each job was last written with. */
  private readonly states = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private stop: (() => void) | undefined;
  private closed = false;
  /** Whether a file exists (or must be written): an unused service writes nothing. */
  private dirty = false;

  constructor(
    private readonly jobs: Jobs,
    private readonly options: JournalOptions
  ) {}

  /**
   * Read the journal and restore its jobs (synchronously: they are listed at
   * once), then start writing on every change. Resolves once the uploads the
   * journal names as open have been aborted (failures are logged and kept
   * for the next start).
   */
  start(): Promise<void> {
    const data = this.read();
    const { rerun } = this.options;
    const partials: string[] = [];
    for (const record of data?.jobs ?? []) {
      const { kind } = record.job;
      const canRerun = rerun !== undefined && record.request !== undefined && kind !== 'computer-upload';
      const restored = this.jobs.restore(record, canRerun ? () => rerun(kind, record.request) : undefined);
      this.states.set(restored.id, restored.state);
      record.uploads.forEach(u => this.orphans.set(u.uploadId, u));
      partials.push(...(record.partials ?? []));
    }
    data?.orphans.forEach(u => this.orphans.set(u.uploadId, u));
    this.stop = this.jobs.onChange((record, forgotten) => this.changed(record, forgotten));
    if (data) {
      this.dirty = true;
      this.flush();
    }
    this.removePartials(partials);
    return this.abortOrphans();
  }

  /**
   * Remove the temporary files of downloads a killed service was writing
   * (only names a download makes: `.name.eos-partial-<12 hex>`).
   */
  private removePartials(files: string[]): void {
    const ours = files.filter(
      f => typeof f === 'string' && path.isAbsolute(f) && PARTIAL.test(path.basename(f)) && !this.options.keepsFile?.(f)
    );
    let removed = 0;
    for (const file of ours) {
      try {
        fs.rmSync(file);
        removed++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
          this.options.log(`eos-service: could not remove ${file} left by an interrupted download: ${err}`);
        }
      }
    }
    if (removed > 0) {
      this.options.log(`eos-service: removed ${removed} temporary file(s) left by interrupted downloads`);
    }
  }

  /** Write the journal now (when anything changed since the last write). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) {
      return;
    }
    const data: JournalData = { version: FORMAT, jobs: this.jobs.records(), orphans: [...this.orphans.values()] };
    const { file } = this.options;
    const temp = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const fd = fs.openSync(temp, 'w', 0o600);
      try {
        fs.writeFileSync(fd, JSON.stringify(data));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, file);
      this.dirty = false;
    } catch (err) {
      this.options.log(`eos-service: could not write the jobs journal ${file}: ${(err as Error).message}`);
      fs.rmSync(temp, { force: true });
    }
  }

  /** Write what is pending and stop following the registry (the service is stopping). */
  close(): void {
    if (this.closed) {
      return;
    }
    this.flush();
    this.closed = true;
    this.stop?.();
  }

  /**
   * A job started or changed state: write at once (a service killed within
   * the debounce would otherwise lose a job it had just started, and the panel
   * its row). Progress is written debounced.
   */
  private changed(record: JobRecord | null, forgotten?: string[]): void {
    forgotten?.forEach(id => this.states.delete(id));
    if (record !== null && this.states.get(record.job.id) !== record.job.state) {
      this.states.set(record.job.id, record.job.state);
      this.dirty = true;
      if (!this.closed) {
        this.flush();
      }
      return;
    }
    this.schedule();
  }

  private schedule(): void {
    this.dirty = true;
    if (this.timer === undefined && !this.closed) {
      this.timer = setTimeout(() => this.flush(), this.options.debounceMs ?? JOURNAL_DEBOUNCE_MS);
      this.timer.unref?.();
    }
  }

  /** The journal's content; a file that cannot be understood is set aside as `.corrupt` and logged. */
  private read(): JournalData | null {
    const { file, log } = this.options;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        log(`eos-service: could not read the jobs journal ${file}: ${(err as Error).message}`);
      }
      return null;
    }
    try {
      return parseJournal(text);
    } catch (err) {
      const aside = `${file}.corrupt`;
      try {
        fs.renameSync(file, aside);
      } catch {
        // Leave it: the next write replaces it.
      }
      log(`eos-service: the jobs journal ${file} is unreadable (${(err as Error).message}); set aside as ${aside}`);
      return null;
    }
  }

  /** Abort the uploads earlier runs left open, forgetting each once it is gone. */
  private async abortOrphans(): Promise<void> {
    // Uploads the resume ledger keeps are its to abort (when they expire or their job is forgotten).
    for (const upload of this.orphans.values()) {
      if (this.options.keeps?.(upload)) {
        this.orphans.delete(upload.uploadId);
      }
    }
    const uploads = [...this.orphans.values()];
    if (uploads.length === 0) {
      return;
    }
    let aborted = 0;
    await Promise.all(
      uploads.map(async upload => {
        try {
          await this.options.abortUpload(upload);
          this.orphans.delete(upload.uploadId);
          aborted++;
        } catch (err) {
          this.options.log(
            `eos-service: could not abort the multipart upload of s3://${upload.bucket}/${upload.key} ` +
              `left by an interrupted job (kept for the next start): ${(err as Error).message}`
          );
        }
      })
    );
    this.options.log(
      `eos-service: aborted ${aborted} of ${uploads.length} multipart upload(s) left open by interrupted jobs`
    );
    this.schedule();
  }
}

/** A journal's text, checked enough that restoring it cannot fail. */
function parseJournal(text: string): JournalData {
  const data = JSON.parse(text) as Partial<JournalData>;
  const fail = (what: string): never => {
    throw new Error(what);
  };
  if (typeof data !== 'object' || data === null || data.version !== FORMAT) {
    fail(`not a version ${FORMAT} journal`);
  }
  if (!Array.isArray(data.jobs) || !Array.isArray(data.orphans)) {
    fail('no list of jobs');
  }
  const isUpload = (u: OpenUpload) =>
    typeof u === 'object' && u !== null && [u.bucket, u.key, u.uploadId].every(s => typeof s === 'string');
  for (const record of data.jobs!) {
    const job = record?.job;
    if (
      typeof job?.id !== 'string' ||
      typeof job.kind !== 'string' ||
      typeof job.state !== 'string' ||
      !Array.isArray(job.sources) ||
      typeof job.objects !== 'object' ||
      typeof job.bytes !== 'object' ||
      !Array.isArray(record.uploads) ||
      !record.uploads.every(isUpload)
    ) {
      fail('a job record is malformed');
    }
  }
  if (!data.orphans!.every(isUpload)) {
    fail('an upload record is malformed');
  }
  return data as JournalData;
}

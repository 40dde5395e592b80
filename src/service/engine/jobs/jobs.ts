/**
 * The job registry: long operations run here and are observed by id.
 *
 * A job answers at once (the proxy times a request out after 300 s) and
 * reports progress; `wait` lets a client long-poll until it ends. Finished
 * jobs are kept, the oldest dropped beyond a bound.
 */
import { randomBytes } from 'node:crypto';
import { ConflictChoice, ConflictQuestion, EosError, Job } from '../../../core';
import { Entry, Waiting, endRecord, newEntry, newJob, recordOf, restoredJob, showQuestion } from './entry';
import { JobContext, JobInit, JobRecord } from './jobcontext';
import { PROGRESS_TICK_MS, failuresSummary, sampleRate, snapshot } from './record';

// The registry's users import these with `Jobs`.
export type { JobContext, JobInit, JobRecord, OpenUpload } from './jobcontext';
export { failuresSummary } from './record';

/** Finished jobs kept for clients to read. */
export const MAX_FINISHED_JOBS = 200;
/** How long `cancel` waits for a job to stop before answering. */
export const CANCEL_SETTLE_MS = 5000;
/** Item failures kept on a job record. */
export const MAX_FAILURES = 100;

/** Called when a job starts, changes state, asks, is answered, progresses (at most every tick), or is forgotten. */
export type JobListener = (record: JobRecord | null, forgotten?: string[]) => void;

/** Jobs of one service. */
export class Jobs {
  private readonly entries = new Map<string, Entry>();

  /**
   * @param log where failures that are bugs (not `EosError`s) are logged
   * @param maxFinished finished jobs kept
   */
  constructor(
    private readonly log: (line: string) => void = () => undefined,
    private readonly maxFinished: number = MAX_FINISHED_JOBS
  ) {}

  /** Start `work` as a job and return its record at once. */
  start(init: JobInit, work: (ctx: JobContext) => Promise<void>): Job {
    const id = randomBytes(12).toString('hex');
    const job = newJob(id, init);
    const entry = newEntry(job, init.request, init.rerun, [[Date.now(), 0]]);
    this.entries.set(id, entry);
    const ctx = this.context(entry);
    this.notify(entry);
    this.tick();
    entry.done = this.run(entry, ctx, work);
    return snapshot(job);
  }

  /** What the work of `entry` sees: its signal, its record, questions, failures, open uploads. */
  private context(entry: Entry): JobContext {
    const { job, controller } = entry;
    const id = job.id;
    return {
      id,
      signal: controller.signal,
      progress: job,
      ask: question => this.ask(entry, question),
      fail: (item, error) => {
        const failures = (job.failures ??= []);
        if (failures.length < MAX_FAILURES) {
          failures.push({ item, error: this.asApiError(error, id)! });
        }
      },
      openPartial: file => this.hold(entry, entry.partials, file, true),
      openUpload: upload => this.hold(entry, entry.uploads, upload)
    };
  }

  /**
   * Keep `item` in a job's `set` (and so in its record) until the returned
   * function is called. `often` (a temporary file per downloaded file): the
   * changes of one turn of the event loop make one notice at its end, not
   * two per file (each notice serializes the job for every listener).
   */
  private hold<T>(entry: Entry, set: Set<T>, item: T, often = false): () => void {
    const changed = () => (often ? this.notifySoon(entry) : this.notify(entry));
    set.add(item);
    changed();
    return () => {
      if (set.delete(item)) {
        changed();
      }
    };
  }

  /** `notify` at the end of this turn of the event loop (once, however many changes). */
  private notifySoon(entry: Entry): void {
    if (!entry.noticeDue) {
      entry.noticeDue = true;
      setImmediate(() => {
        entry.noticeDue = false;
        if (this.entries.get(entry.job.id) === entry) {
          this.notify(entry);
        }
      });
    }
  }

  /** Run a job's work, then end its record: done, failed or cancelled. */
  private async run(entry: Entry, ctx: JobContext, work: (ctx: JobContext) => Promise<void>): Promise<void> {
    const { job, controller } = entry;
    const id = job.id;
    try {
      await work(ctx);
      if (controller.signal.aborted) {
        job.state = 'cancelled';
      } else if (job.failures?.length) {
        job.state = 'failed';
        job.error = failuresSummary(job.failures);
      } else {
        job.state = 'done';
      }
    } catch (err) {
      if (controller.signal.aborted) {
        job.state = 'cancelled';
      } else {
        job.state = 'failed';
        job.error = this.asApiError(err, id);
      }
    }
    endRecord(entry);
    this.notify(entry);
    this.prune();
  }

  /** Listen to every change of every job; returns the function that stops listening. */
  onChange(listener: JobListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Answer a job's conflict question.
   *
   * @throws EosError `NotFound` for an unknown job; `Conflict` when that question is not waiting (answered, or the job ended).
   */
  answer(id: string, questionId: string, choice: ConflictChoice, applyToAll = false): Job {
    const entry = this.entry(id);
    const index = entry.waiting.findIndex(w => w.question.id === questionId);
    if (index < 0) {
      throw new EosError('Conflict', 'That question is no longer waiting for an answer');
    }
    const answered = applyToAll ? entry.waiting.splice(0) : entry.waiting.splice(index, 1);
    if (applyToAll) {
      entry.always = choice;
    }
    showQuestion(entry);
    for (const waiting of answered) {
      waiting.resolve(choice);
    }
    this.notify(entry);
    return snapshot(entry.job);
  }

  /**
   * Start a failed, cancelled or interrupted job again, as a new job.
   *
   * @throws EosError `NotFound`; `Conflict` when the job is running, done, or cannot be retried.
   */
  async retry(id: string): Promise<Job> {
    const entry = this.entry(id);
    if (!entry.job.retryable || entry.rerun === undefined) {
      throw new EosError('Conflict', `This job cannot be retried (it is ${entry.job.state})`);
    }
    const next = await entry.rerun();
    entry.job.retryable = false;
    entry.job.retriedAs = next.id;
    this.notify(entry);
    return next;
  }

  /** Forget finished jobs: those of `ids`, or all of them. Running jobs stay. */
  clear(ids?: readonly string[]): Job[] {
    const forgotten: string[] = [];
    for (const [id, entry] of this.entries) {
      if (entry.job.state !== 'running' && (ids === undefined || ids.includes(id))) {
        this.entries.delete(id);
        forgotten.push(id);
      }
    }
    if (forgotten.length) {
      this.emit(null, forgotten);
    }
    return this.list();
  }

  /**
   * Add a job read back from the journal (it has no work: a job that was
   * running is `interrupted`); `rerun` makes it retryable.
   */
  restore(record: JobRecord, rerun?: () => Promise<Job>): Job {
    const job = restoredJob(record, rerun);
    const entry = newEntry(job, record.request, rerun, []);
    this.entries.set(job.id, entry);
    this.notify(entry);
    return snapshot(job);
  }

  /** Every job with its request, open uploads and temporary files (for the journal). */
  records(): JobRecord[] {
    return [...this.entries.values()].map(e => recordOf(e));
  }

  /**
   * A job's current record.
   *
   * @throws EosError `NotFound` for an unknown (or forgotten) id.
   */
  get(id: string): Job {
    return snapshot(this.entry(id).job);
  }

  /**
   * The job's record once it has ended, or after `ms` (or when `signal`
   * fires), whichever comes first.
   */
  async wait(id: string, ms: number, signal?: AbortSignal): Promise<Job> {
    const entry = this.entry(id);
    if (entry.job.state === 'running' && ms > 0) {
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      await Promise.race([
        entry.done,
        new Promise<void>(resolve => {
          timer = setTimeout(resolve, ms);
          onAbort = resolve;
          signal?.addEventListener('abort', onAbort, { once: true });
        })
      ]);
      clearTimeout(timer);
      if (onAbort) {
        signal?.removeEventListener('abort', onAbort);
      }
    }
    return snapshot(entry.job);
  }

  /**
   * Cancel a job and answer once it has stopped (or after a few seconds).
   * Cancelling a finished job changes nothing.
   */
  async cancel(id: string): Promise<Job> {
    const entry = this.entry(id);
    if (entry.job.state === 'running') {
      entry.controller.abort(new EosError('Upstream', 'The job was cancelled'));
      return this.wait(id, CANCEL_SETTLE_MS);
    }
    return snapshot(entry.job);
  }

  /** Cancel every running job (the service is stopping). */
  cancelAll(): void {
    for (const entry of this.entries.values()) {
      entry.controller.abort(new EosError('Upstream', 'The service is stopping'));
    }
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** Every job still known, oldest first. */
  list(): Job[] {
    return [...this.entries.values()].map(e => snapshot(e.job));
  }

  private ask(entry: Entry, question: Omit<ConflictQuestion, 'id'>): Promise<ConflictChoice> {
    if (entry.always !== undefined) {
      return Promise.resolve(entry.always);
    }
    if (entry.controller.signal.aborted) {
      return Promise.reject(entry.controller.signal.reason);
    }
    return new Promise<ConflictChoice>((resolve, reject) => {
      const waiting: Waiting = { question: { ...question, id: randomBytes(6).toString('hex') }, resolve, reject };
      entry.waiting.push(waiting);
      const onAbort = () => {
        const i = entry.waiting.indexOf(waiting);
        if (i >= 0) {
          entry.waiting.splice(i, 1);
          showQuestion(entry);
        }
        reject(entry.controller.signal.reason);
      };
      entry.controller.signal.addEventListener('abort', onAbort, { once: true });
      showQuestion(entry);
      this.notify(entry);
    });
  }

  /** Sample running jobs' progress, set rate and ETA, and report what changed. */
  private tick(): void {
    if (this.ticker !== undefined) {
      return;
    }
    this.ticker = setInterval(() => {
      const now = Date.now();
      let running = 0;
      for (const entry of this.entries.values()) {
        if (entry.job.state !== 'running') {
          continue;
        }
        running++;
        sampleRate(entry.job, entry.samples, now);
        this.notify(entry, true);
      }
      if (running === 0) {
        clearInterval(this.ticker);
        this.ticker = undefined;
      }
    }, PROGRESS_TICK_MS);
    this.ticker.unref?.();
  }

  /** Tell listeners about a job; with `ifChanged`, only when its record differs from what they last saw. */
  private notify(entry: Entry, ifChanged = false): void {
    if (this.listeners.size === 0) {
      return;
    }
    const record = recordOf(entry);
    const text = JSON.stringify(record.job) + entry.uploads.size + entry.partials.size;
    if (ifChanged && text === entry.reported) {
      return;
    }
    entry.reported = text;
    this.emit(record);
  }

  private emit(record: JobRecord | null, forgotten?: string[]): void {
    for (const listener of this.listeners) {
      try {
        listener(record, forgotten);
      } catch (err) {
        this.log(
          `eos-service: a job listener failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
        );
      }
    }
  }

  private readonly listeners = new Set<JobListener>();
  private ticker: NodeJS.Timeout | undefined;

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (entry === undefined) {
      throw new EosError('NotFound', `No such job: ${JSON.stringify(id.slice(0, 100))}`);
    }
    return entry;
  }

  /** Drop the oldest finished jobs beyond the bound. */
  private prune(): void {
    let finished = [...this.entries.values()].filter(e => e.job.state !== 'running').length;
    for (const [id, entry] of this.entries) {
      if (finished <= this.maxFinished) {
        break;
      }
      if (entry.job.state !== 'running') {
        this.entries.delete(id);
        this.emit(null, [id]);
        finished--;
      }
    }
  }

  private asApiError(err: unknown, id: string): Job['error'] {
    if (err instanceof EosError) {
      return err.toJSON();
    }
    this.log(
      `eos-service: internal error in job ${id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
    );
    return { code: 'Internal', message: 'Internal error in the EOS service; see the Jupyter server log' };
  }
}

/**
 * The job registry: long operations run here and are observed by id.
 *
 * A job answers at once (the proxy times a request out after 300 s) and
 * reports progress; `wait` lets a client long-poll until it ends. Finished
 * jobs are kept, the oldest dropped beyond a bound.
 */
import { randomBytes } from 'node:crypto';
import { EosError, Job, JobKind } from '../../core';

/** Finished jobs kept for clients to read. */
export const MAX_FINISHED_JOBS = 200;
/** How long `cancel` waits for a job to stop before answering. */
export const CANCEL_SETTLE_MS = 5000;

/** What a job's work sees: its cancel signal and its progress counters. */
export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** The job's live record: update `objects`, `bytes`, `skipped` as work is done. */
  readonly progress: Job;
}

/** What a new job is. */
export interface JobInit {
  kind: JobKind;
  sources: string[];
  destination?: string;
}

interface Entry {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
}

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
    const job: Job = {
      id,
      kind: init.kind,
      state: 'running',
      sources: [...init.sources],
      objects: { done: 0, total: null },
      bytes: { done: 0, total: null },
      skipped: 0,
      started: new Date().toISOString()
    };
    if (init.destination !== undefined) {
      job.destination = init.destination;
    }
    const controller = new AbortController();
    const entry: Entry = { job, controller, done: Promise.resolve() };
    this.entries.set(id, entry);
    entry.done = (async () => {
      try {
        await work({ id, signal: controller.signal, progress: job });
        job.state = controller.signal.aborted ? 'cancelled' : 'done';
      } catch (err) {
        if (controller.signal.aborted) {
          job.state = 'cancelled';
        } else {
          job.state = 'failed';
          job.error = this.asApiError(err, id);
        }
      }
      job.finished = new Date().toISOString();
      this.prune();
    })();
    return snapshot(job);
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
  }

  /** Every job still known, oldest first. */
  list(): Job[] {
    return [...this.entries.values()].map(e => snapshot(e.job));
  }

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

/** A copy of a job's record that later progress does not change. */
function snapshot(job: Job): Job {
  const copy: Job = { ...job, sources: [...job.sources], objects: { ...job.objects }, bytes: { ...job.bytes } };
  if (job.error) {
    copy.error = { ...job.error };
  }
  return copy;
}

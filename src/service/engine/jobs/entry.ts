/**
 * A job as the registry keeps it (`Entry`): its live record, and what only
 * the registry sees of it (its controller, open uploads and temporary files,
 * the questions waiting for an answer, the rate's samples); with the
 * functions that make, end and read an entry.
 */
import { ConflictChoice, ConflictQuestion, EosError, Job } from '../../../core';
import { JobInit, JobRecord, OpenUpload } from './jobcontext';
import { snapshot } from './record';

/** A conflict question the work waits on. */
export interface Waiting {
  question: ConflictQuestion;
  resolve: (choice: ConflictChoice) => void;
  reject: (reason: unknown) => void;
}

/** A job the registry knows: its record, and what its work has open or waits on. */
export interface Entry {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
  request?: unknown;
  rerun?: () => Promise<Job>;
  uploads: Set<OpenUpload>;
  partials: Set<string>;
  waiting: Waiting[];
  /** An answer applied to all later conflicts. */
  always?: ConflictChoice;
  /** (time, bytes done) samples for the rate. */
  samples: [number, number][];
  /** What listeners last saw of the progress. */
  reported: string;
  /** A notice is due at the end of this turn of the loop (`notifySoon`). */
  noticeDue?: boolean;
}

/** The record of a job `init` starts now. */
export function newJob(id: string, init: JobInit): Job {
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
  return job;
}

/** The entry of `job`, with nothing open or waiting yet. */
export function newEntry(
  job: Job,
  request: unknown,
  rerun: (() => Promise<Job>) | undefined,
  samples: [number, number][]
): Entry {
  return {
    job,
    controller: new AbortController(),
    done: Promise.resolve(),
    request,
    rerun,
    uploads: new Set(),
    partials: new Set(),
    waiting: [],
    samples,
    reported: ''
  };
}

/**
 * The record of a job read back from the journal: one that was running is
 * `interrupted`; `rerun` makes it retryable.
 */
export function restoredJob(record: JobRecord, rerun?: () => Promise<Job>): Job {
  const job = { ...record.job };
  if (job.state === 'running') {
    job.state = 'interrupted';
    job.finished ??= new Date().toISOString();
    dropLive(job);
  }
  job.retryable = job.state !== 'done' && rerun !== undefined && !job.retriedAs;
  return job;
}

/** End the record of a job whose work has ended (its state set): questions refused, finished, maybe retryable. */
export function endRecord(entry: Entry): void {
  const { job } = entry;
  for (const waiting of entry.waiting.splice(0)) {
    waiting.reject(new EosError('Upstream', 'The job has ended'));
  }
  dropLive(job);
  job.finished = new Date().toISOString();
  job.retryable = job.state !== 'done' && entry.rerun !== undefined;
}

/** Put the first waiting question on the record. */
export function showQuestion(entry: Entry): void {
  const first = entry.waiting[0];
  if (first) {
    entry.job.question = { ...first.question };
    entry.job.questions = entry.waiting.length;
  } else {
    delete entry.job.question;
    delete entry.job.questions;
  }
}

/** The entry as the journal and the listeners see it: copies of the record and of what the job has open. */
export function recordOf(entry: Entry): JobRecord {
  const uploads = [...entry.uploads].map(u => ({ ...u }));
  const partials = entry.partials.size ? { partials: [...entry.partials] } : {};
  return { job: snapshot(entry.job), request: entry.request, uploads, ...partials };
}

/** Drop what only a running job shows: its question, rate and ETA. */
function dropLive(job: Job): void {
  delete job.question;
  delete job.questions;
  delete job.rate;
  delete job.eta;
}

/**
 * The contract between the job registry and the work it runs: what starts a
 * job (`JobInit`), what the work sees (`JobContext`), and what the journal
 * keeps of a job (`JobRecord`, with its open multipart uploads).
 */
import { ConflictChoice, ConflictQuestion, Job, JobKind } from '../../../core';

/** A multipart upload a job has open: aborted if the service dies before it ends (see the journal). */
export interface OpenUpload {
  bucket: string;
  key: string;
  uploadId: string;
}

/** A job as the journal keeps it: the record, what it was asked, and its open multipart uploads. */
export interface JobRecord {
  job: Job;
  /** The request that started it (to retry it after a restart); JSON. */
  request?: unknown;
  uploads: OpenUpload[];
  /** Temporary files of downloads being written (absolute): removed if the service dies before they end. */
  partials?: string[];
}

/** What a job's work sees: its cancel signal and its progress counters. */
export interface JobContext {
  readonly id: string;
  readonly signal: AbortSignal;
  /** The job's live record: update `objects`, `bytes`, `skipped`, `current` as work is done. */
  readonly progress: Job;
  /**
   * Ask the user what to do with a target that exists. Resolves with the
   * answer (at once when an earlier answer was applied to all); rejects when
   * the job is cancelled. Other items may go on meanwhile.
   */
  ask(question: Omit<ConflictQuestion, 'id'>): Promise<ConflictChoice>;
  /** Record that one item failed; the job goes on and ends `failed`. */
  fail(item: string, error: unknown): void;
  /** Record a multipart upload the job opened; call the returned function once it is completed or aborted. */
  openUpload(upload: OpenUpload): () => void;
  /** Record a temporary file the job writes (absolute); call the returned function once it is placed or removed. */
  openPartial?(file: string): () => void;
}

/** What a new job is. */
export interface JobInit {
  kind: JobKind;
  sources: string[];
  destination?: string;
  /** The request, kept in the journal so that the job can be retried after a restart. */
  request?: unknown;
  /** Start the same work again as a new job (makes the job retryable once it fails or is cancelled). */
  rerun?: () => Promise<Job>;
}

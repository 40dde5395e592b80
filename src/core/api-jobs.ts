/**
 * The API of jobs: what a job is (kind, state, progress, questions,
 * failures), the conflict policies and answers, and the requests of
 * `api/job`, `api/jobs` and their actions (their entries are in `ApiRoutes`, `./api`).
 */
import { ApiError } from './errors';

/**
 * What to do when a target already exists: `fail` refuses the whole request
 * up front (`Conflict`); `ask` puts a question on the job and waits for
 * `api/job/answer` (that item waits, the others go on); `keep-both` writes
 * beside it under a free name (`name (1).ext`).
 */
export type ConflictPolicy = 'fail' | 'ask' | 'overwrite' | 'skip' | 'keep-both';
/** An answer to a conflict question. */
export type ConflictChoice = 'overwrite' | 'skip' | 'keep-both';

/**
 * `upload`: server disk -> EOS; `download`: EOS -> server disk; `sync`: either
 * way, or EOS -> EOS (server-side), by size and modification time;
 * `computer-upload`: files from the user's computer, sent in parts through
 * `api/uploads`.
 */
export type JobKind =
  | 'delete'
  | 'copy'
  | 'move'
  | 'upload'
  | 'download'
  | 'sync'
  | 'computer-upload'
  // `offload`: "Move to EOS" of the disk gauge: upload, verify, then delete the local copy
  | 'offload'
  // `import`: files from http(s) URLs streamed into EOS (`api/import`, `eos cp URL e://…`)
  | 'import';
/** `interrupted`: the service stopped while it ran (found so in the journal at start-up); retryable. */
export type JobState = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
/**
 * A named phase of a running job that moves no bytes the bar can show
 * (`verifying`: reading the uploaded objects back before deleting the local
 * files). Without it, the frontend names the phase from the counters.
 */
export type JobPhase = 'verifying';
/** A target that exists, waiting for the user's choice. */
export interface ConflictQuestion {
  /** Pass back to `api/job/answer`. */
  id: string;
  /** What would be written over: an `e://` URI or a local path relative to the Jupyter root. */
  target: string;
  /** What would be written there. */
  source: string;
  sourceSize?: number;
  targetSize?: number;
  /** ISO 8601. */
  sourceModified?: string;
  targetModified?: string;
}
/** One item that failed while the job went on. */
export interface JobFailure {
  /** The item: an `e://` URI or a local path relative to the Jupyter root. */
  item: string;
  error: ApiError;
}

/**
 * Why a file was written without its checksum checked end to end:
 * `no-checksum` the object has none stored (written by a client that sent
 * none, to a store that computes none); `composite` it has a checksum of its
 * parts' checksums (a multipart upload by another client), not of its bytes;
 * `algorithm` its checksum is of an algorithm not computed here (SHA-1,
 * SHA-256); `off` verification is turned off (`verifyChecksums`).
 */
export type UnverifiedReason = 'no-checksum' | 'composite' | 'algorithm' | 'off';

/**
 * How a job's files were checked: each upload sends S3 the full-object CRC
 * of the bytes as they are read (S3 refuses the object when its own
 * differs); each download computes the CRC of the bytes as they are written
 * and compares it with the one S3 stores.
 */
export interface JobIntegrity {
  /** Files whose checksum matched, by algorithm in lower case (`crc64nvme`). */
  verified: Record<string, number>;
  /** Files written without that check, by reason. */
  unverified: Partial<Record<UnverifiedReason, number>>;
}

/**
 * A job's integrity, summed up for a label: every written file verified
 * with one algorithm (`all`), none for one reason (`none`), else the counts
 * of each (`mixed`); null before any file was written.
 */
export type IntegritySummary =
  | { kind: 'all'; name: string }
  | { kind: 'none'; reason: UnverifiedReason }
  | { kind: 'mixed'; verified: [string, number][]; unverified: [UnverifiedReason, number][] };

/** Sum up `job.integrity` against the files it wrote (see `IntegritySummary`). */
export function summarizeIntegrity(job: Pick<Job, 'integrity' | 'objects'>): IntegritySummary | null {
  const integrity = job.integrity;
  if (integrity === undefined) {
    return null;
  }
  const verified = Object.entries(integrity.verified).filter(([, n]) => n > 0);
  const unverified = (Object.entries(integrity.unverified) as [UnverifiedReason, number][]).filter(([, n]) => n > 0);
  const files = job.objects.done;
  if (unverified.length === 0 && verified.length === 1 && verified[0][1] === files) {
    return { kind: 'all', name: verified[0][0] };
  }
  if (verified.length === 0 && unverified.length === 1 && unverified[0][1] === files) {
    return { kind: 'none', reason: unverified[0][0] };
  }
  return { kind: 'mixed', verified, unverified };
}

/** A long-running operation in the service; poll `api/job` for its progress. */
export interface Job {
  id: string;
  kind: JobKind;
  state: JobState;
  /** The URIs acted on. */
  sources: string[];
  destination?: string;
  /** Objects done so far, and the total once known (null while counting). */
  objects: { done: number; total: number | null };
  bytes: { done: number; total: number | null };
  /** Targets skipped because they existed (`conflict: 'skip'`). */
  skipped: number;
  /** ISO 8601. */
  started: string;
  finished?: string;
  /** Why a `failed` job failed. */
  error?: ApiError;
  /** Bytes per second over the last few seconds (running jobs). */
  rate?: number;
  /** Seconds left at that rate, once the byte total is known. */
  eta?: number;
  /** The item being worked on (the last one started). */
  current?: string;
  /** A phase the counters cannot tell (see `JobPhase`). */
  phase?: JobPhase;
  /** The first conflict waiting for an answer; `questions` says how many wait. */
  question?: ConflictQuestion;
  questions?: number;
  /** Items that failed (at most the first 100); the job fails when any did. */
  failures?: JobFailure[];
  /** How the files written were checked (uploads and downloads), once one was. */
  integrity?: JobIntegrity;
  /** Whether `api/job/retry` can run it again (failed, cancelled and interrupted jobs). */
  retryable?: boolean;
  /** The id of the job a retry started. */
  retriedAs?: string;
}

/** `GET api/job?id=&wait=`: with `wait` (ms), answer when the job ends or the wait runs out. */
export interface JobQuery {
  id: string;
  wait?: number;
}

/** `POST api/job/cancel {id}` */
export interface CancelJobRequest {
  id: string;
}

/** `GET api/jobs`: every job the service knows, oldest first (also after a restart: the journal). */
export interface JobsResponse {
  jobs: Job[];
}
/** `POST api/job/answer`: the user's choice for a conflict question. */
export interface AnswerJobRequest {
  id: string;
  question: string;
  choice: ConflictChoice;
  /** Use the same choice for every later conflict of this job. */
  applyToAll?: boolean;
}
/** `POST api/job/retry {id}`: run a failed, cancelled or interrupted job again; answers the new job. */
export interface RetryJobRequest {
  id: string;
}
/** `POST api/jobs/clear {ids?}`: forget finished jobs (all finished ones without `ids`). */
export interface ClearJobsRequest {
  ids?: string[];
}

/**
 * The engine: everything the service does to S3 beyond browsing, with no
 * HTTP in it. The HTTP routes and a command line are two front doors onto it.
 */
import {
  COUNT_LIMIT,
  CountResponse,
  DeleteRequest,
  Entry,
  EosError,
  ImportRequest,
  Job,
  JobKind,
  LocalDeleteRequest,
  LocalDeleteResponse,
  MAX_SINGLE_COPY,
  OffloadRequest,
  SyncPlan,
  SyncRequest,
  TransferRequest,
  UPLOAD_IDLE_MS
} from '../../core';
import { EosStore } from './s3/store';
import { ComputerUploads } from './transfer/computer';
import { CopyRerun, startCopy } from './ops/copy';
import { CopyOptions } from './s3/servercopy';
import { countUris } from './ops/count';
import { startDelete } from './ops/delete';
import { startDownload } from './transfer/download';
import { Jobs, MAX_FINISHED_JOBS } from './jobs/jobs';
import { mkdir } from './ops/mkdir';
import { lenderOf } from './s3/lentwire';
import { DownloadThreads, GetWorkers } from './transfer/threads';
import { DEFAULT_TRANSFER_OPTIONS, NamedTransferRequest, TransferOptions } from './transfer/run';
import { startUpload } from './transfer/upload';
import { startSync } from './transfer/sync';
import { startImport } from './transfer/fromurl';
import { planSync, syncSides } from './transfer/syncplan';
import { Checkpoints } from './read/checkpoints';
import { DiskMonitor } from './local/disk';
import { deleteLocal } from './local/deletelocal';
import { startOffload } from './transfer/offload';
import { ResumeLedger } from './transfer/resumeledger';
import { abortUpload } from './s3/multipart';

export { Jobs, failuresSummary } from './jobs/jobs';
export { readHead } from './read/peek';
export type { HeadOptions } from './read/peek';
export { NotGzipError, ObjectReader, readObject } from './read/objectreader';
export type { ObjectReaderOptions, ReadOptions } from './read/objectreader';
export { readContent, saveContent } from './read/content';
export type { JobContext, JobInit } from './jobs/jobs';
export { parseImportUrl } from './transfer/fromurl';

/** Engine tuning; tests shrink the multipart threshold to reach that path. */
export interface EngineOptions extends Omit<TransferOptions, 'rootDir' | 'disk' | 'ledger'> {
  /** The Jupyter root (a realpath): every local path of a transfer is confined to it. */
  rootDir: string;
  /** Above this many bytes an object is copied in parts (default MAX_SINGLE_COPY, 5 GiB). */
  multipartThreshold: number;
  /** Preferred part size of a multipart copy (default 512 MiB; at least 5 MiB). */
  copyPartSize: number;
  /** Objects copied at once (default 8). */
  copyConcurrency: number;
  /** Finished jobs kept (default MAX_FINISHED_JOBS). */
  maxFinishedJobs: number;
  /** A computer upload receiving no part for this long is aborted (default UPLOAD_IDLE_MS). */
  uploadIdleMs: number;
  /** The most objects `count` counts before it answers `more` (default COUNT_LIMIT). */
  countLimit: number;
  /** Where bugs in jobs are logged. */
  log: (line: string) => void;
  /** The disk of the root (default: one in `auto` mode over `statfs`); downloads check their space with it. */
  disk?: DiskMonitor;
  /**
   * Run downloads' GETs and uploads' PUTs on worker threads of this bundle
   * (`downloadThreadsBeside`), which sign with what the store's client lends them
   * (s3/lentwire.ts); without it, on this thread.
   */
  downloadThreads?: DownloadThreads;
  /**
   * Keep interrupted transfers for a retry (`resumeledger.ts`): in `file`
   * (null: in memory, dropped when the engine closes), for `keepMs`
   * (default RESUME_KEEP_MS). Without it a failed transfer cleans up at once.
   */
  resume?: { file: string | null; keepMs?: number };
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  ...DEFAULT_TRANSFER_OPTIONS,
  rootDir: process.cwd(),
  multipartThreshold: MAX_SINGLE_COPY,
  copyPartSize: 512 * 1024 * 1024,
  copyConcurrency: 8,
  maxFinishedJobs: MAX_FINISHED_JOBS,
  uploadIdleMs: UPLOAD_IDLE_MS,
  countLimit: COUNT_LIMIT,
  log: () => undefined
};

/** The operations on EOS, and the jobs running them. */
export class Engine {
  readonly jobs: Jobs;
  readonly options: EngineOptions;
  /** Uploads from the user's computer, part by part. */
  readonly uploads: ComputerUploads;
  /** Checkpoints of documents opened from EOS, in memory. */
  readonly checkpoints: Checkpoints;
  /** The Jupyter root's disk: figures, largest items, the space check of downloads. */
  readonly disk: DiskMonitor;
  /** Interrupted transfers kept for a retry (with the `resume` option). */
  readonly ledger?: ResumeLedger;

  constructor(
    readonly store: EosStore,
    options: Partial<EngineOptions> = {}
  ) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
    this.disk = this.options.disk ?? new DiskMonitor({ rootDir: this.options.rootDir, statfs: this.options.statfs });
    this.options.disk = this.disk;
    this.jobs = new Jobs(this.options.log, this.options.maxFinishedJobs);
    if (this.options.resume) {
      const { file, keepMs } = this.options.resume;
      const ledger = new ResumeLedger({ file, keepMs, log: this.options.log, abortUpload: u => abortUpload(store, u) });
      this.jobs.onChange((_, forgotten) => forgotten && ledger.dropJobs(forgotten));
      this.ledger = ledger;
    }
    this.uploads = new ComputerUploads(store, this.jobs, {
      idleMs: this.options.uploadIdleMs,
      checksum: this.options.verifyChecksums !== false
    });
    this.checkpoints = new Checkpoints(store);
    if (this.options.downloadThreads && !this.options.getThreads) {
      // The threads sign with what the store's client resolves (its provider, whichever it is).
      const s3 = { label: store.endpoint, lender: lenderOf(store.client) };
      this.options.getThreads = new GetWorkers(this.options.downloadThreads, s3);
    }
  }

  /** Stop the download threads (the jobs are cancelled by their owner). */
  async close(): Promise<void> {
    await this.ledger?.close();
    await this.options.getThreads?.close();
  }

  /** Objects, bytes and folders under the URIs, up to `countLimit` objects. */
  count(uris: string[], signal?: AbortSignal): Promise<CountResponse> {
    return countUris(this.store, uris, signal, this.options.countLimit);
  }

  /** Create a folder marker. */
  mkdir(uri: string, signal?: AbortSignal): Promise<Entry> {
    return mkdir(this.store, uri, signal);
  }

  /** Check a delete, then start it as a job. */
  delete(request: DeleteRequest, signal?: AbortSignal): Promise<Job> {
    return startDelete(this.store, this.jobs, request, () => this.delete(request), signal);
  }

  /**
   * Check a copy or move, then start it as a job; a retry (`since`, set by
   * the first run) copies only what is not copied yet.
   */
  copy(request: CopyRerun, signal?: AbortSignal): Promise<Job> {
    const stream = { partSize: this.options.partSize, partsInFlight: this.options.partsInFlight };
    const rerun = (again: CopyRerun) => this.copy(again);
    return startCopy(this.store, this.jobs, request, { ...this.copyOptions(), stream }, rerun, signal);
  }

  /** How server-side copies are made (copies, moves, EOS -> EOS syncs). */
  private copyOptions(): CopyOptions {
    const { multipartThreshold, copyPartSize: partSize, copyConcurrency: concurrency } = this.options;
    return { multipartThreshold, partSize, concurrency };
  }

  /**
   * Check a transfer between the server's disk and EOS, then start it as a
   * job. Refusals come first: read-only destinations and local paths outside
   * the root before any S3 call; then missing sources and (policy `fail`)
   * existing targets; a download also checks the free space.
   */
  transfer(request: NamedTransferRequest, signal?: AbortSignal): Promise<Job> {
    const options: TransferOptions = { ...this.options, ledger: this.ledger };
    const rerun = () => this.transfer(request);
    if (request.kind === 'upload') {
      return startUpload(this.store, this.jobs, request, options, rerun, signal);
    }
    return startDownload(this.store, this.jobs, request, options, rerun, signal);
  }

  /**
   * "Move to EOS": upload local files or folders to the same relative path
   * under an `e://` folder, verify each object, then delete the local copy.
   */
  offload(request: OffloadRequest, signal?: AbortSignal): Promise<Job> {
    const options = { ...this.options, disk: this.disk, ledger: this.ledger };
    return startOffload(this.store, this.jobs, request, options, () => this.offload(request), signal);
  }

  /** Check an import from http(s) URLs into an `e://` folder, then start it as a job (nothing touches the local disk). */
  importUrls(request: ImportRequest): Promise<Job> {
    return startImport(this.store, this.jobs, request, this.options, () => this.importUrls(request));
  }

  /** Delete local files or folders of the root; answers the bytes freed. */
  deleteLocal(request: LocalDeleteRequest): Promise<LocalDeleteResponse> {
    return deleteLocal(this.options.rootDir, request, this.disk);
  }

  /**
   * What a sync would copy and delete, computed without changing anything;
   * with `limit`, refused (`PayloadTooLarge`) when a side holds more files.
   */
  async syncPlan(request: SyncRequest, signal?: AbortSignal, limit?: number): Promise<SyncPlan> {
    const sides = await syncSides(this.store, this.options.rootDir, request);
    return (await planSync(this.store, this.options.rootDir, sides, request, signal, limit)).plan;
  }

  /** Check a sync, then run it (its plan computed afresh) as one job. */
  sync(request: SyncRequest, signal?: AbortSignal): Promise<Job> {
    const options = { ...this.options, copy: this.copyOptions(), ledger: this.ledger };
    return startSync(this.store, this.jobs, request, options, () => this.sync(request), signal);
  }

  /**
   * Start a job's request again (retry, also after a restart from the
   * journal's `request`).
   *
   * @throws EosError `InvalidRequest` for a kind that cannot be rerun from its request
   */
  rerun(kind: JobKind, request: unknown): Promise<Job> {
    switch (kind) {
      case 'upload':
      case 'download':
        return this.transfer(request as TransferRequest);
      case 'sync':
        return this.sync(request as SyncRequest);
      case 'offload':
        return this.offload(request as OffloadRequest);
      case 'import':
        return this.importUrls(request as ImportRequest);
      case 'delete':
        return this.delete(request as DeleteRequest);
      case 'copy':
      case 'move':
        return this.copy(request as CopyRerun);
      default:
        throw new EosError('InvalidRequest', `A ${kind} job cannot be started again from its request`);
    }
  }
}

// What the front doors (http/, cli/) use besides the Engine: the one way in.
export { ConfigError, loadConfig, parseArgs } from './config';
export type { Env, ServiceConfig, TransferFigures } from './config';
export { Journal, journalFile } from './jobs/journal';
export { ResumeLedger, ledgerFileBeside } from './transfer/resumeledger';
export type { Rerun } from './jobs/journal';
export { isInside, localError, resolveLocal } from './local/confine';
export { DiskMonitor, diskMonitorOf } from './local/disk';
export { previewCopy, previewDelete, previewTransfer } from './ops/preview';
export type { PreviewItem } from './ops/preview';
export { advertise, findPeers, forgetIfGone } from './peers';
export { checkSave, megabytes } from './read/content';
export { Changes } from './s3/changes';
export { createS3Client, endpointLabel } from './s3/client';
export { abortUpload } from './s3/multipart';
export { finishBackgroundAborts } from './s3/background';
export type { UnfinishedAbort } from './s3/background';
export { refuseChange } from './s3/places';
export { presign } from './s3/presign';
export { EosStore } from './s3/store';
export type { NamedTransferRequest, TransferFilter } from './transfer/run';
export { GET_WORKER_BUNDLE, downloadFigures, downloadSetup, downloadThreadsBeside } from './transfer/threads';
export type { DownloadThreads } from './transfer/threads';
export { SERVICE_NAME, VERSION } from './version';

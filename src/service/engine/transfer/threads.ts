/**
 * Transfer threads: GETs of downloads run in worker threads, writing
 * straight into the files; so do uploads' PUTs, each reading its part from
 * the file, hashing and sending it (partput.ts). The threads load no SDK
 * client: the service's thread lends them each bucket's route and the
 * credentials its client resolves, which they ask for again as they near
 * their expiry (s3/lentwire.ts). Reading HTTP bodies costs
 * CPU per byte on the thread that reads them; on one thread a folder of small
 * files or a big file is bound by that thread, while the machine has more
 * cores. The service's own thread only plans, counts and places files, so it
 * stays free to answer the browser during a 100 GB download.
 *
 * The threads run a separate bundle (`eos-get-worker.cjs`, built from
 * `thread.ts`) found beside the service's; where it is missing (tests run
 * from source) downloads run on the main thread as before.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { EosError, isErrorCode } from '../../../core';
import { RangeTask } from './getrange';
import type { PartResult, PartTask } from './partput';
import { S3Error } from '../s3/errors';
import type { Lender } from '../s3/lentwire';
import { aborted } from '../jobs/pool';
import { dirLockTable, giveBackAll } from './dirlock';
import { Ask, FromWorker, GetResult, GetWorkerData, LendFailure, Outbox, RangeFile, ToWorker } from './threadmessages';

export * from './threadmessages';

/** The bundle's file name beside the service's and the command line's. */
export const GET_WORKER_BUNDLE = 'eos-get-worker.cjs';

/** Threads with nothing to do for this long are stopped (memory back); new ones start on the next download. */
const IDLE_MS = 30000;

/**
 * A thread's young generation, in MB. Each socket read is a new 64 KiB
 * buffer; a small young generation collects them within a few megabytes, so
 * their memory is reused at once instead of piling up until a full
 * collection. Measured with two threads (versitygw on loopback): a 1 GiB
 * download peaked at 220-240 MB RSS and took 1.7 s with 2 MB, 285-300 MB and
 * 2.1 s with 4 MB; a 1,000-file download used a quarter less CPU than with
 * V8's default.
 */
const YOUNG_GENERATION_MB = 2;

/** How the threads reach S3: what the service's client lends them. */
export interface WorkerS3 {
  /** The label of the endpoint in error messages. */
  label: string;
  /** Each bucket's route and the client's credentials, as the threads ask for them. */
  lender: Lender;
}

/** The download threads' settings: their bundle and how many. */
export interface DownloadThreads {
  script: string;
  threads: number;
}

/**
 * The download threads of a bundle in `dir` (the service's or the command
 * line's folder), one per core unless `threads` says; undefined when that
 * folder has no worker bundle, or for 0 threads.
 */
export function downloadThreadsBeside(dir: string, threads?: number): DownloadThreads | undefined {
  const script = path.join(dir, GET_WORKER_BUNDLE);
  if (threads === 0 || !existsSync(script)) {
    return undefined;
  }
  return { script, threads: threads ?? availableParallelism() };
}

/** How transfers run on this machine. */
export interface DownloadFigures {
  /** Transfer threads (0: GETs and PUTs on the calling thread). */
  threads: number;
  /** Files in flight at first. */
  filesInFlight: number;
  /** The most files in flight: a download raises its figure toward this while its rate grows (`InFlight`). */
  maxFilesInFlight: number;
  rangesInFlight: number;
  /** Parts of one upload in flight. */
  partsInFlight: number;
}

/** The most files in flight on the threads (s5cmd's workers), and on the main thread (which the CPU bounds first). */
export const MAX_FILES_IN_FLIGHT = { threads: 256, main: 64 };

/**
 * The figures transfers run with: one thread per core (each reads its
 * sockets and writes its files, or reads, hashes and sends its parts),
 * ranges of a big download and parts of a big upload in flight twice the
 * threads, at least 8 (each connection to S3 gives ~90 MB/s: in the
 * realistic bench a 2 GiB download took 7.5 s with 4 ranges and 4.8 s with
 * 8, an upload 13.3 s with 4 parts and 10.2 s with 8; on loopback about the
 * same either way), and files in flight from 8 per thread (16 to 64) up to
 * `MAX_FILES_IN_FLIGHT`, as far as the rate grows: small files on a network
 * with tens of milliseconds to the first byte are bound by how many are
 * asked at once, on loopback by the CPU. Each figure `given` wins (files in
 * flight given: that many, fixed).
 */
export function downloadFigures(
  given: Partial<Omit<DownloadFigures, 'maxFilesInFlight'>> = {},
  cores: number = availableParallelism()
): DownloadFigures {
  const threads = given.threads ?? cores;
  const start = given.filesInFlight ?? Math.min(64, Math.max(16, 8 * threads));
  const max = given.filesInFlight ?? (threads > 0 ? MAX_FILES_IN_FLIGHT.threads : MAX_FILES_IN_FLIGHT.main);
  return {
    threads,
    filesInFlight: start,
    maxFilesInFlight: max,
    rangesInFlight: given.rangesInFlight ?? Math.max(8, 2 * threads),
    partsInFlight: given.partsInFlight ?? Math.max(8, 2 * threads)
  };
}

/** What the engine takes for downloads beside `dir`'s bundle, with the figures `given` (the start line says them). */
export function downloadSetup(
  dir: string,
  given?: Partial<Omit<DownloadFigures, 'maxFilesInFlight'>>
): {
  downloadThreads?: DownloadThreads;
  filesInFlight: number;
  maxFilesInFlight: number;
  rangesInFlight: number;
  partsInFlight: number;
} {
  const { threads, ...figures } = downloadFigures(given);
  return { downloadThreads: downloadThreadsBeside(dir, threads), ...figures };
}

interface Pending {
  onBytes: (n: number) => void;
  resolve: (r: GetResult | PartResult) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

interface Slot {
  worker: Worker;
  outbox: Outbox<ToWorker>;
  pending: Map<number, Pending>;
  /** The thread has loaded its bundle (about 0.2 s after it starts). */
  ready: boolean;
}

/** Ranged GETs into files, spread over worker threads. */
export class GetWorkers {
  /** Threads started so far. */
  started = 0;
  /** GETs sent to the threads so far. */
  fetched = 0;
  /** PUTs (of uploads) sent to the threads so far. */
  sent = 0;
  /** Routes and credentials the threads asked for so far. */
  lent = 0;
  private slots: Slot[] = [];
  private dirLocks = dirLockTable();
  private nextId = 1;
  private idle: NodeJS.Timeout | null = null;
  /** Callers of `whenReady`. */
  private waiting: (() => void)[] = [];

  constructor(
    readonly threads: DownloadThreads,
    readonly s3: WorkerS3
  ) {}

  /**
   * Start every thread in the background, if none runs. A download calls
   * this first and sends its GETs to the threads once one is `ready`, so a
   * single small file does not wait for a thread to start.
   */
  warm(): void {
    if (this.slots.length > 0) {
      return;
    }
    while (this.slots.length < Math.max(1, this.threads.threads)) {
      this.start();
    }
    this.startIdleTimer();
  }

  /** Whether a thread is ready for GETs. */
  ready(): boolean {
    return this.slots.some(s => s.ready);
  }

  /**
   * Start the threads and wait until one is ready, or none is left (a thread
   * that cannot start): then `ready()` says whether GETs can go to them.
   */
  async whenReady(): Promise<void> {
    this.warm();
    if (!this.ready() && this.slots.length > 0) {
      await new Promise<void>(resolve => this.waiting.push(resolve));
    }
  }

  /** GET `task` into `file` on the least busy thread; `onBytes` hears the bytes written. */
  fetch(task: RangeTask, file: RangeFile, onBytes: (n: number) => void, signal: AbortSignal): Promise<GetResult> {
    this.fetched++;
    return this.run(id => ({ type: 'get', id, task, file }), onBytes, signal) as Promise<GetResult>;
  }

  /** Read and PUT `task` (partput.ts) on the least busy thread. */
  put(task: PartTask, signal: AbortSignal): Promise<PartResult> {
    this.sent++;
    return this.run(
      id => ({ type: 'put', id, task }),
      () => undefined,
      signal
    ) as Promise<PartResult>;
  }

  private run(
    message: (id: number) => ToWorker,
    onBytes: (n: number) => void,
    signal: AbortSignal
  ): Promise<GetResult | PartResult> {
    if (signal.aborted) {
      return Promise.reject(aborted(signal));
    }
    const slot = this.slot();
    const id = this.nextId++;
    this.stopIdleTimer();
    return new Promise<GetResult | PartResult>((resolve, reject) => {
      const onAbort = () => slot.outbox.send({ type: 'abort', id });
      signal.addEventListener('abort', onAbort, { once: true });
      slot.pending.set(id, { onBytes, resolve, reject, signal, onAbort });
      slot.worker.ref();
      slot.outbox.send(message(id));
    });
  }

  /** Stop every thread (their GETs fail). */
  async close(): Promise<void> {
    this.stopIdleTimer();
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map(s => s.worker.terminate()));
  }

  /** The thread with the fewest GETs, starting one while there are fewer than allowed. */
  private slot(): Slot {
    const ready = this.slots.filter(s => s.ready);
    const free = ready.find(s => s.pending.size === 0);
    if (free) {
      return free;
    }
    if (this.slots.length < Math.max(1, this.threads.threads)) {
      return this.start();
    }
    // Messages to a thread still starting wait for it.
    const candidates = ready.length > 0 ? ready : this.slots;
    return candidates.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private start(): Slot {
    // Threads started together share their folder locks; a set started anew, a new table (none held).
    if (this.slots.length === 0) {
      this.dirLocks = dirLockTable();
    }
    const workerData: GetWorkerData = { role: 'eos-get', label: this.s3.label, dirLocks: this.dirLocks };
    const worker = new Worker(this.threads.script, {
      workerData,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB }
    });
    const slot: Slot = {
      worker,
      outbox: new Outbox(batch => worker.postMessage(batch)),
      pending: new Map(),
      ready: false
    };
    worker.on('message', (batch: FromWorker[]) => batch.forEach(m => this.heard(slot, m)));
    const table = this.dirLocks;
    const holder = worker.threadId; // -1 once the thread has exited
    const lost = (why: string) => {
      // Its folder locks are free again for the threads left.
      giveBackAll(table, holder);
      this.slots = this.slots.filter(s => s !== slot);
      if (this.slots.length === 0) {
        this.wake();
      }
      for (const [id, p] of slot.pending) {
        this.settle(slot, id, p);
        p.reject(p.signal.aborted ? aborted(p.signal) : new EosError('Internal', `A transfer thread stopped: ${why}`));
      }
    };
    worker.on('error', err => lost(err.message));
    worker.on('exit', code => lost(`exit code ${code}`));
    // Only a thread with GETs keeps the process alive (after the listeners: adding one refs the thread again).
    worker.unref();
    this.slots.push(slot);
    this.started++;
    return slot;
  }

  private heard(slot: Slot, m: FromWorker): void {
    if (m.type === 'ready') {
      slot.ready = true;
      this.wake();
      return;
    }
    if (m.type === 'route' || m.type === 'credentials') {
      this.lend(slot, m);
      return;
    }
    const p = slot.pending.get(m.id);
    if (!p) {
      return;
    }
    if (m.n > 0) {
      p.onBytes(m.n);
    }
    if (m.type === 'bytes') {
      return;
    }
    this.settle(slot, m.id, p);
    if (m.type === 'done') {
      p.resolve(m.result);
    } else if (p.signal.aborted) {
      p.reject(aborted(p.signal));
    } else {
      // An S3 failure stays one across the thread: callers test its fields (isUnreachable...).
      const code = isErrorCode(m.code) ? m.code : 'Internal';
      p.reject(m.s3 ? new S3Error(code, m.message, m.details, m.s3) : new EosError(code, m.message, m.details));
    }
  }

  /** Answer a thread's ask with what the client resolves (a route, credentials), or why it cannot. */
  private lend(slot: Slot, m: Ask): void {
    this.lent++;
    const { lender } = this.s3;
    const lent =
      m.type === 'route'
        ? lender.route(m.bucket).then(route => ({ route }))
        : lender.credentials().then(credentials => ({ credentials }));
    lent.then(
      answer => slot.outbox.send({ type: 'lent', ask: m.ask, ...answer } satisfies ToWorker),
      (err: Error) => {
        const failure: LendFailure = { name: err?.name ?? 'Error', message: String(err?.message ?? err) };
        if (err instanceof EosError) {
          failure.code = err.code;
        }
        slot.outbox.send({ type: 'lent', ask: m.ask, failure } satisfies ToWorker);
      }
    );
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    waiting.forEach(resolve => resolve());
  }

  private settle(slot: Slot, id: number, p: Pending): void {
    slot.pending.delete(id);
    p.signal.removeEventListener('abort', p.onAbort);
    if (slot.pending.size === 0) {
      // An idle thread does not keep the process alive.
      slot.worker.unref();
    }
    if (this.slots.every(s => s.pending.size === 0)) {
      this.startIdleTimer();
    }
  }

  private startIdleTimer(): void {
    this.stopIdleTimer();
    this.idle = setTimeout(() => void this.close(), IDLE_MS);
    this.idle.unref();
  }

  private stopIdleTimer(): void {
    if (this.idle !== null) {
      clearTimeout(this.idle);
      this.idle = null;
    }
  }
}

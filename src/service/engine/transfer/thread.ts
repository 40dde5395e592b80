/**
 * A transfer thread (see `threads.ts`): the entry of the
 * `eos-get-worker.cjs` bundle. It runs GETs into files as the main thread
 * asks, posting the bytes written, and uploads' PUTs read from files
 * (`partput.ts`), and stops either when asked. It loads no SDK client: each
 * bucket's route and the credentials are asked of the main thread, and
 * requests are signed and retried here (s3/lentwire.ts).
 */
import { closeSync, futimesSync, linkSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { EosError, isErrorCode } from '../../../core';
import { RangeTask, fetchRange, SyncWrites } from './getrange';
import {
  Ask,
  BYTES_BATCH,
  FromWorker,
  GetResult,
  GetWorkerData,
  LendFailure,
  Outbox,
  RangeFile,
  ToWorker
} from './threadmessages';
import { checkDownload } from './checksum';
import { localError } from '../local/confine';
import { S3Error } from '../s3/errors';
import { DataCaller, callS3 } from '../s3/call';
import { createCrc } from '../s3/crc';
import { LentCredentials, LentRoute, LentWire } from '../s3/lentwire';
import { putPart } from './partput';
import { Collector } from './collect';
import { DirLocks } from './dirlock';

type Lent = Extract<ToWorker, { type: 'lent' }>;

function serve(data: GetWorkerData): void {
  const port = parentPort!;
  const running = new Map<number, AbortController>();
  const outbox = new Outbox<FromWorker>(batch => port.postMessage(batch));
  // The bodies' buffers freed as the bytes go by, not piled up until a full collection (collect.ts).
  const collector = new Collector();
  const post = (m: FromWorker) => outbox.send(m);
  const asked = new Map<number, { resolve: (m: Lent) => void; reject: (err: unknown) => void }>();
  let nextAsk = 1;
  const ask = (m: { type: 'route'; bucket: string } | { type: 'credentials' }): Promise<Lent> =>
    new Promise((resolve, reject) => {
      const n = nextAsk++;
      asked.set(n, { resolve, reject });
      post({ ...m, ask: n } satisfies Ask);
    });
  const wire = new LentWire({
    route: async bucket => (await ask({ type: 'route', bucket })).route as LentRoute,
    credentials: async () => (await ask({ type: 'credentials' })).credentials as LentCredentials
  });
  const locks = new DirLocks(data.dirLocks, threadId);
  // A GET in a location added unsigned says so itself (`task.unsigned`): the route is the same.
  const caller: DataCaller = {
    s3: (where, call, options) => callS3(data.label, where, call, options),
    wire: () => wire
  };

  const run = async (
    m: Extract<ToWorker, { type: 'get' }>,
    signal: AbortSignal,
    onBytes: (n: number) => void
  ): Promise<GetResult> => {
    const { task, file } = m;
    let fd: number;
    try {
      fd = file.create
        ? locks.around(file.path, () => openSync(file.path, 'wx', 0o644))
        : openSync(file.path, 'r+', 0o644);
    } catch (err) {
      throw localError(err, task.shown);
    }
    let result: GetResult;
    try {
      const sink = new SyncWrites(fd, task.start, task.shown, file.crc && (await createCrc(file.crc)));
      result = await fetchRange(caller, task, sink, onBytes, signal);
      if (file.setTimes && result.modifiedMs !== undefined) {
        const seconds = result.modifiedMs / 1000;
        try {
          futimesSync(fd, seconds, seconds);
        } catch (err) {
          throw localError(err, task.shown);
        }
      }
    } finally {
      closeSync(fd);
    }
    if (file.place === undefined) {
      return result;
    }
    signal.throwIfAborted();
    return { ...result, placed: place(task, file, file.place, result, locks) };
  };

  const heard = (m: ToWorker) => {
    if (m.type === 'lent') {
      const waiting = asked.get(m.ask);
      asked.delete(m.ask);
      if (m.failure) {
        waiting?.reject(lendError(m.failure));
      } else {
        waiting?.resolve(m);
      }
      return;
    }
    if (m.type === 'abort') {
      running.get(m.id)?.abort(new EosError('Upstream', 'The operation was cancelled'));
      return;
    }
    if (m.type === 'put') {
      const controller = new AbortController();
      running.set(m.id, controller);
      putPart(caller, m.task, controller.signal)
        .then(
          result => post({ type: 'done', id: m.id, result, n: 0 }),
          err => post(failure(m.id, err, 0))
        )
        .finally(() => {
          running.delete(m.id);
          collector.count(m.task.length);
        });
      return;
    }
    const controller = new AbortController();
    running.set(m.id, controller);
    // Bytes written and not yet posted: every BYTES_BATCH, and the rest rides
    // on the answer (one message per small file).
    let unposted = 0;
    const take = () => {
      const n = unposted;
      unposted = 0;
      return n;
    };
    const onBytes = (n: number) => {
      collector.count(n);
      unposted += n;
      if (unposted >= BYTES_BATCH) {
        post({ type: 'bytes', id: m.id, n: take() });
      }
    };
    run(m, controller.signal, onBytes)
      .then(
        result => post({ type: 'done', id: m.id, result, n: take() }),
        err => post(failure(m.id, err, take()))
      )
      .finally(() => running.delete(m.id));
  };
  port.on('message', (batch: ToWorker[]) => batch.forEach(heard));
}

/**
 * Move a whole file the thread wrote into place (`RangeFile.place`) once its
 * bytes match the checksum its GET answered (a mismatch fails it, the main
 * thread removes the temporary file); undefined when the main thread must
 * place it: a checksum of an algorithm the thread did not compute (read back
 * there), or a name taken for `new`.
 */
function place(
  task: RangeTask,
  file: RangeFile,
  to: NonNullable<RangeFile['place']>,
  result: GetResult,
  locks: DirLocks
): string | undefined {
  if (task.checksum) {
    const stored = result.stored ?? { reason: 'no-checksum' as const };
    if ('name' in stored) {
      if (stored.name !== result.crcName || result.crc === undefined) {
        return undefined;
      }
      checkDownload(stored, [{ start: 0, length: task.length, crc: result.crc }], task);
    }
  }
  return locks.around(to.final, () => {
    try {
      if (to.how === 'overwrite') {
        renameSync(file.path, to.final);
        return to.final;
      }
      try {
        linkSync(file.path, to.final);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
          return undefined;
        }
        throw err;
      }
    } catch (err) {
      throw localError(err, task.shown);
    }
    try {
      unlinkSync(file.path);
    } catch {
      // the temporary name stays: the main thread removes it
    }
    return to.final;
  });
}

/** What the main thread could not lend, as an error `toEosError` maps as it would have there. */
function lendError(f: LendFailure): Error {
  if (f.code !== undefined) {
    return new EosError(isErrorCode(f.code) ? f.code : 'Internal', f.message);
  }
  const err = new Error(f.message);
  err.name = f.name;
  return err;
}

/** A failure as it crosses to the main thread (an S3 one keeps its fields). */
function failure(id: number, err: unknown, n: number): FromWorker {
  const e = err instanceof EosError ? err : new EosError('Internal', String((err as Error)?.message ?? err));
  const s3 = e instanceof S3Error ? e.s3 : undefined;
  return { type: 'failed', id, code: e.code, message: e.message, details: e.details, s3, n };
}

const data = workerData as GetWorkerData | undefined;
if (parentPort && data?.role === 'eos-get') {
  serve(data);
  parentPort.postMessage([{ type: 'ready' }] satisfies FromWorker[]);
}

/**
 * A download thread (see `getworkers.ts`): the entry of the
 * `eos-get-worker.cjs` bundle. It runs GETs into files as the main thread
 * asks, posting the bytes written, and stops a GET when asked.
 */
import { closeSync, futimesSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { EosError } from '../../core';
import { fetchRange, SyncWrites } from './getrange';
import { BYTES_BATCH, FromWorker, GetWorkerData, ToWorker } from './getworkers';
import { localError } from './local';
import { createS3Client } from './s3client';
import { EosStore } from './store';

function serve(data: GetWorkerData): void {
  const port = parentPort!;
  const store = new EosStore(createS3Client(data.s3), data.s3.ctx, data.s3.label);
  const running = new Map<number, AbortController>();
  const post = (m: FromWorker) => port.postMessage(m);

  /** Bytes written and not yet posted, by GET. */
  const unposted = new Map<number, number>();
  const take = (id: number) => {
    const n = unposted.get(id) ?? 0;
    unposted.set(id, 0);
    return n;
  };

  const run = async (m: Extract<ToWorker, { type: 'get' }>, signal: AbortSignal) => {
    const { task, file } = m;
    let fd: number;
    try {
      fd = openSync(file.path, file.create ? 'wx' : 'r+', 0o644);
    } catch (err) {
      throw localError(err, task.shown);
    }
    const onBytes = (n: number) => {
      const held = (unposted.get(m.id) ?? 0) + n;
      unposted.set(m.id, held);
      if (held >= BYTES_BATCH) {
        post({ type: 'bytes', id: m.id, n: take(m.id) });
      }
    };
    try {
      const result = await fetchRange(store, task, new SyncWrites(fd, task.start, task.shown), onBytes, signal);
      if (file.setTimes && result.modifiedMs !== undefined) {
        const seconds = result.modifiedMs / 1000;
        try {
          futimesSync(fd, seconds, seconds);
        } catch (err) {
          throw localError(err, task.shown);
        }
      }
      return result;
    } finally {
      closeSync(fd);
    }
  };

  port.on('message', (m: ToWorker) => {
    if (m.type === 'abort') {
      running.get(m.id)?.abort(new EosError('Upstream', 'The operation was cancelled'));
      return;
    }
    const controller = new AbortController();
    running.set(m.id, controller);
    // The last bytes ride on the answer: one message per small file.
    run(m, controller.signal)
      .then(
        result => post({ type: 'done', id: m.id, result, n: take(m.id) }),
        err => {
          const e = err instanceof EosError ? err : new EosError('Internal', String((err as Error)?.message ?? err));
          post({ type: 'failed', id: m.id, code: e.code, message: e.message, details: e.details, n: take(m.id) });
        }
      )
      .finally(() => {
        running.delete(m.id);
        unposted.delete(m.id);
      });
  });
}

const data = workerData as GetWorkerData | undefined;
if (parentPort && data?.role === 'eos-get') {
  serve(data);
  parentPort.postMessage({ type: 'ready' } satisfies FromWorker);
}

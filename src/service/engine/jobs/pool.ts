/**
 * Bounded concurrency over a stream of work.
 */
import { setMaxListeners } from 'node:events';
import { EosError } from '../../../core';
import type { InFlight } from './inflight';

/** The error a call stopped by its caller's signal ends with (nobody reads it: the caller is gone). */
export function aborted(signal: AbortSignal): EosError {
  const reason = signal.reason instanceof EosError ? signal.reason : null;
  return reason ?? new EosError('Upstream', 'The operation was cancelled');
}

/**
 * Run `fn` on every item of `items` with at most `limit` in flight, pulling
 * items only as workers free up (a listing is never read ahead of the work);
 * an `InFlight` limit hears each item finish and may raise the figure, and
 * more workers join. The first failure stops the others (their signal
 * fires) and is thrown once they have all stopped; so is the caller's abort.
 * With `letStartedEnd`, the first failure only stops new items: those under
 * way get the caller's signal and end on their own (parts of a multipart
 * upload: one cut mid-request may be stored after the upload is aborted).
 */
export async function forEachConcurrent<T>(
  items: AsyncIterable<T> | Iterable<T>,
  limit: number | InFlight,
  signal: AbortSignal,
  fn: (item: T, signal: AbortSignal) => Promise<void>,
  options: { letStartedEnd?: boolean } = {}
): Promise<void> {
  const inner = new AbortController();
  const figure = () => Math.max(1, typeof limit === 'number' ? limit : limit.limit);
  // Each worker's calls listen to it (S3 calls combine it with their deadline).
  setMaxListeners(Math.max(10, 4 * (typeof limit === 'number' ? limit : limit.max)), inner.signal);
  const onAbort = () => inner.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) {
    onAbort();
  }
  const it: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  let failure: { error: unknown } | null = null;
  const fail = (error: unknown) => {
    if (failure === null && !signal.aborted) {
      failure = { error };
    }
    inner.abort(error);
  };
  let exhausted = false;
  const workers: Promise<void>[] = [];
  // Workers running: more join as the figure rises, the extra ones leave when it falls.
  let active = 0;
  const spawn = () => {
    while (active < figure() && !exhausted && !inner.signal.aborted) {
      active++;
      workers.push(worker());
    }
  };
  const worker = async () => {
    try {
      await work();
    } finally {
      active--; // at once, so that two workers never both leave for one too many
    }
  };
  const work = async () => {
    while (!inner.signal.aborted) {
      if (active > figure()) {
        return;
      }
      let next: IteratorResult<T>;
      try {
        next = await it.next();
      } catch (err) {
        fail(err);
        return;
      }
      if (next.done) {
        exhausted = true;
        return;
      }
      try {
        await fn(next.value, options.letStartedEnd ? signal : inner.signal);
      } catch (err) {
        fail(err);
        return;
      }
      if (typeof limit !== 'number') {
        limit.finish();
        spawn();
      }
    }
  };
  try {
    spawn();
    // Workers never reject; those that join later are pushed while an earlier one still runs.
    for (let i = 0; i < workers.length; i++) {
      await workers[i];
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    await Promise.resolve(it.return?.()).catch(() => undefined);
  }
  if (signal.aborted) {
    throw aborted(signal);
  }
  if (failure !== null) {
    throw (failure as { error: unknown }).error;
  }
}

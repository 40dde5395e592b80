/**
 * One S3 call with a deadline and the caller's signal, its failure mapped
 * to an `EosError` (`toEosError`): what every call of the store does
 * (`EosStore.s3`), and a transfer thread's GETs and PUTs, which have no store.
 */
import { S3ErrorContext, toEosError } from './errors';
import type { Wire } from './wire';
import { aborted } from '../jobs/pool';

/** Milliseconds one metadata call (list, head) may take, retries included. */
export const METADATA_DEADLINE_MS = 30000;

/** Where a call goes, for error messages. */
export type Where = Omit<S3ErrorContext, 'endpoint'>;

/** How one S3 call may be stopped. */
export interface CallOptions {
  /** Aborted when the caller no longer wants the answer (client gone, job cancelled). */
  signal?: AbortSignal;
  /** Milliseconds the call may take, retries included; null for none (default METADATA_DEADLINE_MS). */
  deadlineMs?: number | null;
}

/** A function that runs S3 calls as `callS3` does, for one endpoint. */
export type S3Call = <T>(
  where: Where,
  call: (abortSignal: AbortSignal) => Promise<T>,
  options?: CallOptions
) => Promise<T>;

/**
 * What the data path's GETs and PUTs need (getrange.ts, partput.ts): calls
 * with typed errors, and the wire to a bucket. A store is one (the service's
 * thread); a transfer thread makes its own from what it was lent.
 */
export interface DataCaller {
  s3: S3Call;
  /** The wire that reads or writes `key` of `bucket` (unsigned in a public location). */
  wire(bucket: string, key: string): Wire;
}

/**
 * Run one S3 call with a deadline, mapping its failure to an `EosError`.
 * `call` receives the abort signal to pass on: the deadline combined with
 * the caller's own signal.
 *
 * @param endpoint a label of where S3 requests go, for error messages
 * @throws EosError; the caller's own abort reason when its signal fired
 */
export async function callS3<T>(
  endpoint: string,
  where: Where,
  call: (abortSignal: AbortSignal) => Promise<T>,
  options: CallOptions = {}
): Promise<T> {
  const deadline = options.deadlineMs === undefined ? METADATA_DEADLINE_MS : options.deadlineMs;
  const signals = [deadline === null ? null : AbortSignal.timeout(deadline), options.signal ?? null].filter(
    (s): s is AbortSignal => s !== null
  );
  const signal = signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  try {
    options.signal?.throwIfAborted();
    return await call(signal);
  } catch (err) {
    if (options.signal?.aborted) {
      throw aborted(options.signal);
    }
    throw toEosError(err, { ...where, endpoint });
  }
}

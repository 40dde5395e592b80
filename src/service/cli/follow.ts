/**
 * Run an engine job in the foreground: a progress line while it runs,
 * Ctrl-C cancels it (the engine aborts its multipart uploads and removes its
 * temporary files) and waits until it has stopped.
 */
import { ApiError, EosError, Job, JobFailure } from '../../core';
import { Engine } from '../engine';
import { Output } from './output';

/** Ctrl-C: the command stopped at the user's request (exit code 130). */
export class Interrupted extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'Interrupted';
  }
}

/** How often the progress line is redrawn, in milliseconds. */
export const REDRAW_MS = 250;
/** The longest a cancelled job is waited for before giving up, in milliseconds. */
export const CANCEL_WAIT_MS = 60000;

/**
 * An abort signal fired by the first Ctrl-C (SIGINT), SIGTERM or hang-up
 * (SIGHUP: the terminal closed, a JupyterLab terminal tab among them) while
 * `work` runs; a second Ctrl-C or SIGTERM exits at once (a second hang-up
 * does not: a closing terminal may send it twice, and nobody is there to
 * ask for haste). The handlers are removed afterwards.
 */
export async function interruptible<T>(out: Output, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      if (signal !== 'SIGHUP') {
        out.error('stopped without waiting for the cancel to finish');
        process.exit(130);
      }
      return;
    }
    if (signal !== 'SIGHUP') {
      out.note('eos: cancelling (Ctrl-C again to quit at once)...');
    }
    controller.abort(new Interrupted());
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  signals.forEach(s => process.on(s, onSignal));
  try {
    return await work(controller.signal);
  } catch (err) {
    throw controller.signal.aborted ? new Interrupted() : err;
  } finally {
    signals.forEach(s => process.off(s, onSignal));
  }
}

/**
 * Start a job and follow it to its end.
 *
 * @param label what the progress line calls it (`upload`, `copy`, ...)
 * @returns the finished job
 * @throws Interrupted when cancelled; EosError with the job's error when it failed
 *   (each failed item is written to standard error first)
 */
export async function follow(
  engine: Engine,
  out: Output,
  label: string,
  start: (signal: AbortSignal) => Promise<Job>
): Promise<Job> {
  return interruptible(out, async signal => {
    const started = await start(signal);
    const { jobs } = engine;
    let job = started;
    const onAbort = () => void jobs.cancel(started.id);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (job.state === 'running') {
        job = await jobs.wait(started.id, signal.aborted ? CANCEL_WAIT_MS : REDRAW_MS);
        out.progress({
          label,
          bytesDone: job.bytes.done,
          bytesTotal: job.bytes.total,
          filesDone: job.objects.done,
          filesTotal: job.objects.total,
          rate: job.rate,
          eta: job.eta
        });
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      out.clearProgress();
    }
    if (job.state === 'cancelled' || signal.aborted) {
      throw new Interrupted();
    }
    if (job.state !== 'done') {
      throw failuresError(
        out,
        job.failures ?? [],
        job.error ?? { code: 'Internal', message: `The ${label} ended ${job.state}` }
      );
    }
    return job;
  });
}

/**
 * Items of a job failed (or would fail, in a dry run): exit 1 whatever their
 * code, as a URI error of one item (a key too long) is no usage mistake.
 */
export class ItemsFailed extends EosError {}

/**
 * The error a command ends with when items failed (or would fail, in a dry
 * run): one failed item is one line naming it; several are each written to
 * standard error, then `error` (what the job says of them all).
 */
export function failuresError(out: Output, failures: JobFailure[], error: ApiError): ItemsFailed {
  if (failures.length === 1) {
    const [f] = failures;
    return new ItemsFailed(f.error.code, `${out.name(f.item)}: ${f.error.message}`, f.error.details);
  }
  for (const f of failures) {
    out.error(`${out.name(f.item)}: ${f.error.message}`);
  }
  return new ItemsFailed(error.code, error.message, error.details);
}

/**
 * A job's record as the registry reports it: copies that later progress does
 * not change, and the rate and ETA sampled while it runs.
 */
import { ApiError, Job, JobFailure } from '../../../core';

/** How often running jobs' progress is sampled (rate, ETA) and reported to listeners. */
export const PROGRESS_TICK_MS = 500;
/** The window the rate is measured over. */
export const RATE_WINDOW_MS = 5000;

/**
 * Add a (time, bytes done) sample to `samples`, keep those of the last
 * RATE_WINDOW_MS, and set the job's rate and ETA from the window once it
 * spans PROGRESS_TICK_MS.
 */
export function sampleRate(job: Job, samples: [number, number][], now: number): void {
  samples.push([now, job.bytes.done]);
  while (samples.length > 2 && now - samples[0][0] > RATE_WINDOW_MS) {
    samples.shift();
  }
  const [t0, b0] = samples[0];
  if (now - t0 >= PROGRESS_TICK_MS) {
    job.rate = Math.max(0, Math.round(((job.bytes.done - b0) * 1000) / (now - t0)));
    if (job.bytes.total !== null && job.rate > 0) {
      job.eta = Math.max(0, Math.round((job.bytes.total - job.bytes.done) / job.rate));
    } else {
      delete job.eta;
    }
  }
}

/** A copy of a job's record that later progress does not change. */
export function snapshot(job: Job): Job {
  const copy: Job = { ...job, sources: [...job.sources], objects: { ...job.objects }, bytes: { ...job.bytes } };
  if (job.error) {
    copy.error = { ...job.error };
  }
  if (job.question) {
    copy.question = { ...job.question };
  }
  if (job.failures) {
    copy.failures = job.failures.map(f => ({ item: f.item, error: { ...f.error } }));
  }
  return copy;
}

/** What a job whose items failed says of them all (the CLI's dry runs say the same of items that would fail). */
export function failuresSummary(failures: JobFailure[], count = failures.length): ApiError {
  const { code, message } = failures[0].error;
  return { code, message: count === 1 ? message : `${count} items failed; the first: ${message}` };
}

/**
 * How a route stays within the proxy's 300 s buffered timeout (issue 16):
 * `job`, it answers a job at once and the work runs in the job (before it
 * starts, only the items the request names are checked, and for policy
 * `fail` at most PRECHECK_LIMIT entries of a folder); `bounded`, its
 * work has a bound, said by `by` (one page of a listing, a byte cap, the items
 * of one request); `stream`, an event stream, which the proxy streams (cut
 * after 7,200 s, and the client reconnects). `long-work.spec.ts` checks each
 * against an S3 whose folders never end.
 */
export type Bound = { answers: 'job' } | { answers: 'bounded'; by: string } | { answers: 'stream' };

/** Answers a job at once. */
export const JOB: Bound = { answers: 'job' };
/** Bounded by what `by` says. */
export const bounded = (by: string): Bound => ({ answers: 'bounded', by });
/** Works in memory only. */
export const IN_MEMORY = bounded('the service memory only: no S3 or disk walk');

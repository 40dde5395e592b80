/**
 * Aborts S3 did not take (unreachable, say), tried again in the background:
 * after 1 s, 2 s, 5 s ... up to minutes later, on timers that do not keep
 * the process alive. A process about to end (the `eos` command) makes its
 * last tries at once (`finishBackgroundAborts`).
 */

/** Delays between attempts to abort a multipart upload S3 did not let us abort. */
const ABORT_RETRY_MS = [1000, 2000, 5000, 10000, 30000, 60000, 120000];

/** A multipart upload a background retry is about; `uploadId` null: those S3 may have opened for a create whose answer was lost. */
export interface UnfinishedAbort {
  bucket: string;
  key: string;
  uploadId: string | null;
}

/** The background retries waiting for their next attempt. */
const background = new Map<number, { about: UnfinishedAbort; attempt: () => Promise<void>; timer?: NodeJS.Timeout }>();
let backgroundIds = 0;

/**
 * Run `attempt` now; when it fails, again after each of `ABORT_RETRY_MS`
 * in the background (timers that do not keep the process alive) until it
 * succeeds. Answers once the first attempt has ended.
 */
export async function retryingInBackground(about: UnfinishedAbort, attempt: () => Promise<void>): Promise<void> {
  try {
    await attempt();
    return;
  } catch {
    // tried again below
  }
  const id = backgroundIds++;
  const entry: { about: UnfinishedAbort; attempt: () => Promise<void>; timer?: NodeJS.Timeout } = { about, attempt };
  background.set(id, entry);
  let i = 0;
  const again = () => {
    entry.timer = setTimeout(() => {
      attempt().then(
        () => background.delete(id),
        () => (++i < ABORT_RETRY_MS.length ? again() : background.delete(id))
      );
    }, ABORT_RETRY_MS[i]);
    entry.timer.unref?.();
  };
  again();
}

/**
 * For a process about to exit (the `eos` command, whose background timers
 * would die with it): make the background retries still waiting at once,
 * then every second, for at most `ms`. Answers the uploads still not
 * aborted (S3 unreachable all along), for the user to be told.
 */
export async function finishBackgroundAborts(ms: number): Promise<UnfinishedAbort[]> {
  const end = Date.now() + ms;
  while (background.size > 0) {
    const waiting = [...background];
    await Promise.all(
      waiting.map(async ([id, entry]) => {
        clearTimeout(entry.timer);
        try {
          await entry.attempt();
          background.delete(id);
        } catch {
          // still waiting
        }
      })
    );
    if (background.size === 0 || Date.now() + FINISH_RETRY_MS > end) {
      break;
    }
    await new Promise(resolve => setTimeout(resolve, FINISH_RETRY_MS));
  }
  return [...background.values()].map(entry => entry.about);
}

/** Pause between the last attempts of `finishBackgroundAborts`. */
const FINISH_RETRY_MS = 1000;

/**
 * Following a service job (delete, copy, move) to its end with the long poll
 * `GET api/job?id=&wait=`, shown as one notification: in progress with a
 * Cancel action, then success or error with "Show details".
 */
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import type { ReadonlyJSONValue } from '@lumino/coreutils';

import { ConflictChoice, EosError, Job, Routes } from '../../core';
import { formatDate, formatSize } from '../components/format';
import { actionErrorTitle, detailsAction, errorDetails, notifyError } from '../errors';
import { phaseLabel } from '../transfers/labels';
import { answerActions, followedJobs, questionText } from '../transfers/notices';
import type { TransfersModel } from '../transfers/model';
import { ICommandContext, IJobs } from './context';

/** A changed notification is drawn again after this many ms (see `followJob`). */
export const REDRAW_AGAIN_MS = 1000;

/** How long each long poll may be held, in ms: the notification's progress updates this often. */
export const JOB_POLL_MS = 2000;

/** What the notification says at each stage of a job. */
export interface IJobMessages {
  /** While it runs, e.g. "Deleting 3 items… 10 of 42 objects". Gets the job. */
  running(job: Job): string;
  /** When it ends well. */
  done(job: Job): string;
  /** Prefixed to the error headline, e.g. "Cannot delete". */
  failed: string;
  /** When it was cancelled. */
  cancelled(job: Job): string;
  /**
   * Called once for each conflict question the job asks (`job.question`);
   * it answers through `api/job/answer`. Without it, the notification
   * answers them with its buttons (Overwrite, Skip, Keep Both).
   */
  ask?(job: Job): Promise<void>;
  /**
   * Without `ask`, while several questions wait: show where all of them are
   * answered at once (the Transfers panel), the notification's "Apply to All…".
   */
  showQuestion?(job: Job): void;
}

/** What a running job's notification says: its progress, or first that it waits for an answer. */
export function runningMessage(job: Job, messages: IJobMessages, trans: TranslationBundle): string {
  const progress = messages.running(job);
  if (!job.question || messages.ask) {
    return progress;
  }
  // The question first: notifications cut long messages, and this is what the user must see.
  return `${questionText(job, trans)} ${progress}`;
}

/**
 * "10 of 42 objects, 1.2 MB of 5.0 MB" (totals when known), with the phase
 * when the counters alone would look stuck: "(listing)", "(completing)",
 * "(verifying)".
 */
export function jobProgress(job: Job, trans: TranslationBundle): string {
  const { objects, bytes } = job;
  const count =
    objects.total === null
      ? trans._n('%1 object', '%1 objects', objects.done)
      : trans.__('%1 of %2 objects', objects.done, objects.total);
  const size =
    bytes.total === null || bytes.total === 0
      ? formatSize(bytes.done)
      : trans.__('%1 of %2', formatSize(bytes.done), formatSize(bytes.total));
  const progress = trans.__('%1, %2', count, size);
  const phase = job.state === 'running' && !job.question ? quietPhase(job, trans) : null;
  return phase ? trans.__('%1 (%2)', progress, phase.toLocaleLowerCase()) : progress;
}

/** The phase of a job whose bar does not move: listing, completing, finishing, verifying, counting. */
function quietPhase(job: Job, trans: TranslationBundle): string | null {
  const total = job.bytes.total;
  const quiet =
    job.phase !== undefined ||
    job.objects.total === null ||
    (total !== null && total > 0 && job.bytes.done >= total && job.objects.done < (job.objects.total ?? 0));
  return quiet ? phaseLabel(job, trans) : null;
}

/** The text of a job's "Show details". */
export function jobDetails(job: Job, trans: TranslationBundle): string {
  const lines = [
    trans.__('Job %1 (%2): %3', job.id, job.kind, job.state),
    trans.__('Sources:'),
    ...job.sources.map(s => `  ${s}`)
  ];
  if (job.destination) {
    lines.push(trans.__('Destination: %1', job.destination));
  }
  lines.push(trans.__('Progress: %1', jobProgress(job, trans)));
  if (job.skipped) {
    lines.push(trans.__('Skipped (already there): %1', job.skipped));
  }
  lines.push(trans.__('Started: %1', formatDate(job.started)));
  if (job.finished) {
    lines.push(trans.__('Finished: %1', formatDate(job.finished)));
  }
  if (job.error) {
    lines.push('', errorDetails(new EosError(job.error.code, job.error.message, job.error.details)));
  }
  return lines.join('\n');
}

/**
 * Follow a job until it ends, showing its progress.
 *
 * @returns the job in its final state, or null when following it failed
 *   (the failure is notified).
 */
export async function followJob(first: Job, context: ICommandContext, messages: IJobMessages): Promise<Job | null> {
  const notice = new JobNotice(first, context, messages);
  let asked: string | null = null;
  while (notice.job.state === 'running') {
    const job = notice.job;
    if (messages.ask && job.question && job.question.id !== asked) {
      asked = job.question.id;
      await messages.ask(job);
    }
    try {
      notice.job = await nextState(notice.job, context);
    } catch (reason) {
      notice.fail(reason);
      return null;
    }
    if (notice.job.state === 'running') {
      notice.refresh();
    }
  }
  notice.end();
  return notice.job;
}

/**
 * The one notification of a followed job: in progress with Cancel (or the
 * answers to its question) and "Job details", then how it ended. The
 * transfers plugin's notices leave a followed job alone.
 */
class JobNotice {
  constructor(
    first: Job,
    private readonly _context: ICommandContext,
    private readonly _messages: IJobMessages
  ) {
    const { trans } = _context;
    this.job = first;
    this._details = detailsAction(trans.__('Job details'), () => jobDetails(this.job, trans), trans);
    this._cancel = {
      label: trans.__('Cancel'),
      caption: trans.__('Stop the job; what is done stays done'),
      displayType: 'warn',
      callback: event => {
        event.preventDefault();
        this._cancelJob();
      }
    };
    followedJobs.add(first.id);
    _context.jobs?.trackStarted(first);
    const running = this._running();
    this._id = Notification.emit(running.message, 'in-progress', { autoClose: false, actions: running.actions });
    this._shown = this._said();
  }

  /** The newest record of the job. */
  job: Job;

  /**
   * Show what changed. Re-rendered only when what it says changes: a toast
   * redrawn under the pointer loses the click on its button. Each change is
   * drawn once more a moment later: an update that reaches a toast still
   * being created is lost.
   */
  refresh(): void {
    if (this._said() === this._shown) {
      return;
    }
    this._shown = this._said();
    Notification.update({ id: this._id, ...this._running() });
    clearTimeout(this._again);
    this._again = setTimeout(() => {
      if (!this._ended && this.job.state === 'running') {
        Notification.update({ id: this._id, ...this._running() });
      }
    }, REDRAW_AGAIN_MS);
  }

  /** Following the job failed: the notification goes, the failure is said. */
  fail(reason: unknown): void {
    Notification.dismiss(this._id);
    notifyError(reason, this._context.trans, this._messages.failed);
  }

  /**
   * The job ended: say how (done, cancelled, failed). Said once more a moment
   * later: a job that ends at once ends while its toast is still being
   * created, and an update reaching it then is lost.
   */
  end(): void {
    this._ended = true;
    clearTimeout(this._again);
    const final = this._final();
    Notification.update(final);
    setTimeout(() => Notification.update(final), REDRAW_AGAIN_MS);
  }

  /** How the ended job's notification reads. */
  private _final(): Notification.IUpdate<ReadonlyJSONValue> {
    const { job, _messages: messages } = this;
    const { trans } = this._context;
    const id = this._id;
    const actions = [this._details];
    if (job.state === 'done') {
      return { id, message: messages.done(job), type: 'success', autoClose: 5000, actions };
    }
    if (job.state === 'cancelled') {
      return { id, message: messages.cancelled(job), type: 'warning', autoClose: 8000, actions };
    }
    if (job.state === 'interrupted') {
      // The service was killed and started again: nothing failed, the job stopped (and can be retried).
      const message = job.retryable
        ? trans.__('%1: the EOS service stopped while this ran. Retry it in the Transfers panel.', messages.failed)
        : trans.__('%1: the EOS service stopped while this ran. Start it again.', messages.failed);
      return { id, message, type: 'warning', autoClose: false, actions };
    }
    const title = trans.__('%1: %2', messages.failed, actionErrorTitle(job.error?.code ?? 'Internal', trans));
    return {
      id,
      message: trans.__('%1. %2', title, job.error?.message ?? trans.__('The job failed')),
      type: 'error',
      autoClose: false,
      actions
    };
  }

  /** What the running job's notification says and offers. */
  private _running() {
    const { job, _messages: messages } = this;
    const { trans } = this._context;
    const shown = job.question?.id ?? ''; // the buttons answer this question, even if clicked later
    return {
      message: runningMessage(job, messages, trans),
      type: 'in-progress' as const,
      autoClose: false as const,
      actions:
        job.question && !messages.ask
          ? [
              ...answerActions(
                job,
                choice => this._answer(choice, shown),
                trans,
                messages.showQuestion && (() => messages.showQuestion?.(job))
              ),
              this._cancel
            ]
          : [this._cancel, this._details]
    };
  }

  /** What the notification says, to compare with what it said. */
  private _said(): string {
    const running = this._running();
    return [running.message, ...running.actions.map(a => a.label)].join('\n');
  }

  /** Ask the service to cancel the job (once at a time). */
  private _cancelJob(): void {
    if (this._cancelling) {
      return;
    }
    this._cancelling = true;
    const { trans } = this._context;
    this._context.request(Routes.cancelJob, { body: { id: this.job.id } }).catch(reason => {
      this._cancelling = false;
      notifyError(reason, trans, trans.__('Cannot cancel'));
    });
  }

  /** Answer the question the notification showed (`questionId`), whatever the job has done since. */
  private _answer(choice: ConflictChoice, questionId: string): Promise<unknown> {
    const context = this._context;
    return context
      .request(Routes.answerJob, { body: { id: this.job.id, question: questionId, choice } })
      .then(answered => {
        if (this._ended) {
          return; // the job ended meanwhile: its final state is shown, never an older one
        }
        // The answer is the newest record: the panel shows it too, and the loop goes on from it.
        context.jobs?.track(answered);
        this.job = context.jobs?.job(answered.id) ?? answered;
        this.refresh();
      })
      .catch(reason => notifyError(reason, context.trans, context.trans.__('Cannot answer')));
  }

  private _again: ReturnType<typeof setTimeout> | undefined;
  private _cancel: Notification.IAction;
  private _cancelling = false;
  private _details: Notification.IAction;
  private _ended = false;
  private _id: string;
  private _shown: string;
}

/**
 * The job's next state: from the jobs model while its event stream is open
 * (a newer record than the command has, or the job's next change within
 * `JOB_POLL_MS`), else, and when the stream said nothing, from the long poll
 * `api/job?wait=`.
 */
async function nextState(job: Job, context: ICommandContext): Promise<Job> {
  const jobs = context.jobs;
  if (jobs?.connected) {
    const latest = jobs.job(job.id);
    if (latest && latest !== job) {
      return latest; // the stream has said more than this command has seen (a question asked at once)
    }
    const changed = await changeOf(jobs, job.id, JOB_POLL_MS);
    if (changed) {
      return changed;
    }
    // Nothing from the stream for a while: ask the service itself (a waiting job sends no event).
  }
  return context.request(Routes.job, { query: { id: job.id, wait: JOB_POLL_MS } });
}

/** The next change of job `id` in the model, or null after `ms`. */
function changeOf(jobs: IJobs, id: string, ms: number): Promise<Job | null> {
  return new Promise(resolve => {
    const onChange = (_: unknown, change: TransfersModel.IChange) => {
      if (change.type === 'job' && change.job.id === id) {
        finish(change.job);
      }
    };
    const finish = (seen: Job | null) => {
      clearTimeout(timer);
      jobs.changed.disconnect(onChange);
      resolve(seen);
    };
    const timer = setTimeout(() => finish(null), ms);
    jobs.changed.connect(onChange);
  });
}

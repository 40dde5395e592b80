/**
 * One notification per job. A command that starts a job and follows it
 * (`followJob`) shows that job's notification and registers the job here; the
 * transfers plugin's own notices (questions, endings of long jobs) are for the
 * jobs nobody follows: computer uploads, jobs of another tab or of the `eos`
 * command line. Either way a conflict question is answered in the
 * notification itself, so no panel has to be open.
 */
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { ConflictChoice, Job } from '../../core';

/**
 * How long a question waits before the transfers plugin asks it: the event
 * stream may bring a job's question before the command that started the job
 * has its answer and shows the job's one notification.
 */
export const CLAIM_MS = 1000;

/** The ids of the jobs whose notification a command shows. */
export const followedJobs = new Set<string>();

/** "Waiting for your answer: X already exists (and 2 more)." */
export function questionText(job: Job, trans: TranslationBundle): string {
  if (!job.question) {
    return '';
  }
  const more = (job.questions ?? 1) - 1;
  return more > 0
    ? trans.__('Waiting for your answer: %1 already exists (and %2 more).', job.question.target, more)
    : trans.__('Waiting for your answer: %1 already exists.', job.question.target);
}

/**
 * The buttons that answer a job's question: Overwrite, Skip, Keep Both, for
 * this target; with more targets waiting, "Apply to All…" where `showAll`
 * leads (the Transfers panel, with its "Apply to all" box).
 *
 * @param answer - sends the choice (`api/job/answer`); its failure is the caller's to report.
 */
export function answerActions(
  job: Job,
  answer: (choice: ConflictChoice) => Promise<unknown>,
  trans: TranslationBundle,
  showAll?: () => void
): Notification.IAction[] {
  const target = job.question?.target ?? '';
  const button = (
    label: string,
    choice: ConflictChoice,
    caption: string,
    displayType: Notification.ActionDisplayType = 'default'
  ): Notification.IAction => ({
    label,
    caption,
    displayType,
    callback: event => {
      event.preventDefault(); // the notification stays: it goes on with the job's progress
      void answer(choice);
    }
  });
  const actions = [
    button(trans.__('Overwrite'), 'overwrite', trans.__('Replace %1', target), 'warn'),
    button(trans.__('Skip'), 'skip', trans.__('Leave %1 as it is', target)),
    button(trans.__('Keep Both'), 'keep-both', trans.__('Write beside %1 under a numbered name', target), 'accent')
  ];
  if (showAll && (job.questions ?? 1) > 1) {
    actions.push({
      label: trans.__('Apply to All…'),
      caption: trans.__('Answer every waiting conflict at once in the Transfers panel'),
      displayType: 'link',
      callback: event => {
        event.preventDefault();
        showAll();
      }
    });
  }
  return actions;
}

/**
 * Notify each question of a job nobody follows, with its answers; the
 * notification goes when the question is answered (here, in the panel or
 * elsewhere) or the job ends.
 *
 * @param answer - answers a question of a job (`TransfersModel.answer`).
 * @param show - opens the Transfers panel.
 */
export function notifyQuestions(
  jobs: () => readonly Job[],
  answer: (job: Job, choice: ConflictChoice) => Promise<unknown>,
  trans: TranslationBundle,
  show: () => void
): () => void {
  /** The notification of each job's open question: job id -> [question id, notification id]. */
  const shown = new Map<string, [string, string]>();
  /** When each question was first seen: a command that started the job has a moment to claim it. */
  const seen = new Map<string, number>();
  const update = () => {
    const open = new Map<string, Job>();
    const now = Date.now();
    for (const job of jobs()) {
      if (job.state === 'running' && job.question && !followedJobs.has(job.id)) {
        const first = seen.get(job.question.id) ?? now;
        seen.set(job.question.id, first);
        if (now - first >= CLAIM_MS) {
          open.set(job.id, job);
        } else if (first === now) {
          setTimeout(update, CLAIM_MS);
        }
      }
    }
    for (const [id, [question, notice]] of shown) {
      if (open.get(id)?.question?.id !== question) {
        Notification.dismiss(notice);
        shown.delete(id);
      }
    }
    for (const [id, job] of open) {
      if (shown.has(id)) {
        continue;
      }
      const notice = Notification.warning(questionText(job, trans), {
        autoClose: false,
        actions: [
          ...answerActions(job, choice => answer(job, choice), trans),
          {
            label: (job.questions ?? 1) > 1 ? trans.__('Apply to All…') : trans.__('Show'),
            caption: trans.__('Show the question in the Transfers panel'),
            displayType: 'link',
            callback: show
          }
        ]
      });
      shown.set(id, [job.question!.id, notice]);
    }
  };
  return update;
}

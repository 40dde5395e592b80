/**
 * The transfer workflows shared by drag and drop and the menus: start a
 * transfer (upload or download), a move or copy inside EOS, or a sync after
 * its preview, then follow the job to its end.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import {
  ConflictChoice,
  EosError,
  Job,
  Routes,
  SyncPlan,
  SyncRequest,
  TransferRequest,
  lastSegment
} from '../../../core';
import { formatSize } from '../../components/format';
import { parentOf } from '../../dnd/targets';
import { notifyError } from '../../errors';
import { ICommandContext } from '../context';
import { followJob, jobProgress } from '../jobs';
import { ITransferContext } from './context';
import { localLabel, rememberFolder } from './destination';
import { SyncPreview } from './preview';

/** "a.bam" for one item, "3 items" for several. */
export function itemsLabel(sources: readonly string[], context: ICommandContext): string {
  return sources.length === 1 ? lastSegment(sources[0]) : context.trans._n('%1 item', '%1 items', sources.length);
}

/** Ask which way to resolve a job's conflict question, and answer it. */
async function answerQuestion(job: Job, context: ICommandContext): Promise<void> {
  const { trans } = context;
  const q = job.question!;
  const body = document.createElement('div');
  body.className = 'jp-EosDialog-conflict';
  const lines = [
    trans.__('%1 already exists.', q.target),
    q.targetSize === undefined ? '' : trans.__('There: %1', formatSize(q.targetSize)),
    q.sourceSize === undefined ? '' : trans.__('New: %1', formatSize(q.sourceSize))
  ];
  body.textContent = lines.filter(Boolean).join('\n');
  const result = await showDialog({
    title: trans.__('File Already Exists'),
    body: new Widget({ node: body }),
    checkbox: (job.questions ?? 1) > 1 ? { label: trans.__('Apply to all %1 conflicts', job.questions) } : null,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Skip'), actions: ['skip'] }),
      Dialog.okButton({ label: trans.__('Keep Both'), actions: ['keep-both'], displayType: 'default' }),
      Dialog.warnButton({ label: trans.__('Overwrite'), actions: ['overwrite'] })
    ]
  });
  const choice = (result.button.actions[0] ?? 'skip') as ConflictChoice;
  try {
    await context.request(Routes.answerJob, {
      body: { id: job.id, question: q.id, choice, applyToAll: result.isChecked === true }
    });
  } catch (reason) {
    notifyError(reason, trans, trans.__('Cannot answer'));
  }
}

/** Follow a job the commands or a drop started: in the panel when it is there, and in a notification. */
async function follow(
  job: Job,
  context: ITransferContext,
  messages: Omit<Parameters<typeof followJob>[2], 'ask'>
): Promise<Job | null> {
  context.actions?.showJob?.(job);
  return followJob(job, context, {
    ...messages,
    // The panel asks conflict questions when it is there.
    ask: context.actions?.showJob ? undefined : j => answerQuestion(j, context),
    showQuestion: context.actions?.showPanel && (() => context.actions?.showPanel?.())
  });
}

/**
 * Start `api/transfer` and follow the job; refreshes the EOS folder (upload)
 * or the file browser (download) when it ends.
 *
 * @returns the job in its final state, or null when it could not start.
 */
export async function transfer(context: ITransferContext, request: TransferRequest): Promise<Job | null> {
  const { trans } = context;
  const what = itemsLabel(request.sources, context);
  const upload = request.kind === 'upload';
  const where = upload ? request.destination : localLabel(request.destination);
  const failed = upload ? trans.__('Cannot upload to %1', where) : trans.__('Cannot download to %1', where);
  let job: Job;
  try {
    job = await context.request(Routes.transfer, { body: { conflict: 'ask', ...request } });
  } catch (reason) {
    notifyError(reason, trans, failed);
    return null;
  }
  if (upload) {
    void rememberFolder(context, request.destination);
  }
  const end = await follow(job, context, {
    running: j =>
      upload
        ? trans.__('Uploading %1 to %2… %3', what, where, jobProgress(j, trans))
        : trans.__('Downloading %1 to %2… %3', what, where, jobProgress(j, trans)),
    done: () => (upload ? trans.__('Uploaded %1 to %2', what, where) : trans.__('Downloaded %1 to %2', what, where)),
    failed,
    cancelled: j =>
      upload
        ? trans.__('Upload of %1 cancelled after %2', what, jobProgress(j, trans))
        : trans.__('Download of %1 cancelled after %2', what, jobProgress(j, trans))
  });
  // EOS folders written show through the service's `folders` event (freshness.ts); the file browser is ours to list.
  if (!upload) {
    await context.local?.refresh();
  }
  return end;
}

/**
 * Move (or copy) EOS items into an EOS folder with `api/copy`, server-side,
 * and follow the job (the tree follows the service's `folders` events).
 */
export async function moveInEos(
  context: ITransferContext,
  sources: string[],
  folder: string,
  copy: boolean
): Promise<Job | null> {
  const { trans } = context;
  const what = itemsLabel(sources, context);
  const failed = copy ? trans.__('Cannot copy %1', what) : trans.__('Cannot move %1', what);
  let job: Job;
  try {
    job = await context.request(Routes.copy, {
      body: { sources, destination: folder, move: !copy, conflict: 'fail' }
    });
  } catch (reason) {
    notifyError(reason, trans, failed);
    return null;
  }
  const end = await follow(job, context, {
    running: j =>
      copy
        ? trans.__('Copying %1 to %2… %3', what, folder, jobProgress(j, trans))
        : trans.__('Moving %1 to %2… %3', what, folder, jobProgress(j, trans)),
    done: () => (copy ? trans.__('Copied %1 to %2', what, folder) : trans.__('Moved %1 to %2', what, folder)),
    failed,
    cancelled: j =>
      copy
        ? trans.__('Copy of %1 cancelled after %2', what, jobProgress(j, trans))
        : trans.__('Move of %1 cancelled after %2', what, jobProgress(j, trans))
  });
  return end;
}

/** Where a sync goes, as its messages name it. */
function syncPlaces(context: ITransferContext, request: SyncRequest) {
  const toEos = request.destination.startsWith('e://');
  const where = toEos ? request.destination : localLabel(request.destination);
  return { toEos, where, failed: context.trans.__('Cannot sync to %1', where) };
}

/**
 * Plan a sync, show the preview, and run it when the user accepts (or,
 * when it holds too many files to preview, confirm a sync that deletes nothing).
 *
 * @returns the sync job in its final state, or null when nothing ran.
 */
export async function sync(context: ITransferContext, request: SyncRequest): Promise<Job | null> {
  const { trans } = context;
  const { where, failed } = syncPlaces(context, request);
  const title = trans.__('Sync %1 to %2', lastSegment(request.source), where);
  const buttons = [Dialog.cancelButton({ label: trans.__('Cancel') }), Dialog.okButton({ label: trans.__('Sync') })];
  let plan: SyncPlan;
  try {
    plan = await context.request(Routes.syncPlan, { body: { ...request, delete: true } });
  } catch (reason) {
    if (!(reason instanceof EosError && reason.code === 'PayloadTooLarge')) {
      notifyError(reason, trans, failed);
      return null;
    }
    // Too many files to preview within one request: the sync itself is a job and has no limit.
    const body = trans.__(
      '%1 Sync without a preview? New and changed files are copied; nothing is deleted.',
      reason.message
    );
    const result = await showDialog({ title, body, buttons });
    return result.button.accept ? runSync(context, request, false) : null;
  }
  if (plan.copyCount === 0 && plan.deleteCount === 0 && !plan.failedCount) {
    Notification.info(trans.__('%1 is already in sync with %2', where, lastSegment(request.source)), {
      autoClose: 5000
    });
    return null;
  }
  const result = await showDialog({ title, body: new SyncPreview(plan, context), buttons });
  if (!result.button.accept) {
    return null;
  }
  return runSync(context, request, result.value === true);
}

/** Start a sync (deleting when `remove`) and follow it to its end. */
async function runSync(context: ITransferContext, request: SyncRequest, remove: boolean): Promise<Job | null> {
  const { trans } = context;
  const { toEos, where, failed } = syncPlaces(context, request);
  let job: Job;
  try {
    job = await context.request(Routes.sync, { body: { ...request, delete: remove } });
  } catch (reason) {
    notifyError(reason, trans, failed);
    return null;
  }
  if (toEos) {
    void rememberFolder(context, parentOf(request.destination));
  }
  const end = await follow(job, context, {
    running: j => trans.__('Syncing %1 to %2… %3', lastSegment(request.source), where, jobProgress(j, trans)),
    done: () => trans.__('Synced %1 to %2', lastSegment(request.source), where),
    failed,
    cancelled: j => trans.__('Sync to %1 cancelled after %2', where, jobProgress(j, trans))
  });
  if (!toEos) {
    await context.local?.refresh();
  }
  return end;
}

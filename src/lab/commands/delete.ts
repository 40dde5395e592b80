/**
 * `eos:delete`: count what would go, confirm with the exact numbers, then
 * delete as a service job.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { deleteIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import { Widget } from '@lumino/widgets';

import { CountResponse, Job, Routes } from '../../core';
import { formatSize } from '../components/format';
import { notifyError } from '../errors';
import { CommandIDs } from '../tokens';
import { ICommandContext, ITarget, isWritable, paletteLabel, targetsOf, uriArgs } from './context';
import { followJob, jobProgress } from './jobs';

/** URIs listed by name in the confirmation; the rest are counted. */
const LISTED = 10;

/** "1.2 MB (1,234,567 bytes)". */
export function exactSize(bytes: number, trans: TranslationBundle): string {
  return trans._n('%2 (%3 byte)', '%2 (%3 bytes)', bytes, formatSize(bytes), bytes.toLocaleString());
}

/** The lines of the confirmation: what, how many objects and bytes, how many folders. */
export function confirmLines(targets: ITarget[], count: CountResponse, trans: TranslationBundle): string[] {
  const what =
    targets.length === 1 ? `"${targets[0].name || targets[0].uri}"` : trans._n('%1 item', '%1 items', targets.length);
  const lines = [
    trans.__('Delete %1?', what),
    count.more
      ? trans.__(
          'This deletes more than %1, more than %2, from EOS (counting stopped there).',
          trans._n('%1 object', '%1 objects', count.objects),
          exactSize(count.bytes, trans)
        )
      : trans.__(
          'This deletes %1, %2, from EOS.',
          trans._n('%1 object', '%1 objects', count.objects),
          exactSize(count.bytes, trans)
        )
  ];
  if (count.folders > 0) {
    lines.push(
      trans._n(
        '%1 folder and everything in it will be deleted.',
        '%1 folders and everything in them will be deleted.',
        count.folders
      )
    );
  }
  lines.push(trans.__('This cannot be undone.'));
  return lines;
}

/** The body of the confirmation: its lines, then the URIs. */
function confirmBody(targets: ITarget[], count: CountResponse, trans: TranslationBundle): Widget {
  const node = document.createElement('div');
  node.className = 'jp-EosDialog-confirm';
  for (const line of confirmLines(targets, count, trans)) {
    const p = document.createElement('p');
    p.textContent = line;
    node.appendChild(p);
  }
  const list = document.createElement('ul');
  list.className = 'jp-EosDialog-uris';
  for (const target of targets.slice(0, LISTED)) {
    const item = document.createElement('li');
    item.textContent = target.uri;
    list.appendChild(item);
  }
  if (targets.length > LISTED) {
    const item = document.createElement('li');
    item.textContent = trans.__('…and %1 more', targets.length - LISTED);
    list.appendChild(item);
  }
  node.appendChild(list);
  return new Widget({ node });
}

/** Register `eos:delete`. */
export function addDeleteCommand(commands: CommandRegistry, context: ICommandContext): IDisposable {
  const { model, trans, settings } = context;

  const deletable = (args: ReadonlyPartialJSONObject): ITarget[] => {
    const targets = targetsOf(model, args);
    const ok = targets.length > 0 && targets.every(t => !t.isRoot && isWritable(t, model.context));
    // An item inside a selected folder goes with the folder: count it once.
    const folders = targets.filter(t => t.kind === 'folder').map(t => t.uri);
    return ok ? targets.filter(t => !folders.some(f => f !== t.uri && t.uri.startsWith(f))) : [];
  };

  return commands.addCommand(CommandIDs.deleteItems, {
    label: paletteLabel(trans, trans.__('Delete')),
    caption: trans.__('Delete the selected EOS items and everything in them (counted and confirmed first)'),
    icon: deleteIcon,
    describedBy: uriArgs(trans.__('The e:// URIs to delete; the selection by default')),
    isEnabled: args => deletable(args).length > 0,
    execute: async args => {
      const targets = deletable(args);
      if (targets.length === 0) {
        return;
      }
      const uris = targets.map(t => t.uri);
      let count: CountResponse;
      try {
        count = await context.request(Routes.count, { body: { uris } });
      } catch (reason) {
        notifyError(reason, trans, trans.__('Cannot delete'));
        return;
      }
      const parents = [...new Set(targets.map(t => t.parent).filter((p): p is string => p !== null))];
      if (count.objects === 0) {
        Notification.info(trans.__('Nothing to delete: the selected items hold no objects.'), { autoClose: 5000 });
        await Promise.all(parents.map(p => model.refresh(p)));
        return;
      }
      if (settings.values.confirmDelete) {
        const result = await showDialog({
          title: targets.length === 1 ? trans.__('Delete') : trans.__('Delete %1 Items', targets.length),
          body: confirmBody(targets, count, trans),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.warnButton({ label: trans.__('Delete') })
          ],
          defaultButton: 0
        });
        if (!result.button.accept) {
          return;
        }
      }
      let job: Job;
      try {
        job = await context.request(Routes.delete, { body: { uris, recursive: true } });
      } catch (reason) {
        notifyError(reason, trans, trans.__('Cannot delete'));
        return;
      }
      await followJob(job, context, {
        running: j => trans.__('Deleting… %1', jobProgress(j, trans)),
        done: j => trans._n('Deleted %1 object', 'Deleted %1 objects', j.objects.done),
        failed: trans.__('Cannot delete'),
        cancelled: j => trans.__('Delete cancelled after %1', jobProgress(j, trans))
      });
      await Promise.all(parents.map(p => model.refresh(p)));
    }
  });
}

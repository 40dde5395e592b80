/**
 * `eos:import-url`: files from http(s) URLs into the selected EOS folder,
 * streamed by the service (nothing on the local disk), as a job followed in
 * a notification and the Transfers panel.
 */
import { linkIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';

import { Job, Routes } from '../../core';
import { askImport } from '../dialogs/importurl';
import { notifyError } from '../errors';
import { CommandIDs } from '../tokens';
import { ICommandContext, paletteLabel, uriArgs } from './context';
import { writableFolder } from './folder';
import { followJob, jobProgress } from './jobs';

/** Register `eos:import-url`. */
export function addImportUrlCommand(commands: CommandRegistry, context: ICommandContext): IDisposable {
  const { model, trans } = context;
  return commands.addCommand(CommandIDs.importUrl, {
    label: paletteLabel(trans, trans.__('Import from URL…')),
    caption: trans.__('Copy files from http(s) URLs into the selected EOS folder, without the local disk'),
    icon: linkIcon,
    describedBy: uriArgs(trans.__('The folder (or an object in it) to import into; the selection by default')),
    isEnabled: args => writableFolder(model, args) !== null,
    execute: async args => {
      const folder = writableFolder(model, args);
      if (!folder) {
        return;
      }
      const input = await askImport(folder.uri, trans);
      if (input === null) {
        return;
      }
      const what = input.urls.length === 1 ? (input.name ?? input.urls[0]) : trans.__('%1 URLs', input.urls.length);
      let job: Job;
      try {
        job = await context.request(Routes.importUrls, {
          body: { urls: input.urls, destination: folder.uri, name: input.name, conflict: 'ask' }
        });
      } catch (reason) {
        notifyError(reason, trans, trans.__('Cannot import %1', what));
        return;
      }
      await followJob(job, context, {
        running: j => trans.__('Importing %1… %2', what, jobProgress(j, trans)),
        done: () => trans.__('Imported %1 to %2', what, folder.uri),
        failed: trans.__('Cannot import %1', what),
        cancelled: j => trans.__('Import of %1 cancelled after %2', what, jobProgress(j, trans))
      });
    }
  });
}

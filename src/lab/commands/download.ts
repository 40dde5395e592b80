/**
 * `eos:download-to-computer`: the browser downloads the selected objects
 * straight from S3 through presigned URLs that name the file
 * (`Content-Disposition: attachment`); no bytes pass through the server.
 */
import { Notification } from '@jupyterlab/apputils';
import { downloadIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';

import { CommandIDs } from '../tokens';
import { ICommandContext, paletteLabel, targetsOf, uriArgs } from './context';
import { presignTargets } from './copy';

/** Start the browser's download of `url` (a hidden `<a download>`). */
export function startDownload(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Register `eos:download-to-computer`. */
export function addDownloadCommand(commands: CommandRegistry, context: ICommandContext): IDisposable {
  const { model, trans } = context;
  const folderMessage = trans.__(
    "Folders cannot be downloaded to your computer: download the folder to the server's disk, then zip it there"
  );
  const hasFolder = (args: Parameters<typeof targetsOf>[1]) => targetsOf(model, args).some(t => t.kind === 'folder');
  return commands.addCommand(CommandIDs.downloadToComputer, {
    label: paletteLabel(trans, trans.__('Download to Computer')),
    caption: args => (hasFolder(args) ? folderMessage : trans.__('Download the selected EOS objects to your computer')),
    icon: downloadIcon,
    describedBy: uriArgs(trans.__('The e:// URIs of the objects; the selection by default')),
    isEnabled: args => {
      const targets = targetsOf(model, args);
      return targets.length > 0 && targets.every(t => t.kind === 'object');
    },
    execute: async args => {
      const targets = targetsOf(model, args);
      if (targets.some(t => t.kind === 'folder')) {
        Notification.warning(folderMessage, { autoClose: 8000 });
        return;
      }
      const answers = await presignTargets(context, targets, true, trans.__('Cannot download'));
      if (!answers) {
        return;
      }
      answers.forEach((answer, i) => startDownload(answer.url, targets[i].name));
      const message =
        targets.length === 1
          ? trans.__('Downloading %1 to your computer', targets[0].name)
          : trans.__('Downloading %1 files to your computer', targets.length);
      Notification.info(message, { autoClose: 4000 });
    }
  });
}

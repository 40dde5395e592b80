/**
 * The transfers commands: upload files or a folder from the computer into
 * the selected EOS folder, show the Transfers panel, clear finished transfers.
 */
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon, clearIcon, fileUploadIcon, folderIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { DisposableSet, IDisposable } from '@lumino/disposable';

import { Job } from '../../core';
import { folderOf, isWritable, paletteLabel, targetsOf, uriArgs } from '../commands/context';
import { notifyError } from '../errors';
import { CommandIDs, IEosBrowserModel } from '../tokens';
import { ILocalFile } from './computer';
import { TransfersModel } from './model';

/** The folder an upload goes into: the selected folder, the selected item's folder, or My files. */
export function uploadFolderOf(model: IEosBrowserModel | null, args: ReadonlyPartialJSONObject): string {
  const home = 'e://users/me/';
  const target = model ? targetsOf(model, args)[0] : undefined;
  return (target && folderOf(target)) ?? home;
}

/** Whether the user may write into `folder`. */
function writable(model: IEosBrowserModel | null, folder: string): boolean {
  if (!model) {
    return true; // the service decides
  }
  const target = targetsOf(model, { uri: folder })[0];
  return target !== undefined && isWritable(target, model.context) && !(folder === 'e://' || folder === 'e://users/');
}

/** Let the user pick files (or one folder, with its subfolders) from the computer. */
export function pickFiles(folder: boolean): Promise<ILocalFile[]> {
  return new Promise(resolve => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    if (folder) {
      input.webkitdirectory = true;
    }
    input.style.display = 'none';
    input.className = 'jp-EosTransfers-fileInput';
    const done = (files: ILocalFile[]) => {
      input.remove();
      resolve(files);
    };
    input.addEventListener('change', () =>
      done(Array.from(input.files ?? []).map(file => ({ file, relativePath: file.webkitRelativePath || file.name })))
    );
    input.addEventListener('cancel', () => done([]));
    document.body.appendChild(input);
    input.click();
  });
}

/** Register the transfers commands. */
export function addTransfersCommands(commands: CommandRegistry, options: addTransfersCommands.IOptions): IDisposable {
  const { transfers, trans, browser } = options;
  const set = new DisposableSet();
  const upload = (folder: boolean) => async (args: ReadonlyPartialJSONObject) => {
    const destination = uploadFolderOf(browser, args);
    if (!writable(browser, destination)) {
      Notification.warning(trans.__('%1 is read-only: upload into My files or Organization instead', destination), {
        autoClose: 6000
      });
      return null;
    }
    const files = await pickFiles(folder);
    if (files.length === 0) {
      return null;
    }
    // The EOS panel stays in front, where the new rows appear; the status bar shows the progress.
    return options.upload(files, destination);
  };
  const describe = uriArgs(trans.__('The EOS folder (or an item in it) to upload into; the selection by default'));
  const uploads: [string, boolean, string, (where: string) => string, LabIcon][] = [
    [
      CommandIDs.uploadFiles,
      false,
      trans.__('Upload Files…'),
      where => trans.__('Upload files from your computer to %1', where),
      fileUploadIcon
    ],
    [
      CommandIDs.uploadFolder,
      true,
      trans.__('Upload Folder…'),
      where => trans.__('Upload a folder from your computer to %1', where),
      folderIcon
    ]
  ];
  for (const [id, folder, label, caption, icon] of uploads) {
    set.add(
      commands.addCommand(id, {
        label: paletteLabel(trans, label),
        caption: args =>
          writable(browser, uploadFolderOf(browser, args))
            ? caption(uploadFolderOf(browser, args))
            : trans.__('%1 is read-only: select a folder in My files or Organization', uploadFolderOf(browser, args)),
        icon,
        // What the service would refuse is not offered: a read-only place takes no upload.
        isEnabled: args => writable(browser, uploadFolderOf(browser, args)),
        describedBy: describe,
        execute: upload(folder)
      })
    );
  }
  set.add(
    commands.addCommand(CommandIDs.showTransfers, {
      label: args => (args.isPalette ? trans.__('EOS: Show Transfers') : trans.__('EOS Transfers')),
      caption: trans.__('Open the EOS transfers panel'),
      execute: () => options.show()
    })
  );
  set.add(
    commands.addCommand(CommandIDs.clearTransfers, {
      label: paletteLabel(trans, trans.__('Clear Finished Transfers')),
      caption: trans.__('Remove finished, failed and cancelled transfers from the list'),
      icon: clearIcon,
      isEnabled: () => transfers.jobs.some(job => job.state !== 'running'),
      execute: async () => {
        try {
          await transfers.clear();
        } catch (reason) {
          notifyError(reason, trans, trans.__('Cannot clear'));
        }
      }
    })
  );
  return set;
}

/** The namespace for `addTransfersCommands` statics. */
export namespace addTransfersCommands {
  /** What the commands need. */
  export interface IOptions {
    transfers: TransfersModel;
    trans: TranslationBundle;
    /** The EOS browser, for the selected folder; without it uploads go to My files. */
    browser: IEosBrowserModel | null;
    /** Open the Transfers panel. */
    show: () => void;
    /** Upload files into an `e://` folder. */
    upload: (files: ILocalFile[], folder: string) => Promise<Job | null>;
  }
}

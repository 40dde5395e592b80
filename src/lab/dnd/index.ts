/**
 * The plugin that moves data by drag and drop and by the transfer menus:
 * drops on the EOS tree, EOS items dropped on JupyterLab's file browser,
 * sidebar tabs opening under a drag, and the transfer commands.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { PALETTE_ARGS, makeContext } from '../commands/context';
import {
  ILocalBrowser,
  ITransferContext,
  TRANSFER_PALETTE_COMMANDS,
  addTransferCommands,
  moveInEos,
  rememberFolder,
  transfer
} from '../commands/transfer';
import { notifyError } from '../errors';
import { filesFromDataTransfer } from '../transfers/computer';
import { IEosBrowser, IEosDropActions, ITransfers } from '../tokens';
import { FileBrowserDrop } from './filebrowser';
import { isOtherDrive } from './mime';
import { SidebarHoverOpener } from './sidebar';
import { TreeDragAndDrop } from './tree';

export { CONTENTS_MIME, EOS_URIS_MIME } from './mime';

/** JupyterLab's file browser as the transfer commands see it. */
export function localBrowser(browser: IDefaultFileBrowser): ILocalBrowser {
  return {
    get path() {
      return browser.model.path;
    },
    selected: () =>
      Array.from(browser.selectedItems())
        .filter(item => !isOtherDrive(item.path))
        .map(item => ({ path: item.path, type: item.type })),
    refresh: () => browser.model.refresh()
  };
}

/** Drag and drop between the EOS tree, the file browser and the computer, and the transfer menus. */
export const transferPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-eos:transfer',
  description:
    'Moves data between the Jupyter server, the computer and EOS: drag and drop on the EOS tree and the file browser, and the Upload, Download and Sync commands.',
  autoStart: true,
  requires: [IEosBrowser],
  optional: [IDefaultFileBrowser, IStateDB, ITranslator, ICommandPalette, ITransfers],
  activate: (
    app: JupyterFrontEnd,
    eos: IEosBrowser,
    fileBrowser: IDefaultFileBrowser | null,
    state: IStateDB | null,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    transfers: ITransfers | null
  ): void => {
    const actions: IEosDropActions | null = transfers
      ? {
          filesFromDataTransfer,
          uploadFromComputer: (files, folder) => transfers.uploadFromComputer(files, folder),
          showJob: job => transfers.model.trackStarted(job),
          showPanel: () => transfers.show()
        }
      : null;
    const trans = (translator ?? nullTranslator).load('jupyterlab_eos');
    const context: ITransferContext = {
      ...makeContext(eos.model, eos.settings, trans, app.serviceManager.serverSettings, eos.jobs),
      local: fileBrowser ? localBrowser(fileBrowser) : null,
      state,
      actions
    };
    addTransferCommands(app.commands, context);
    if (palette) {
      const category = trans.__('EOS');
      TRANSFER_PALETTE_COMMANDS.forEach(command => palette.addItem({ command, category, args: PALETTE_ARGS }));
    }
    const notify = () => TRANSFER_PALETTE_COMMANDS.forEach(id => app.commands.notifyCommandChanged(id));
    eos.model.selectionChanged.connect(notify);
    eos.model.sessionChanged.connect(notify);

    new TreeDragAndDrop({
      node: eos.panel.node,
      model: eos.model,
      trans,
      handlers: {
        upload: (paths, folder) => void transfer(context, { kind: 'upload', sources: paths, destination: folder }),
        move: (uris, folder, copy) => void moveInEos(context, uris, folder, copy),
        canUploadFromComputer: () => actions !== null,
        computer: (dataTransfer, folder) => {
          if (!actions) {
            return;
          }
          // Called while the drop is dispatched: the items are readable only then.
          const files = actions.filesFromDataTransfer(dataTransfer);
          void files
            .then(list => actions.uploadFromComputer(list, folder))
            .then(async job => {
              if (job) {
                // The tree shows the new rows through the service's `folders` event (freshness.ts).
                await rememberFolder(context, folder);
              }
            })
            .catch(reason => notifyError(reason, trans, trans.__('Cannot upload to %1', folder)));
        },
        refused: reason => Notification.warning(reason, { autoClose: 5000 })
      }
    });

    if (fileBrowser) {
      new FileBrowserDrop({
        node: fileBrowser.node,
        path: () => fileBrowser.model.path,
        trans,
        download: (uris, folder) =>
          void transfer(context, { kind: 'download', sources: uris, destination: folder, conflict: 'ask' })
      });
    }
    new SidebarHoverOpener({ activate: id => app.shell.activateById(id) });
  }
};

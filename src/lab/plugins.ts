/**
 * The extension's plugins.
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';

import { PALETTE_COMMANDS, addCommands } from './commands';
import { PALETTE_ARGS } from './commands/context';
import { EosBrowserPanel } from './components/browser';
import { EosBrowserModel } from './model';
import { EosSettings } from './settings';
import { trackState } from './state';
import { CommandIDs, IEosBrowser, ITransfers } from './tokens';
import { addTransfersCommands } from './transfers/commands';
import { ILocalFile, uploadFromComputer } from './transfers/computer';
import { TransfersModel } from './transfers/model';
import { TransfersPanel } from './transfers/panel';
import { TransfersStatus, notifyEndings } from './transfers/status';

/** The EOS sidebar panel and the commands acting on its items. */
export const browserPlugin: JupyterFrontEndPlugin<IEosBrowser> = {
  id: 'jupyterlab-eos:plugin',
  description: 'Adds the EOS sidebar (My files, Organization, Gencove, Users) and the commands acting on its items.',
  autoStart: true,
  provides: IEosBrowser,
  optional: [ILayoutRestorer, ICommandPalette, ITranslator, ISettingRegistry, IStateDB],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    registry: ISettingRegistry | null,
    stateDB: IStateDB | null
  ): IEosBrowser => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_eos');
    const settings = new EosSettings();
    registry
      ?.load(browserPlugin.id)
      .then(loaded => settings.follow(loaded))
      .catch(reason => console.warn('jupyterlab-eos: settings could not be loaded; using the defaults', reason));
    const model = new EosBrowserModel({ serverSettings: app.serviceManager.serverSettings, translator, settings });
    const panel = new EosBrowserPanel({ model, commands: app.commands, translator });
    if (stateDB) {
      void trackState(stateDB, model, panel);
    }
    // The right sidebar: the file browser (left) and EOS are visible together, for drag and drop.
    app.shell.add(panel, 'right', { rank: 50 });
    restorer?.add(panel, panel.id);

    addCommands(app.commands, model, trans, {
      settings,
      serverSettings: app.serviceManager.serverSettings,
      shell: app.shell,
      panel
    });
    if (palette) {
      const category = trans.__('EOS');
      PALETTE_COMMANDS.forEach(command => palette.addItem({ command, category, args: PALETTE_ARGS }));
    }
    return { model, panel, settings };
  }
};

/** The Transfers panel, its status-bar item and notifications, and uploads from the computer. */
export const transfersPlugin: JupyterFrontEndPlugin<ITransfers> = {
  id: 'jupyterlab-eos:transfers',
  description:
    'Adds the EOS Transfers panel (progress, cancel, retry, conflicts), its status-bar item, uploads from the computer and downloads to it.',
  autoStart: true,
  provides: ITransfers,
  optional: [IEosBrowser, ILayoutRestorer, ICommandPalette, ITranslator, IStatusBar],
  activate: (
    app: JupyterFrontEnd,
    browser: IEosBrowser | null,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    statusBar: IStatusBar | null
  ): ITransfers => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_eos');
    const serverSettings = app.serviceManager.serverSettings;
    const model = new TransfersModel({ serverSettings });
    const panel = new TransfersPanel({ model, translator });
    // The bottom panel: visible together with the file browser (left) and the EOS panel (right).
    app.shell.add(panel, 'down', { rank: 1000 });
    restorer?.add(panel, panel.id);
    model.start();
    const show = () => app.shell.activateById(panel.id);
    const upload = (files: ILocalFile[], folder: string) =>
      uploadFromComputer({ serverSettings, transfers: model, trans }, files, folder);

    addTransfersCommands(app.commands, { transfers: model, trans, browser: browser?.model ?? null, show, upload });
    model.changed.connect(() => app.commands.notifyCommandChanged(CommandIDs.clearTransfers));
    notifyEndings(model, trans, show);
    // A job waiting for an answer shows the panel, where the question is asked (once per question).
    const asked = new Set<string>();
    model.changed.connect(() => {
      for (const job of model.jobs) {
        if (job.question && !asked.has(job.question.id)) {
          asked.add(job.question.id);
          show();
        }
      }
    });
    if (statusBar) {
      const item = new TransfersStatus(model, trans, show);
      const activeChanged = new Signal<TransfersModel, void>(model);
      model.changed.connect(() => activeChanged.emit());
      statusBar.registerStatusItem(transfersPlugin.id, {
        item,
        align: 'left',
        rank: 5,
        isActive: () => model.running.length > 0,
        activeStateChanged: activeChanged
      });
    }
    if (palette) {
      const category = trans.__('EOS');
      [CommandIDs.showTransfers, CommandIDs.clearTransfers, CommandIDs.uploadFiles, CommandIDs.uploadFolder].forEach(
        command => palette.addItem({ command, category })
      );
    }
    return { model, panel, uploadFromComputer: upload };
  }
};

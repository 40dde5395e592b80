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
import { TreeFreshness } from './freshness';
import { EosBrowserModel } from './model';
import { EosSettings } from './settings';
import { showOnFirstVisit, trackState } from './state';
import { CommandIDs, IEosBrowser, ITransfers } from './tokens';
import { addTransfersCommands } from './transfers/commands';
import { ILocalFile, uploadFromComputer } from './transfers/computer';
import { TransfersModel } from './transfers/model';
import { TransfersPanel } from './transfers/panel';
import { TransfersStatus, notifyEndings } from './transfers/status';
import { notifyQuestions } from './transfers/notices';
import { notifyError } from './errors';

/** The Transfers panel's rank in the right sidebar: after the EOS panel (50). */
export const TRANSFERS_RANK = 60;

/**
 * The EOS sidebar panel, its model and the user's settings. Its id stays
 * `jupyterlab-eos:plugin`: schema/plugin.json (the settings, menus and
 * shortcuts) is keyed by it, and users' stored settings with it.
 */
export const browserPlugin: JupyterFrontEndPlugin<IEosBrowser> = {
  id: 'jupyterlab-eos:plugin',
  description: 'Adds the EOS sidebar (My files, Organization, Gencove, Users), its tree model and the EOS settings.',
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
    // One jobs model for the page, fed by the service's event stream: the
    // commands follow their jobs in it and the Transfers panel shows it.
    const jobs = new TransfersModel({ serverSettings: app.serviceManager.serverSettings });
    jobs.start();
    // One freshness rule: what the service (or an `eos` command) wrote shows in the tree.
    const freshness = new TreeFreshness(model);
    jobs.foldersChanged.connect((_, changes) => freshness.invalidate(changes));
    if (stateDB) {
      void trackState(stateDB, model, panel);
    }
    // The right sidebar: the file browser (left) and EOS are visible together, for drag and drop.
    app.shell.add(panel, 'right', { rank: 50 });
    restorer?.add(panel, panel.id);
    app.commands.addCommand(CommandIDs.showBrowser, {
      label: args => (args.isPalette ? trans.__('EOS: Show Browser') : trans.__('EOS Browser')),
      caption: trans.__('Show the EOS panel: My files, Organization, Gencove, Users'),
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({ command: CommandIDs.showBrowser, category: trans.__('EOS'), args: PALETTE_ARGS });
    if (stateDB) {
      showOnFirstVisit(stateDB, app.restored, () => app.shell.activateById(panel.id)).catch(reason =>
        console.warn('jupyterlab-eos: could not tell whether this workspace saw the EOS panel', reason)
      );
    }
    return { model, panel, settings, jobs };
  }
};

/** The commands acting on EOS items (copy, new folder, rename, delete, download, properties, refresh, go to). */
export const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-eos:commands',
  description:
    'Adds the commands acting on EOS items: copy URIs and code, new folder, rename or move, delete, download to the computer, properties, refresh, go to a location.',
  autoStart: true,
  requires: [IEosBrowser],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    browser: IEosBrowser,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_eos');
    addCommands(app.commands, browser.model, trans, {
      settings: browser.settings,
      serverSettings: app.serviceManager.serverSettings,
      shell: app.shell,
      panel: browser.panel,
      jobs: browser.jobs
    });
    // The panel's header may already show eos:refresh-all: a toolbar button redraws on 'changed', not 'added'.
    app.commands.notifyCommandChanged(CommandIDs.refreshAll);
    if (palette) {
      const category = trans.__('EOS');
      PALETTE_COMMANDS.forEach(command => palette.addItem({ command, category, args: PALETTE_ARGS }));
    }
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
    const model = browser?.jobs ?? new TransfersModel({ serverSettings });
    const panel = new TransfersPanel({ model, translator });
    // The right sidebar, under EOS: a sidebar panel survives Close All Tabs and
    // comes back with the layout; the status-bar item shows progress while the
    // EOS panel is in front, and questions are answered in their notifications.
    const place = () => {
      if (!panel.isAttached && panel.parent === null) {
        app.shell.add(panel, 'right', { rank: TRANSFERS_RANK });
      }
    };
    place();
    restorer?.add(panel, panel.id);
    model.start();
    /** Bring the panel into view, putting it back first if something took it out of the shell. */
    const show = () => {
      place();
      app.shell.activateById(panel.id);
    };
    const upload = (files: ILocalFile[], folder: string) =>
      uploadFromComputer({ serverSettings, transfers: model, trans }, files, folder);

    addTransfersCommands(app.commands, { transfers: model, trans, browser: browser?.model ?? null, show, upload });
    model.changed.connect(() => app.commands.notifyCommandChanged(CommandIDs.clearTransfers));
    // Whether an upload is offered follows the selected folder (read-only places take none).
    const notifyUploads = () =>
      [CommandIDs.uploadFiles, CommandIDs.uploadFolder].forEach(id => app.commands.notifyCommandChanged(id));
    browser?.model.selectionChanged.connect(notifyUploads);
    browser?.model.sessionChanged.connect(notifyUploads);
    notifyEndings(model, trans, show);
    // A question of a job no command follows (a computer upload, another tab's
    // job) is asked in a notification with its answers: no panel needs to be open.
    const questions = notifyQuestions(
      () => model.jobs,
      (job, choice) =>
        model
          .answer(job.id, job.question!.id, choice)
          .catch(reason => notifyError(reason, trans, trans.__('Cannot answer'))),
      trans,
      show
    );
    model.changed.connect(questions);
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
        command => palette.addItem({ command, category, args: PALETTE_ARGS })
      );
    }
    return { model, panel, show, uploadFromComputer: upload };
  }
};

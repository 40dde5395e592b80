/**
 * The extension's plugins.
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { PALETTE_COMMANDS, addCommands } from './commands';
import { EosBrowserPanel } from './components/browser';
import { EosBrowserModel } from './model';
import { EosSettings } from './settings';
import { trackState } from './state';
import { IEosBrowser } from './tokens';

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
      PALETTE_COMMANDS.forEach(command => palette.addItem({ command, category }));
    }
    return { model, panel, settings };
  }
};

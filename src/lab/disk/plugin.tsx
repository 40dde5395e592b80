/**
 * The disk gauge plugin: the status-bar item, the bar in the EOS panel's
 * header, the notifications when usage crosses a threshold upward, and the
 * free-up-space view (`eos:free-up-space`).
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, Notification, WidgetTracker } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { IStateDB } from '@jupyterlab/statedb';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, TranslationBundle, nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { PALETTE_ARGS, makeContext, paletteLabel } from '../commands/context';
import { EosBrowserPanel } from '../components/browser';
import { formatSize } from '../components/format';
import { CommandIDs, IEosBrowser, ITransfers } from '../tokens';
import { FreeSpaceState } from './freespace';
import { FreeSpaceWidget } from './freespaceview';
import { DiskBar, DiskStatus } from './gauge';
import { DiskModel, IDiskCrossing } from './model';

const PLUGIN_ID = 'jupyterlab-eos:disk';

/** The notification of a crossing, with a "Free up space" action. */
export function notifyCrossing(crossing: IDiskCrossing, trans: TranslationBundle, freeUp: () => void): string {
  const { view, to } = crossing;
  const figures = trans.__('%1 of %2', formatSize(view.used), formatSize(view.capacity));
  const actions: Notification.IAction[] = [
    { label: trans.__('Free up space'), caption: trans.__('Show the largest local items'), callback: freeUp }
  ];
  if (to === 'critical') {
    return Notification.error(
      trans.__(
        'The local disk is almost full: %1% used (%2). Move large files to EOS before work fails.',
        Math.round(view.percent),
        figures
      ),
      { autoClose: false, actions }
    );
  }
  return Notification.warning(
    trans.__('The local disk is %1% full (%2). Consider moving large files to EOS.', Math.round(view.percent), figures),
    { autoClose: false, actions }
  );
}

/** Show a local item in JupyterLab's file browser: its folder opened, the item selected. */
function revealLocal(app: JupyterFrontEnd, fileBrowser: IDefaultFileBrowser, path: string): void {
  const cut = path.lastIndexOf('/');
  app.shell.activateById(fileBrowser.id);
  void fileBrowser.model
    .cd(`/${cut < 0 ? '' : path.slice(0, cut)}`)
    .then(() => fileBrowser.selectItemByName(path.slice(cut + 1)))
    .catch(reason => console.warn('jupyterlab-eos: cannot reveal', path, reason));
}

/** `eos:free-up-space`: the one free-up-space view, in the main area, brought back with the layout. */
function addFreeUpSpaceCommand(
  app: JupyterFrontEnd,
  trans: TranslationBundle,
  makeContent: () => FreeSpaceWidget,
  restorer: ILayoutRestorer | null
): void {
  let view: MainAreaWidget<FreeSpaceWidget> | null = null;
  // The view is part of the layout: a reload or a workspace brings it back.
  const views = new WidgetTracker<MainAreaWidget<FreeSpaceWidget>>({ namespace: 'eos-free-space' });
  void restorer?.restore(views, { command: CommandIDs.freeUpSpace, name: () => 'free-space' });
  app.commands.addCommand(CommandIDs.freeUpSpace, {
    label: paletteLabel(trans, trans.__('Free Up Local Disk Space…')),
    caption: trans.__('Show the largest local files and folders, to move them to EOS or delete them'),
    execute: () => {
      if (!view || view.isDisposed) {
        view = new MainAreaWidget({ content: makeContent() });
        view.id = 'eos-free-space';
        view.title.label = trans.__('Free Up Space');
        view.title.caption = trans.__('The largest local items of the Jupyter root');
        view.title.closable = true;
        app.shell.add(view, 'main');
        void views.add(view);
      }
      app.shell.activateById(view.id);
    }
  });
}

/**
 * Say when usage crosses a threshold upward: one notification at a time; it
 * goes away once usage is back below the level it announced.
 */
function notifyCrossings(disk: DiskModel, trans: TranslationBundle, freeUp: () => void): void {
  let notified: { id: string; level: 'warn' | 'critical' } | null = null;
  disk.crossed.connect((_, crossing) => {
    if (notified) {
      Notification.dismiss(notified.id);
    }
    notified = {
      id: notifyCrossing(crossing, trans, freeUp),
      level: crossing.to === 'critical' ? 'critical' : 'warn'
    };
  });
  disk.changed.connect(() => {
    const level = disk.view?.level;
    if (notified && (level === 'ok' || (level === 'warn' && notified.level === 'critical'))) {
      Notification.dismiss(notified.id);
      notified = null;
    }
  });
}

/** The local disk gauge and the free-up-space view. */
export const diskPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Adds the local disk gauge (status bar and EOS panel header), warnings when the disk fills, and the free-up-space view (move the largest local items to EOS or delete them).',
  autoStart: true,
  requires: [IEosBrowser],
  optional: [ITranslator, IStatusBar, IStateDB, ICommandPalette, IDefaultFileBrowser, ITransfers, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    browser: IEosBrowser,
    translator: ITranslator | null,
    statusBar: IStatusBar | null,
    stateDB: IStateDB | null,
    palette: ICommandPalette | null,
    fileBrowser: IDefaultFileBrowser | null,
    transfers: ITransfers | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_eos');
    const serverSettings = app.serviceManager.serverSettings;
    const disk = new DiskModel({ settings: browser.settings, serverSettings, state: stateDB });
    const context = makeContext(browser.model, browser.settings, trans, serverSettings, browser.jobs);

    const reveal = (path: string) => fileBrowser && revealLocal(app, fileBrowser, path);
    const makeContent = () => new FreeSpaceWidget(new FreeSpaceState({ disk, context, reveal }));
    addFreeUpSpaceCommand(app, trans, makeContent, restorer);
    const freeUp = () => void app.commands.execute(CommandIDs.freeUpSpace);
    palette?.addItem({ command: CommandIDs.freeUpSpace, category: trans.__('EOS'), args: PALETTE_ARGS });

    if (statusBar) {
      statusBar.registerStatusItem(PLUGIN_ID, {
        item: new DiskStatus(disk, trans, freeUp),
        align: 'left',
        rank: 4
      });
    }
    if (browser.panel instanceof EosBrowserPanel) {
      browser.panel.addHeaderItem(() => <DiskBar model={disk} trans={trans} onClick={freeUp} />);
    }
    notifyCrossings(disk, trans, freeUp);
    // The service tells when it wrote to or deleted from the disk: the gauge follows within seconds.
    transfers?.model.diskChanged.connect(() => disk.stale());
    void disk.start();
  }
};

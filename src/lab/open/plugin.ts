/**
 * The plugin opening EOS files in JupyterLab: the EOS drive in the contents
 * manager, double-click and Enter in the tree, Open With, Peek, new files,
 * and a note on documents opened from EOS (read-only; where the kernel runs).
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { IDocumentManager, IDocumentWidgetOpener } from '@jupyterlab/docmanager';
import { IDocumentWidget } from '@jupyterlab/docregistry';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { Menu, Widget } from '@lumino/widgets';

import { DEFAULT_OPEN_LIMIT, DRIVE_NAME, MAX_OPEN_LIMIT, uriOfDrivePath } from '../../core';
import { PALETTE_ARGS, makeContext } from '../commands/context';
import { CommandIDs, IEosBrowser } from '../tokens';
import { addOpenCommands } from './commands';
import { followExplicitSaves, openTreePath, takeTreePath } from './documents';
import { EosDrive } from './drive';
import { registerGenomicsTypes } from './filetypes';

/** The settings of this plugin, live. */
class OpenSettings {
  limit = DEFAULT_OPEN_LIMIT;
  records = 20;
  /** The local folder kernels of EOS documents start in, relative to the Jupyter root ('' the root). */
  kernelFolder = '';

  follow(settings: ISettingRegistry.ISettings): void {
    const read = () => {
      const mb = settings.get('openLimitMB').composite as number;
      this.limit = Math.min(Math.round(mb * 1000 ** 2), MAX_OPEN_LIMIT);
      this.records = settings.get('peekRecords').composite as number;
      this.kernelFolder = (settings.get('kernelFolder').composite as string | undefined) ?? '';
    };
    read();
    settings.changed.connect(read);
  }
}

const OBJECT_ROW = ".jp-EosBrowser-item[data-kind='object']";

/** Opening EOS files in JupyterLab's editors and viewers, and Peek. */
export const openPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-eos:open',
  description:
    "Opens EOS files in JupyterLab's editors, notebook and viewers through an EOS drive (saved back with conditional writes), and peeks into big genomics files; registers the genomics file types (icons in every file browser).",
  autoStart: true,
  requires: [IEosBrowser, IDocumentManager],
  optional: [ITranslator, ISettingRegistry, IDocumentWidgetOpener, ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    browser: IEosBrowser,
    docManager: IDocumentManager,
    translator: ITranslator | null,
    registry: ISettingRegistry | null,
    opener: IDocumentWidgetOpener | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('jupyterlab_eos');
    registerGenomicsTypes(app.docRegistry);
    const settings = new OpenSettings();
    registry
      ?.load(openPlugin.id)
      .then(loaded => settings.follow(loaded))
      .catch(reason => console.warn('jupyterlab-eos: open settings could not be loaded; using the defaults', reason));
    const serverSettings = app.serviceManager.serverSettings;
    const drive = new EosDrive({ serverSettings, limit: () => settings.limit });
    app.serviceManager.contents.addDrive(drive);
    // `/lab/tree/EOS:...` URLs (reload, bookmarks) open EOS documents as they do local ones.
    const treePath = takeTreePath();
    if (treePath !== null) {
      void app.restored.then(() => openTreePath(treePath, docManager, trans));
    }
    followExplicitSaves({
      commands: app.commands,
      docManager,
      drive,
      current: () => app.shell.currentWidget,
      all: () => app.shell.widgets('main')
    });
    const { model } = browser;

    // A saved or new file shows in the tree.
    drive.fileChanged.connect((_, change) => {
      const path = change.newValue?.path;
      if (path) {
        const uri = uriOfDrivePath(path);
        void model.refresh(uri.slice(0, uri.lastIndexOf('/') + 1)).catch(() => undefined);
      }
    });

    const context = makeContext(model, browser.settings, trans, serverSettings, browser.jobs);
    // Peek views are part of the layout: a reload or a workspace brings them back, reading again.
    const peeks = new WidgetTracker<MainAreaWidget>({ namespace: 'eos-peek' });
    void restorer?.restore(peeks, {
      command: CommandIDs.peek,
      args: widget => ({ uri: widget.title.caption }),
      name: widget => widget.title.caption
    });
    addOpenCommands(app.commands, context, {
      docManager,
      limit: () => settings.limit,
      records: () => settings.records,
      addToMainArea: (widget: MainAreaWidget) => {
        app.shell.add(widget, 'main');
        void peeks.add(widget);
        app.shell.activateById(widget.id);
      }
    });
    listenToTree(app, browser.panel);
    addOpenWithMenu(app, browser, trans);
    opener?.opened.connect((_, widget) => describeDocument(widget, docManager, trans, settings.kernelFolder));
    if (palette) {
      const category = trans.__('EOS');
      [CommandIDs.open, CommandIDs.peek, CommandIDs.newFile, CommandIDs.newNotebook].forEach(command =>
        palette.addItem({ command, category, args: PALETTE_ARGS })
      );
    }
  }
};

/** Double-click on an object row, or Enter on a focused one, opens it. */
function listenToTree(app: JupyterFrontEnd, panel: Widget): void {
  const uriOf = (target: EventTarget | null): string | null => {
    const row = target instanceof Element ? target.closest(OBJECT_ROW) : null;
    return row?.getAttribute('data-uri') ?? null;
  };
  panel.node.addEventListener('dblclick', event => {
    const uri = uriOf(event.target);
    if (uri !== null) {
      void app.commands.execute(CommandIDs.open, { uri });
    }
  });
  // Capture: the tree's own key handler stops Enter from bubbling.
  panel.node.addEventListener(
    'keydown',
    event => {
      const uri = event.key === 'Enter' && !event.altKey && !event.ctrlKey ? uriOf(event.target) : null;
      if (uri !== null && (event.target as Element).getAttribute('role') === 'treeitem') {
        void app.commands.execute(CommandIDs.open, { uri });
      }
    },
    true
  );
}

/** "Open With" in the context menu of an object: the viewers JupyterLab has for its name. */
function addOpenWithMenu(app: JupyterFrontEnd, browser: IEosBrowser, trans: TranslationBundle): void {
  const openWith = new Menu({ commands: app.commands });
  openWith.title.label = trans.__('Open With');
  app.contextMenu.addItem({ type: 'submenu', submenu: openWith, selector: OBJECT_ROW, rank: 0.2 });
  app.contextMenu.opened.connect(() => {
    openWith.clearItems();
    const selection = browser.model.selection;
    if (selection.length !== 1 || selection[0].kind !== 'object') {
      return;
    }
    const path = EosDrive.pathOf(selection[0].uri);
    for (const factory of app.docRegistry.preferredWidgetFactories(path)) {
      openWith.addItem({
        command: CommandIDs.openWith,
        args: { factory: factory.name, label: factory.label || factory.name }
      });
    }
  });
}

/** The documents that have their note. */
const described = new WeakSet<IDocumentWidget>();

/**
 * Say on a document opened from EOS where it lives, whether it is read-only,
 * and where its kernel runs (the server starts it in `kernelFolder`, see
 * jupyterlab_eos/kernels.py).
 */
export function describeDocument(
  widget: IDocumentWidget,
  docManager: IDocumentManager,
  trans: TranslationBundle,
  kernelFolder: string
): void {
  const path = widget.context.path;
  // `opened` is emitted again each time an open document is revealed (a tree URL after a restore).
  if (!path.startsWith(`${DRIVE_NAME}:`) || described.has(widget)) {
    return;
  }
  described.add(widget);
  const uri = uriOfDrivePath(docManager.services.contents.localPath(path));
  widget.title.caption = uri;
  void widget.context.ready.then(() => {
    if (widget.isDisposed) {
      return;
    }
    const short = [trans.__('EOS: %1', uri)];
    const long = [trans.__('Opened from %1', uri)];
    if (!widget.context.contentsModel?.writable) {
      short.push(trans.__('read-only'));
      long.push(trans.__('Read-only: changes cannot be saved here (use Save As to keep a copy elsewhere)'));
    }
    if (widget.context.contentsModel?.type === 'notebook') {
      const folder = kernelFolder.replace(/^\/+|\/+$/g, '');
      if (folder === '') {
        short.push(trans.__('kernel in the Jupyter root'));
        long.push(trans.__('The kernel runs in the Jupyter root folder: relative paths are local files, not EOS'));
      } else {
        short.push(trans.__('kernel in %1', folder));
        long.push(trans.__('The kernel runs in the local folder %1: relative paths are local files, not EOS', folder));
      }
    }
    const note = new Widget();
    note.addClass('jp-EosDocNote');
    note.node.textContent = short.join(' · ');
    note.node.title = long.join('\n');
    note.node.setAttribute('aria-label', long.join('. '));
    // Above the content: the toolbar would fold it away when narrow.
    if (widget instanceof MainAreaWidget) {
      widget.contentHeader.addWidget(note);
    } else {
      widget.toolbar.addItem('eos-note', note);
    }
  });
}

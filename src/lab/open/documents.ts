/**
 * EOS documents in JupyterLab's own document lifecycle, as local ones are:
 * `/lab/tree/EOS:...` URLs (a reload with one active, a bookmark) open
 * them, and an explicit save writes even when the drive would skip an
 * unchanged document.
 */
import { PageConfig } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import type { Widget } from '@lumino/widgets';

import { DRIVE_NAME, uriOfDrivePath } from '../../core';
import { notifyError } from '../errors';
import { EosDrive } from './drive';

/**
 * Take the EOS path of the page's `/lab/tree/EOS:...` URL, if it names one,
 * before JupyterLab routes the URL.
 *
 * JupyterLab opens a tree URL's path with `filebrowser:open-path`, which
 * reads it through the file browser tracked for the path's drive, and
 * dereferences undefined when there is none ("Cannot open"). Tracking a
 * browser for the EOS drive would make it the tracker's current browser (the
 * last one added), the one many file browser commands act on. So the path
 * is taken out of the page config (JupyterLab's tree resolver reads
 * `treePath` from it when the router first routes, after every plugin is
 * activated), JupyterLab restores the page as for `/lab`, and
 * `openTreePath` opens the document.
 */
export function takeTreePath(): string | null {
  const treePath = PageConfig.getOption('treePath');
  if (!treePath.startsWith(`${DRIVE_NAME}:`)) {
    return null;
  }
  PageConfig.setOption('treePath', '');
  return treePath;
}

/** Open (or show, when the workspace restored it) the document of a tree URL's EOS path. */
export async function openTreePath(
  path: string,
  docManager: IDocumentManager,
  trans: TranslationBundle
): Promise<void> {
  const { contents } = docManager.services;
  try {
    await contents.get(path, { content: false });
    docManager.openOrReveal(path);
  } catch (reason) {
    notifyError(reason, trans, trans.__('Cannot open %1', uriOfDrivePath(contents.localPath(path))));
  }
}

/** The command ids of JupyterLab's explicit saves. */
const SAVE = 'docmanager:save';
const SAVE_ALL = 'docmanager:save-all';

/** What `followExplicitSaves` needs. */
export interface IExplicitSaveOptions {
  commands: CommandRegistry;
  docManager: IDocumentManager;
  drive: EosDrive;
  /** The widget File > Save saves. */
  current: () => Widget | null;
  /** The widgets File > Save All saves. */
  all: () => Iterable<Widget>;
}

/**
 * Make File > Save (Ctrl+S, the toolbar button) and Save All write EOS
 * documents even when nothing changed since they were read.
 *
 * `commandExecuted` is emitted as soon as the command starts, before its
 * save reaches the drive (that takes a request at least); the drive writes
 * every save of the path until the command settles.
 */
export function followExplicitSaves(options: IExplicitSaveOptions): IDisposable {
  const { commands, docManager, drive } = options;
  const listener = (_: CommandRegistry, args: CommandRegistry.ICommandExecutedArgs) => {
    if (args.id !== SAVE && args.id !== SAVE_ALL) {
      return;
    }
    const widgets = args.id === SAVE ? [options.current()] : [...options.all()];
    const { contents } = docManager.services;
    for (const widget of widgets) {
      const path = widget ? docManager.contextForWidget(widget)?.path : undefined;
      if (path !== undefined && contents.driveName(path) === DRIVE_NAME) {
        drive.saveAlways(contents.localPath(path), args.result);
      }
    }
  };
  commands.commandExecuted.connect(listener);
  return new DisposableDelegate(() => commands.commandExecuted.disconnect(listener));
}

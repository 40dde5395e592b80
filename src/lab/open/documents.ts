/**
 * EOS documents in JupyterLab's own document lifecycle, as local ones are:
 * `/lab/tree/EOS:...` URLs (reload, bookmarks) and workspace restore find
 * a file browser for the drive, and an explicit save writes even when the
 * drive would skip an unchanged document.
 */
import { IDocumentManager } from '@jupyterlab/docmanager';
import { FileBrowser, IFileBrowserFactory } from '@jupyterlab/filebrowser';
import type { CommandRegistry } from '@lumino/commands';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import type { Widget } from '@lumino/widgets';

import { DRIVE_NAME } from '../../core';
import { EosDrive } from './drive';

/** The id of the EOS drive's file browser (never shown). */
export const DRIVE_BROWSER_ID = 'jp-EosDriveBrowser';

/**
 * Register a file browser for the EOS drive in JupyterLab's file browser
 * tracker, never attached.
 *
 * JupyterLab opens a `/lab/tree/<path>` URL (a reload with a document
 * active, a bookmark) with `filebrowser:open-path`, which takes the file
 * browser whose drive is the path's and reads the path through it; with no
 * browser for `EOS:` it dereferences undefined ("Cannot open"). With this
 * one the URL opens the document, `filebrowser:go-to-path` and "Open from
 * Path…" accept `EOS:` paths too. The EOS panel stays the place to browse:
 * this browser lists a folder only when JupyterLab navigates it there (and
 * refreshes it at most every 5 minutes after a save in it).
 */
export function addDriveBrowser(factory: IFileBrowserFactory): FileBrowser {
  return factory.createFileBrowser(DRIVE_BROWSER_ID, {
    driveName: DRIVE_NAME,
    // Nothing listed until JupyterLab navigates it; no saved folder to restore (it is not shown).
    auto: false,
    state: null,
    refreshInterval: 300 * 1000
  });
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

/**
 * EOS items dropped on JupyterLab's file browser: downloaded into the folder
 * row under the pointer, or into the folder the browser shows.
 *
 * Capture-phase listeners on the file browser widget's node act only on
 * drags carrying `application/x-eos-uris`, so the listing's own handling of
 * its items is untouched and never sees ours.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import type { IDisposable } from '@lumino/disposable';
import type { Drag } from '@lumino/dragdrop';

import { listen, makeDropLabel } from './dom';
import { EOS_URIS_MIME, eosUrisOf, joinLocal } from './mime';

/** The class of the listing while EOS items would drop into the folder it shows. */
export const LISTING_TARGET_CLASS = 'jp-EosBrowser-dropListing';
/** The file browser's class of a folder row that is a drop target. */
export const ROW_TARGET_CLASS = 'jp-mod-dropTarget';

/**
 * The local folder a drop at `target` goes into: the folder row under it
 * (`data-file-type="directory"`), else the folder shown (`current`).
 */
export function localDropFolder(
  target: EventTarget | null,
  current: string
): { folder: string; row: HTMLElement | null } {
  const row = target instanceof Element ? target.closest<HTMLElement>('.jp-DirListing-item') : null;
  if (row && row.getAttribute('data-file-type') === 'directory') {
    const text = row.querySelector('.jp-DirListing-itemText');
    const name = text?.textContent?.trim() ?? '';
    if (name !== '') {
      return { folder: joinLocal(current, name), row };
    }
  }
  return { folder: current, row: null };
}

/** Attaches the download drop target to a file browser. */
export class FileBrowserDrop implements IDisposable {
  constructor(options: FileBrowserDrop.IOptions) {
    this._node = options.node;
    this._path = options.path;
    this._trans = options.trans;
    this._download = options.download;
    this._label = makeDropLabel(this._node, 'jp-EosBrowser-fileBrowserLabel');
    this._unlisten = listen(this._node, EVENTS, this, true);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._unlisten();
    this._show(null, null);
    this._label.remove();
  }

  handleEvent(event: Event): void {
    const drag = event as Drag.Event;
    if (!drag.mimeData?.hasData(EOS_URIS_MIME)) {
      return;
    }
    const { folder, row } = localDropFolder(event.target, this._path());
    switch (event.type) {
      case 'lm-dragenter':
      case 'lm-dragover':
        event.preventDefault();
        event.stopPropagation();
        this._show(folder, row);
        if (event.type === 'lm-dragover') {
          drag.dropAction = 'copy';
        }
        break;
      case 'lm-dragleave':
        event.stopPropagation();
        if (!this._node.contains(drag.relatedTarget as Node | null)) {
          this._show(null, null);
        }
        break;
      case 'lm-drop': {
        event.preventDefault();
        event.stopPropagation();
        // Read the data now: the drag clears it right after the drop.
        const uris = eosUrisOf(drag.mimeData.getData(EOS_URIS_MIME));
        this._show(null, null);
        drag.dropAction = uris.length ? 'copy' : 'none';
        if (uris.length) {
          this._download(uris, folder);
        }
        break;
      }
    }
  }

  private _show(folder: string | null, row: HTMLElement | null): void {
    if (this._row !== row) {
      this._row?.classList.remove(ROW_TARGET_CLASS);
      row?.classList.add(ROW_TARGET_CLASS);
      this._row = row;
    }
    if (this._label.parentNode !== this._node) {
      this._node.appendChild(this._label); // a React render of the node may have removed it
    }
    const listing = this._node.querySelector('.jp-DirListing');
    listing?.classList.toggle(LISTING_TARGET_CLASS, folder !== null && row === null);
    this._label.hidden = folder === null;
    this._label.textContent = folder === null ? '' : this._trans.__('Download to %1', `/${folder}`);
  }

  private _disposed = false;
  private _download: (uris: string[], folder: string) => void;
  private _label: HTMLElement;
  private _node: HTMLElement;
  private _path: () => string;
  private _row: HTMLElement | null = null;
  private _trans: TranslationBundle;
  private _unlisten: () => void;
}

const EVENTS = ['lm-dragenter', 'lm-dragover', 'lm-dragleave', 'lm-drop'];

/** The namespace for `FileBrowserDrop` statics. */
export namespace FileBrowserDrop {
  /** The options to attach the drop target. */
  export interface IOptions {
    /** The file browser widget's node. */
    node: HTMLElement;
    /** The folder the browser shows, relative to the root (`''` at the root). */
    path: () => string;
    trans: TranslationBundle;
    /** Start the download of `uris` into the local `folder`. */
    download(uris: string[], folder: string): void;
  }
}

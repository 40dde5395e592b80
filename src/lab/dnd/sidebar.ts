/**
 * Sidebar tabs that open while a drag hovers them: Lumino sidebars show one
 * panel at a time, so a drag from the file browser to the EOS panel (or
 * back) in the same sidebar reaches the other panel by resting on its tab.
 */
import type { IDisposable } from '@lumino/disposable';

import { listen } from './dom';

/** How long a drag rests on a sidebar tab before it opens, in ms. */
export const HOVER_OPEN_MS = 500;

/** The id of the sidebar panel whose tab is at `target` (the tab's `data-id`), or null. */
export function sidebarTabId(target: EventTarget | null): string | null {
  const tab = target instanceof Element ? target.closest('.jp-SideBar .lm-TabBar-tab') : null;
  return tab?.getAttribute('data-id') ?? null;
}

/** Opens a sidebar tab a drag (Lumino or desktop) rests on. */
export class SidebarHoverOpener implements IDisposable {
  constructor(options: SidebarHoverOpener.IOptions) {
    this._document = options.document ?? document;
    this._activate = options.activate;
    this._delay = options.delay ?? HOVER_OPEN_MS;
    this._unlisten = listen(this._document, EVENTS, this, true);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._hover(null);
    this._unlisten();
  }

  handleEvent(event: Event): void {
    switch (event.type) {
      case 'lm-dragenter':
        // An element that does not take the drag is followed by an enter on
        // the body: that is not a move of the pointer.
        if (event.target !== this._document.body) {
          this._hover(sidebarTabId(event.target));
        }
        break;
      case 'dragenter':
      case 'dragover':
        // A Lumino drag tells each element it enters; a desktop drag repeats `dragover`.
        this._hover(sidebarTabId(event.target));
        break;
      case 'drop':
      case 'dragend':
      case 'lm-drop':
      case 'pointerup':
        this._hover(null);
        break;
      case 'dragleave':
        if ((event as DragEvent).relatedTarget === null) {
          this._hover(null); // left the window
        }
        break;
    }
  }

  private _hover(id: string | null): void {
    if (id === this._id) {
      return;
    }
    this._id = id;
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    if (id !== null) {
      this._timer = setTimeout(() => {
        this._timer = null;
        if (this._id === id) {
          this._activate(id);
        }
      }, this._delay);
    }
  }

  private _activate: (id: string) => void;
  private _delay: number;
  private _disposed = false;
  private _document: Document;
  private _id: string | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _unlisten: () => void;
}

const EVENTS = ['lm-dragenter', 'dragenter', 'dragover', 'dragleave', 'drop', 'dragend', 'lm-drop', 'pointerup'];

/** The namespace for `SidebarHoverOpener` statics. */
export namespace SidebarHoverOpener {
  /** The options of the opener. */
  export interface IOptions {
    /** Open the sidebar panel with this id (`app.shell.activateById`). */
    activate(id: string): void;
    /** How long a drag must rest on a tab, in ms; `HOVER_OPEN_MS` by default. */
    delay?: number;
    document?: Document;
  }
}

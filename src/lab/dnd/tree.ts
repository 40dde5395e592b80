/**
 * Drag and drop on the EOS tree: its rows are drop targets for JupyterLab's
 * file browser items (upload), files from the computer (upload) and EOS
 * items (move, or copy with a modifier key), and drag sources of EOS items.
 *
 * Native listeners on the panel's node: React has no props for Lumino's
 * `lm-*` events, and one set of listeners serves every virtual row.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { MimeData } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import { Drag } from '@lumino/dragdrop';

import type { IEosBrowserModel } from '../tokens';
import type { IEosNode } from '../tree';
import { listen, makeDropLabel } from './dom';
import { CONTENTS_MIME, EOS_URIS_MIME, eosUrisOf, formatEosUris, localPathsOf } from './mime';
import { canMoveFrom, dropFolder, planMove, writeProblem } from './targets';

/** How far the pointer moves, in pixels, before a press on a row becomes a drag. */
export const DRAG_THRESHOLD = 5;
/** The class of the folder row a drop would go into. */
export const DROP_TARGET_CLASS = 'jp-mod-dropTarget';

/** What a drag over the tree carries. */
export type DropPayload =
  | { type: 'local'; paths: string[] }
  | { type: 'eos'; uris: string[] }
  | { type: 'computer'; dataTransfer: DataTransfer | null };

/** What a drop at the pointer would do. */
export interface IDropState {
  /** The folder the drop goes into. */
  folder: string;
  /** What the label says: "Upload to e://org/x/", or why the drop is refused. */
  label: string;
  /** Why the drop is refused; null when it is accepted. */
  refused: string | null;
  /** For EOS items: a copy rather than a move. */
  copy: boolean;
  /** For EOS items: the items that actually move (those not already in the folder); empty for a no-op. */
  sources: string[];
}

/** What the tree's drops do; each returns once the work is started or refused. */
export interface ITreeDropHandlers {
  upload(paths: string[], folder: string): void;
  computer(dataTransfer: DataTransfer, folder: string): void;
  move(uris: string[], folder: string, copy: boolean): void;
  /** Whether drops from the computer can be handled (the transfers panel is there). */
  canUploadFromComputer(): boolean;
}

/** Whether the copy modifier is held: Ctrl, Cmd or Alt (Option, the macOS habit). */
export function isCopyModifier(event: { ctrlKey: boolean; metaKey: boolean; altKey: boolean }): boolean {
  return event.ctrlKey || event.metaKey || event.altKey;
}

/**
 * What dropping `payload` on `row` would do (pure: the model gives the nodes).
 * Null when the row is not a drop target at all.
 */
export function dropState(
  model: IEosBrowserModel,
  row: IEosNode | undefined,
  payload: DropPayload,
  copyKey: boolean,
  handlers: Pick<ITreeDropHandlers, 'canUploadFromComputer'>,
  trans: TranslationBundle
): IDropState | null {
  if (!row) {
    return null;
  }
  const folder = dropFolder(row);
  if (folder === null) {
    return null;
  }
  const access = model.node(folder)?.access ?? (row.kind === 'folder' ? row.access : null);
  const refuse = (reason: string): IDropState => ({ folder, label: reason, refused: reason, copy: false, sources: [] });
  const problem = writeProblem(folder, access, model.context, trans);
  if (problem) {
    return refuse(problem);
  }
  if (payload.type === 'local') {
    return { folder, label: trans.__('Upload to %1', folder), refused: null, copy: true, sources: payload.paths };
  }
  if (payload.type === 'computer') {
    if (!handlers.canUploadFromComputer()) {
      return refuse(trans.__('Uploads from this computer need the Transfers panel.'));
    }
    return { folder, label: trans.__('Upload to %1', folder), refused: null, copy: true, sources: [] };
  }
  // A read-only source cannot be deleted: it is copied.
  const copy = copyKey || !canMoveFrom(payload.uris, model.context);
  const plan = planMove(payload.uris, folder, copy, trans);
  if (plan.type === 'refused') {
    return refuse(plan.reason);
  }
  if (plan.type === 'noop') {
    return { folder, label: trans.__('Already in %1', folder), refused: null, copy, sources: [] };
  }
  return {
    folder,
    label: copy ? trans.__('Copy to %1', folder) : trans.__('Move to %1', folder),
    refused: null,
    copy,
    sources: plan.sources
  };
}

/** The payload of a Lumino drag, or null when it carries nothing the tree takes. */
function lumiPayload(event: Drag.Event): DropPayload | null {
  if (event.mimeData.hasData(EOS_URIS_MIME)) {
    const uris = eosUrisOf(event.mimeData.getData(EOS_URIS_MIME));
    return uris.length ? { type: 'eos', uris } : null;
  }
  if (event.mimeData.hasData(CONTENTS_MIME)) {
    const paths = localPathsOf(event.mimeData.getData(CONTENTS_MIME));
    return paths.length ? { type: 'local', paths } : null;
  }
  return null;
}

/** Whether a desktop drag carries files. */
function hasFiles(event: DragEvent): boolean {
  return !!event.dataTransfer && Array.from(event.dataTransfer.types).includes('Files');
}

/** The drag and drop of the EOS tree, attached to the panel's node. */
export class TreeDragAndDrop implements IDisposable {
  constructor(options: TreeDragAndDrop.IOptions) {
    this._node = options.node;
    this._model = options.model;
    this._trans = options.trans;
    this._handlers = options.handlers;
    this._label = makeDropLabel(this._node);
    this._unlisten = listen(this._node, TreeDragAndDrop.EVENTS, this);
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
    this._stopTracking();
    this._label.remove();
  }

  handleEvent(event: Event): void {
    switch (event.type) {
      case 'lm-dragenter':
      case 'lm-dragover':
        this._lumiOver(event as Drag.Event);
        break;
      case 'lm-dragleave':
        if (!this._node.contains((event as Drag.Event).relatedTarget as Node | null)) {
          this._show(null);
        }
        break;
      case 'lm-drop':
        this._lumiDrop(event as Drag.Event);
        break;
      case 'dragenter':
      case 'dragover':
        this._nativeOver(event as DragEvent);
        break;
      case 'dragleave':
        if (!this._node.contains((event as DragEvent).relatedTarget as Node | null)) {
          this._show(null);
        }
        break;
      case 'drop':
        this._nativeDrop(event as DragEvent);
        break;
      case 'pointerdown':
        this._pointerDown(event as PointerEvent);
        break;
      case 'pointermove':
        this._pointerMove(event as PointerEvent);
        break;
      case 'pointerup':
      case 'pointercancel':
        this._stopTracking();
        break;
    }
  }

  /** The node of the row under an event's target, if any. */
  private _rowOf(target: EventTarget | null): IEosNode | undefined {
    const element = target instanceof Element ? target.closest('.jp-EosBrowser-item') : null;
    const uri = element && this._node.contains(element) ? element.getAttribute('data-uri') : null;
    return uri === null ? undefined : this._model.node(uri);
  }

  private _state(target: EventTarget | null, payload: DropPayload, event: MouseEvent): IDropState | null {
    return dropState(this._model, this._rowOf(target), payload, isCopyModifier(event), this._handlers, this._trans);
  }

  private _lumiOver(event: Drag.Event): void {
    const payload = lumiPayload(event);
    const state = payload && this._state(event.target, payload, event);
    if (!state) {
      this._show(null);
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    this._show(state);
    if (event.type === 'lm-dragover') {
      event.dropAction =
        state.refused || (state.sources.length === 0 && payload.type === 'eos') ? 'none' : this._action(event, state);
    }
  }

  /** The drop action to report: what the drag supports (the file browser's drag supports only `move`). */
  private _action(event: Drag.Event, state: IDropState): Drag.DropAction {
    const wanted: Drag.DropAction = state.copy ? 'copy' : 'move';
    const supported = event.supportedActions;
    if (supported === 'copy-move' || supported === 'all' || supported === wanted) {
      return wanted;
    }
    return supported === 'copy' ? 'copy' : supported === 'none' ? 'none' : 'move';
  }

  private _lumiDrop(event: Drag.Event): void {
    // Read the data now: the drag clears it right after the drop.
    const payload = lumiPayload(event);
    const state = payload && this._state(event.target, payload, event);
    this._show(null);
    if (!payload || !state) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (state.refused) {
      event.dropAction = 'none';
      this._handlers.refused?.(state.refused);
      return;
    }
    if (payload.type === 'local') {
      event.dropAction = this._action(event, state);
      this._handlers.upload(payload.paths, state.folder);
    } else if (payload.type === 'eos' && state.sources.length > 0) {
      event.dropAction = this._action(event, state);
      this._handlers.move(state.sources, state.folder, state.copy);
    } else {
      event.dropAction = 'none';
    }
  }

  private _nativeOver(event: DragEvent): void {
    if (!hasFiles(event)) {
      return;
    }
    const state = this._state(event.target, { type: 'computer', dataTransfer: null }, event);
    this._show(state);
    if (!state) {
      return;
    }
    // Cancelled even when refused, so the browser does not open the file instead.
    event.preventDefault();
    event.stopPropagation();
    if (event.dataTransfer) {
      event.dataTransfer.dropEffect = state.refused ? 'none' : 'copy';
    }
  }

  private _nativeDrop(event: DragEvent): void {
    if (!hasFiles(event) || !event.dataTransfer) {
      return;
    }
    const state = this._state(event.target, { type: 'computer', dataTransfer: event.dataTransfer }, event);
    this._show(null);
    if (!state) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (state.refused) {
      this._handlers.refused?.(state.refused);
      return;
    }
    // The items of a drop can be read only while it is dispatched.
    this._handlers.computer(event.dataTransfer, state.folder);
  }

  /** Show the drop state: the highlighted folder row and the label; null hides both. */
  private _show(state: IDropState | null): void {
    const row = state && !state.refused ? this._rowElement(state.folder) : null;
    if (this._highlighted !== row) {
      this._highlighted?.classList.remove(DROP_TARGET_CLASS);
      row?.classList.add(DROP_TARGET_CLASS);
      this._highlighted = row;
    }
    if (this._label.parentNode !== this._node) {
      this._node.appendChild(this._label); // a React render of the node may have removed it
    }
    this._node.classList.toggle('jp-mod-dropping', state !== null);
    this._label.hidden = state === null;
    this._label.textContent = state?.label ?? '';
    this._label.classList.toggle('jp-mod-refused', !!state?.refused);
  }

  private _rowElement(uri: string): HTMLElement | null {
    for (const element of this._node.querySelectorAll<HTMLElement>('.jp-EosBrowser-item')) {
      if (element.getAttribute('data-uri') === uri) {
        return element;
      }
    }
    return null;
  }

  // ---- drag source ----

  private _pointerDown(event: PointerEvent): void {
    if (event.button !== 0 || this._drag) {
      return;
    }
    const node = this._rowOf(event.target);
    if (!node || node.level === 1) {
      return; // a namespace root is not an item to move
    }
    this._press = { uri: node.uri, x: event.clientX, y: event.clientY };
    this._untrack = listen(document, ['pointermove', 'pointerup', 'pointercancel'], this, true);
  }

  private _pointerMove(event: PointerEvent): void {
    const press = this._press;
    if (!press) {
      return;
    }
    if (Math.abs(event.clientX - press.x) < DRAG_THRESHOLD && Math.abs(event.clientY - press.y) < DRAG_THRESHOLD) {
      return;
    }
    this._stopTracking();
    const uris = this._model.isSelected(press.uri)
      ? this._model.selection.filter(node => node.level > 1).map(node => node.uri)
      : [press.uri];
    if (uris.length === 0) {
      return;
    }
    this._startDrag(uris, event.clientX, event.clientY);
  }

  private _startDrag(uris: string[], x: number, y: number): void {
    const mimeData = new MimeData();
    mimeData.setData(EOS_URIS_MIME, formatEosUris(uris));
    mimeData.setData('text/plain', uris.join('\n'));
    const image = document.createElement('div');
    image.className = 'jp-EosBrowser-dragImage';
    const first = this._model.node(uris[0]);
    image.textContent =
      uris.length === 1 ? (first?.label ?? uris[0]) : this._trans._n('%1 item', '%1 items', uris.length);
    this._drag = new Drag({
      mimeData,
      dragImage: image,
      proposedAction: 'move',
      supportedActions: 'copy-move',
      source: this
    });
    void this._drag.start(x, y).then(() => {
      this._drag = null;
      // The click that ends the gesture must not select the row it lands on.
      const swallow = (event: Event) => {
        event.stopPropagation();
        event.preventDefault();
      };
      document.addEventListener('click', swallow, true);
      setTimeout(() => document.removeEventListener('click', swallow, true), 0);
    });
  }

  private _stopTracking(): void {
    this._press = null;
    this._untrack();
    this._untrack = () => undefined;
  }

  private _disposed = false;
  private _drag: Drag | null = null;
  private _handlers: ITreeDropHandlers & { refused?(reason: string): void };
  private _highlighted: HTMLElement | null = null;
  private _label: HTMLElement;
  private _model: IEosBrowserModel;
  private _node: HTMLElement;
  private _press: { uri: string; x: number; y: number } | null = null;
  private _trans: TranslationBundle;
  private _unlisten: () => void;
  private _untrack: () => void = () => undefined;
}

/** The namespace for `TreeDragAndDrop` statics. */
export namespace TreeDragAndDrop {
  /** The events listened to on the panel's node. */
  export const EVENTS = [
    'lm-dragenter',
    'lm-dragover',
    'lm-dragleave',
    'lm-drop',
    'dragenter',
    'dragover',
    'dragleave',
    'drop',
    'pointerdown'
  ];

  /** The options to attach drag and drop to the EOS panel. */
  export interface IOptions {
    /** The panel's node (holding the tree's rows). */
    node: HTMLElement;
    model: IEosBrowserModel;
    trans: TranslationBundle;
    /** What drops do; `refused` is told why a drop was refused. */
    handlers: ITreeDropHandlers & { refused?(reason: string): void };
  }
}

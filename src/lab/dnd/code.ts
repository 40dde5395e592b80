/**
 * EOS items dropped into code: on a notebook cell, a console's prompt or a
 * file editor, the Explorer SDK's `File(path_e="...")` (a list of them for
 * several items; the URIs themselves where the editor is not Python, e.g. a
 * Markdown cell) is inserted where the drop lands, in the shareable form
 * (the user id instead of `me`); on a terminal, the quoted URIs are typed at
 * its prompt.
 */
import { EditorView } from '@codemirror/view';
import type { Drag } from '@lumino/dragdrop';

import { pythonSnippets, shellWord } from '../../core/snippet';
import { listen } from './dom';
import { EOS_URIS_MIME, eosUrisOf } from './mime';

/** The class on an editor or terminal while EOS items are dragged over it. */
export const CODE_DROP_CLASS = 'jp-mod-eosCodeDrop';

/** The languages whose editors get `File(...)` code. */
const PYTHON = new Set(['python', 'ipython', 'ipython3']);

/** What a drop inserts: Python code, the URIs one a line, or shell words. */
export type CodeKind = 'python' | 'text' | 'shell';

/** The text a drop of `uris` inserts into a place of `kind`. */
export function codeForDrop(kind: CodeKind, uris: string[]): string {
  switch (kind) {
    case 'python':
      return pythonSnippets(uris);
    case 'shell':
      return uris.map(shellWord).join(' ');
    default:
      return uris.join('\n');
  }
}

/** A terminal under the pointer: what it is drawn in, and how to type into it. */
export interface IDropTerminal {
  node: HTMLElement;
  type(text: string): void;
}

/** Where a drop lands. */
type Place = { kind: 'editor'; node: HTMLElement; view: EditorView } | { kind: 'terminal'; terminal: IDropTerminal };

/** Listens, on the whole page, for EOS items dragged over editors and terminals. */
export class CodeDrop {
  constructor(options: CodeDrop.IOptions) {
    this._options = options;
    this._unlisten = listen(document, CodeDrop.EVENTS, this, true);
  }

  /** Stop listening. */
  dispose(): void {
    this._unlisten();
    this._highlight(null);
  }

  handleEvent(event: Event): void {
    const drag = event as Drag.Event;
    if (!drag.mimeData?.hasData(EOS_URIS_MIME)) {
      return;
    }
    if (event.type === 'lm-dragleave') {
      const to = (drag as unknown as { relatedTarget: Element | null }).relatedTarget;
      if (this._lit && !(to && this._lit.contains(to))) {
        this._highlight(null);
      }
      return;
    }
    const place = this._placeOf(event.target as Element | null);
    if (!place) {
      if (event.type !== 'lm-drop') {
        this._highlight(null);
      }
      return;
    }
    // The notebook and the console handle only their own cells' drags: this one is ours.
    event.preventDefault();
    event.stopPropagation();
    drag.dropAction = drag.proposedAction === 'none' ? 'none' : 'copy';
    if (event.type !== 'lm-drop') {
      this._highlight(place.kind === 'editor' ? place.node : place.terminal.node);
      return;
    }
    this._highlight(null);
    const uris = eosUrisOf(drag.mimeData.getData(EOS_URIS_MIME));
    if (uris.length === 0 || drag.dropAction === 'none') {
      return;
    }
    if (place.kind === 'terminal') {
      place.terminal.type(codeForDrop('shell', uris));
      return;
    }
    const code = codeForDrop(
      languageKind(place.view),
      uris.map(uri => this._options.shareable(uri))
    );
    insertAt(place.view, drag.clientX, drag.clientY, code);
  }

  private _placeOf(target: Element | null): Place | null {
    const editorNode = target?.closest<HTMLElement>('.cm-editor');
    if (editorNode) {
      const view = EditorView.findFromDOM(editorNode);
      return view && !view.state.readOnly ? { kind: 'editor', node: editorNode, view } : null;
    }
    const terminal = target ? this._options.terminalAt(target) : null;
    return terminal ? { kind: 'terminal', terminal } : null;
  }

  private _highlight(node: HTMLElement | null): void {
    if (node === this._lit) {
      return;
    }
    this._lit?.classList.remove(CODE_DROP_CLASS);
    node?.classList.add(CODE_DROP_CLASS);
    this._lit = node;
  }

  private _lit: HTMLElement | null = null;
  private _options: CodeDrop.IOptions;
  private _unlisten: () => void;
}

/** The namespace for `CodeDrop` statics. */
export namespace CodeDrop {
  export const EVENTS = ['lm-dragenter', 'lm-dragover', 'lm-dragleave', 'lm-drop'];

  export interface IOptions {
    /** The form a dropped URI takes in code (the user id instead of `me` once known). */
    shareable(uri: string): string;
    /** The terminal drawn at `target`, if any. */
    terminalAt(target: Element): IDropTerminal | null;
  }
}

/** Python where the editor's language is Python; the URIs themselves elsewhere (Markdown, R, text). */
function languageKind(view: EditorView): CodeKind {
  const language = view.contentDOM.getAttribute('data-language') ?? '';
  return PYTHON.has(language.toLowerCase()) ? 'python' : 'text';
}

/** Insert `text` at the point under (x, y) (the cursor when outside the text) and put the cursor after it. */
function insertAt(view: EditorView, x: number, y: number, text: string): void {
  const at = view.posAtCoords({ x, y }) ?? view.state.selection.main.head;
  view.dispatch({ changes: { from: at, insert: text }, selection: { anchor: at + text.length }, scrollIntoView: true });
  view.focus();
}

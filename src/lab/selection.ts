/**
 * The multi-selection of the EOS tree, keyed by URI so that it survives
 * virtualisation, refreshes and pages loaded again.
 */
import type { IEosNode, IEosRow } from './tree';

/** What the selection needs of the tree model (the model hands it a host of its own). */
export interface ISelectionHost {
  /** The node at `uri`, if it is in the tree. */
  node(uri: string): IEosNode | undefined;
  /** The visible rows, in tree order. */
  readonly rows: readonly IEosRow[];
  /** A folder's loaded children in display order (the roots for null). */
  children(uri: string | null): readonly string[] | null;
  /** The selection or its focused item (`focus`) changed. */
  selectionChanged(focus: string | null): void;
}

/** The selected URIs, the focused item and the anchor of range selections. */
export class SelectionState {
  constructor(model: ISelectionHost) {
    this._model = model;
  }

  /** The selected nodes that are in the tree, in tree order. */
  get nodes(): IEosNode[] {
    if (this._uris.size === 0) {
      return [];
    }
    if (this._uris.size === 1) {
      const node = this._model.node(this._uris.values().next().value!);
      return node ? [node] : [];
    }
    return this._model.rows.filter(row => row.type === 'item' && this._uris.has(row.key)).map(row => row.node);
  }

  /** The focused node, if it is in the tree. */
  get focused(): IEosNode | null {
    return (this._focus !== null && this._model.node(this._focus)) || null;
  }

  has(uri: string): boolean {
    return this._uris.has(uri);
  }

  /** Select only `uri` (null: nothing). */
  select(uri: string | null): void {
    if (uri !== null && !this._model.node(uri)) {
      return;
    }
    if (uri === this._focus && this._uris.size === (uri === null ? 0 : 1) && (uri === null || this._uris.has(uri))) {
      return;
    }
    this._uris = new Set(uri === null ? [] : [uri]);
    this._anchor = uri;
    this._set(uri);
  }

  /** Add `uri` to the selection or take it out. */
  toggle(uri: string): void {
    if (!this._model.node(uri)) {
      return;
    }
    if (!this._uris.delete(uri)) {
      this._uris.add(uri);
    }
    this._anchor = uri;
    this._set(uri);
  }

  /** Select the visible items between the anchor and `uri`. */
  range(uri: string): void {
    const rows = this._model.rows;
    const to = rows.findIndex(row => row.type === 'item' && row.key === uri);
    const from = this._anchor === null ? -1 : rows.findIndex(row => row.type === 'item' && row.key === this._anchor);
    if (to < 0 || from < 0) {
      this.select(uri);
      return;
    }
    const [lo, hi] = from < to ? [from, to] : [to, from];
    this._uris = new Set(
      rows
        .slice(lo, hi + 1)
        .filter(row => row.type === 'item')
        .map(row => row.key)
    );
    this._set(uri);
  }

  /** Select the focused item's loaded siblings (the roots when nothing is focused). */
  all(): void {
    const focus = this.focused;
    const siblings = this._model.children(focus?.parent ?? null) ?? [];
    this._uris = new Set(siblings);
    this._set(focus?.uri ?? siblings[0] ?? null);
  }

  save(): { selection: string[]; focus: string | null } {
    return { selection: [...this._uris], focus: this._focus };
  }

  restore(state: { selection?: unknown; focus?: unknown }): void {
    if (Array.isArray(state.selection)) {
      this._uris = new Set(state.selection.filter((uri): uri is string => typeof uri === 'string'));
    }
    if (typeof state.focus === 'string' || state.focus === null) {
      this._focus = this._anchor = state.focus ?? null;
    }
    this._model.selectionChanged(this._focus);
  }

  private _set(focus: string | null): void {
    this._focus = focus;
    this._model.selectionChanged(focus);
  }

  private _anchor: string | null = null;
  private _focus: string | null = null;
  private _model: ISelectionHost;
  private _uris = new Set<string>();
}

/**
 * The filter of one folder's children: a substring filter on the loaded
 * names when the folder is fully listed, else a prefix search done by S3
 * (`list?prefix=`), so that it stays fast on a folder of 100,000 keys.
 */
import { EosError, Entry, Routes } from '../core';
import { asEosError } from './errors';
import { EosRequest, isAbort } from './request';
import type { IEosNode, IFolderView } from './tree';

/** `loaded`: a substring filter on what is loaded; `prefix`: a prefix search in S3. */
export type FilterMode = 'loaded' | 'prefix';

/** What the filter needs of the tree model (the model hands it a host of its own). */
export interface IFilterHost {
  /** The node at `uri`, if it is in the tree. */
  node(uri: string): IEosNode | undefined;
  /** A folder's loaded children in display order; null until listed. */
  children(uri: string): readonly string[] | null;
  /** Sort URIs of loaded nodes as the settings say. */
  sortUris(uris: readonly string[]): string[];
  /** Expand a folder, listing it unless it is listed. */
  expand(uri: string): Promise<void>;
  /** Entries per list request. */
  readonly pageSize: number;
  /** How the service is called. */
  readonly request: EosRequest;
  /** Add entries found by a prefix search to a listed folder. */
  insert(uri: string, entries: readonly Entry[]): void;
  /** The filter of `uri` (null: none) or its result changed. */
  filterChanged(uri: string | null): void;
}

/** The filter of one folder; at most one folder is filtered at a time. */
export class FolderFilter {
  constructor(host: IFilterHost) {
    this._model = host;
  }

  /** The filtered folder, or null. */
  get uri(): string | null {
    return this._uri;
  }

  /** The filter text ('' when there is none). */
  get text(): string {
    return this._text;
  }

  /** How the folder is filtered; null when it is not. */
  get mode(): FilterMode | null {
    return this._uri === null ? null : this._mode;
  }

  /** Whether `uri` shows a prefix search's result. */
  isPrefix(uri: string): boolean {
    return this._uri === uri && this._mode === 'prefix';
  }

  /**
   * Filter `uri`'s children by `text` ('' clears the filter). The folder is
   * expanded; the mode is chosen when its filtering starts.
   */
  async set(uri: string, text: string): Promise<void> {
    if (text === '') {
      this.clear();
      return;
    }
    const node = this._model.node(uri);
    if (!node || node.kind !== 'folder') {
      return;
    }
    if (uri !== this._uri) {
      this.clear();
      this._uri = uri;
      this._mode = node.loaded !== null && node.next === null ? 'loaded' : 'prefix';
    }
    if (text === this._text) {
      return;
    }
    this._text = text;
    this._lowered = text.toLocaleLowerCase();
    if (this._mode === 'prefix') {
      this._uris = [];
      this._next = null;
      this._changed();
      // The entries found join the folder's listing: it must be listed first.
      await this._model.expand(uri);
      if (this._uri === uri && this._text === text) {
        await this._fetch(null);
      }
    } else {
      void this._model.expand(uri);
      this._changed();
    }
  }

  /** Show the folder's own listing again. */
  clear(): void {
    if (this._uri === null) {
      return;
    }
    this._controller?.abort();
    this._controller = null;
    this._uri = null;
    this._text = this._lowered = '';
    this._uris = [];
    this._next = null;
    this._error = null;
    this._loading = false;
    this._changed();
  }

  /** The next page of the prefix search. */
  loadMore(): Promise<void> {
    if (this._loading || this._next === null) {
      return this._pending;
    }
    return this._fetch(this._next);
  }

  /** Repeat the failed page of the prefix search. */
  retry(): Promise<void> {
    return this._fetch(this._uris.length ? this._next : null);
  }

  /** The rows' view of the filtered folder; null for any other folder. */
  view(node: IEosNode): IFolderView | null {
    if (node.uri !== this._uri) {
      return null;
    }
    if (this._mode === 'loaded') {
      const children = (this._model.children(node.uri) ?? []).filter(uri =>
        this._model.node(uri)?.name.toLocaleLowerCase().includes(this._lowered)
      );
      return { children, loading: false, error: null, next: null, listed: true };
    }
    // Sorted each time the rows are derived: a refresh may have dropped some.
    const children = this._model.sortUris(this._uris.filter(uri => this._model.node(uri)));
    return { children, loading: this._loading, error: this._error, next: this._next, listed: !this._loading };
  }

  dispose(): void {
    this._controller?.abort();
  }

  private _fetch(cursor: string | null): Promise<void> {
    this._controller?.abort();
    const controller = new AbortController();
    this._controller = controller;
    this._pending = this._fetchPage(cursor, controller);
    return this._pending;
  }

  private async _fetchPage(cursor: string | null, controller: AbortController): Promise<void> {
    const uri = this._uri!;
    this._loading = true;
    this._error = null;
    this._changed();
    let entries: Entry[];
    let next: string | null;
    try {
      const page = await this._model.request(Routes.list, {
        query: { uri, prefix: this._text, cursor: cursor ?? undefined, limit: this._model.pageSize },
        signal: controller.signal
      });
      ({ entries, next } = page);
    } catch (reason) {
      if (this._controller === controller) {
        this._controller = null;
        this._loading = false;
        this._error = isAbort(reason) ? null : asEosError(reason);
        this._changed();
      }
      return;
    }
    if (this._controller !== controller) {
      return;
    }
    this._controller = null;
    this._model.insert(uri, entries);
    const known = new Set(this._uris);
    this._uris.push(...entries.map(entry => entry.uri).filter(child => !known.has(child)));
    this._next = next;
    this._loading = false;
    this._changed();
  }

  private _changed(): void {
    this._model.filterChanged(this._uri);
  }

  private _controller: AbortController | null = null;
  private _error: EosError | null = null;
  private _loading = false;
  private _lowered = '';
  private _mode: FilterMode = 'loaded';
  private _model: IFilterHost;
  private _next: string | null = null;
  private _pending: Promise<void> = Promise.resolve();
  private _text = '';
  private _uri: string | null = null;
  private _uris: string[] = [];
}

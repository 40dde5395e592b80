/**
 * The state of the EOS browser: who the user is, the lazily loaded tree,
 * the selection. No UI here: views listen to `changed`.
 */
import { ServerConnection } from '@jupyterlab/services';
import { ITranslator, TranslationBundle, nullTranslator } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { EosContext, EosError, ListResponse, RouteName, RouteResponse, Routes, WhoAmIResponse } from '../core';
import { asEosError } from './errors';
import { IRequestOptions, requestAPI } from './request';
import { IEosNode, IEosRow, ROOTS, ROOT_URIS, descendants, flattenRows, makeNode, makeRoots } from './tree';

/** Entries per list request: one S3 page is at most 1000. */
const DEFAULT_PAGE_SIZE = 500;

/**
 * The EOS tree: roots, lazily listed folders, selection.
 *
 * Nodes are keyed by their canonical URI, which the tree shows at most once.
 */
export class EosBrowserModel {
  constructor(options: EosBrowserModel.IOptions = {}) {
    this._serverSettings = options.serverSettings ?? ServerConnection.makeSettings();
    this._pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_eos');
    for (const root of makeRoots(this._trans)) {
      this._nodes.set(root.uri, root);
    }
  }

  /** Emitted after every change of state. */
  get changed(): ISignal<this, EosBrowserModel.IChange> {
    return this._changed;
  }

  /** The service's `whoami` answer; null until `initialize()` succeeds. */
  get whoami(): WhoAmIResponse | null {
    return this._whoami;
  }

  /** Whether `whoami` is being fetched. */
  get initializing(): boolean {
    return this._initializing !== null;
  }

  /** Why `whoami` failed; null otherwise. */
  get error(): EosError | null {
    return this._error;
  }

  /** The root nodes: My files, Organization, Gencove, Users. */
  get roots(): readonly IEosNode[] {
    return ROOTS.map(uri => this._nodes.get(uri)!);
  }

  /** The visible rows, depth first, with a status row closing each expanded folder. */
  get rows(): readonly IEosRow[] {
    if (this._rows === null) {
      this._rows = flattenRows(ROOTS, uri => this._nodes.get(uri));
    }
    return this._rows;
  }

  /** Who the user is and where their buckets are (for URI forms); null until `initialize()` succeeds. */
  get context(): EosContext | null {
    const w = this._whoami;
    return w ? { userId: w.userId, orgId: w.orgId, orgBucket: w.orgBucket, gencoveBucket: w.gencoveBucket } : null;
  }

  /** The selected nodes in tree order (commands act on these); empty when nothing is selected. */
  get selection(): readonly IEosNode[] {
    const node = this.selected;
    return node ? [node] : [];
  }

  /** The selected node, or null. */
  get selected(): IEosNode | null {
    return (this._selected !== null && this._nodes.get(this._selected)) || null;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** The node at `uri`, if it is in the tree. */
  node(uri: string): IEosNode | undefined {
    return this._nodes.get(uri);
  }

  /**
   * Fetch `whoami`, then the first level of My files, Organization and
   * Gencove in parallel; Users stays collapsed. Calling again while it runs
   * returns the same promise; after a failure it tries again.
   */
  initialize(): Promise<void> {
    if (this._whoami) {
      return Promise.resolve();
    }
    if (!this._initializing) {
      this._error = null;
      this._initializing = this._initialize();
      this._emit({ type: 'session', uri: null });
    }
    return this._initializing;
  }

  /** Expand a folder, fetching its first page unless it is loaded or loading. */
  expand(uri: string): Promise<void> {
    const node = this._nodes.get(uri);
    if (!node || node.kind !== 'folder') {
      return Promise.resolve();
    }
    if (!node.expanded) {
      this._update(uri, { expanded: true });
    }
    const pending = this._requests.get(uri);
    if (pending) {
      return pending.promise;
    }
    return node.children === null ? this._fetch(uri, null) : Promise.resolve();
  }

  /** Collapse a folder; an answer still on its way for it is dropped. */
  collapse(uri: string): void {
    const node = this._nodes.get(uri);
    if (!node || !node.expanded) {
      return;
    }
    this._requests.delete(uri);
    this._update(uri, { expanded: false, loading: false });
  }

  /** Expand a collapsed folder, collapse an expanded one. */
  toggle(uri: string): Promise<void> {
    if (this._nodes.get(uri)?.expanded) {
      this.collapse(uri);
      return Promise.resolve();
    }
    return this.expand(uri);
  }

  /** Fetch and append the next page of a folder. */
  loadMore(uri: string): Promise<void> {
    const node = this._nodes.get(uri);
    if (!node || node.next === null) {
      return Promise.resolve();
    }
    return this._requests.get(uri)?.promise ?? this._fetch(uri, node.next);
  }

  /** Repeat what failed at `uri`: its first page or its next page. */
  retry(uri: string): Promise<void> {
    const node = this._nodes.get(uri);
    if (!node) {
      return Promise.resolve();
    }
    return node.children === null ? this.expand(uri) : this.loadMore(uri);
  }

  /**
   * List a folder again (all roots without `uri`; an object's parent for an
   * object). Answers to earlier requests are dropped; expanded subfolders
   * that still exist are expanded again. A selection below the folder is
   * cleared while it is listed, and restored if the item is still there.
   */
  async refresh(uri?: string): Promise<void> {
    if (uri === undefined) {
      if (!this._whoami) {
        return this.initialize();
      }
      await Promise.all(ROOTS.map(root => this.refresh(root)));
      return;
    }
    const node = this._nodes.get(uri);
    if (!node) {
      return;
    }
    if (node.kind !== 'folder') {
      return node.parent === null ? undefined : this.refresh(node.parent);
    }
    const below = descendants(uri, this._nodes);
    const reopen = new Set(below.filter(child => this._nodes.get(child)!.expanded));
    this._requests.delete(uri);
    for (const child of below) {
      this._requests.delete(child);
      this._nodes.delete(child);
    }
    const lost = this._selected !== null && below.includes(this._selected) ? this._selected : null;
    if (lost !== null) {
      this.select(null);
    }
    this._update(uri, { children: null, next: null, loading: false, error: null });
    if (node.expanded) {
      await this._fetch(uri, null, reopen);
    }
    if (lost !== null && this._selected === null) {
      this.select(lost); // only if the listing brought it back
    }
  }

  /** Select the node at `uri` (null clears the selection). */
  select(uri: string | null): void {
    if (uri === this._selected || (uri !== null && !this._nodes.has(uri))) {
      return;
    }
    this._selected = uri;
    this._emit({ type: 'selection', uri });
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._requests.clear();
    Signal.clearData(this);
  }

  private async _initialize(): Promise<void> {
    let whoami: WhoAmIResponse;
    try {
      whoami = await this._request(Routes.whoami, { query: {} });
    } catch (reason) {
      this._initializing = null;
      this._error = asEosError(reason);
      this._emit({ type: 'error', uri: null, error: this._error });
      return;
    }
    this._initializing = null;
    if (this._isDisposed) {
      return;
    }
    this._whoami = whoami;
    for (const ns of whoami.namespaces) {
      if (this._nodes.has(ns.uri)) {
        this._update(ns.uri, { access: ns.access });
      }
    }
    this._emit({ type: 'session', uri: null });
    await Promise.all([ROOT_URIS.home, ROOT_URIS.org, ROOT_URIS.gencove].map(uri => this.expand(uri)));
  }

  /** Fetch one page of `uri` (the first when `cursor` is null). */
  private _fetch(uri: string, cursor: string | null, reopen?: Set<string>): Promise<void> {
    const request = { token: ++this._lastToken, promise: Promise.resolve() };
    this._requests.set(uri, request);
    request.promise = this._fetchPage(uri, cursor, request.token, reopen);
    return request.promise;
  }

  private async _fetchPage(uri: string, cursor: string | null, token: number, reopen?: Set<string>): Promise<void> {
    this._update(uri, { loading: true, error: null });
    const isCurrent = () => !this._isDisposed && this._requests.get(uri)?.token === token;
    let page: ListResponse;
    try {
      page = await this._request(Routes.list, {
        query: { uri, cursor: cursor ?? undefined, limit: this._pageSize }
      });
    } catch (reason) {
      if (isCurrent()) {
        this._requests.delete(uri);
        const error = asEosError(reason);
        this._update(uri, { loading: false, error });
        this._emit({ type: 'error', uri, error });
      }
      return;
    }
    if (!isCurrent()) {
      return;
    }
    this._requests.delete(uri);
    const parent = this._nodes.get(uri)!;
    const children = cursor === null ? [] : [...(parent.children ?? [])];
    const known = new Set(children);
    for (const entry of page.entries) {
      // Each canonical URI appears once in the tree, so nodes can be keyed by
      // it: the user's own space (`e://users/me/` in the Users listing) is
      // already the My files root.
      const elsewhere = this._nodes.get(entry.uri);
      if (known.has(entry.uri) || (elsewhere && elsewhere.parent !== uri)) {
        continue;
      }
      known.add(entry.uri);
      children.push(entry.uri);
      const label = entry.name === '' ? this._trans.__('(empty name)') : entry.name;
      this._nodes.set(entry.uri, makeNode(entry, label, uri, parent.level + 1));
    }
    this._update(uri, { loading: false, error: null, children, next: page.next, access: page.access });
    // After a refresh, open again the subfolders that were open (and their own).
    const again = children.filter(child => reopen?.has(child) && this._nodes.get(child)?.kind === 'folder');
    again.forEach(child => this._update(child, { expanded: true }));
    await Promise.all(again.map(child => this._fetch(child, null, reopen)));
  }

  /** Always asynchronous, so callers settle after their bookkeeping. */
  private async _request<R extends RouteName>(route: R, options: IRequestOptions<R>): Promise<RouteResponse<R>> {
    return requestAPI(route, options, this._serverSettings);
  }

  private _update(uri: string, patch: Partial<IEosNode>): void {
    const node = this._nodes.get(uri);
    if (!node || this._isDisposed) {
      return;
    }
    this._nodes.set(uri, { ...node, ...patch });
    this._emit({ type: 'node', uri });
  }

  private _emit(change: EosBrowserModel.IChange): void {
    if (this._isDisposed) {
      return;
    }
    this._rows = null;
    this._changed.emit(change);
  }

  private _changed = new Signal<this, EosBrowserModel.IChange>(this);
  private _error: EosError | null = null;
  private _initializing: Promise<void> | null = null;
  private _isDisposed = false;
  private _lastToken = 0;
  private _nodes = new Map<string, IEosNode>();
  private _pageSize: number;
  private _requests = new Map<string, { token: number; promise: Promise<void> }>();
  private _rows: IEosRow[] | null = null;
  private _selected: string | null = null;
  private _serverSettings: ServerConnection.ISettings;
  private _trans: TranslationBundle;
  private _whoami: WhoAmIResponse | null = null;
}

/** The namespace for `EosBrowserModel` statics. */
export namespace EosBrowserModel {
  /** The options to create a model. */
  export interface IOptions {
    /** The Jupyter server to reach the service through; the page's by default. */
    serverSettings?: ServerConnection.ISettings;
    /** Entries per list request (at most 1000); 500 by default. */
    pageSize?: number;
    /** Translates the root titles and the empty-name placeholder. */
    translator?: ITranslator;
  }

  /**
   * What changed:
   * - `session`: `whoami` started, succeeded or failed;
   * - `node`: the node at `uri` changed (expanded, loading, children, ...);
   * - `error`: a request failed (`uri` null for `whoami`), also recorded on the node;
   * - `selection`: the selection moved to `uri`.
   */
  export interface IChange {
    type: 'session' | 'node' | 'error' | 'selection';
    uri: string | null;
    error?: EosError;
  }
}

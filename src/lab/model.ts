/**
 * The state of the EOS browser: who the user is, the lazily loaded tree,
 * the selection, the filter. No UI here: views listen to its signals, one
 * per kind of change, or to `displayChanged` to render again after any.
 */
import { ServerConnection } from '@jupyterlab/services';
import { ITranslator, TranslationBundle, nullTranslator } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import { EosContext, EosError, RouteName, RouteResponse, WhoAmIResponse } from '../core';
import { FolderFilter, IFilterHost } from './filter';
import { FolderListings, IListingsHost } from './listings';
import { EosRequest, IRequestOptions, requestAPI } from './request';
import { IRevealHost, reveal } from './reveal';
import { ISelectionHost, SelectionState } from './selection';
import { EosSession, ISessionHost } from './session';
import { EosSettings, IEosSettings } from './settings';
import type { IEosBrowserModel } from './tokens';
import { TreeStore } from './store';
import { IEosNode, IEosRow, IFolderView, ROOT_URIS, flattenRows, displayName } from './tree';

/** Everything the model's helpers need of it, in one object. */
type IModelHost = IFilterHost & IRevealHost & ISelectionHost & IListingsHost & ISessionHost;

/**
 * The EOS tree: roots from `whoami`, lazily listed folders, selection.
 *
 * Nodes are keyed by their canonical URI, which the tree shows at most once.
 */
export class EosBrowserModel implements IEosBrowserModel {
  constructor(options: EosBrowserModel.IOptions = {}) {
    const serverSettings = options.serverSettings ?? ServerConnection.makeSettings();
    this._requester = options.request ?? ((route, opts) => requestAPI(route, opts, serverSettings));
    this._settings = options.settings ?? new EosSettings(options.pageSize ? { pageSize: options.pageSize } : {});
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_eos');
    this._store = new TreeStore({
      label: entry => (entry.name === '' ? this._trans.__('(empty name)') : displayName(entry.name)),
      changed: uri => this._emit(this._nodeChanged, uri)
    });
    this._store.expanded = new Set([ROOT_URIS.home, ROOT_URIS.org, ROOT_URIS.gencove]);
    this._settings.changed.connect(this._onSettings, this);
    this._onSettings(this._settings, this._settings.values);
    this._host = this._makeHost();
    this._listings = new FolderListings(this._host);
    this._session = new EosSession(this._host);
    this._selection = new SelectionState(this._host);
    this.filter = new FolderFilter(this._host);
  }

  /** The filter of one folder's children. */
  readonly filter: FolderFilter;

  /** `whoami` started, succeeded or failed (`whoami`, `error`, `roots`, `initializing`). */
  get sessionChanged(): ISignal<this, void> {
    return this._sessionChanged;
  }

  /** The node at the URI changed: expanded, loading, its listing, access or error. */
  get nodeChanged(): ISignal<this, string> {
    return this._nodeChanged;
  }

  /** A request failed: `whoami` (`uri` null) or a listing (also recorded on its node). */
  get requestFailed(): ISignal<this, EosBrowserModel.IFailure> {
    return this._requestFailed;
  }

  /** The selection or its focused item (the URI, or null) changed. */
  get selectionChanged(): ISignal<this, string | null> {
    return this._selectionChanged;
  }

  /** The filter (of the folder at the URI; null: cleared) or its result changed. */
  get filterChanged(): ISignal<this, string | null> {
    return this._filterChanged;
  }

  /** The sort or the hidden-files setting changed the order of every folder. */
  get orderChanged(): ISignal<this, void> {
    return this._orderChanged;
  }

  /** The item at the URI was revealed (the view scrolls to it). */
  get revealed(): ISignal<this, string> {
    return this._revealed;
  }

  /** After any of the signals above: what the views show changed (they render again). */
  get displayChanged(): ISignal<this, void> {
    return this._displayChanged;
  }

  /** The settings the model follows (page size, hidden files, sort). */
  get settings(): EosSettings {
    return this._settings;
  }

  /** Whether `whoami` or any listing is on its way. */
  get busy(): boolean {
    return this._session.initializing || this._store.busy;
  }

  /** The service's `whoami` answer; null until `initialize()` succeeds. */
  get whoami(): WhoAmIResponse | null {
    return this._session.whoami;
  }

  /** Whether `whoami` is being fetched. */
  get initializing(): boolean {
    return this._session.initializing;
  }

  /** Why `whoami` failed; null otherwise. */
  get error(): EosError | null {
    return this._session.error;
  }

  /** The root nodes (My files, Organization, Gencove, Users), from `whoami`; none before. */
  get roots(): readonly IEosNode[] {
    return this._session.roots.map(uri => this._store.nodes.get(uri)!);
  }

  /** The visible rows, depth first, with a status row closing each expanded folder. */
  get rows(): readonly IEosRow[] {
    if (this._rows === null) {
      this._rows = flattenRows(
        this._session.roots,
        uri => this._store.nodes.get(uri),
        node => this.folderView(node)
      );
    }
    return this._rows;
  }

  /** Who the user is and where their buckets are (for URI forms); null until `initialize()` succeeds. */
  get context(): EosContext | null {
    return this._session.context;
  }

  /** The selected nodes in tree order (commands act on these); empty when nothing is selected. */
  get selection(): readonly IEosNode[] {
    return this._selection.nodes;
  }

  /** The focused node (the anchor of range selections), or null. */
  get selected(): IEosNode | null {
    return this._selection.focused;
  }

  /** Whether the item at `uri` is selected. */
  isSelected(uri: string): boolean {
    return this._selection.has(uri);
  }

  /** Select only the node at `uri` and focus it (null clears the selection). */
  select(uri: string | null): void {
    this._selection.select(uri);
  }

  /** Add the node at `uri` to the selection or take it out (Ctrl/Cmd-click); it gets the focus. */
  toggleSelected(uri: string): void {
    this._selection.toggle(uri);
  }

  /** Select the visible items from the anchor to `uri` (Shift-click, Shift+Arrow); `uri` gets the focus. */
  selectRange(uri: string): void {
    this._selection.range(uri);
  }

  /** Select every loaded sibling of the focused item (Ctrl+A). */
  selectAll(): void {
    this._selection.all();
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** The node at `uri`, if it is in the tree. */
  node(uri: string): IEosNode | undefined {
    return this._store.nodes.get(uri);
  }

  /** The URIs of the expanded folders (loaded or not). */
  get expanded(): ReadonlySet<string> {
    return this._store.expanded;
  }

  /**
   * A folder's loaded children in display order (folders first, sorted,
   * hidden names left out unless shown); null until its first page arrives.
   * The root URIs for null.
   */
  children(uri: string | null): readonly string[] | null {
    if (uri === null) {
      return this._session.roots;
    }
    return this._store.children(uri);
  }

  /** Sort URIs of loaded nodes as the settings say, leaving out hidden names unless shown. */
  sortUris(uris: readonly string[]): string[] {
    return this._store.sort(uris);
  }

  /** What the rows show of an expanded folder: its listing, or the filter's result. */
  folderView(node: IEosNode): IFolderView {
    return (
      this.filter.view(node) ?? {
        children: this.children(node.uri) ?? [],
        loading: node.loading,
        error: node.error,
        next: node.next,
        listed: node.loaded !== null
      }
    );
  }

  /**
   * Fetch `whoami`, build the roots from its namespaces, then list the
   * expanded ones (My files, Organization and Gencove unless a restored state
   * says otherwise) in parallel. Calling again while it runs returns the same
   * promise; after a failure it tries again.
   */
  initialize(): Promise<void> {
    return this._session.initialize();
  }

  /** Expand a folder, fetching its first page unless it is loaded or loading. */
  expand(uri: string): Promise<void> {
    return this._listings.expand(uri);
  }

  /** Collapse a folder; a request still on its way for it is aborted. */
  collapse(uri: string): void {
    this._listings.collapse(uri);
  }

  /** Expand a collapsed folder, collapse an expanded one. */
  toggle(uri: string): Promise<void> {
    return this._listings.toggle(uri);
  }

  /** Fetch and append the next page of a folder (of the filter's result when it is filtered); one request at a time. */
  loadMore(uri: string): Promise<void> {
    const filtered = this._store.nodes.has(uri) && this.filter.isPrefix(uri);
    return filtered ? this.filter.loadMore() : this._listings.loadMore(uri);
  }

  /** Repeat what failed at `uri`: its first page or its next page. */
  retry(uri: string): Promise<void> {
    const filtered = this._store.nodes.has(uri) && this.filter.isPrefix(uri);
    return filtered ? this.filter.retry() : this._listings.retry(uri);
  }

  /**
   * List a folder again (an object's parent for an object), and its expanded
   * subfolders. A request on its way for the folder is aborted; overlapping
   * callers share one run. Expansion and selection are kept by URI, so
   * subfolders and items still there stay expanded and selected. Without
   * `uri`, `refreshAll()`. With `deep` false, the folder alone (its expanded
   * subfolders keep their listings).
   */
  refresh(uri?: string, deep = true): Promise<void> {
    if (uri === undefined) {
      return this.refreshAll();
    }
    return this._listings.refresh(uri, deep);
  }

  /** List again what is shown: every expanded folder (`whoami` first if it failed). */
  async refreshAll(): Promise<void> {
    if (!this._session.whoami) {
      return this.initialize();
    }
    await Promise.all(
      this._session.roots.filter(uri => this._store.nodes.get(uri)?.expanded).map(uri => this.refresh(uri))
    );
  }

  /**
   * Show the item at `uri` (a canonical `e://` URI): expand its ancestors,
   * listing what is needed (a prefix search in a folder with more pages),
   * select it, and signal `reveal` so that the view scrolls to it.
   *
   * @throws EosError `NotFound` when it does not exist.
   */
  reveal(uri: string): Promise<void> {
    return reveal(this._host, uri);
  }

  /** What to save to restore the tree after a reload. */
  saveState(): EosBrowserModel.IState {
    return { expanded: [...this._store.expanded], ...this._selection.save() };
  }

  /**
   * Expand what was expanded and select what was selected; folders and items
   * that no longer exist are ignored when their parent is listed.
   */
  restoreState(state: Partial<EosBrowserModel.IState>): void {
    if (Array.isArray(state.expanded)) {
      this._listings.restoreExpanded(state.expanded.filter(uri => typeof uri === 'string'));
    }
    this._selection.restore(state);
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._store.dispose();
    this.filter.dispose();
    Signal.clearData(this);
  }

  /** What the model's helpers (selection, filter, reveal, listings, session) may use and tell of it. */
  private _makeHost(): IModelHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const model = this;
    return {
      store: this._store,
      trans: this._trans,
      node: uri => this.node(uri),
      children: (uri: string | null) => this.children(uri),
      sortUris: uris => this.sortUris(uris),
      expand: uri => this.expand(uri),
      list: uri => this._listings.fetch(uri, null),
      select: uri => this.select(uri),
      clearFilter: () => this.filter.clear(),
      get rows() {
        return model.rows;
      },
      get roots() {
        return model._session.roots;
      },
      get pageSize() {
        return model._settings.values.pageSize;
      },
      get locations() {
        return model._settings.values.s3Locations ?? [];
      },
      get isDisposed() {
        return model._isDisposed;
      },
      request: (route, options) => this._request(route, options),
      update: (uri, patch) => this._update(uri, patch),
      insert: (uri, entries) => this._listings.insert(uri, entries),
      nodeChanged: uri => this._emit(this._nodeChanged, uri),
      removed: uris => {
        if (uris.some(uri => this._selection.has(uri))) {
          this._emit(this._selectionChanged, this.selected?.uri ?? null, false);
        }
      },
      sessionChanged: () => this._emit(this._sessionChanged, undefined),
      whoamiFailed: error => this._emit(this._requestFailed, { uri: null, error }),
      listingFailed: (uri, error) => {
        this._emit(this._requestFailed, { uri, error });
        this._session.listingRefused(uri, error);
      },
      filterChanged: uri => this._emit(this._filterChanged, uri),
      selectionChanged: focus => this._emit(this._selectionChanged, focus, false),
      revealed: uri => this._emit(this._revealed, uri, false)
    };
  }

  private _onSettings(_: EosSettings, values: Readonly<IEosSettings>): void {
    if (this._store.setOrder(values)) {
      this._emit(this._orderChanged, undefined);
    }
    void this._session?.locationsChanged(); // told to the service only when they changed
  }

  /** Always asynchronous, so callers settle after their bookkeeping. */
  private async _request<R extends RouteName>(route: R, options: IRequestOptions<R>): Promise<RouteResponse<R>> {
    return this._requester(route, options);
  }

  private _update(uri: string, patch: Partial<IEosNode>): void {
    if (!this._isDisposed) {
      this._store.update(uri, patch);
    }
  }

  /** Emit one kind of change, then `displayChanged`; the rows are derived again unless `rows` is false. */
  private _emit<T>(signal: Signal<this, T>, args: T, rows = true): void {
    if (this._isDisposed) {
      return;
    }
    if (rows) {
      this._rows = null; // the selection is not part of the rows
    }
    signal.emit(args);
    this._displayChanged.emit();
  }

  private _displayChanged = new Signal<this, void>(this);
  private _filterChanged = new Signal<this, string | null>(this);
  private _nodeChanged = new Signal<this, string>(this);
  private _orderChanged = new Signal<this, void>(this);
  private _requestFailed = new Signal<this, EosBrowserModel.IFailure>(this);
  private _revealed = new Signal<this, string>(this);
  private _selectionChanged = new Signal<this, string | null>(this);
  private _sessionChanged = new Signal<this, void>(this);
  private _host: IModelHost;
  private _listings: FolderListings;
  private _session: EosSession;
  private _isDisposed = false;
  private _selection: SelectionState;
  private _rows: IEosRow[] | null = null;
  private _requester: EosRequest;
  private _settings: EosSettings;
  private _store: TreeStore;
  private _trans: TranslationBundle;
}

/** The namespace for `EosBrowserModel` statics. */
export namespace EosBrowserModel {
  /** The options to create a model. */
  export interface IOptions {
    /** The Jupyter server to reach the service through; the page's by default. */
    serverSettings?: ServerConnection.ISettings;
    /** How the service is called: `requestAPI` with `serverSettings` by default (tests pass a scripted service). */
    request?: EosRequest;
    /** The settings to follow (page size, hidden files, sort); the defaults by default. */
    settings?: EosSettings;
    /** Entries per list request when no `settings` are given. */
    pageSize?: number;
    /** Translates the root titles and the empty-name placeholder. */
    translator?: ITranslator;
  }

  /** What `saveState()` returns and `restoreState()` takes. */
  export interface IState {
    /** The expanded folders. */
    expanded: string[];
    /** The selected items. */
    selection: string[];
    /** The focused (anchor) item. */
    focus: string | null;
  }

  /** A failed request: `whoami` (`uri` null) or the listing of the folder at `uri`. */
  export interface IFailure {
    uri: string | null;
    error: EosError;
  }
}

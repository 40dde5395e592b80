/**
 * The EOS session of the browser model: `whoami` (who the user is, where
 * their buckets are) and the roots of the tree it names, fetched once, again
 * after a failure; then the S3 locations outside EOS of the settings, told
 * to the service (it reads only those) and shown as read-only roots after
 * the EOS ones. The model hands it a host of its own and keeps the signals.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { EosContext, EosError, Routes, S3LocationSpec, S3_SCHEME, WhoAmIResponse } from '../core';
import { asEosError } from './errors';
import { EosRequest } from './request';
import type { TreeStore } from './store';
import { makeNode, makeRoots } from './tree';

/** What the session needs of the tree model. */
export interface ISessionHost {
  /** The nodes and expanded folders of the tree (the roots go in). */
  readonly store: TreeStore;
  /** Translates the roots' titles. */
  readonly trans: TranslationBundle;
  /** How the service is called (always asynchronous). */
  readonly request: EosRequest;
  /** Whether the model is disposed: an answer arriving after is dropped. */
  readonly isDisposed: boolean;
  /** The S3 locations outside EOS to show (the settings'). */
  readonly locations: readonly S3LocationSpec[];
  /** List the first page of a folder. */
  list(uri: string): Promise<void>;
  /** `whoami` started, succeeded or failed. */
  sessionChanged(): void;
  /** `whoami` failed. */
  whoamiFailed(error: EosError): void;
}

/** `whoami`, its answer or why it failed. */
export class EosSession {
  constructor(host: ISessionHost) {
    this._host = host;
  }

  /** The service's `whoami` answer; null until `initialize()` succeeds. */
  get whoami(): WhoAmIResponse | null {
    return this._whoami;
  }

  /** The URIs of the roots (My files, Organization, Gencove, Users), from `whoami`; none before. */
  get roots(): readonly string[] {
    return this._roots;
  }

  /** Whether `whoami` is being fetched. */
  get initializing(): boolean {
    return this._initializing !== null;
  }

  /** Why `whoami` failed; null otherwise. */
  get error(): EosError | null {
    return this._error;
  }

  /** Who the user is and where their buckets are (for URI forms); null until `initialize()` succeeds. */
  get context(): EosContext | null {
    const w = this._whoami;
    return w ? { userId: w.userId, orgId: w.orgId, orgBucket: w.orgBucket, gencoveBucket: w.gencoveBucket } : null;
  }

  /**
   * Fetch `whoami`, build the roots from its namespaces, then list the
   * expanded ones in parallel. Calling again while it runs returns the same
   * promise; after a failure it tries again.
   */
  initialize(): Promise<void> {
    if (this._whoami) {
      return Promise.resolve();
    }
    if (!this._initializing) {
      this._error = null;
      this._initializing = this._initialize();
      this._host.sessionChanged();
    }
    return this._initializing;
  }

  private async _initialize(): Promise<void> {
    const host = this._host;
    let whoami: WhoAmIResponse;
    try {
      whoami = await host.request(Routes.whoami, { query: {} });
    } catch (reason) {
      this._initializing = null;
      this._error = asEosError(reason);
      host.whoamiFailed(this._error);
      host.sessionChanged();
      return;
    }
    this._initializing = null;
    if (host.isDisposed) {
      return;
    }
    this._whoami = whoami;
    const { store } = host;
    const roots = makeRoots(whoami.namespaces, host.trans);
    this._roots = roots.map(root => root.uri);
    for (const root of roots) {
      store.nodes.set(root.uri, { ...root, expanded: store.expanded.has(root.uri) });
    }
    host.sessionChanged();
    await Promise.all([
      ...this._roots.filter(uri => store.expanded.has(uri)).map(uri => host.list(uri)),
      this.locationsChanged()
    ]);
  }

  /**
   * Tell the service the settings' S3 locations, then show them as roots
   * after the EOS ones (those it refused: with its error). Runs once `whoami`
   * has answered, and only when the list changed unless `again`; calls
   * queue, so the last list wins.
   */
  locationsChanged(again = false): Promise<void> {
    const wanted = JSON.stringify(this._host.locations);
    if (!this._whoami || (wanted === this._told && !again)) {
      return this._locating; // before `whoami`, `initialize()` applies them
    }
    this._told = wanted;
    this._locating = this._locating.then(() => this._applyLocations());
    return this._locating;
  }

  /**
   * A listing in an S3 location refused as not added: the service keeps the
   * list in memory, so it restarted since. Tell it again and list once more
   * (at most once a minute per location, so a real refusal stays shown).
   */
  listingRefused(uri: string, error: EosError): void {
    const now = Date.now();
    if (
      !uri.startsWith(S3_SCHEME) ||
      error.code !== 'AccessDenied' ||
      !error.message.includes('not an added S3 location') ||
      now - (this._retold.get(uri) ?? -Infinity) < 60000
    ) {
      return;
    }
    this._retold.set(uri, now);
    // Telling it lists the expanded location roots again; a folder inside one is listed here.
    void this.locationsChanged(true).then(() => (this._roots.includes(uri) ? undefined : this._host.list(uri)));
  }

  private async _applyLocations(): Promise<void> {
    const host = this._host;
    const wanted = host.locations.map(l => ({ uri: l.uri, sign: l.sign !== false }));
    if (wanted.length === 0 && !this._roots.some(uri => uri.startsWith(S3_SCHEME))) {
      return; // none now, none shown: the service starts with none
    }
    let shown: string[];
    let error: EosError | null = null;
    try {
      const answer = await host.request(Routes.locations, { body: { locations: wanted } });
      shown = answer.locations.map(l => l.uri);
    } catch (reason) {
      error = asEosError(reason);
      shown = wanted.map(l => l.uri);
    }
    if (host.isDisposed) {
      return;
    }
    const { store } = host;
    for (const uri of shown) {
      const node = store.nodes.get(uri);
      if (node === undefined) {
        const name = uri.slice(S3_SCHEME.length, -1);
        const root = makeNode({ uri, name, kind: 'folder', access: 'read' }, uri, null, 1);
        store.nodes.set(uri, { ...root, expanded: store.expanded.has(uri), error });
      } else if (node.error !== error && (error !== null || node.loaded === null)) {
        store.nodes.set(uri, { ...node, error });
      }
    }
    this._roots = [...this._roots.filter(uri => !uri.startsWith(S3_SCHEME)), ...shown];
    host.sessionChanged();
    if (error === null) {
      await Promise.all(shown.filter(uri => store.expanded.has(uri)).map(uri => host.list(uri)));
    }
  }

  private _error: EosError | null = null;
  private _host: ISessionHost;
  private _initializing: Promise<void> | null = null;
  private _locating: Promise<void> = Promise.resolve();
  private _retold = new Map<string, number>();
  private _told: string | null = null;
  private _roots: string[] = [];
  private _whoami: WhoAmIResponse | null = null;
}

/**
 * The EOS session of the browser model: `whoami` (who the user is, where
 * their buckets are) and the roots of the tree it names, fetched once, again
 * after a failure. The model hands it a host of its own and keeps the signals.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { EosContext, EosError, Routes, WhoAmIResponse } from '../core';
import { asEosError } from './errors';
import { EosRequest } from './request';
import type { TreeStore } from './store';
import { makeRoots } from './tree';

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
    await Promise.all(this._roots.filter(uri => store.expanded.has(uri)).map(uri => host.list(uri)));
  }

  private _error: EosError | null = null;
  private _host: ISessionHost;
  private _initializing: Promise<void> | null = null;
  private _roots: string[] = [];
  private _whoami: WhoAmIResponse | null = null;
}

/**
 * The listings of the EOS tree's folders: expanding and collapsing, one
 * page at a time (one request per folder, the older aborted), and refreshes
 * that list a folder and its expanded subfolders again. The model hands it
 * a host of its own and keeps the signals.
 */
import { EosError, Entry, ListResponse, Routes } from '../core';
import { asEosError } from './errors';
import { EosRequest, isAbort } from './request';
import type { TreeStore } from './store';
import type { IEosNode } from './tree';

/** What the listings need of the tree model. */
export interface IListingsHost {
  /** The nodes, listings, expanded folders and requests of the tree. */
  readonly store: TreeStore;
  /** Entries per list request. */
  readonly pageSize: number;
  /** How the service is called (always asynchronous). */
  readonly request: EosRequest;
  /** Whether the model is disposed: answers arriving after are dropped. */
  readonly isDisposed: boolean;
  /** The node at `uri` changed in a way `update` does not say (its listing grew). */
  nodeChanged(uri: string): void;
  /** Replace some fields of a node (nothing once the model is disposed). */
  update(uri: string, patch: Partial<IEosNode>): void;
  /** The listing of the folder at `uri` failed (the error is also on its node). */
  listingFailed(uri: string, error: EosError): void;
  /** Items of a folder's old listing left the tree (they stay selected should they come back). */
  removed(uris: readonly string[]): void;
}

/** The folders' listings: what is expanded, what is fetched, what is refreshed. */
export class FolderListings {
  constructor(host: IListingsHost) {
    this._host = host;
  }

  /** Expand a folder, fetching its first page unless it is loaded or loading. */
  expand(uri: string): Promise<void> {
    const { store } = this._host;
    const node = store.nodes.get(uri);
    if (!node || node.kind !== 'folder') {
      return Promise.resolve();
    }
    store.expanded.add(uri);
    if (!node.expanded) {
      this._host.update(uri, { expanded: true });
    }
    const pending = store.pending(uri);
    if (pending) {
      return pending;
    }
    return node.loaded === null ? this.fetch(uri, null) : Promise.resolve();
  }

  /** Collapse a folder; a request still on its way for it is aborted. */
  collapse(uri: string): void {
    const { store } = this._host;
    const node = store.nodes.get(uri);
    store.expanded.delete(uri);
    if (!node || !node.expanded) {
      return;
    }
    store.abort(uri);
    this._host.update(uri, { expanded: false, loading: false });
  }

  /** Expand a collapsed folder, collapse an expanded one. */
  toggle(uri: string): Promise<void> {
    if (this._host.store.nodes.get(uri)?.expanded) {
      this.collapse(uri);
      return Promise.resolve();
    }
    return this.expand(uri);
  }

  /**
   * Add entries found outside paging (a prefix search) to a listed folder:
   * they take their sorted place; later pages skip them.
   */
  insert(uri: string, entries: readonly Entry[]): void {
    const { store } = this._host;
    const listing = store.listings.get(uri);
    if (listing) {
      store.add(uri, listing, entries);
      this._host.nodeChanged(uri);
    }
  }

  /**
   * Expand the folders `uris` name and collapse the others (what a reload
   * restores); folders not in the tree yet open when they are listed.
   */
  restoreExpanded(uris: readonly string[]): void {
    const { store } = this._host;
    store.expanded = new Set(uris);
    for (const node of [...store.nodes.values()]) {
      if (node.kind === 'folder' && node.expanded !== store.expanded.has(node.uri)) {
        void (node.expanded ? this.collapse(node.uri) : this.expand(node.uri));
      }
    }
  }

  /** Fetch and append the next page of a folder; one request at a time. */
  loadMore(uri: string): Promise<void> {
    const { store } = this._host;
    const node = store.nodes.get(uri);
    if (!node) {
      return Promise.resolve();
    }
    const pending = store.pending(uri);
    if (pending) {
      return pending;
    }
    return node.next === null ? Promise.resolve() : this.fetch(uri, node.next);
  }

  /** Repeat what failed at `uri`: its first page or its next page. */
  retry(uri: string): Promise<void> {
    const node = this._host.store.nodes.get(uri);
    if (!node) {
      return Promise.resolve();
    }
    return node.loaded === null ? this.expand(uri) : this.loadMore(uri);
  }

  /**
   * List a folder again (an object's parent for an object), and with `deep`
   * its expanded subfolders; overlapping callers share one run.
   */
  refresh(uri: string, deep = true): Promise<void> {
    const node = this._host.store.nodes.get(uri);
    if (!node) {
      return Promise.resolve();
    }
    if (node.kind !== 'folder') {
      return node.parent === null ? Promise.resolve() : this.refresh(node.parent, deep);
    }
    let running = this._refreshes.get(uri);
    if (!running) {
      running = this._refresh(uri, deep).finally(() => this._refreshes.delete(uri));
      this._refreshes.set(uri, running);
    }
    return running;
  }

  /**
   * Fetch one page of `uri` (the first when `cursor` is null), aborting any
   * request on its way for it; with `deep`, refresh the expanded subfolders
   * it keeps.
   */
  fetch(uri: string, cursor: string | null, deep = false): Promise<void> {
    const host = this._host;
    const { store } = host;
    return store.start(uri, async (signal, isCurrent) => {
      host.update(uri, { loading: true, error: null });
      let page: ListResponse;
      try {
        const limit = host.pageSize;
        page = await host.request(Routes.list, { query: { uri, cursor: cursor ?? undefined, limit }, signal });
      } catch (reason) {
        if (isCurrent() && !host.isDisposed) {
          store.finish(uri);
          const error = isAbort(reason) ? null : asEosError(reason);
          host.update(uri, { loading: false, error });
          if (error) {
            host.listingFailed(uri, error);
          }
        }
        return;
      }
      if (!isCurrent() || host.isDisposed) {
        return;
      }
      store.finish(uri);
      // Items of the old listing that a first page lacks leave the tree (they
      // may be on a later page), but stay selected should they come back.
      const { listing, added, removed } = store.applyPage(uri, page.entries, cursor === null);
      const loaded = listing.folders.length + listing.objects.length;
      host.update(uri, { loading: false, error: null, loaded, next: page.next, access: page.access });
      host.removed(removed);
      // Subfolders to list: expanded ones new to the tree, and on a refresh the expanded ones kept.
      const nodes = store.nodes;
      const expanded = (child: string) => nodes.get(child)?.expanded && nodes.get(child)?.kind === 'folder';
      const fresh = added.filter(child => expanded(child) && nodes.get(child)?.loaded === null);
      const kept = deep ? listing.folders.filter(child => expanded(child) && !fresh.includes(child)) : [];
      await Promise.all([...fresh.map(child => this.fetch(child, null)), ...kept.map(child => this.refresh(child))]);
    });
  }

  private async _refresh(uri: string, deep: boolean): Promise<void> {
    const { store } = this._host;
    if (store.nodes.get(uri)?.expanded) {
      await this.fetch(uri, null, deep);
    } else {
      // Listed again when next expanded.
      store.abort(uri);
      store.dropListing(uri);
    }
  }

  private _host: IListingsHost;
  private _refreshes = new Map<string, Promise<void>>();
}

/**
 * The loaded part of the EOS tree, keyed by canonical URI: nodes, each
 * folder's listing, the expanded folders, and the list request on its way
 * for each folder (one at a time, abortable). The model drives it.
 */
import { Entry } from '../core';
import type { IEosSettings } from './settings';
import { IEosNode, IListing, isHidden, makeComparer, makeListing, makeNode, mergeSorted } from './tree';

/** One collator for every name comparison: the user's locale, numeric ("file2" before "file10"). */
const COLLATOR = new Intl.Collator(undefined, { numeric: true, sensitivity: 'variant' });

/** A list request on its way for a folder. */
interface IRequest {
  controller: AbortController;
  promise: Promise<void>;
}

/** The nodes, listings, expansion and requests of the tree. */
export class TreeStore {
  constructor(options: TreeStore.IOptions) {
    this._label = options.label;
    this._changed = options.changed;
  }

  /** Every node in the tree, by URI. */
  readonly nodes = new Map<string, IEosNode>();

  /** Each listed folder's children. */
  readonly listings = new Map<string, IListing>();

  /** The folders to show expanded (kept by URI across refreshes and reloads). */
  expanded = new Set<string>();

  /**
   * A folder's loaded children in display order (folders first, sorted,
   * hidden names left out unless shown), derived when first asked after a
   * change; null until its first page arrives.
   */
  children(uri: string): readonly string[] | null {
    const listing = this.listings.get(uri);
    if (!listing) {
      return null;
    }
    if (listing.sorted === null) {
      listing.sorted = this.sort([...listing.folders, ...listing.objects]);
    }
    return listing.sorted;
  }

  /** Sort URIs of loaded nodes in display order, leaving out hidden names unless shown. */
  sort(uris: readonly string[]): string[] {
    const nodes = uris
      .map(uri => this.nodes.get(uri)!)
      .filter(node => node && (this._showHidden || !isHidden(node.name)));
    return nodes.sort(this._compare).map(node => node.uri);
  }

  /** Follow the sort and hidden-files settings; true when the order changed. */
  setOrder(values: Pick<IEosSettings, 'sortBy' | 'sortDirection' | 'showHidden'>): boolean {
    const order = `${values.sortBy} ${values.sortDirection} ${values.showHidden}`;
    if (order === this._order) {
      return false;
    }
    this._order = order;
    this._showHidden = values.showHidden;
    this._compare = makeComparer(values.sortBy, values.sortDirection, COLLATOR);
    this.listings.forEach(listing => (listing.sorted = null));
    return true;
  }

  /** Replace some fields of a node; false when there is no such node. */
  update(uri: string, patch: Partial<IEosNode>): boolean {
    const node = this.nodes.get(uri);
    if (!node) {
      return false;
    }
    this.nodes.set(uri, { ...node, ...patch });
    this._changed(uri);
    return true;
  }

  /** Whether any listing request is on its way. */
  get busy(): boolean {
    return this._requests.size > 0;
  }

  /** The request on its way for `uri`, if any. */
  pending(uri: string): Promise<void> | undefined {
    return this._requests.get(uri)?.promise;
  }

  /** Start a request for `uri`, aborting the one on its way. */
  start(uri: string, run: (signal: AbortSignal, isCurrent: () => boolean) => Promise<void>): Promise<void> {
    this.abort(uri);
    const controller = new AbortController();
    const request: IRequest = { controller, promise: Promise.resolve() };
    this._requests.set(uri, request);
    const isCurrent = () => this._requests.get(uri) === request;
    request.promise = run(controller.signal, isCurrent).finally(() => {
      if (isCurrent()) {
        this._requests.delete(uri);
      }
    });
    return request.promise;
  }

  /** Mark the request of `uri` done (its answer is being applied). */
  finish(uri: string): void {
    this._requests.delete(uri);
  }

  /** Abort the request on its way for `uri`, if any. */
  abort(uri: string): void {
    const request = this._requests.get(uri);
    if (request) {
      this._requests.delete(uri);
      request.controller.abort();
    }
  }

  /**
   * Apply a page of `uri`: the first page starts a new listing, and the old
   * listing's children it lacks leave the tree (returned); a later page is
   * appended. Returns the children new to the listing too.
   */
  applyPage(
    uri: string,
    entries: readonly Entry[],
    first: boolean
  ): { listing: IListing; added: string[]; removed: string[] } {
    const old = this.listings.get(uri);
    const listing = first || !old ? makeListing() : old;
    this.listings.set(uri, listing);
    const added = this.add(uri, listing, entries);
    const removed = first && old ? [...old.known].filter(child => !listing.known.has(child)) : [];
    removed.forEach(child => this.remove(child));
    return { listing, added, removed };
  }

  /** Add entries to a listing, skipping repeats; returns the URIs new to it. */
  add(uri: string, listing: IListing, entries: readonly Entry[]): string[] {
    const parent = this.nodes.get(uri)!;
    const added: string[] = [];
    for (const entry of entries) {
      // Each canonical URI appears once in the tree, so nodes can be keyed by
      // it: the user's own space (`e://users/me/` in the Users listing) is
      // already the My files root.
      const existing = this.nodes.get(entry.uri);
      if (listing.known.has(entry.uri) || (existing && existing.parent !== uri)) {
        continue;
      }
      listing.known.add(entry.uri);
      (entry.kind === 'folder' ? listing.folders : listing.objects).push(entry.uri);
      added.push(entry.uri);
      const node = makeNode(entry, this._label(entry), uri, parent.level + 1);
      this.nodes.set(
        entry.uri,
        existing
          ? {
              ...existing,
              access: node.access,
              size: node.size,
              modified: node.modified,
              storageClass: node.storageClass
            }
          : { ...node, expanded: entry.kind === 'folder' && this.expanded.has(entry.uri) }
      );
    }
    // A later page is merged into the order already derived (a page costs
    // what it brings, not a new sort of the 100,000 names before it).
    if (listing.sorted !== null) {
      const byUri = (a: string, b: string) => this._compare(this.nodes.get(a)!, this.nodes.get(b)!);
      listing.sorted = mergeSorted(listing.sorted, this.sort(added), byUri);
    }
    return added;
  }

  /** Forget a node and everything loaded below it. */
  remove(uri: string): void {
    this.abort(uri);
    this.dropListing(uri);
    this.nodes.delete(uri);
  }

  /** Forget a folder's children (it is listed again when expanded). */
  dropListing(uri: string): void {
    const listing = this.listings.get(uri);
    this.listings.delete(uri);
    listing?.known.forEach(child => this.remove(child));
    if (listing && this.nodes.get(uri)?.loaded !== null) {
      this.update(uri, { loaded: null, next: null, error: null });
    }
  }

  /** Abort every request. */
  dispose(): void {
    this._requests.forEach(request => request.controller.abort());
    this._requests.clear();
  }

  private _changed: (uri: string) => void;
  private _compare: (a: IEosNode, b: IEosNode) => number = () => 0;
  private _order = '';
  private _showHidden = false;
  private _label: (entry: Entry) => string;
  private _requests = new Map<string, IRequest>();
}

/** The namespace for `TreeStore` statics. */
export namespace TreeStore {
  /** The options to create a store. */
  export interface IOptions {
    /** What a node shows for an entry (a placeholder for an empty name). */
    label: (entry: Entry) => string;
    /** Called after a node changed. */
    changed: (uri: string) => void;
  }
}

/**
 * Reveal a location in the EOS tree: expand its ancestors and make sure each
 * step is loaded, without paging through a huge folder (a prefix-filtered
 * list finds the entry instead).
 */
import { EosError, Entry, Routes } from '../core';
import type { EosRequest } from './request';
import type { IEosNode } from './tree';

/** What revealing needs of the tree model (the model hands it a host of its own). */
export interface IRevealHost {
  /** The root URIs. */
  readonly roots: readonly string[];
  /** The node at `uri`, if it is in the tree. */
  node(uri: string): IEosNode | undefined;
  /** Expand a folder, listing it unless it is listed. */
  expand(uri: string): Promise<void>;
  /** Select only the node at `uri`. */
  select(uri: string): void;
  /** Show every folder's own listing (no filter). */
  clearFilter(): void;
  /** Entries per list request. */
  readonly pageSize: number;
  /** How the service is called. */
  readonly request: EosRequest;
  /** Add entries found by a prefix search to a listed folder. */
  insert(uri: string, entries: readonly Entry[]): void;
  /** `uri` was revealed (the view scrolls to it). */
  revealed(uri: string): void;
}

/** Pages of a prefix search read before giving up on finding one name. */
const MAX_PREFIX_PAGES = 20;

/** The URIs from the root holding `target` down to `target`, or null when no root holds it. */
export function pathTo(roots: readonly string[], target: string): { root: string; chain: string[] } | null {
  const root = roots.filter(uri => target.startsWith(uri)).sort((a, b) => b.length - a.length)[0];
  if (root === undefined) {
    return null;
  }
  const parts = target.slice(root.length).split('/');
  const last = parts.pop()!; // '' for a folder
  const chain: string[] = [];
  let uri = root;
  for (const part of parts) {
    uri += `${part}/`;
    chain.push(uri);
  }
  if (last !== '') {
    chain.push(uri + last);
  }
  return { root, chain };
}

/** Find `uri` in `folder` with a prefix-filtered list and add it to the folder's listing. */
async function lookUp(model: IRevealHost, folder: string, uri: string): Promise<void> {
  const name = uri.slice(folder.length);
  const prefix = name.endsWith('/') ? name.slice(0, -1) : name;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PREFIX_PAGES; page++) {
    const answer = await model.request(Routes.list, {
      query: { uri: folder, prefix, cursor, limit: model.pageSize }
    });
    const found = answer.entries.filter(entry => entry.uri === uri);
    if (found.length) {
      model.insert(folder, found);
      return;
    }
    if (answer.next === null) {
      return;
    }
    cursor = answer.next;
  }
}

/**
 * Expand the ancestors of `target` (fetching what is needed), then select it.
 *
 * @throws EosError `NotFound` when it is not in EOS (or not in the tree's roots);
 *   the listing's error when a folder on the way cannot be listed.
 */
export async function reveal(model: IRevealHost, target: string): Promise<void> {
  const path = pathTo(model.roots, target);
  const notFound = () => new EosError('NotFound', `${target} does not exist`);
  if (!path) {
    throw notFound();
  }
  model.clearFilter();
  let folder = path.root;
  for (const uri of path.chain) {
    await model.expand(folder);
    const node = model.node(folder);
    if (node?.error) {
      throw node.error;
    }
    if (!model.node(uri) && node?.next !== null) {
      await lookUp(model, folder, uri);
    }
    if (!model.node(uri)) {
      throw notFound();
    }
    folder = uri;
  }
  model.select(target);
  model.revealed(target);
}

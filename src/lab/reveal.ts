/**
 * Reveal a location in the EOS tree: expand its ancestors and make sure each
 * step is loaded, without paging through a huge folder (a prefix-filtered
 * list finds the entry instead).
 */
import { EosError, Routes } from '../core';
import type { FilterRequest } from './filter';
import type { EosBrowserModel } from './model';

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
async function lookUp(model: EosBrowserModel, request: FilterRequest, folder: string, uri: string): Promise<void> {
  const name = uri.slice(folder.length);
  const prefix = name.endsWith('/') ? name.slice(0, -1) : name;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PREFIX_PAGES; page++) {
    const answer = await request(Routes.list, {
      query: { uri: folder, prefix, cursor, limit: model.settings.values.pageSize }
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
export async function reveal(model: EosBrowserModel, request: FilterRequest, target: string): Promise<void> {
  const path = pathTo(
    model.roots.map(root => root.uri),
    target
  );
  const notFound = () => new EosError('NotFound', `${target} does not exist`);
  if (!path) {
    throw notFound();
  }
  model.filter.clear();
  let folder = path.root;
  for (const uri of path.chain) {
    await model.expand(folder);
    const node = model.node(folder);
    if (node?.error) {
      throw node.error;
    }
    if (!model.node(uri) && node?.next !== null) {
      await lookUp(model, request, folder, uri);
    }
    if (!model.node(uri)) {
      throw notFound();
    }
    folder = uri;
  }
  model.select(target);
  model.emit({ type: 'reveal', uri: target });
}

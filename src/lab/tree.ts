/**
 * The shapes of the EOS tree: nodes and the flat list of visible rows a
 * view renders (flat, so that it can later be virtualised).
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { Access, Entry, EntryKind, EosError } from '../core';

/** The roots of the tree, in display order. */
export const ROOT_URIS = {
  home: 'e://users/me/',
  org: 'e://org/',
  gencove: 'e://gencove/',
  users: 'e://users/'
} as const;

/** The root URIs in display order. */
export const ROOTS: readonly string[] = [ROOT_URIS.home, ROOT_URIS.org, ROOT_URIS.gencove, ROOT_URIS.users];

/** One folder or object of the tree. Nodes are immutable: a change replaces the node. */
export interface IEosNode {
  /** The canonical `e://` URI as the service returns it (folders end with `/`). */
  readonly uri: string;
  /** The last path segment; '' for a key like `a//b`. */
  readonly name: string;
  /** What to display: a root's title, the name, or a placeholder for ''. */
  readonly label: string;
  readonly kind: EntryKind;
  readonly access: Access;
  /** Bytes; objects only. */
  readonly size: number | null;
  /** ISO 8601; objects only. */
  readonly modified: string | null;
  readonly storageClass: string | null;
  /** The URI of the node above in the tree; null for a root. */
  readonly parent: string | null;
  /** 1 for a root. */
  readonly level: number;
  readonly expanded: boolean;
  /** A page of children is being fetched. */
  readonly loading: boolean;
  /** Why the last fetch failed; cleared by the next one. */
  readonly error: EosError | null;
  /** Child URIs in listing order; null until the first page arrives. */
  readonly children: readonly string[] | null;
  /** The cursor of the next page; null when everything is listed. */
  readonly next: string | null;
}

/** What a status row below a folder's children says. */
export type StatusKind = 'loading' | 'error' | 'more' | 'empty';

/** One visible row: an item, or the status line closing an expanded folder. */
export type IEosRow =
  | { readonly type: 'item'; readonly key: string; readonly level: number; readonly node: IEosNode }
  | { readonly type: StatusKind; readonly key: string; readonly level: number; readonly node: IEosNode };

/** The status line an expanded folder shows after its children, if any. */
export function statusOf(node: IEosNode): StatusKind | null {
  if (node.loading) {
    return 'loading';
  }
  if (node.error) {
    return 'error';
  }
  if (node.next !== null) {
    return 'more';
  }
  if (node.children !== null && node.children.length === 0) {
    return 'empty';
  }
  return null;
}

/** The key of a folder's status row; no URI starts with `status:`. */
export function statusKey(uri: string): string {
  return `status:${uri}`;
}

/** The visible rows below `roots`, depth first. */
export function flattenRows(roots: readonly string[], lookup: (uri: string) => IEosNode | undefined): IEosRow[] {
  const rows: IEosRow[] = [];
  const visit = (uri: string): void => {
    const node = lookup(uri);
    if (!node) {
      return;
    }
    rows.push({ type: 'item', key: node.uri, level: node.level, node });
    if (node.kind !== 'folder' || !node.expanded) {
      return;
    }
    for (const child of node.children ?? []) {
      visit(child);
    }
    const status = statusOf(node);
    if (status) {
      rows.push({ type: status, key: statusKey(node.uri), level: node.level + 1, node });
    }
  };
  roots.forEach(visit);
  return rows;
}

/** The URIs of the loaded nodes below `uri`, depth first. */
export function descendants(uri: string, nodes: ReadonlyMap<string, IEosNode>): string[] {
  return (nodes.get(uri)?.children ?? []).flatMap(child => [child, ...descendants(child, nodes)]);
}

/** Whether a read-only area starts at this node (its parent, if any, is writable). */
export function startsReadOnly(node: IEosNode, parent: IEosNode | undefined): boolean {
  return node.access === 'read' && (!parent || parent.access !== 'read');
}

/** A collapsed, unloaded node for a listing entry (or a root). */
export function makeNode(
  entry: Pick<Entry, 'uri' | 'name' | 'kind' | 'access' | 'size' | 'modified' | 'storageClass'>,
  label: string,
  parent: string | null,
  level: number
): IEosNode {
  return {
    uri: entry.uri,
    name: entry.name,
    label,
    kind: entry.kind,
    access: entry.access,
    size: entry.size ?? null,
    modified: entry.modified ?? null,
    storageClass: entry.storageClass ?? null,
    parent,
    level,
    expanded: false,
    loading: false,
    error: null,
    children: null,
    next: null
  };
}

/** The four roots, collapsed and read-only until `whoami` says otherwise. */
export function makeRoots(trans: TranslationBundle): IEosNode[] {
  const labels = [trans.__('My files'), trans.__('Organization'), trans.__('Gencove'), trans.__('Users')];
  return ROOTS.map((uri, i) => {
    const name = uri.slice(0, -1).split('/').pop()!;
    return makeNode({ uri, name, kind: 'folder', access: 'read' }, labels[i], null, 1);
  });
}

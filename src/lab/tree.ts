/**
 * The shapes of the EOS tree: nodes, folder listings, and the flat list of
 * visible rows a (virtualised) view renders; plus the pure helpers that sort
 * and flatten them.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { Access, Entry, EntryKind, EosError, NamespaceInfo } from '../core';
import type { SortDirection, SortKey } from './settings';

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
  /** How many children are loaded; null until the first page arrives. */
  readonly loaded: number | null;
  /** The cursor of the next page; null when everything is listed. */
  readonly next: string | null;
}

/**
 * The loaded children of a folder, kept as folders then objects so that a
 * later page's folders go above an earlier page's objects. Pages are appended
 * in place; the sorted view is derived lazily.
 */
export interface IListing {
  readonly folders: string[];
  readonly objects: string[];
  /** Every child URI, to skip repeats across pages. */
  readonly known: Set<string>;
  /** The sorted, filtered children; null when it must be derived again. */
  sorted: readonly string[] | null;
}

/** An empty listing. */
export function makeListing(): IListing {
  return { folders: [], objects: [], known: new Set(), sorted: null };
}

/** What a status row below a folder's children says. */
export type StatusKind = 'loading' | 'error' | 'more' | 'empty';

/** An item row. */
export interface IItemRow {
  readonly type: 'item';
  readonly key: string;
  readonly level: number;
  readonly node: IEosNode;
  /** 1-based position among its siblings. */
  readonly posinset: number;
  /** How many siblings in all; null while more pages may come. */
  readonly setsize: number | null;
}

/** The status line closing an expanded folder. */
export interface IStatusRow {
  readonly type: StatusKind;
  readonly key: string;
  readonly level: number;
  /** The folder the status is about. */
  readonly node: IEosNode;
  /** How many children are shown. */
  readonly shown: number;
  readonly error: EosError | null;
}

/** One visible row: an item, or the status line closing an expanded folder. */
export type IEosRow = IItemRow | IStatusRow;

/** A folder's state as the rows show it (its own listing, or a filter's). */
export interface IFolderView {
  children: readonly string[];
  loading: boolean;
  error: EosError | null;
  next: string | null;
  /** Whether the first page arrived. */
  listed: boolean;
}

/** The status line an expanded folder shows after its children, if any. */
export function statusOf(view: IFolderView): StatusKind | null {
  if (view.loading) {
    return 'loading';
  }
  if (view.error) {
    return 'error';
  }
  if (view.next !== null) {
    return 'more';
  }
  if (view.listed && view.children.length === 0) {
    return 'empty';
  }
  return null;
}

/** The key of a folder's status row; no URI starts with `status:`. */
export function statusKey(uri: string): string {
  return `status:${uri}`;
}

/** The visible rows below `roots`, depth first. */
export function flattenRows(
  roots: readonly string[],
  lookup: (uri: string) => IEosNode | undefined,
  view: (node: IEosNode) => IFolderView
): IEosRow[] {
  const rows: IEosRow[] = [];
  const visit = (uri: string, posinset: number, setsize: number | null): void => {
    const node = lookup(uri);
    if (!node) {
      return;
    }
    rows.push({ type: 'item', key: node.uri, level: node.level, node, posinset, setsize });
    if (node.kind !== 'folder' || !node.expanded) {
      return;
    }
    const folder = view(node);
    const size = folder.next === null && folder.listed ? folder.children.length : null;
    folder.children.forEach((child, i) => visit(child, i + 1, size));
    const status = statusOf(folder);
    if (status) {
      rows.push({
        type: status,
        key: statusKey(node.uri),
        level: node.level + 1,
        node,
        shown: folder.children.length,
        error: folder.error
      });
    }
  };
  roots.forEach((uri, i) => visit(uri, i + 1, roots.length));
  return rows;
}

/** Whether a name is hidden (starts with a dot). */
export function isHidden(name: string): boolean {
  return name.startsWith('.');
}

/** The order of a folder's children: folders first, then objects, each sorted. */
export function makeComparer(
  sortBy: SortKey,
  direction: SortDirection,
  collator: Intl.Collator
): (a: IEosNode, b: IEosNode) => number {
  const sign = direction === 'ascending' ? 1 : -1;
  const byName = (a: IEosNode, b: IEosNode) =>
    collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const time = (node: IEosNode) => (node.modified === null ? NaN : Date.parse(node.modified));
  return (a, b) => {
    if (a.kind !== b.kind) {
      return a.kind === 'folder' ? -1 : 1;
    }
    if (sortBy === 'name' || a.kind === 'folder') {
      return sortBy === 'name' ? sign * byName(a, b) : byName(a, b);
    }
    const [x, y] = sortBy === 'size' ? [a.size ?? NaN, b.size ?? NaN] : [time(a), time(b)];
    if (isNaN(x) || isNaN(y)) {
      // unknown values last whatever the direction
      return isNaN(x) && isNaN(y) ? byName(a, b) : isNaN(x) ? 1 : -1;
    }
    return sign * (x - y) || byName(a, b);
  };
}

/** Whether a read-only area starts at this node (its parent, if any, is writable). */
export function startsReadOnly(node: IEosNode, parent: IEosNode | undefined): boolean {
  return node.access === 'read' && (!parent || parent.access !== 'read');
}

/** Whether an object's storage class needs a restore before it can be read. */
export function isArchived(node: Pick<IEosNode, 'storageClass'>): boolean {
  return node.storageClass === 'GLACIER' || node.storageClass === 'DEEP_ARCHIVE';
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
    loaded: null,
    next: null
  };
}

/**
 * The roots for the user's namespaces, in display order: My files,
 * Organization, Gencove (each if `whoami` lists it), and Users (the other
 * users' spaces, read-only) when the user has a space of their own.
 */
export function makeRoots(namespaces: readonly NamespaceInfo[], trans: TranslationBundle): IEosNode[] {
  const labels: Record<string, string> = {
    [ROOT_URIS.home]: trans.__('My files'),
    [ROOT_URIS.org]: trans.__('Organization'),
    [ROOT_URIS.gencove]: trans.__('Gencove'),
    [ROOT_URIS.users]: trans.__('Users')
  };
  const infos: { uri: string; access: Access }[] = namespaces.map(ns => ({ uri: ns.uri, access: ns.access }));
  if (namespaces.some(ns => ns.name === 'users') && !infos.some(info => info.uri === ROOT_URIS.users)) {
    infos.push({ uri: ROOT_URIS.users, access: 'read' });
  }
  const rank = (uri: string) => {
    const i = ROOTS.indexOf(uri);
    return i < 0 ? ROOTS.length : i;
  };
  infos.sort((a, b) => rank(a.uri) - rank(b.uri));
  return infos.map(({ uri, access }) => {
    const name = uri.slice(0, -1).split('/').pop()!;
    return makeNode({ uri, name, kind: 'folder', access }, labels[uri] ?? uri, null, 1);
  });
}

/**
 * A name as the tree shows it: control characters (a key may hold a line feed
 * or a carriage return) become their visible Unicode control pictures, so a
 * row stays one line and the character is not hidden. The URI keeps the key.
 */
export function displayName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it replaces
  return name.replace(/[\x00-\x1f\x7f]/g, c =>
    c === '\x7f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0))
  );
}

/**
 * Merge `extra` (sorted) into `base` (sorted) by `compare`: each extra item's
 * place is found by binary search, so a page of m items costs m·log(n)
 * comparisons and one copy, not a new sort of the whole folder. Equal items
 * keep `base` first.
 */
export function mergeSorted<T>(base: readonly T[], extra: readonly T[], compare: (a: T, b: T) => number): T[] {
  const out: T[] = new Array(base.length + extra.length);
  let from = 0;
  let o = 0;
  for (const item of extra) {
    let lo = from;
    let hi = base.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(base[mid], item) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    while (from < lo) {
      out[o++] = base[from++];
    }
    out[o++] = item;
  }
  while (from < base.length) {
    out[o++] = base[from++];
  }
  return out;
}

/**
 * The keyboard model of the EOS tree, as pure functions of the rows: which
 * row a key moves to. The view scrolls there (rows are virtualised) and
 * focuses it.
 */
import { IEosRow } from '../tree';

/** Whether the keyboard stops at a row: items and status rows, except "empty folder" notes. */
export function isFocusable(row: IEosRow): boolean {
  return row.type !== 'empty';
}

/** The index of the next focusable row from `index` in direction `step` (clamped at the ends). */
export function step(rows: readonly IEosRow[], index: number, delta: 1 | -1): number {
  for (let i = index + delta; i >= 0 && i < rows.length; i += delta) {
    if (isFocusable(rows[i])) {
      return i;
    }
  }
  return index;
}

/** The first (or last) focusable row. */
export function edge(rows: readonly IEosRow[], last: boolean): number {
  return last ? step(rows, rows.length, -1) : step(rows, -1, 1);
}

/** The index of the item row `uri`, or -1. */
export function indexOfItem(rows: readonly IEosRow[], uri: string | null): number {
  return uri === null ? -1 : rows.findIndex(row => row.type === 'item' && row.key === uri);
}

/** The index of the first child row of the folder `uri` (a filter's first match), or -1. */
export function firstChild(rows: readonly IEosRow[], uri: string): number {
  const folder = indexOfItem(rows, uri);
  const next = rows[folder + 1];
  return folder >= 0 && next?.type === 'item' && next.node.parent === uri ? folder + 1 : -1;
}

/**
 * Type-ahead: the next item whose label starts with `prefix` (case-insensitive),
 * searching after `from` (at `from` too when the prefix grows), wrapping around.
 */
export function findByPrefix(rows: readonly IEosRow[], from: number, prefix: string, includeFrom: boolean): number {
  const wanted = prefix.toLocaleLowerCase();
  const n = rows.length;
  for (let k = includeFrom ? 0 : 1; k <= n; k++) {
    const i = (from + k + n) % n;
    const row = rows[i];
    if (row?.type === 'item' && row.node.label.toLocaleLowerCase().startsWith(wanted)) {
      return i;
    }
  }
  return -1;
}

/** Where a key moves from row `index`: a row index, or an action on the row. */
export type KeyAction =
  { type: 'move'; index: number; extend: boolean } | { type: 'expand' | 'collapse' | 'activate' | 'selectAll' } | null;

/** What a key press on row `index` does. */
export function actionFor(
  rows: readonly IEosRow[],
  index: number,
  event: { key: string; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }
): KeyAction {
  const row = rows[index];
  if (!row) {
    return null;
  }
  const extend = event.shiftKey;
  const folderItem = row.type === 'item' && row.node.kind === 'folder';
  switch (event.key) {
    case 'ArrowDown':
      return { type: 'move', index: step(rows, index, 1), extend };
    case 'ArrowUp':
      return { type: 'move', index: step(rows, index, -1), extend };
    case 'Home':
      return { type: 'move', index: edge(rows, false), extend };
    case 'End':
      return { type: 'move', index: edge(rows, true), extend };
    case 'ArrowRight':
      if (folderItem && !row.node.expanded) {
        return { type: 'expand' };
      }
      if (folderItem && rows[index + 1] && rows[index + 1].level === row.level + 1 && isFocusable(rows[index + 1])) {
        return { type: 'move', index: index + 1, extend: false };
      }
      return null;
    case 'ArrowLeft': {
      if (folderItem && row.node.expanded) {
        return { type: 'collapse' };
      }
      // An item goes to its parent; a status row to its folder.
      const parent = indexOfItem(rows, row.type === 'item' ? row.node.parent : row.node.uri);
      return parent >= 0 ? { type: 'move', index: parent, extend: false } : null;
    }
    case 'Enter':
    case ' ':
      return { type: 'activate' };
    case 'a':
    case 'A':
      return event.ctrlKey || event.metaKey ? { type: 'selectAll' } : null;
    default:
      return null;
  }
}

/**
 * Where the EOS tree scrolls: to a row (into view, or near the top for a
 * location gone to), keeping what the user looks at in place as rows arrive,
 * and back to a saved offset after a reload.
 */
import type { VirtualItem, Virtualizer } from '@tanstack/react-virtual';
import * as React from 'react';

import type { EosBrowserModel } from '../model';
import type { IEosRow } from '../tree';
import { ROW_HEIGHT } from './rows';

/** Rows kept in sight above an item scrolled to the top (a location gone to). */
const ROWS_ABOVE = 2;

/** Where a row scrolled to lands: just into view, or near the top. */
export type ScrollAlign = 'auto' | 'top';

/** The tree's scroll position, kept by its panel so that it can be saved and restored. */
export interface ITreeScroll {
  /** The current offset, in pixels. */
  offset: number;
  /** An offset to restore once enough rows are loaded; null when there is none. */
  pending: number | null;
}

/** A row the keyboard or a reveal moved to, and where it should land. */
export interface IPinned {
  key: string;
  align: ScrollAlign;
}

type TreeVirtualizer = Virtualizer<HTMLDivElement, Element>;

/** The offset that shows row `index` as `align` says, from the current `offset` of a view `height` tall. */
function offsetFor(index: number, align: ScrollAlign, offset: number, height: number): number | null {
  const top = index * ROW_HEIGHT;
  if (align === 'top') {
    return Math.max(0, top - ROWS_ABOVE * ROW_HEIGHT);
  }
  if (top < offset) {
    return top;
  }
  return top + ROW_HEIGHT > offset + height ? top + ROW_HEIGHT - height : null;
}

/** Scroll row `index` just into view, or near the top with a few rows above it kept in sight. */
export function scrollToRow(virtualizer: TreeVirtualizer, index: number, align: ScrollAlign): void {
  if (align === 'top') {
    virtualizer.scrollToOffset(offsetFor(index, align, 0, 0)!, { align: 'start' });
  } else {
    virtualizer.scrollToIndex(index, { align: 'auto' });
  }
}

/** What the scroll hooks read. */
interface IScrollOptions {
  rows: readonly IEosRow[];
  container: React.RefObject<HTMLDivElement>;
  scroll: ITreeScroll;
  virtualizer: TreeVirtualizer;
}

/**
 * Keep what the user looks at in place when rows arrive above it (a page
 * merged above an item revealed deep in a folder): the anchor is the selected
 * item when it is on screen, else the first row on screen, and the scroll
 * offset follows it.
 * A row the keyboard or a reveal moved to is pinned until the user scrolls by
 * hand: when rows arrive above it before the scroll to it has landed, the
 * view still goes to it.
 */
export function useScrollAnchor(
  options: IScrollOptions & {
    items: VirtualItem[];
    selected: string | null;
    pinned: React.MutableRefObject<IPinned | null>;
  }
): void {
  const { rows, items, selected, pinned, container, scroll, virtualizer } = options;
  const anchor = React.useRef<{ rows: readonly IEosRow[]; key: string; index: number } | null>(null);
  React.useLayoutEffect(() => {
    const element = container.current;
    const last = anchor.current;
    const pin = pinned.current;
    const pinIndex = pin === null ? -1 : rows.findIndex(row => row.key === pin.key);
    // A row pinned near the top goes back there when rows arrive (the scroll to it may have been cut
    // short by a list still too short); one pinned into view, only when it is not the anchor.
    const repin = pin !== null && pinIndex >= 0 && (pin.align === 'top' || last?.key !== pin.key);
    if (element && last && last.rows !== rows && scroll.pending === null && pin && repin) {
      const offset = offsetFor(pinIndex, pin.align, element.scrollTop, element.clientHeight);
      if (offset !== null && offset !== element.scrollTop) {
        virtualizer.scrollToOffset(offset);
        anchor.current = { rows, key: pin.key, index: pinIndex };
        return;
      }
    }
    if (element && last && last.rows !== rows && scroll.pending === null) {
      const index = rows[last.index]?.key === last.key ? last.index : rows.findIndex(row => row.key === last.key);
      if (index >= 0 && index !== last.index) {
        // Through the virtualizer: its scroll command replaces any still
        // settling (a scroll to an index that now holds another row).
        virtualizer.scrollToOffset(element.scrollTop + (index - last.index) * ROW_HEIGHT);
        // the rendered items are those of the old offset: the anchor stays
        anchor.current = { rows, key: last.key, index };
        return;
      }
    }
    const from = element?.scrollTop ?? 0;
    const to = from + (element?.clientHeight ?? 0);
    const visible = items.filter(item => item.end > from && item.start < to);
    const index =
      (
        visible.find(item => rows[item.index]?.key === pin?.key) ??
        visible.find(item => rows[item.index]?.key === selected) ??
        visible[0]
      )?.index ?? -1;
    const row = rows[index];
    anchor.current = row ? { rows, key: row.key, index } : null;
  });
}

/**
 * Restore a saved scroll offset once the rows reach it. A folder whose pages
 * the user had scrolled through holds it: its next pages are fetched as when
 * the user scrolled (the row that waits for one kept in sight), until the
 * offset is reached or the folder ends; then as near as the rows get (a
 * folder that shrank, or is gone). A scroll by hand ends the wait
 * (`cancelRestore`).
 */
export function useRestoredScroll(options: IScrollOptions & { model: EosBrowserModel }): void {
  const { model, rows, container, scroll, virtualizer } = options;
  React.useEffect(() => {
    const pending = scroll.pending;
    if (pending === null || model.whoami === null) {
      return;
    }
    const element = container.current;
    if (!element || element.clientHeight === 0) {
      return; // not laid out yet (a sidebar still being restored): it cannot scroll
    }
    const reachable = virtualizer.getTotalSize() - element.clientHeight;
    if (reachable >= pending) {
      scroll.pending = null;
      virtualizer.scrollToOffset(pending);
      return;
    }
    const bottom = pending + element.clientHeight;
    const waiting = rows.findIndex(
      (row, index) => (row.type === 'more' || row.type === 'loading') && index * ROW_HEIGHT < bottom
    );
    if (waiting >= 0) {
      const row = rows[waiting];
      if (row.type === 'more') {
        void model.loadMore(row.node.uri);
      }
      const inSight = Math.max(0, (waiting + 1) * ROW_HEIGHT - element.clientHeight);
      if (Math.abs(element.scrollTop - inSight) >= 1) {
        virtualizer.scrollToOffset(inSight);
      }
      return;
    }
    if (!model.busy) {
      scroll.pending = null;
      virtualizer.scrollToOffset(Math.max(0, reachable));
    }
  });
}

/** The user scrolled or moved by hand: a saved offset still being restored is given up. */
export function cancelRestore(scroll: ITreeScroll): void {
  scroll.pending = null;
}

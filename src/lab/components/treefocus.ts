/**
 * Where the focus goes in the EOS tree: the roving tab stop (an item, or a
 * status row such as "Load more"), the row the keyboard or a reveal moved
 * to (scrolled to and focused once rendered), and the hand-over from a
 * status row to the first new child when a folder's page arrives.
 */
import type { VirtualItem, Virtualizer } from '@tanstack/react-virtual';
import * as React from 'react';

import type { EosBrowserModel } from '../model';
import { IEosNode, IEosRow, statusKey } from '../tree';
import { edge, firstChild, indexOfItem, isFocusable } from './keys';
import { IPinned, ScrollAlign, scrollToRow } from './scroll';

type TreeVirtualizer = Virtualizer<HTMLDivElement, Element>;

/** The tree's focus: its state, and the rows focus and scrolling go to after the next render. */
export interface ITreeFocus {
  /** The status row (Load more, error, loading) holding focus without being selected, or null. */
  focused: string | null;
  setFocused(key: string | null): void;
  /** The row to focus once it is rendered. */
  focusNext: React.MutableRefObject<string | null>;
  /** The row to scroll to after the next render (one the view had not rendered yet, as a reveal's). */
  scrollNext: React.MutableRefObject<{ key: string; align: ScrollAlign } | null>;
  /** The row the view keeps in place while rows arrive, until the user scrolls. */
  pinned: React.MutableRefObject<IPinned | null>;
  /** The folder whose page an activated Load more or Retry waits for, and how many children it showed. */
  awaiting: React.MutableRefObject<{ uri: string; shown: number } | null>;
  /**
   * Make row `index` the tab stop (selecting an item, extending the selection
   * with `extend`), scroll to it (just into view, or near the top) and focus
   * it once rendered.
   */
  focusRow(index: number, extend?: boolean, align?: ScrollAlign): void;
  /** Load more or retry at `node`; the row keeps focus (as "Loading…") until the page arrives. */
  activateStatus(node: IEosNode): void;
}

/** The index of the row holding the tab stop: a focused status row, else the focused item, else the first. */
export function tabStop(rows: readonly IEosRow[], focused: string | null, selected: string | null): number {
  if (focused !== null) {
    const index = rows.findIndex(row => row.key === focused);
    if (index >= 0) {
      return index;
    }
  }
  const index = indexOfItem(rows, selected);
  return index >= 0 ? index : edge(rows, false);
}

/** Whether focus is in `tree`, or was dropped to the page because the focused row went away. */
function focusIsInOrLost(tree: HTMLElement | null): boolean {
  const active = tree?.ownerDocument.activeElement ?? null;
  return active === null || active === tree?.ownerDocument.body || !!tree?.contains(active);
}

/** The tree's focus state and the actions that move it. */
export function useTreeFocus(model: EosBrowserModel, virtualizer: TreeVirtualizer): ITreeFocus {
  const [focused, setFocused] = React.useState<string | null>(null);
  const focusNext = React.useRef<string | null>(null);
  const scrollNext = React.useRef<{ key: string; align: ScrollAlign } | null>(null);
  const pinned = React.useRef<IPinned | null>(null);
  const awaiting = React.useRef<{ uri: string; shown: number } | null>(null);

  const focusRow = React.useCallback(
    (index: number, extend = false, align: ScrollAlign = 'auto') => {
      const row = model.rows[index];
      if (!row) {
        return;
      }
      if (row.type === 'item') {
        if (extend) {
          model.selectRange(row.key);
        } else {
          model.select(row.key);
        }
        setFocused(null);
      } else {
        setFocused(row.key);
      }
      focusNext.current = row.key;
      // Rows the view has not rendered yet (a reveal) are scrolled to after the next render.
      scrollNext.current = { key: row.key, align };
      pinned.current = { key: row.key, align };
      if (index < virtualizer.options.count) {
        scrollToRow(virtualizer, index, align);
      }
    },
    [model, virtualizer]
  );

  const activateStatus = React.useCallback(
    (node: IEosNode) => {
      const key = statusKey(node.uri);
      awaiting.current = { uri: node.uri, shown: model.folderView(node).children.length };
      setFocused(key);
      focusNext.current = key;
      void model.retry(node.uri);
    },
    [model]
  );

  return { focused, setFocused, focusNext, scrollNext, pinned, awaiting, focusRow, activateStatus };
}

/** Scroll to the row asked for once it is rendered. */
export function useScrollNext(rows: readonly IEosRow[], virtualizer: TreeVirtualizer, focus: ITreeFocus): void {
  React.useEffect(() => {
    const next = focus.scrollNext.current;
    focus.scrollNext.current = null;
    const index = next === null ? -1 : rows.findIndex(row => row.key === next.key);
    if (next && index >= 0) {
      scrollToRow(virtualizer, index, next.align);
    }
  });
}

/**
 * Scroll what the path bar revealed near the top (its contents show below
 * it), and focus it; scroll the first match of a filter into view.
 */
export function useRevealedAndFiltered(model: EosBrowserModel, focus: ITreeFocus): void {
  const scrolledFilter = React.useRef('');
  const { focusRow, scrollNext } = focus;
  React.useEffect(() => {
    const onRevealed = (_: EosBrowserModel, uri: string) => {
      const index = indexOfItem(model.rows, uri);
      if (index >= 0) {
        focusRow(index, false, 'top');
      }
    };
    const onFilter = (_: EosBrowserModel, uri: string | null) => {
      // Once per text: more matches arriving as the user scrolls them must not scroll back.
      const text = uri === null || model.filter.text === '' ? '' : `${uri}\n${model.filter.text}`;
      const index = text === '' ? -1 : firstChild(model.rows, uri!);
      if (text === '') {
        scrolledFilter.current = '';
      } else if (index >= 0 && scrolledFilter.current !== text) {
        scrolledFilter.current = text;
        scrollNext.current = { key: model.rows[index].key, align: 'auto' };
      }
    };
    model.revealed.connect(onRevealed);
    model.filterChanged.connect(onFilter);
    return () => {
      model.revealed.disconnect(onRevealed);
      model.filterChanged.disconnect(onFilter);
    };
  }, [model, focusRow, scrollNext]);
}

/**
 * When the page arrives, hand the focus the status row kept to the first new
 * child, or to the folder when the status row is gone and nothing was added.
 */
export function usePageArrived(
  model: EosBrowserModel,
  rows: readonly IEosRow[],
  container: React.RefObject<HTMLDivElement>,
  focus: ITreeFocus
): void {
  React.useEffect(() => {
    const wait = focus.awaiting.current;
    const folder = wait && model.node(wait.uri);
    if (!wait || folder?.loading) {
      return;
    }
    focus.awaiting.current = null;
    const key = statusKey(wait.uri);
    if (!folder || focus.focused !== key || !focusIsInOrLost(container.current)) {
      return; // the user moved on
    }
    const children = model.folderView(folder).children;
    let target = children[wait.shown];
    if (target === undefined && !rows.some(row => row.key === key && isFocusable(row))) {
      target = folder.uri;
    }
    const index = indexOfItem(rows, target ?? null);
    if (index >= 0) {
      focus.focusRow(index);
    }
  });
}

/** Move DOM focus to the row the keyboard moved to, once it is rendered. */
export function useFocusNext(
  rows: readonly IEosRow[],
  container: React.RefObject<HTMLDivElement>,
  focus: ITreeFocus
): void {
  React.useEffect(() => {
    const key = focus.focusNext.current;
    if (key === null) {
      return;
    }
    const index = rows.findIndex(row => row.key === key);
    const element = container.current?.querySelector(`[data-index="${index}"]`);
    if (index >= 0 && element instanceof HTMLElement) {
      focus.focusNext.current = null;
      element.focus({ preventScroll: true });
    }
  });
}

/**
 * Fetch the next page of a folder whose "Load more" row is on screen (the
 * model shares a request in flight); a focused row hands its focus on as
 * when it is activated.
 */
export function useLoadMore(
  model: EosBrowserModel,
  rows: readonly IEosRow[],
  items: readonly VirtualItem[],
  focus: ITreeFocus
): void {
  React.useEffect(() => {
    for (const item of items) {
      const row = rows[item.index];
      if (row?.type === 'more') {
        void model.loadMore(row.node.uri);
      }
    }
    const { focused, awaiting } = focus;
    const row = focused === null || awaiting.current ? undefined : rows.find(r => r.key === focused);
    if (row && (row.type === 'more' || row.type === 'loading')) {
      awaiting.current = { uri: row.node.uri, shown: row.shown };
    }
  });
}

/**
 * The EOS tree: virtualised rows (only those on screen, plus overscan) with
 * the ARIA tree pattern, a roving tabindex, multi-selection and the keyboard
 * model of a file tree. The next page of a folder is fetched when its
 * "Load more" row scrolls into view.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { VirtualItem, useVirtualizer } from '@tanstack/react-virtual';
import * as React from 'react';

import { EosBrowserModel } from '../model';
import type { Column } from '../settings';
import { IEosNode, IEosRow, startsReadOnly } from '../tree';
import { useSignal } from './hooks';
import { actionFor, findByPrefix, isFocusable } from './keys';
import { currentFolder } from './pathbar';
import { IClickModifiers, IItemRowProps, ItemRow, ROW_HEIGHT, StatusRow } from './rows';
import { ITreeScroll, cancelRestore, useRestoredScroll, useScrollAnchor } from './scroll';
import {
  ITreeFocus,
  tabStop,
  useFocusNext,
  useLoadMore,
  usePageArrived,
  useRevealedAndFiltered,
  useScrollNext,
  useTreeFocus
} from './treefocus';

export type { ITreeScroll } from './scroll';

/** Rows rendered above and below the screen. */
const OVERSCAN = 10;
/** How long typed letters add up to one type-ahead prefix, in ms. */
const TYPEAHEAD_MS = 700;

/** The props of the tree. */
export interface IEosTreeProps {
  model: EosBrowserModel;
  trans: TranslationBundle;
  /** The optional columns to show. */
  columns: readonly Column[];
  /** Where the scroll offset is kept; stable across renders. */
  scroll: ITreeScroll;
}

/** The tree of EOS items. */
export function EosTree(props: IEosTreeProps): JSX.Element {
  const { model, trans, scroll } = props;
  useSignal(model.displayChanged);
  const rows = model.rows;
  const selected = model.selected?.uri ?? null;
  const container = React.useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => container.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: index => rows[index]?.key ?? index,
    overscan: OVERSCAN,
    initialOffset: () => scroll.pending ?? scroll.offset
  });
  const items = virtualizer.getVirtualItems();
  const focus = useTreeFocus(model, virtualizer);
  const tabStopIndex = tabStop(rows, focus.focused, selected);
  const { pinned } = focus;
  // A scroll or a move by hand: a row pinned by the keyboard or a reveal, and an offset still being
  // restored, are let go.
  const byHand = React.useCallback(() => {
    pinned.current = null;
    cancelRestore(scroll);
  }, [pinned, scroll]);

  useScrollAnchor({ rows, items, selected, pinned, container, scroll, virtualizer });
  useRestoredScroll({ model, rows, container, scroll, virtualizer });
  useScrollNext(rows, virtualizer, focus);
  useRevealedAndFiltered(model, focus);
  usePageArrived(model, rows, container, focus);
  useFocusNext(rows, container, focus);
  useLoadMore(model, rows, items, focus);

  // A status row focused by the mouse or a screen reader becomes the tab stop.
  const onFocus = (event: React.FocusEvent) => {
    const index = Number((event.target as HTMLElement).getAttribute('data-index') ?? -1);
    const row = rows[index];
    if (row && row.type !== 'item' && isFocusable(row) && focus.focused !== row.key) {
      focus.setFocused(row.key);
    }
  };
  const onKeyDown = useKeyDown(model, rows, tabStopIndex, focus);
  const handlers = useItemHandlers(model, focus.setFocused);

  const tabKey = rows[tabStopIndex]?.key;
  return (
    <div
      ref={container}
      className="jp-EosBrowser-tree"
      role="tree"
      aria-label={trans.__('EOS')}
      aria-multiselectable="true"
      data-lm-dragscroll="true"
      onKeyDown={onKeyDown}
      onFocus={onFocus}
      onScroll={event => (scroll.offset = event.currentTarget.scrollTop)}
      onKeyDownCapture={() => cancelRestore(scroll)}
      onWheel={byHand}
      onTouchStart={byHand}
      onPointerDown={byHand}
    >
      <div className="jp-EosBrowser-rows" role="none" style={{ height: virtualizer.getTotalSize() }}>
        {items.map(item => (
          <TreeRow
            key={rows[item.index]?.key ?? item.index}
            model={model}
            row={rows[item.index]}
            item={item}
            tabbable={rows[item.index]?.key === tabKey}
            columns={props.columns}
            trans={trans}
            handlers={handlers}
            onActivate={focus.activateStatus}
          />
        ))}
      </div>
      <BlankArea model={model} />
    </div>
  );
}

/**
 * The blank area under the rows: its context menu holds the current folder's
 * actions (new folder, upload, refresh), as the file browser's background does.
 */
function BlankArea(props: { model: EosBrowserModel }): JSX.Element {
  const { model } = props;
  const folder = currentFolder(model);
  return (
    <div
      className="jp-EosBrowser-blank"
      role="none"
      data-uri={folder?.uri}
      data-access={folder?.access}
      onContextMenu={() => folder && model.select(folder.uri)}
    />
  );
}

/** The props of one row of the tree. */
interface ITreeRowProps {
  model: EosBrowserModel;
  /** Undefined while the virtualizer still counts a row that went away. */
  row: IEosRow | undefined;
  item: VirtualItem;
  tabbable: boolean;
  columns: readonly Column[];
  trans: TranslationBundle;
  handlers: Pick<IItemRowProps, 'onClick' | 'onDoubleClick' | 'onContextMenu'>;
  onActivate: (node: IEosNode) => void;
}

/** One row on screen: an item, or a status row closing a folder. */
function TreeRow(props: ITreeRowProps): JSX.Element | null {
  const { model, row, item, tabbable, trans } = props;
  if (!row) {
    return null;
  }
  if (row.type === 'item') {
    const parent = row.node.parent === null ? undefined : model.node(row.node.parent);
    return (
      <ItemRow
        node={row.node}
        index={item.index}
        start={item.start}
        posinset={row.posinset}
        setsize={row.setsize}
        badge={startsReadOnly(row.node, parent)}
        selected={model.isSelected(row.key)}
        tabbable={tabbable}
        columns={props.columns}
        trans={trans}
        {...props.handlers}
      />
    );
  }
  return (
    <StatusRow
      row={row}
      index={item.index}
      start={item.start}
      tabbable={tabbable}
      trans={trans}
      onActivate={props.onActivate}
    />
  );
}

/** The tree's keyboard: the file tree's keys, and type-ahead on names. */
function useKeyDown(
  model: EosBrowserModel,
  rows: readonly IEosRow[],
  tabStopIndex: number,
  focus: ITreeFocus
): (event: React.KeyboardEvent) => void {
  const typeahead = React.useRef({ text: '', time: 0 });
  const { focusRow } = focus;
  return (event: React.KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if ((event.key === 'Enter' || event.key === ' ') && target instanceof HTMLButtonElement) {
      return; // the button's own click
    }
    // Navigate from the row that has focus, which is the tab stop unless it just stopped being one.
    const element = target.closest('[data-index]');
    const domIndex = element ? Number(element.getAttribute('data-index')) : -1;
    const current = domIndex >= 0 && rows[domIndex] && isFocusable(rows[domIndex]) ? domIndex : tabStopIndex;
    const row = rows[current];
    if (!row) {
      return;
    }
    const action = actionFor(rows, current, event);
    if (action === null) {
      if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey && event.key !== ' ') {
        // Type-ahead: letters typed in quick succession form a name prefix.
        const now = Date.now();
        const grow = now - typeahead.current.time < TYPEAHEAD_MS;
        const text = grow ? typeahead.current.text + event.key : event.key;
        typeahead.current = { text, time: now };
        const found = findByPrefix(rows, current, text, grow);
        if (found >= 0) {
          focusRow(found);
        }
        event.preventDefault();
        event.stopPropagation();
      }
      return;
    }
    switch (action.type) {
      case 'move':
        focusRow(action.index, action.extend);
        break;
      case 'expand':
        void model.expand(row.node.uri);
        break;
      case 'collapse':
        model.collapse(row.node.uri);
        break;
      case 'selectAll':
        model.selectAll();
        break;
      case 'activate':
        if (row.type === 'item') {
          if (row.node.kind === 'folder') {
            void model.toggle(row.key);
          }
        } else if (row.type !== 'loading') {
          focus.activateStatus(row.node);
        }
        break;
    }
    event.preventDefault();
    event.stopPropagation();
  };
}

/** What an item row does on a click, a double click and a right click. */
function useItemHandlers(
  model: EosBrowserModel,
  setFocused: (key: string | null) => void
): Pick<IItemRowProps, 'onClick' | 'onDoubleClick' | 'onContextMenu'> {
  const onClick = React.useCallback(
    (node: IEosNode, modifiers: IClickModifiers) => {
      setFocused(null);
      if (modifiers.toggle) {
        model.toggleSelected(node.uri);
      } else if (modifiers.range) {
        model.selectRange(node.uri);
      } else {
        // As in JupyterLab's file browser, a click selects; a double click, Enter or the caret opens.
        model.select(node.uri);
        if (modifiers.caret && node.kind === 'folder') {
          void model.toggle(node.uri);
        }
      }
    },
    [model, setFocused]
  );

  // A double click on a folder (not on its caret, whose clicks already toggled it) expands or collapses it.
  const onDoubleClick = React.useCallback(
    (node: IEosNode) => {
      if (node.kind === 'folder') {
        void model.toggle(node.uri);
      }
    },
    [model]
  );

  // Select before the application's context menu opens, so commands act on this
  // item; right-clicking inside a multi-selection keeps it.
  const onContextMenu = React.useCallback(
    (node: IEosNode) => {
      if (!model.isSelected(node.uri)) {
        model.select(node.uri);
      }
      setFocused(null);
    },
    [model, setFocused]
  );
  return { onClick, onDoubleClick, onContextMenu };
}

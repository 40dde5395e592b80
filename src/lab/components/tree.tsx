/**
 * The EOS tree: virtualised rows (only those on screen, plus overscan) with
 * the ARIA tree pattern, a roving tabindex, multi-selection and the keyboard
 * model of a file tree. The next page of a folder is fetched when its
 * "Load more" row scrolls into view.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { useVirtualizer } from '@tanstack/react-virtual';
import * as React from 'react';

import { EosBrowserModel } from '../model';
import type { Column } from '../settings';
import { IEosNode, IEosRow, startsReadOnly, statusKey } from '../tree';
import { useSignal } from './hooks';
import { actionFor, edge, findByPrefix, firstChild, indexOfItem, isFocusable } from './keys';
import { currentFolder } from './pathbar';
import { IClickModifiers, ItemRow, ROW_HEIGHT, StatusRow } from './rows';
import { IPinned, ITreeScroll, ScrollAlign, scrollToRow, useRestoredScroll, useScrollAnchor } from './scroll';

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

/** The index of the row holding the tab stop: a focused status row, else the focused item, else the first. */
function tabStop(rows: readonly IEosRow[], focused: string | null, selected: string | null): number {
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

/** The tree of EOS items. */
export function EosTree(props: IEosTreeProps): JSX.Element {
  const { model, trans, scroll } = props;
  useSignal(model.displayChanged);
  const rows = model.rows;
  const selected = model.selected?.uri ?? null;
  // A status row (Load more, error, loading) can hold focus without being selected.
  const [focused, setFocused] = React.useState<string | null>(null);
  const focusNext = React.useRef<string | null>(null);
  const scrollNext = React.useRef<{ key: string; align: ScrollAlign } | null>(null);
  const scrolledFilter = React.useRef('');
  const pinned = React.useRef<IPinned | null>(null);
  const unpin = React.useCallback(() => (pinned.current = null), []);
  // The folder whose page an activated Load more or Retry waits for, and how many children it showed.
  const awaiting = React.useRef<{ uri: string; shown: number } | null>(null);
  const typeahead = React.useRef({ text: '', time: 0 });
  const container = React.useRef<HTMLDivElement>(null);
  const tabStopIndex = tabStop(rows, focused, selected);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => container.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: index => rows[index]?.key ?? index,
    overscan: OVERSCAN,
    initialOffset: () => scroll.pending ?? scroll.offset
  });
  const items = virtualizer.getVirtualItems();

  /**
   * Make row `index` the tab stop (selecting an item), scroll to it (just into
   * view, or near the top) and focus it once rendered.
   */
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

  useScrollAnchor({ rows, items, selected, pinned, container, scroll, virtualizer });
  useRestoredScroll({ model, rows, container, scroll, virtualizer });

  React.useEffect(() => {
    const next = scrollNext.current;
    scrollNext.current = null;
    const index = next === null ? -1 : rows.findIndex(row => row.key === next.key);
    if (next && index >= 0) {
      scrollToRow(virtualizer, index, next.align);
    }
  });

  // Scroll what the path bar revealed near the top (its contents show below it), and focus it;
  // scroll the first match of a filter into view.
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
  }, [model, focusRow]);

  // When the page arrives, hand the focus the status row kept to the first new
  // child, or to the folder when the status row is gone and nothing was added.
  React.useEffect(() => {
    const wait = awaiting.current;
    const folder = wait && model.node(wait.uri);
    if (!wait || folder?.loading) {
      return;
    }
    awaiting.current = null;
    const key = statusKey(wait.uri);
    if (!folder || focused !== key || !focusIsInOrLost(container.current)) {
      return; // the user moved on
    }
    const children = model.folderView(folder).children;
    let target = children[wait.shown];
    if (target === undefined && !rows.some(row => row.key === key && isFocusable(row))) {
      target = folder.uri;
    }
    const index = indexOfItem(rows, target ?? null);
    if (index >= 0) {
      focusRow(index);
    }
  });

  // Move DOM focus to the row the keyboard moved to, once it is rendered.
  React.useEffect(() => {
    const key = focusNext.current;
    if (key === null) {
      return;
    }
    const index = rows.findIndex(row => row.key === key);
    const element = container.current?.querySelector(`[data-index="${index}"]`);
    if (index >= 0 && element instanceof HTMLElement) {
      focusNext.current = null;
      element.focus({ preventScroll: true });
    }
  });

  // Fetch the next page of a folder whose "Load more" row is on screen (the
  // model shares a request in flight); a focused row hands its focus on as
  // when it is activated.
  React.useEffect(() => {
    for (const item of items) {
      const row = rows[item.index];
      if (row?.type === 'more') {
        void model.loadMore(row.node.uri);
      }
    }
    const row = focused === null || awaiting.current ? undefined : rows.find(r => r.key === focused);
    if (row && (row.type === 'more' || row.type === 'loading')) {
      awaiting.current = { uri: row.node.uri, shown: row.shown };
    }
  });

  // A status row focused by the mouse or a screen reader becomes the tab stop.
  const onFocus = (event: React.FocusEvent) => {
    const index = Number((event.target as HTMLElement).getAttribute('data-index') ?? -1);
    const row = rows[index];
    if (row && row.type !== 'item' && isFocusable(row) && focused !== row.key) {
      setFocused(row.key);
    }
  };

  // Load more or retry; the row keeps focus (as "Loading…") until the page arrives.
  const onStatusActivate = React.useCallback(
    (node: IEosNode) => {
      const key = statusKey(node.uri);
      awaiting.current = { uri: node.uri, shown: model.folderView(node).children.length };
      setFocused(key);
      focusNext.current = key;
      void model.retry(node.uri);
    },
    [model]
  );

  const onKeyDown = (event: React.KeyboardEvent) => {
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
          onStatusActivate(row.node);
        }
        break;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const onItemClick = React.useCallback(
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
    [model]
  );

  // A double click on a folder (not on its caret, whose clicks already toggled it) expands or collapses it.
  const onItemDoubleClick = React.useCallback(
    (node: IEosNode) => {
      if (node.kind === 'folder') {
        void model.toggle(node.uri);
      }
    },
    [model]
  );

  // Select before the application's context menu opens, so commands act on this
  // item; right-clicking inside a multi-selection keeps it.
  const onItemContextMenu = React.useCallback(
    (node: IEosNode) => {
      if (!model.isSelected(node.uri)) {
        model.select(node.uri);
      }
      setFocused(null);
    },
    [model]
  );

  // The blank area under the rows: its context menu holds the current folder's actions
  // (new folder, upload, refresh), as the file browser's background does.
  const folder = currentFolder(model);
  const onBlankContextMenu = () => folder && model.select(folder.uri);

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
      onWheel={unpin}
      onTouchStart={unpin}
      onPointerDown={unpin}
    >
      <div className="jp-EosBrowser-rows" role="none" style={{ height: virtualizer.getTotalSize() }}>
        {items.map(item => {
          const row = rows[item.index];
          if (!row) {
            return null;
          }
          if (row.type === 'item') {
            const parent = row.node.parent === null ? undefined : model.node(row.node.parent);
            return (
              <ItemRow
                key={row.key}
                node={row.node}
                index={item.index}
                start={item.start}
                posinset={row.posinset}
                setsize={row.setsize}
                badge={startsReadOnly(row.node, parent)}
                selected={model.isSelected(row.key)}
                tabbable={row.key === tabKey}
                columns={props.columns}
                trans={trans}
                onClick={onItemClick}
                onDoubleClick={onItemDoubleClick}
                onContextMenu={onItemContextMenu}
              />
            );
          }
          return (
            <StatusRow
              key={row.key}
              row={row}
              index={item.index}
              start={item.start}
              tabbable={row.key === tabKey}
              trans={trans}
              onActivate={onStatusActivate}
            />
          );
        })}
      </div>
      <div
        className="jp-EosBrowser-blank"
        role="none"
        data-uri={folder?.uri}
        data-access={folder?.access}
        onContextMenu={onBlankContextMenu}
      />
    </div>
  );
}

/**
 * The EOS tree: a flat list of rows with the ARIA tree pattern, a roving
 * tabindex and the keyboard model of a file tree.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { EosBrowserModel } from '../model';
import { IEosNode, IEosRow, startsReadOnly, statusKey } from '../tree';
import { useModelChanged } from './hooks';
import { ItemRow, StatusRow } from './rows';

/** The props of the tree. */
export interface IEosTreeProps {
  model: EosBrowserModel;
  trans: TranslationBundle;
}

/** Whether the keyboard stops at a row: items and status rows, except "empty folder" notes. */
function isFocusable(row: IEosRow): boolean {
  return row.type !== 'empty';
}

/** The index of the row holding the tab stop: a focused status row, else the selection, else the first. */
function tabStop(rows: readonly IEosRow[], focused: string | null, selected: string | null): number {
  for (const key of [focused, selected]) {
    const index = key === null ? -1 : rows.findIndex(row => row.key === key);
    if (index >= 0) {
      return index;
    }
  }
  return 0;
}

/** Whether focus is in `tree`, or was dropped to the page because the focused row went away. */
function focusIsInOrLost(tree: HTMLElement | null): boolean {
  const active = tree?.ownerDocument.activeElement ?? null;
  return active === null || active === tree?.ownerDocument.body || !!tree?.contains(active);
}

/** The tree of EOS items. */
export function EosTree(props: IEosTreeProps): JSX.Element {
  const { model, trans } = props;
  useModelChanged(model);
  const all = model.rows;
  // The rows the keyboard can reach, in order.
  const stops = all.filter(isFocusable);
  const selected = model.selected?.uri ?? null;
  // A status row (Load more, error, loading) can hold focus without being selected.
  const [focused, setFocused] = React.useState<string | null>(null);
  const focusNext = React.useRef<string | null>(null);
  // The folder whose page an activated Load more or Retry waits for, and how many children it had.
  const awaiting = React.useRef<{ uri: string; shown: number } | null>(null);
  const container = React.useRef<HTMLDivElement>(null);
  const tabStopIndex = tabStop(stops, focused, selected);

  /** Make `row` the tab stop (selecting an item) and focus it once it is rendered. */
  const focusRow = React.useCallback(
    (row: IEosRow) => {
      if (row.type === 'item') {
        model.select(row.key);
        setFocused(null);
      } else {
        setFocused(row.key);
      }
      focusNext.current = row.key;
    },
    [model]
  );

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
    // The first new child; else the folder, unless the status row is still there (an error, Load more).
    let target = folder.children?.[wait.shown];
    if (target === undefined && !stops.some(row => row.key === key)) {
      target = folder.uri;
    }
    const row = all.find(r => r.key === target);
    if (row) {
      focusRow(row);
    }
  });

  // Move DOM focus to the row the keyboard moved to, once it is rendered.
  React.useEffect(() => {
    const key = focusNext.current;
    if (key === null) {
      return;
    }
    const index = all.findIndex(row => row.key === key);
    const element = container.current?.children[index];
    if (element instanceof HTMLElement) {
      focusNext.current = null;
      element.focus();
    }
  });

  const moveTo = (index: number) => {
    const row = stops[Math.max(0, Math.min(stops.length - 1, index))];
    if (row) {
      focusRow(row);
    }
  };

  // Load more or retry; the row keeps focus (as "Loading…") until the page arrives.
  const onStatusActivate = React.useCallback(
    (node: IEosNode) => {
      const key = statusKey(node.uri);
      awaiting.current = { uri: node.uri, shown: model.node(node.uri)?.children?.length ?? 0 };
      setFocused(key);
      focusNext.current = key;
      void model.retry(node.uri);
    },
    [model]
  );

  const activate = (row: IEosRow) => {
    if (row.type === 'item') {
      if (row.node.kind === 'folder') {
        void model.toggle(row.key);
      }
    } else if (row.type !== 'loading') {
      onStatusActivate(row.node);
    }
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if ((event.key === 'Enter' || event.key === ' ') && target instanceof HTMLButtonElement) {
      return; // the button's own click
    }
    // Navigate from the row that has focus, which is the tab stop unless it just stopped being one.
    const element = target.closest('[role="treeitem"]');
    const domIndex = element ? Array.prototype.indexOf.call(container.current?.children ?? [], element) : -1;
    const here = domIndex >= 0 ? stops.findIndex(r => r.key === all[domIndex]?.key) : -1;
    const current = here >= 0 ? here : tabStopIndex;
    const row = stops[current];
    if (!row) {
      return;
    }
    const node = row.node;
    const isFolderItem = row.type === 'item' && node.kind === 'folder';
    switch (event.key) {
      case 'ArrowDown':
        moveTo(current + 1);
        break;
      case 'ArrowUp':
        moveTo(current - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(stops.length - 1);
        break;
      case 'ArrowRight':
        if (isFolderItem && !node.expanded) {
          void model.expand(node.uri);
        } else if (isFolderItem && stops[current + 1]?.level === row.level + 1) {
          moveTo(current + 1);
        }
        break;
      case 'ArrowLeft':
        if (isFolderItem && node.expanded) {
          model.collapse(node.uri);
        } else {
          // An item goes to its parent; a status row to its folder.
          const parentUri = row.type === 'item' ? node.parent : node.uri;
          const parent = stops.findIndex(r => r.type === 'item' && r.key === parentUri);
          if (parent >= 0) {
            moveTo(parent);
          }
        }
        break;
      case 'Enter':
      case ' ':
        activate(row);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const onItemClick = React.useCallback(
    (node: IEosNode) => {
      model.select(node.uri);
      setFocused(null);
      if (node.kind === 'folder') {
        void model.toggle(node.uri);
      }
    },
    [model]
  );

  // Select before the application's context menu opens, so commands act on this item.
  const onItemContextMenu = React.useCallback(
    (node: IEosNode) => {
      model.select(node.uri);
      setFocused(null);
    },
    [model]
  );

  return (
    <div ref={container} className="jp-EosBrowser-tree" role="tree" aria-label={trans.__('EOS')} onKeyDown={onKeyDown}>
      {all.map(row =>
        row.type === 'item' ? (
          <ItemRow
            key={row.key}
            node={row.node}
            badge={startsReadOnly(row.node, row.node.parent === null ? undefined : model.node(row.node.parent))}
            selected={row.key === selected}
            tabbable={row.key === stops[tabStopIndex]?.key}
            trans={trans}
            onClick={onItemClick}
            onContextMenu={onItemContextMenu}
          />
        ) : (
          <StatusRow
            key={row.key}
            type={row.type}
            node={row.node}
            level={row.level}
            tabbable={row.key === stops[tabStopIndex]?.key}
            trans={trans}
            onActivate={onStatusActivate}
          />
        )
      )}
    </div>
  );
}

/**
 * The EOS tree: a flat list of rows with the ARIA tree pattern, a roving
 * tabindex and the keyboard model of a file tree.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { EosBrowserModel } from '../model';
import { IEosNode, IEosRow, startsReadOnly } from '../tree';
import { useModelChanged } from './hooks';
import { ItemRow, StatusRow } from './rows';

/** The props of the tree. */
export interface IEosTreeProps {
  model: EosBrowserModel;
  trans: TranslationBundle;
}

/** Whether the keyboard stops at a row: items, Load more and errors (not loading/empty notes). */
function isFocusable(row: IEosRow): boolean {
  return row.type === 'item' || row.type === 'more' || row.type === 'error';
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

/** The tree of EOS items. */
export function EosTree(props: IEosTreeProps): JSX.Element {
  const { model, trans } = props;
  useModelChanged(model);
  const all = model.rows;
  // The rows the keyboard can reach, in order.
  const stops = all.filter(isFocusable);
  const selected = model.selected?.uri ?? null;
  // A status row (Load more, error) can hold focus without being selected.
  const [focused, setFocused] = React.useState<string | null>(null);
  const focusNext = React.useRef<string | null>(null);
  const container = React.useRef<HTMLDivElement>(null);
  const tabStopIndex = tabStop(stops, focused, selected);

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
    if (!row) {
      return;
    }
    if (row.type === 'item') {
      model.select(row.key);
      setFocused(null);
    } else {
      setFocused(row.key);
    }
    focusNext.current = row.key;
  };

  const activate = (row: IEosRow) => {
    if (row.type === 'item') {
      if (row.node.kind === 'folder') {
        void model.toggle(row.key);
      }
    } else {
      void model.retry(row.node.uri);
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

  const onItemClick = (node: IEosNode) => {
    model.select(node.uri);
    setFocused(null);
    if (node.kind === 'folder') {
      void model.toggle(node.uri);
    }
  };

  // Select before the application's context menu opens, so commands act on this item.
  const onItemContextMenu = (node: IEosNode) => {
    model.select(node.uri);
    setFocused(null);
  };

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
            onActivate={node => {
              setFocused(row.key);
              void model.retry(node.uri);
            }}
          />
        )
      )}
    </div>
  );
}

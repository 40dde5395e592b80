/**
 * One row of the EOS tree: an item, or the status line closing a folder.
 *
 * Rows are memoised: nodes are immutable, so a row re-renders only when its
 * node or its own state (selected, tab stop, position) changes, and the tree
 * passes stable handlers.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { caretDownIcon, caretRightIcon, classes, lockIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { errorTitle } from '../errors';
import { iconFor } from '../icons';
import type { Column } from '../settings';
import { IEosNode, IStatusRow, isArchived } from '../tree';
import { formatDate, formatSize, itemTooltip } from './format';

/** The height of every row, in pixels (the virtualiser relies on it). */
export const ROW_HEIGHT = 24;

/** Position and indentation of a row; the stylesheet multiplies the level. */
function rowStyle(level: number, start: number): React.CSSProperties {
  return { '--jp-EosBrowser-level': level - 1, transform: `translateY(${start}px)` } as React.CSSProperties;
}

/** The modifier keys of a click. */
export interface IClickModifiers {
  /** Ctrl (or Cmd on macOS): toggle the item in the selection. */
  toggle: boolean;
  /** Shift: select the range from the anchor. */
  range: boolean;
  /** The first click of a gesture on a folder's caret: expand or collapse it. */
  caret: boolean;
}

/** Whether a mouse event happened on a row's caret. */
function onCaret(event: React.MouseEvent): boolean {
  return event.target instanceof Element && event.target.closest('.jp-EosBrowser-caret') !== null;
}

/** The props of an item row. */
export interface IItemRowProps {
  node: IEosNode;
  /** The row's index among the visible rows. */
  index: number;
  /** Its offset from the top of the list, in pixels. */
  start: number;
  posinset: number;
  /** The number of siblings; null while more may be listed. */
  setsize: number | null;
  /** Whether to show the read-only badge (where a read-only area starts). */
  badge: boolean;
  selected: boolean;
  /** The tab stop of the tree (roving tabindex). */
  tabbable: boolean;
  /** The optional columns to show. */
  columns: readonly Column[];
  trans: TranslationBundle;
  /** Keep it stable across renders, or every row re-renders. */
  onClick: (node: IEosNode, modifiers: IClickModifiers) => void;
  /** Keep it stable across renders, or every row re-renders. */
  onDoubleClick: (node: IEosNode) => void;
  /** Keep it stable across renders, or every row re-renders. */
  onContextMenu: (node: IEosNode) => void;
}

/** An item: caret, icon, name, badges, size and modified columns. */
export const ItemRow = React.memo(function ItemRow(props: IItemRowProps): JSX.Element {
  const { node, trans } = props;
  const folder = node.kind === 'folder';
  const readOnly = node.access === 'read';
  const archived = isArchived(node);
  const Caret = node.expanded ? caretDownIcon : caretRightIcon;
  const Icon = iconFor(node.kind, node.name);
  const tooltip = React.useMemo(() => itemTooltip(node, trans), [node, trans]);
  return (
    <div
      role="treeitem"
      className={classes(
        'jp-EosBrowser-item',
        props.selected && 'jp-mod-selected',
        node.level === 1 && 'jp-EosBrowser-root'
      )}
      data-uri={node.uri}
      data-kind={node.kind}
      data-access={node.access}
      data-index={props.index}
      aria-level={node.level}
      aria-posinset={props.posinset}
      aria-setsize={props.setsize ?? undefined}
      aria-expanded={folder ? node.expanded : undefined}
      aria-selected={props.selected}
      aria-busy={node.loading || undefined}
      aria-label={node.label}
      aria-description={readOnly ? trans.__('Read-only') : undefined}
      title={tooltip}
      tabIndex={props.tabbable ? 0 : -1}
      style={rowStyle(node.level, props.start)}
      onClick={event =>
        props.onClick(node, {
          toggle: event.ctrlKey || event.metaKey,
          range: event.shiftKey,
          caret: event.detail <= 1 && onCaret(event)
        })
      }
      onDoubleClick={event => !onCaret(event) && props.onDoubleClick(node)}
      onContextMenu={() => props.onContextMenu(node)}
    >
      <span className="jp-EosBrowser-caret" aria-hidden="true">
        {folder && <Caret.react tag="span" />}
      </span>
      <Icon.react tag="span" className="jp-EosBrowser-icon" aria-hidden="true" />
      <span className={classes('jp-EosBrowser-name', node.name === '' && node.level > 1 && 'jp-mod-placeholder')}>
        {node.label}
      </span>
      {props.badge && (
        <span className="jp-EosBrowser-badge" title={trans.__('Read-only')} aria-hidden="true">
          <lockIcon.react tag="span" />
        </span>
      )}
      {archived && (
        <span
          className="jp-EosBrowser-archived"
          title={trans.__('Archived (%1): restore it before reading', node.storageClass ?? '')}
        >
          {trans.__('archived')}
        </span>
      )}
      {props.columns.includes('size') && (
        <span className="jp-EosBrowser-col jp-EosBrowser-size">{node.size === null ? '' : formatSize(node.size)}</span>
      )}
      {props.columns.includes('modified') && (
        <span className="jp-EosBrowser-col jp-EosBrowser-modified">
          {node.modified === null ? '' : formatDate(node.modified, true)}
        </span>
      )}
    </div>
  );
});

/** The props of a status row. */
export interface IStatusRowProps {
  row: IStatusRow;
  index: number;
  start: number;
  tabbable: boolean;
  trans: TranslationBundle;
  /** Load more or retry; keep it stable across renders. */
  onActivate: (node: IEosNode) => void;
}

/**
 * A folder's status: loading, empty, an error with Retry, or Load more.
 * All but "empty" are tree items: the keyboard reaches errors and Load more,
 * and the loading row keeps the focus of the Load more or Retry it replaces
 * (React reuses the element, so it must stay focusable).
 */
export const StatusRow = React.memo(function StatusRow(props: IStatusRowProps): JSX.Element {
  const { row, trans } = props;
  const { node } = row;
  const className = classes('jp-EosBrowser-status', `jp-mod-${row.type}`);
  const style = rowStyle(row.level, props.start);
  if (row.type === 'empty') {
    return (
      <div className={className} style={style} data-index={props.index} aria-hidden="true">
        {trans.__('Empty folder')}
      </div>
    );
  }
  const common = {
    role: 'treeitem',
    className,
    'aria-level': row.level,
    'data-index': props.index,
    tabIndex: props.tabbable ? 0 : -1,
    style
  };
  if (row.type === 'loading') {
    return (
      <div {...common} aria-busy="true" aria-label={trans.__('Loading…')}>
        {trans.__('Loading…')}
      </div>
    );
  }
  const activate = (event: React.MouseEvent) => {
    event.stopPropagation();
    props.onActivate(node);
  };
  if (row.type === 'more') {
    return (
      <div {...common} aria-label={trans.__('Load more')}>
        <button className="jp-EosBrowser-button" tabIndex={-1} onClick={activate}>
          {trans.__('Load more')}
        </button>
        <span className="jp-EosBrowser-count">{trans.__('%1 shown', row.shown)}</span>
      </div>
    );
  }
  const error = row.error!;
  const title = errorTitle(error.code, trans);
  return (
    <div {...common} aria-label={trans.__('%1: %2', title, error.message)} title={error.details ?? error.message}>
      <span className="jp-EosBrowser-errorText">
        <span className="jp-EosBrowser-errorTitle">{title}</span> {error.message}
      </span>
      <button className="jp-EosBrowser-button" tabIndex={-1} onClick={activate}>
        {trans.__('Retry')}
      </button>
    </div>
  );
});

/**
 * One row of the EOS tree: an item, or the status line closing a folder.
 *
 * Rows are memoised: nodes are immutable, so a row re-renders only when its
 * node or its own state (selected, tab stop) changes, and the tree passes
 * stable handlers.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { caretDownIcon, caretRightIcon, classes, fileIcon, folderIcon, lockIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { errorTitle } from '../errors';
import { IEosNode, StatusKind } from '../tree';
import { itemTooltip } from './format';

/** Indentation per tree level, set as a CSS variable the stylesheet multiplies. */
function levelStyle(level: number): React.CSSProperties {
  return { '--jp-EosBrowser-level': level - 1 } as React.CSSProperties;
}

/** The props of an item row. */
export interface IItemRowProps {
  node: IEosNode;
  /** Whether to show the read-only badge (where a read-only area starts). */
  badge: boolean;
  selected: boolean;
  /** The tab stop of the tree (roving tabindex). */
  tabbable: boolean;
  trans: TranslationBundle;
  /** Keep it stable across renders, or every row re-renders. */
  onClick: (node: IEosNode) => void;
  /** Keep it stable across renders, or every row re-renders. */
  onContextMenu: (node: IEosNode) => void;
}

/** An item: caret, icon, name, read-only badge. */
export const ItemRow = React.memo(function ItemRow(props: IItemRowProps): JSX.Element {
  const { node, trans } = props;
  const folder = node.kind === 'folder';
  const readOnly = node.access === 'read';
  const Caret = node.expanded ? caretDownIcon : caretRightIcon;
  const Icon = folder ? folderIcon : fileIcon;
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
      aria-level={node.level}
      aria-expanded={folder ? node.expanded : undefined}
      aria-selected={props.selected}
      aria-busy={node.loading || undefined}
      aria-label={node.label}
      aria-description={readOnly ? trans.__('Read-only') : undefined}
      title={tooltip}
      tabIndex={props.tabbable ? 0 : -1}
      style={levelStyle(node.level)}
      onClick={() => props.onClick(node)}
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
    </div>
  );
});

/** The props of a status row. */
export interface IStatusRowProps {
  type: StatusKind;
  /** The folder the status is about. */
  node: IEosNode;
  level: number;
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
  const { node, trans } = props;
  const className = classes('jp-EosBrowser-status', `jp-mod-${props.type}`);
  if (props.type === 'empty') {
    return (
      <div className={className} style={levelStyle(props.level)} aria-hidden="true">
        {trans.__('Empty folder')}
      </div>
    );
  }
  const common = {
    role: 'treeitem',
    className,
    'aria-level': props.level,
    tabIndex: props.tabbable ? 0 : -1,
    style: levelStyle(props.level)
  };
  if (props.type === 'loading') {
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
  if (props.type === 'more') {
    const shown = node.children?.length ?? 0;
    return (
      <div {...common} aria-label={trans.__('Load more')}>
        <button className="jp-EosBrowser-button" tabIndex={-1} onClick={activate}>
          {trans.__('Load more')}
        </button>
        <span className="jp-EosBrowser-count">{trans.__('%1 shown', shown)}</span>
      </div>
    );
  }
  const error = node.error!;
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

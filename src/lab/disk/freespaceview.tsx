/**
 * The free-up-space view: the largest local files and folders of the Jupyter
 * root (from the service's walk), with "Move to EOS", "Delete" and "Reveal in
 * file browser", for one item or several, and the space freed shown after.
 * Its state and actions are in freespace.ts.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Button, ReactWidget, caretDownIcon, caretRightIcon, fileIcon, folderIcon } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import * as React from 'react';

import { DiskItem } from '../../core';
import { formatDate, formatSize } from '../components/format';
import { useModelChanged } from '../components/hooks';
import { FreeSpaceState } from './freespace';
import { gaugeText } from './gauge';
import { LargestRow } from './largest';

/** Open or close a folder's items. */
function Disclosure(props: { state: FreeSpaceState; item: DiskItem; trans: TranslationBundle }): JSX.Element {
  const { state, item, trans } = props;
  if (item.kind !== 'folder') {
    return <span className="jp-EosFree-disclosure" />;
  }
  const open = state.tree.isExpanded(item.path);
  const Caret = open ? caretDownIcon : caretRightIcon;
  return (
    <button
      className="jp-EosFree-disclosure"
      aria-expanded={open}
      aria-label={open ? trans.__('Hide what is in %1', item.path) : trans.__('Show what is in %1', item.path)}
      title={open ? trans.__('Hide what is in %1', item.path) : trans.__('Show what is in %1', item.path)}
      onClick={() => void state.expand(item.path, !open)}
    >
      <Caret.react tag="span" />
    </button>
  );
}

/** One local item: its checkbox, name, size, date and actions. */
function Row(props: { state: FreeSpaceState; item: DiskItem; depth: number; trans: TranslationBundle }): JSX.Element {
  const { state, item, depth, trans } = props;
  const Icon = item.kind === 'folder' ? folderIcon : fileIcon;
  const tree = state.tree;
  // An item inside a selected folder goes with it: shown ticked, not counted again.
  const covering = tree.coveredBy(item.path);
  const name = item.path.slice(item.path.lastIndexOf('/') + 1);
  return (
    <tr className="jp-EosFree-row" data-path={item.path} aria-level={depth + 1}>
      <td>
        <input
          type="checkbox"
          aria-label={trans.__('Select %1', item.path)}
          title={covering === null ? undefined : trans.__('Included in the selected folder %1', covering)}
          checked={covering !== null || tree.isSelected(item.path)}
          disabled={state.busy || covering !== null}
          onChange={e => tree.toggle(item, e.currentTarget.checked)}
        />
      </td>
      <td className="jp-EosFree-name" title={item.path} style={{ paddingLeft: `${depth * 16 + 6}px` }}>
        <Disclosure state={state} item={item} trans={trans} />
        <Icon.react tag="span" className="jp-EosFree-icon" />
        {name}
      </td>
      <td className="jp-EosFree-size" title={trans.__('%1 bytes', item.size.toLocaleString())}>
        {formatSize(item.size)}
      </td>
      <td className="jp-EosFree-date">{formatDate(item.modified)}</td>
      <td>
        <div className="jp-EosFree-actions">
          <Button
            small
            disabled={state.busy}
            title={trans.__('Upload to EOS, check the copy, then delete it here')}
            onClick={() => void state.moveToEos(state.chosen(item))}
          >
            {trans.__('Move to EOS')}
          </Button>
          <Button small disabled={state.busy} onClick={() => void state.delete(state.chosen(item))}>
            {trans.__('Delete')}
          </Button>
          <Button small onClick={() => state.options.reveal(item.path)}>
            {trans.__('Reveal')}
          </Button>
        </div>
      </td>
    </tr>
  );
}

/** A folder's "show more" (or "loading") row. */
function LevelRow(props: { state: FreeSpaceState; row: LargestRow; trans: TranslationBundle }): JSX.Element {
  const { state, row, trans } = props;
  return (
    <tr className="jp-EosFree-more">
      <td />
      <td colSpan={4} style={{ paddingLeft: `${row.depth * 16 + 6}px` }}>
        {row.type === 'more' ? (
          <Button small onClick={() => void state.more(row.parent)}>
            {trans._n('Show %1 more item', 'Show %1 more items', row.left)}
          </Button>
        ) : (
          <span aria-busy="true">{trans.__('Loading…')}</span>
        )}
      </td>
    </tr>
  );
}

/** The whole view: the gauge, the toolbars, the notes on the walk, and the largest items. */
export function FreeSpaceView(props: { state: FreeSpaceState }): JSX.Element {
  const { state } = props;
  const { trans } = state.options.context;
  const disk = state.options.disk;
  useModelChanged(state);
  useModelChanged(disk);
  return (
    <div className="jp-EosFree">
      <div className="jp-EosFree-summary">
        <span className={`jp-EosFree-gauge jp-EosDisk-${disk.view?.level ?? 'unknown'}`}>
          {gaugeText(disk.view, trans)}
        </span>
        <Button small onClick={() => void Promise.all([disk.refresh().catch(() => undefined), state.load()])}>
          {trans.__('Refresh')}
        </Button>
      </div>
      <SelectionToolbar state={state} trans={trans} />
      <div className="jp-EosFree-toolbar">
        <span className="jp-EosFree-destination">
          {trans.__('Moves go to %1 (same relative path)', state.destination)}
        </span>
        <Button small disabled={state.busy} onClick={() => void state.chooseDestination()}>
          {trans.__('Change…')}
        </Button>
      </div>
      <Notes state={state} trans={trans} />
      <table className="jp-EosFree-table" aria-label={trans.__('Largest items')}>
        <thead>
          <tr>
            <th />
            <th>{trans.__('Name')}</th>
            <th>{trans.__('Size')}</th>
            <th className="jp-EosFree-date">{trans.__('Modified')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {state.tree.rows.map(row =>
            row.type === 'item' ? (
              <Row key={row.item.path} state={state} item={row.item} depth={row.depth} trans={trans} />
            ) : (
              <LevelRow key={`${row.type}:${row.parent}`} state={state} row={row} trans={trans} />
            )
          )}
        </tbody>
      </table>
    </div>
  );
}

/** What is selected, and Move to EOS / Delete for all of it. */
function SelectionToolbar(props: { state: FreeSpaceState; trans: TranslationBundle }): JSX.Element {
  const { state, trans } = props;
  const selected = state.chosen();
  const none = state.busy || selected.length === 0;
  return (
    <div className="jp-EosFree-toolbar" role="toolbar" aria-label={trans.__('Selected items')}>
      <span
        className="jp-EosFree-selection"
        aria-live="polite"
        title={trans.__('%1 bytes', state.tree.selectedSize.toLocaleString())}
      >
        {selected.length === 0
          ? trans.__('Nothing selected')
          : trans._n(
              '%1 item selected, %2',
              '%1 items selected, %2',
              selected.length,
              formatSize(state.tree.selectedSize)
            )}
      </span>
      <button
        className="jp-mod-styled jp-mod-accept"
        title={trans.__(
          'Move the selected items to %1: upload, check each copy, then delete them here',
          state.destination
        )}
        disabled={none}
        onClick={() => void state.moveToEos(selected)}
      >
        {trans.__('Move to EOS')}
      </button>
      <button
        className="jp-mod-styled jp-mod-warn"
        title={trans.__('Delete the selected items from the server disk')}
        disabled={none}
        onClick={() => void state.delete(selected)}
      >
        {trans.__('Delete')}
      </button>
    </div>
  );
}

/** The last action's message, and what the walk says: under way, when it measured, what it could not read. */
function Notes(props: { state: FreeSpaceState; trans: TranslationBundle }): JSX.Element {
  const { state, trans } = props;
  const page = state.page;
  return (
    <>
      {state.message && (
        <div className="jp-EosFree-message" role="status">
          {state.message}
        </div>
      )}
      {page?.measuredAt === null && (
        <div className="jp-EosFree-note" role="status">
          {trans.__('Measuring the Jupyter root: %1 files so far…', page.walk.files.toLocaleString())}
        </div>
      )}
      {page?.measuredAt && (
        <div className="jp-EosFree-note">
          {trans.__(
            "Biggest first; open a folder to see what fills it. Sizes are the files' own sizes, measured %1.",
            formatDate(page.measuredAt)
          )}
        </div>
      )}
      {page && page.unreadable.length > 0 && (
        <div className="jp-EosFree-warning" role="alert">
          {trans._n(
            '%2 could not be read; its content is not counted.',
            '%1 folders could not be read; their content is not counted: %2',
            page.unreadable.length,
            page.unreadable.map(u => `${u.path || '.'} (${u.error})`).join(', ')
          )}
        </div>
      )}
    </>
  );
}

/** The view as a widget (put in a `MainAreaWidget`); it loads its items when attached and each time it is shown. */
export class FreeSpaceWidget extends ReactWidget {
  constructor(readonly state: FreeSpaceState) {
    super();
    this.addClass('jp-EosFree-widget');
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    void this.state.load();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    void this.state.load();
  }

  protected render(): JSX.Element {
    return <FreeSpaceView state={this.state} />;
  }
}

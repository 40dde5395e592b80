/**
 * The free-up-space view: the largest local files and folders of the Jupyter
 * root (from the service's walk), with "Move to EOS", "Delete" and "Reveal in
 * file browser", for one item or several, and the space freed shown after.
 */
import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Button, ReactWidget, caretDownIcon, caretRightIcon, fileIcon, folderIcon } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import { ISignal, Signal } from '@lumino/signaling';
import * as React from 'react';

import { DiskItem, DiskLargestResponse, Job, Routes } from '../../core';
import { ICommandContext } from '../commands/context';
import { followJob, jobProgress } from '../commands/jobs';
import { formatDate, formatSize } from '../components/format';
import { useModelChanged } from '../components/hooks';
import { notifyError } from '../errors';
import { gaugeText } from './gauge';
import { LargestRow, LargestTree, outermost, totalSize } from './largest';
import { DiskModel } from './model';

/** Items fetched per page. */
const PAGE = 100;

/** What the view needs around it. */
export interface IFreeSpaceOptions {
  disk: DiskModel;
  /** Calls the service and follows jobs. */
  context: ICommandContext;
  /** Show a local path in JupyterLab's file browser. */
  reveal(path: string): void;
}

/** The default EOS folder of a move: the same relative path under My files. */
export const DEFAULT_OFFLOAD_FOLDER = 'e://users/me/';

/** The view's state and actions (no DOM). */
export class FreeSpaceState {
  constructor(readonly options: IFreeSpaceOptions) {
    this.tree = new LargestTree({
      fetch: (under, offset) => options.context.request(Routes.diskLargest, { query: { under, offset, limit: PAGE } })
    });
    this.tree.changed.connect(() => this._changed.emit());
  }

  /** The largest items, folder by folder, and the selection. */
  readonly tree: LargestTree;

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The root level's last answer. */
  get page(): DiskLargestResponse | null {
    return this.tree.page;
  }
  get busy(): boolean {
    return this._busy;
  }
  /** The last action's outcome, e.g. "Freed 3.0 MB". */
  get message(): string {
    return this._message;
  }
  get destination(): string {
    return this._destination;
  }

  /** Fetch the tree again (the root and the open folders). */
  load(): Promise<void> {
    return this._listing(() => this.tree.load());
  }

  /** Open or close a folder. */
  expand(path: string, open: boolean): Promise<void> {
    return this._listing(async () => (open ? await this.tree.expand(path) : this.tree.collapse(path)));
  }

  /** Fetch a folder's next page (`''` the root). */
  more(parent: string): Promise<void> {
    return this._listing(() => this.tree.more(parent));
  }

  /** The selected items (none inside another), or `item` alone when given. */
  chosen(item?: DiskItem): DiskItem[] {
    return outermost(item ? [item] : this.tree.selected);
  }

  /** Choose the EOS folder moves go to (the relative paths are kept under it). */
  async chooseDestination(): Promise<void> {
    const { trans } = this.options.context;
    const result = await InputDialog.getText({
      title: trans.__('Move to which EOS folder?'),
      label: trans.__('Items keep their path relative to the Jupyter root under this folder.'),
      text: this._destination
    });
    if (result.button.accept && result.value) {
      this._destination = result.value.endsWith('/') ? result.value : `${result.value}/`;
      this._changed.emit();
    }
  }

  /** Upload the items, verify each copy, then delete the local ones. */
  async moveToEos(items: DiskItem[]): Promise<void> {
    const { trans, request } = this.options.context;
    if (items.length === 0 || this._busy) {
      return;
    }
    await this._run(async () => {
      const first = await request(Routes.diskOffload, {
        body: { paths: items.map(i => i.path), destination: this._destination }
      });
      const what = trans._n('%1 item', '%1 items', items.length);
      const job = await followJob(first, this.options.context, {
        running: (j: Job) => trans.__('Moving %1 to EOS… %2', what, jobProgress(j, trans)),
        done: () => trans.__('Moved %1 to EOS; local copies deleted', what),
        failed: trans.__('Cannot move to EOS'),
        cancelled: () => trans.__('Move to EOS cancelled; what was verified was deleted locally')
      });
      if (job === null) {
        return;
      }
      // An item with a failure (not uploaded or not verified) kept its local copy, at least in part.
      const failed = (job.failures ?? []).map(f => f.item);
      const moved = items.filter(i => !failed.some(f => f === i.path || f.startsWith(`${i.path}/`)));
      const freed = totalSize(moved);
      this._message =
        moved.length === items.length
          ? trans.__('Moved to %1: %2 freed', this._destination, formatSize(freed))
          : trans.__(
              'Moved %1 of %2 items to %3: %4 freed; the others are kept (see the job details)',
              moved.length,
              items.length,
              this._destination,
              formatSize(freed)
            );
    });
  }

  /** Delete the items after a confirmation. */
  async delete(items: DiskItem[]): Promise<void> {
    const { trans, request } = this.options.context;
    if (items.length === 0 || this._busy) {
      return;
    }
    const total = totalSize(items);
    const names = items.slice(0, 10).map(i => i.path);
    const answer = await showDialog({
      title: trans._n('Delete %1 local item?', 'Delete %1 local items?', items.length),
      body: trans.__(
        '%1 will be deleted from the server disk (%2). This cannot be undone.',
        names.join(', ') + (items.length > names.length ? ', …' : ''),
        formatSize(total)
      ),
      buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: trans.__('Delete') })]
    });
    if (!answer.button.accept) {
      return;
    }
    await this._run(async () => {
      const reply = await request(Routes.diskDelete, { body: { paths: items.map(i => i.path) } });
      this._message = trans.__('Deleted %1: %2 freed', reply.deleted.length, formatSize(reply.freed));
    });
  }

  /** Ask for listings; a failure is a notification. */
  private async _listing(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (reason) {
      const { trans } = this.options.context;
      notifyError(reason, trans, trans.__('Cannot list the largest items'));
    }
  }

  private async _run(work: () => Promise<void>): Promise<void> {
    this._busy = true;
    this._message = '';
    this._changed.emit();
    try {
      await work();
    } catch (reason) {
      notifyError(reason, this.options.context.trans);
    } finally {
      this._busy = false;
      this.tree.clearSelection();
      await Promise.all([this.options.disk.refresh().catch(() => undefined), this.load()]);
    }
  }

  private _busy = false;
  private _changed = new Signal<this, void>(this);
  private _destination = DEFAULT_OFFLOAD_FOLDER;
  private _message = '';
}

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

/** The whole view. */
export function FreeSpaceView(props: { state: FreeSpaceState }): JSX.Element {
  const { state } = props;
  const { trans } = state.options.context;
  const disk = state.options.disk;
  useModelChanged(state);
  useModelChanged(disk);
  const page = state.page;
  const selected = state.chosen();
  const none = state.busy || selected.length === 0;
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
      <div className="jp-EosFree-toolbar">
        <span className="jp-EosFree-destination">
          {trans.__('Moves go to %1 (same relative path)', state.destination)}
        </span>
        <Button small disabled={state.busy} onClick={() => void state.chooseDestination()}>
          {trans.__('Change…')}
        </Button>
      </div>
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

/**
 * The free-up-space view: the largest local files and folders of the Jupyter
 * root (from the service's walk), with "Move to EOS", "Delete" and "Reveal in
 * file browser", for one item or several, and the space freed shown after.
 */
import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Button, ReactWidget, fileIcon, folderIcon } from '@jupyterlab/ui-components';
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

/** Only the outermost of the paths (a file inside a chosen folder goes with it). */
export function outermost(items: DiskItem[]): DiskItem[] {
  const folders = items.filter(i => i.kind === 'folder').map(i => `${i.path}/`);
  return items.filter(i => !folders.some(f => i.path.startsWith(f)));
}

/** The default EOS folder of a move: the same relative path under My files. */
export const DEFAULT_OFFLOAD_FOLDER = 'e://users/me/';

/** The view's state and actions (no DOM). */
export class FreeSpaceState {
  constructor(readonly options: IFreeSpaceOptions) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get page(): DiskLargestResponse | null {
    return this._page;
  }
  get items(): DiskItem[] {
    return this._items;
  }
  get selected(): ReadonlySet<string> {
    return this._selected;
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

  /** Fetch the ranking again from its start. */
  async load(): Promise<void> {
    try {
      const page = await this.options.context.request(Routes.diskLargest, { query: { limit: PAGE } });
      this._page = page;
      this._items = page.items;
      const known = new Set(page.items.map(i => i.path));
      this._selected = new Set([...this._selected].filter(p => known.has(p)));
    } catch (reason) {
      notifyError(reason, this.options.context.trans, this.options.context.trans.__('Cannot list the largest items'));
    }
    this._changed.emit();
  }

  /** Fetch the next page. */
  async more(): Promise<void> {
    const next = this._page?.next;
    if (next === null || next === undefined) {
      return;
    }
    const page = await this.options.context.request(Routes.diskLargest, { query: { offset: next, limit: PAGE } });
    this._page = page;
    this._items = [...this._items, ...page.items];
    this._changed.emit();
  }

  toggle(path: string, on: boolean): void {
    if (on) {
      this._selected.add(path);
    } else {
      this._selected.delete(path);
    }
    this._changed.emit();
  }

  /** The selected items, or `item` alone when given. */
  chosen(item?: DiskItem): DiskItem[] {
    return outermost(item ? [item] : this._items.filter(i => this._selected.has(i.path)));
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
      const freed = moved.reduce((n, i) => n + i.size, 0);
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
    const total = items.reduce((n, i) => n + i.size, 0);
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
      this._selected.clear();
      await Promise.all([this.options.disk.refresh().catch(() => undefined), this.load()]);
    }
  }

  private _busy = false;
  private _changed = new Signal<this, void>(this);
  private _destination = DEFAULT_OFFLOAD_FOLDER;
  private _items: DiskItem[] = [];
  private _message = '';
  private _page: DiskLargestResponse | null = null;
  private _selected = new Set<string>();
}

function Row(props: { state: FreeSpaceState; item: DiskItem; trans: TranslationBundle }): JSX.Element {
  const { state, item, trans } = props;
  const Icon = item.kind === 'folder' ? folderIcon : fileIcon;
  return (
    <tr className="jp-EosFree-row" data-path={item.path}>
      <td>
        <input
          type="checkbox"
          aria-label={trans.__('Select %1', item.path)}
          checked={state.selected.has(item.path)}
          disabled={state.busy}
          onChange={e => state.toggle(item.path, e.currentTarget.checked)}
        />
      </td>
      <td className="jp-EosFree-name" title={item.path}>
        <Icon.react tag="span" className="jp-EosFree-icon" />
        {item.path}
      </td>
      <td className="jp-EosFree-size">{formatSize(item.size)}</td>
      <td className="jp-EosFree-date">{formatDate(item.modified)}</td>
      <td className="jp-EosFree-actions">
        <Button small disabled={state.busy} onClick={() => void state.moveToEos(state.chosen(item))}>
          {trans.__('Move to EOS')}
        </Button>
        <Button small disabled={state.busy} onClick={() => void state.delete(state.chosen(item))}>
          {trans.__('Delete')}
        </Button>
        <Button small onClick={() => state.options.reveal(item.path)}>
          {trans.__('Reveal')}
        </Button>
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
      <div className="jp-EosFree-toolbar">
        <button
          className="jp-mod-styled jp-mod-accept"
          disabled={state.busy || selected.length === 0}
          onClick={() => void state.moveToEos(selected)}
        >
          {trans.__('Move selected to EOS')}
        </button>
        <button
          className="jp-mod-styled jp-mod-warn"
          disabled={state.busy || selected.length === 0}
          onClick={() => void state.delete(selected)}
        >
          {trans.__('Delete selected')}
        </button>
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
          {trans.__('%1 items, measured %2', page.total, formatDate(page.measuredAt))}
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
      <table className="jp-EosFree-table">
        <thead>
          <tr>
            <th />
            <th>{trans.__('Name')}</th>
            <th>{trans.__('Size')}</th>
            <th>{trans.__('Modified')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {state.items.map(item => (
            <Row key={item.path} state={state} item={item} trans={trans} />
          ))}
        </tbody>
      </table>
      {page?.next !== null && page !== null && (
        <Button small onClick={() => void state.more()}>
          {trans.__('Show more')}
        </Button>
      )}
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

/**
 * The state of the free-up-space view: the largest local files and folders
 * of the Jupyter root (from the service's walk), the selection, and "Move to
 * EOS" and "Delete" for one item or several, with the space freed said after.
 * The view is in freespaceview.tsx.
 */
import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';
import { ISignal, Signal } from '@lumino/signaling';

import { DiskItem, DiskLargestResponse, Job, Routes } from '../../core';
import { ICommandContext } from '../commands/context';
import { followJob, jobProgress } from '../commands/jobs';
import { formatSize } from '../components/format';
import { notifyError } from '../errors';
import { LargestTree, outermost, totalSize } from './largest';
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

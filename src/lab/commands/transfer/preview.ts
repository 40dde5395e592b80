/**
 * The body of the sync preview dialog: what a sync will copy and what only
 * the destination has, with the checkbox that deletes it.
 */
import { Widget } from '@lumino/widgets';

import { SyncPlan } from '../../../core';
import { formatSize } from '../../components/format';
import { ICommandContext } from '../context';

/** How many entries of each list a sync preview shows. */
export const PREVIEW_ENTRIES = 10;

/** The body of the sync preview: what will be copied and deleted, and the delete checkbox. */
export class SyncPreview extends Widget {
  constructor(plan: SyncPlan, context: Pick<ICommandContext, 'trans'>) {
    super();
    const { trans } = context;
    this.addClass('jp-EosDialog-sync');
    const summary = document.createElement('p');
    summary.className = 'jp-EosDialog-syncSummary';
    summary.textContent = trans.__(
      '%1 to copy (%2), %3 unchanged, %4 at the destination not in the source.',
      trans._n('%1 item', '%1 items', plan.copyCount),
      formatSize(plan.bytes),
      plan.unchanged,
      plan.deleteCount
    );
    this.node.appendChild(summary);
    const list = (title: string, entries: { path: string; size?: number }[], count: number, className: string) => {
      if (count === 0) {
        return;
      }
      const heading = document.createElement('div');
      heading.className = 'jp-EosDialog-syncHeading';
      heading.textContent = title;
      const ul = document.createElement('ul');
      ul.className = `jp-EosDialog-syncList ${className}`;
      for (const entry of entries.slice(0, PREVIEW_ENTRIES)) {
        const li = document.createElement('li');
        li.textContent = entry.size === undefined ? entry.path : `${entry.path} (${formatSize(entry.size)})`;
        ul.appendChild(li);
      }
      if (count > PREVIEW_ENTRIES) {
        const li = document.createElement('li');
        li.className = 'jp-EosDialog-syncMore';
        li.textContent = trans.__('…and %1 more', count - Math.min(entries.length, PREVIEW_ENTRIES));
        ul.appendChild(li);
      }
      this.node.append(heading, ul);
    };
    list(trans.__('To copy'), plan.copy, plan.copyCount, 'jp-mod-copy');
    list(trans.__('Only at the destination'), plan.delete, plan.deleteCount, 'jp-mod-delete');
    // Items that cannot be copied (no local names, too long a key): the sync fails each one; the user sees them first.
    const failed = (plan.failed ?? []).map(f => ({ path: trans.__('%1: %2', f.path, f.error.message) }));
    list(trans.__('Cannot be copied'), failed, plan.failedCount ?? 0, 'jp-mod-failed');
    const label = document.createElement('label');
    label.className = 'jp-EosDialog-syncDelete';
    this._checkbox = document.createElement('input');
    this._checkbox.type = 'checkbox';
    this._checkbox.checked = false;
    this._checkbox.disabled = plan.deleteCount === 0;
    label.append(this._checkbox, ` ${trans.__('Delete extra files at the destination (%1)', plan.deleteCount)}`);
    this.node.appendChild(label);
  }

  /** Whether the user asked to delete what the destination has and the source does not. */
  getValue(): boolean {
    return this._checkbox.checked;
  }

  private _checkbox: HTMLInputElement;
}

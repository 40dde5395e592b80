/**
 * The status-bar item while transfers run ("⇅ 2 transfers · 41%"), and the
 * notification when a long job ends.
 */
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import * as React from 'react';

import { Job } from '../../core';
import { formatPercent } from '../components/format';
import { kindLabel, routeText } from './labels';
import { followedJobs } from './notices';
import { TransfersModel } from './model';

/** A job that ran at least this long gets a notification when it ends, in ms. */
export const NOTIFY_AFTER_MS = 10000;

/** What the status bar says: how many run and, when their sizes are known, how far they are. */
export function statusText(model: TransfersModel, trans: TranslationBundle): string {
  const running = model.running;
  let done = 0;
  let total = 0;
  for (const job of running) {
    if (job.bytes.total !== null) {
      done += Math.min(model.bytesDone(job), job.bytes.total);
      total += job.bytes.total;
    }
  }
  const count = trans._n('%1 transfer', '%1 transfers', running.length);
  return total > 0 ? `⇅ ${trans.__('%1 · %2', count, formatPercent(done / total))}` : `⇅ ${count}`;
}

/** The status-bar item; clicking it opens the panel. */
export class TransfersStatus extends ReactWidget {
  constructor(
    private _model: TransfersModel,
    private _trans: TranslationBundle,
    private _onClick: () => void
  ) {
    super();
    this.addClass('jp-EosTransfers-status');
    this._model.changed.connect(this.update, this);
  }

  dispose(): void {
    this._model.changed.disconnect(this.update, this);
    super.dispose();
  }

  protected render(): JSX.Element {
    return (
      <button
        className="jp-EosTransfers-statusButton"
        title={this._trans.__('Show the EOS transfers')}
        onClick={this._onClick}
      >
        {statusText(this._model, this._trans)}
      </button>
    );
  }
}

/**
 * Notify when a job that ran more than `NOTIFY_AFTER_MS` ends: success, or
 * its failure with the message; "Show" opens the panel. Jobs a command
 * follows (`followedJobs`) have their notification already.
 */
export function notifyEndings(model: TransfersModel, trans: TranslationBundle, show: () => void): IDisposable {
  const onEnded = (_: TransfersModel, job: Job) => {
    if (followedJobs.has(job.id)) {
      return; // the command that started it shows how it ended
    }
    const ran = Date.parse(job.finished ?? '') - Date.parse(job.started);
    if (!(ran > NOTIFY_AFTER_MS)) {
      return;
    }
    const what = `${kindLabel(job.kind, trans)}: ${routeText(job)}`;
    const actions: Notification.IAction[] = [
      { label: trans.__('Show'), caption: trans.__('Show the transfers'), callback: show }
    ];
    if (job.state === 'done') {
      Notification.success(trans.__('%1 finished', what), { autoClose: 8000, actions });
    } else if (job.state === 'failed') {
      const reason = job.error?.message ?? job.failures?.[0]?.error.message ?? '';
      Notification.error(trans.__('%1 failed: %2', what, reason), { autoClose: false, actions });
    } else if (job.state === 'interrupted') {
      Notification.warning(trans.__('%1 was interrupted', what), { autoClose: false, actions });
    }
  };
  model.ended.connect(onEnded);
  return new DisposableDelegate(() => model.ended.disconnect(onEnded));
}

/**
 * The disk gauge: a status-bar item ("Disk: 41.2 / 200 GB (21%)") and a thin
 * bar in the EOS panel's header, coloured at the warning and critical
 * thresholds, with the exact figures and the mode in the tooltip. A click
 * opens the free-up-space view.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { formatDate, formatSize } from '../components/format';
import { useModelChanged } from '../components/hooks';
import { DiskModel, IDiskView } from './model';

/** The class of a level's colour. */
function levelClass(view: IDiskView | null): string {
  return `jp-EosDisk-${view?.level ?? 'unknown'}`;
}

/** "41.2 GB / 200 GB (21%)", or "measuring…" before the first walk ends. */
export function gaugeText(view: IDiskView | null, trans: TranslationBundle): string {
  if (view === null) {
    return trans.__('Disk: …');
  }
  if (view.level === null) {
    return trans.__('Disk: measuring…');
  }
  return trans.__('Disk: %1 / %2 (%3%)', formatSize(view.used), formatSize(view.capacity), Math.round(view.percent));
}

/** The tooltip: exact figures, the mode and what it means, when measured. */
export function gaugeTooltip(model: DiskModel, trans: TranslationBundle): string {
  const view = model.view;
  if (view === null) {
    return model.error
      ? trans.__('Disk figures unavailable: %1', model.error.message)
      : trans.__('Disk figures: asking…');
  }
  const u = view.usage;
  const exact = (n: number) => trans.__('%1 (%2 bytes)', formatSize(n), n.toLocaleString());
  const lines = [trans.__('Local disk of %1', u.root)];
  if (u.mode === 'filesystem') {
    lines.push(trans.__('Mode: filesystem (the Jupyter root is its own disk; figures as df gives them)'));
  } else {
    lines.push(trans.__('Mode: quota (the size of the Jupyter root against a limit)'));
  }
  lines.push(
    trans.__('Used: %1', exact(view.used)),
    trans.__('Free: %1', exact(u.free)),
    view.limitFromSettings
      ? trans.__('Limit: %1 (from your settings; the service counts %2)', exact(view.capacity), formatSize(u.limit))
      : trans.__('Of: %1', exact(view.capacity)),
    trans.__('Use: %1%', view.percent.toFixed(1))
  );
  if (u.mode === 'quota') {
    lines.push(
      u.measuredAt === null
        ? trans.__('Measuring: %1 files so far', u.walk.files.toLocaleString())
        : trans.__('Measured: %1', formatDate(u.measuredAt))
    );
    if (u.walk.unreadable > 0) {
      lines.push(trans._n('%1 folder could not be read', '%1 folders could not be read', u.walk.unreadable));
    }
  }
  lines.push(trans.__('Click to free up space'));
  return lines.join('\n');
}

/** The status-bar item. */
export class DiskStatus extends ReactWidget {
  constructor(
    private _model: DiskModel,
    private _trans: TranslationBundle,
    private _onClick: () => void
  ) {
    super();
    this.addClass('jp-EosDisk-status');
    this._model.changed.connect(this.update, this);
  }

  dispose(): void {
    this._model.changed.disconnect(this.update, this);
    super.dispose();
  }

  protected render(): JSX.Element {
    const view = this._model.view;
    return (
      <button
        className={`jp-EosDisk-statusButton ${levelClass(view)}`}
        title={gaugeTooltip(this._model, this._trans)}
        data-level={view?.level ?? 'unknown'}
        onClick={this._onClick}
      >
        {gaugeText(view, this._trans)}
      </button>
    );
  }
}

/** The thin bar of the EOS panel's header. */
export function DiskBar(props: { model: DiskModel; trans: TranslationBundle; onClick: () => void }): JSX.Element {
  const { model, trans } = props;
  useModelChanged(model);
  const view = model.view;
  const percent = view?.level ? Math.min(100, view.percent) : 0;
  return (
    <div
      className={`jp-EosDisk-bar ${levelClass(view)}`}
      role="meter"
      aria-label={trans.__('Local disk use')}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(percent)}
      aria-valuetext={gaugeText(view, trans)}
      title={gaugeTooltip(model, trans)}
      data-level={view?.level ?? 'unknown'}
      onClick={props.onClick}
    >
      <div className="jp-EosDisk-barFill" style={{ width: `${percent}%` }} />
    </div>
  );
}

/**
 * The disk gauge's state: the service's figures for the Jupyter root, polled
 * while the page is visible, seen through the user's settings (thresholds,
 * limit shown, mode), and the upward crossings of a threshold.
 */
import { ServerConnection } from '@jupyterlab/services';
import type { IStateDB } from '@jupyterlab/statedb';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { DiskLevel, DiskResponse, EosError, Routes, diskLevel, diskPercent } from '../../core';
import { asEosError } from '../errors';
import { requestAPI } from '../request';
import { EosSettings, IEosSettings } from '../settings';

/** What the gauge shows: the service's figures with the settings applied. */
export interface IDiskView {
  /** The service's answer. */
  usage: DiskResponse;
  used: number;
  /** What `percent` is of. */
  capacity: number;
  percent: number;
  /** null while the first walk runs (quota mode): nothing to judge yet. */
  level: DiskLevel | null;
  /** Whether the capacity is the user's setting rather than the service's limit. */
  limitFromSettings: boolean;
}

/** An upward crossing of a threshold. */
export interface IDiskCrossing {
  from: DiskLevel;
  to: DiskLevel;
  view: IDiskView;
}

/** The state key of the last level seen (a reload does not notify again). */
const STATE_KEY = 'jupyterlab-eos:disk-level';
const RANK: Record<DiskLevel, number> = { ok: 0, warn: 1, critical: 2 };
/** How soon to ask again while the first walk of the root runs, in ms. */
const MEASURING_RETRY_MS = 1000;

/** The disk figures, polled. */
export class DiskModel implements IDisposable {
  constructor(options: DiskModel.IOptions) {
    this._serverSettings = options.serverSettings ?? ServerConnection.makeSettings();
    this._settings = options.settings;
    this._state = options.state ?? null;
    this._poll = new Poll({
      auto: false,
      factory: () => this.refresh(),
      frequency: { interval: this._interval(), backoff: true, max: 300_000 },
      name: 'jupyterlab-eos:disk',
      standby: 'when-hidden'
    });
    this._settings.changed.connect(this._onSettings, this);
  }

  /** Emitted after each new answer, error or settings change. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Emitted when the level rises past a threshold (once per crossing, also across reloads). */
  get crossed(): ISignal<this, IDiskCrossing> {
    return this._crossed;
  }

  /** The figures as shown, or null before the first answer. */
  get view(): IDiskView | null {
    const usage = this._usage;
    if (usage === null) {
      return null;
    }
    const values = this._settings.values;
    const limitFromSettings = usage.mode === 'quota' && values.diskLimitGB > 0;
    const capacity = limitFromSettings ? values.diskLimitGB * 1000 ** 3 : usage.capacity;
    const percent = diskPercent(usage.used, capacity);
    const thresholds = { warn: values.diskWarnPercent, critical: values.diskCriticalPercent };
    const level = usage.measuredAt === null ? null : diskLevel(percent, thresholds);
    return { usage, used: usage.used, capacity, percent, level, limitFromSettings };
  }

  /** The last failure, or null after a good answer. */
  get error(): EosError | null {
    return this._error;
  }

  /** Start polling (after the last level seen is read back). */
  async start(): Promise<void> {
    if (this._state) {
      const saved = await this._state.fetch(STATE_KEY).catch(() => undefined);
      if (saved === 'ok' || saved === 'warn' || saved === 'critical') {
        this._lastLevel = saved;
      }
    }
    void this._poll.start();
  }

  /**
   * The service says the disk changed (it wrote or deleted there, or measured
   * again): ask now rather than at the next poll.
   */
  stale(): void {
    if (this._mode !== null) {
      void this._poll.refresh();
    }
  }

  /** Ask for the figures now. */
  async refresh(): Promise<void> {
    const mode = this._settings.values.diskMode;
    this._mode = mode;
    try {
      this._usage = await requestAPI(Routes.disk, { query: mode === 'auto' ? {} : { mode } }, this._serverSettings);
      this._error = null;
    } catch (reason) {
      this._error = asEosError(reason);
      this._changed.emit();
      throw reason; // the poll backs off
    }
    this._judge();
    this._changed.emit();
    if (this._usage.measuredAt === null) {
      // The first walk of the root is under way: ask again soon rather than at the next interval.
      clearTimeout(this._soon);
      this._soon = setTimeout(() => void this._poll.refresh(), MEASURING_RETRY_MS);
    }
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._settings.changed.disconnect(this._onSettings, this);
    clearTimeout(this._soon);
    this._poll.dispose();
    Signal.clearData(this);
  }

  /** Compare the level with the last one seen: a rise is a crossing; remember it either way. */
  private _judge(): void {
    const view = this.view;
    if (view === null || view.level === null) {
      return;
    }
    const from = this._lastLevel;
    const to = view.level;
    if (from === to) {
      return;
    }
    this._lastLevel = to;
    void this._state?.save(STATE_KEY, to).catch(() => undefined);
    if (RANK[to] > RANK[from]) {
      this._crossed.emit({ from, to, view });
    }
  }

  private _interval(): number {
    return Math.max(1, this._settings.values.diskPollSeconds) * 1000;
  }

  private _onSettings(_: EosSettings, values: Readonly<IEosSettings>): void {
    const interval = this._interval();
    const newInterval = this._poll.frequency.interval !== interval;
    if (newInterval) {
      this._poll.frequency = { ...this._poll.frequency, interval };
    }
    if (this._mode !== null && (newInterval || values.diskMode !== this._mode)) {
      void this._poll.refresh(); // another mode, or the next answer at the new pace
    }
    this._judge();
    this._changed.emit();
  }

  private _changed = new Signal<this, void>(this);
  private _crossed = new Signal<this, IDiskCrossing>(this);
  private _error: EosError | null = null;
  private _lastLevel: DiskLevel = 'ok';
  private _mode: IEosSettings['diskMode'] | null = null;
  private _soon: ReturnType<typeof setTimeout> | undefined = undefined;
  private _poll: Poll;
  private _serverSettings: ServerConnection.ISettings;
  private _settings: EosSettings;
  private _state: IStateDB | null;
  private _usage: DiskResponse | null = null;
}

/** The namespace for `DiskModel` statics. */
export namespace DiskModel {
  /** The options to create a disk model. */
  export interface IOptions {
    /** The settings it follows (thresholds, limit, interval, mode). */
    settings: EosSettings;
    /** The server to ask; the default settings otherwise. */
    serverSettings?: ServerConnection.ISettings;
    /** Where the last level seen is kept across reloads; without it each page starts from `ok`. */
    state?: IStateDB | null;
  }
}

/**
 * The user's EOS settings (schema/plugin.json), live from the Settings Editor.
 */
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ISignal, Signal } from '@lumino/signaling';

import type { S3LocationSpec } from '../core';

/** What the tree can be sorted by. */
export type SortKey = 'name' | 'size' | 'modified';
export type SortDirection = 'ascending' | 'descending';
/** The optional columns of the tree. */
export type Column = 'size' | 'modified';

/** The settings' values. */
export interface IEosSettings {
  /** Lifetime of a presigned URL, in hours (default 48, at most 168). */
  presignExpiryHours: number;
  /** Entries per list request (50..1000, default 500). */
  pageSize: number;
  /** Ask before deleting (default true). */
  confirmDelete: boolean;
  /** Show names starting with a dot (default false). */
  showHidden: boolean;
  /** The sort of a folder's loaded entries (folders always first). */
  sortBy: SortKey;
  sortDirection: SortDirection;
  /** Which optional columns show (they collapse to tooltips when the panel is narrow). */
  columns: Column[];
  // Disk gauge (issue 7)
  /** Usage percentages that turn the gauge to warning and critical (default 80, 95). */
  diskWarnPercent: number;
  diskCriticalPercent: number;
  /** Quota mode measured against this many GB instead of the service's limit (0: the service's). */
  diskLimitGB: number;
  /** Seconds between polls of the disk figures (default 30). */
  diskPollSeconds: number;
  /** `auto`: the service's mode. */
  diskMode: 'auto' | 'filesystem' | 'quota';
  /** S3 locations outside EOS shown as read-only roots (issue 17). */
  s3Locations: S3LocationSpec[];
}

/** The defaults, as in schema/plugin.json. */
export const DEFAULT_SETTINGS: Readonly<IEosSettings> = {
  presignExpiryHours: 48,
  pageSize: 500,
  confirmDelete: true,
  showHidden: false,
  sortBy: 'name',
  sortDirection: 'ascending',
  columns: ['size', 'modified'],
  // Disk gauge (issue 7)
  diskWarnPercent: 80,
  diskCriticalPercent: 95,
  diskLimitGB: 0,
  diskPollSeconds: 30,
  diskMode: 'auto',
  s3Locations: []
};

/** The current settings and a signal when they change. */
export class EosSettings {
  constructor(values: Partial<IEosSettings> = {}) {
    this._values = { ...DEFAULT_SETTINGS, ...values };
  }

  /** The current values. */
  get values(): Readonly<IEosSettings> {
    return this._values;
  }

  /** Emitted with the new values after a change. */
  get changed(): ISignal<this, Readonly<IEosSettings>> {
    return this._changed;
  }

  /** Replace some values (the Settings Editor, or a test). */
  update(values: Partial<IEosSettings>): void {
    this._values = { ...this._values, ...values };
    this._changed.emit(this._values);
  }

  /**
   * Change some values as the user's choice (a click on a column header):
   * applied at once, and written to the settings it follows, so they last.
   */
  save(values: Partial<IEosSettings>): void {
    this.update(values);
    const registry = this._registry;
    if (registry) {
      for (const [key, value] of Object.entries(values)) {
        registry
          .set(key, value as never)
          .catch(reason => console.warn(`jupyterlab-eos: could not save the setting ${key}`, reason));
      }
    }
  }

  /** Follow a registry's settings: read them now and on every change; `save` writes to them. */
  follow(settings: ISettingRegistry.ISettings): void {
    this._registry = settings;
    const read = () => this.update(settings.composite as unknown as Partial<IEosSettings>);
    settings.changed.connect(read);
    read();
  }

  private _changed = new Signal<this, Readonly<IEosSettings>>(this);
  private _values: IEosSettings;
  private _registry: ISettingRegistry.ISettings | null = null;
}

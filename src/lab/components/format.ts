/**
 * Text shown for an item: sizes, dates and its tooltip. The `Intl`
 * formatters are built once, never per row.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { formatBytes } from '../../core';
import { IEosNode, isArchived } from '../tree';

/** The formatters, built on first use (the user's locale). */
namespace Formats {
  let whole: Intl.NumberFormat | null = null;
  let tenth: Intl.NumberFormat | null = null;
  let long: Intl.DateTimeFormat | null = null;
  let time: Intl.DateTimeFormat | null = null;
  let monthDay: Intl.DateTimeFormat | null = null;
  let day: Intl.DateTimeFormat | null = null;
  let percents: Intl.NumberFormat | null = null;
  let padded: Intl.NumberFormat | null = null;

  export function integer(): Intl.NumberFormat {
    return (whole ??= new Intl.NumberFormat(undefined, { maximumFractionDigits: 0, useGrouping: false }));
  }
  export function decimal(): Intl.NumberFormat {
    return (tenth ??= new Intl.NumberFormat(undefined, {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
      useGrouping: false
    }));
  }
  export function dateTime(): Intl.DateTimeFormat {
    return (long ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }));
  }
  export function clock(): Intl.DateTimeFormat {
    return (time ??= new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }));
  }
  export function dayOfYear(): Intl.DateTimeFormat {
    return (monthDay ??= new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }));
  }
  export function date(): Intl.DateTimeFormat {
    return (day ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }));
  }
  export function percent(): Intl.NumberFormat {
    return (percents ??= new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 }));
  }
  export function twoDigits(): Intl.NumberFormat {
    return (padded ??= new Intl.NumberFormat(undefined, { minimumIntegerDigits: 2, useGrouping: false }));
  }
}

/** A byte count in decimal units, as disk sizes are quoted: `1.5 MB` (numbers in the user's locale). */
export function formatSize(bytes: number): string {
  return formatBytes(bytes, (value, whole) => (whole ? Formats.integer() : Formats.decimal()).format(value));
}

/** A fraction (0..1) as a whole percentage: `41%`. */
export function formatPercent(fraction: number): string {
  return Formats.percent().format(Math.min(Math.max(fraction, 0), 1));
}

/** A transfer rate: `12.5 MB/s`. */
export function formatRate(bytesPerSecond: number): string {
  return `${formatSize(bytesPerSecond)}/s`;
}

/** Time left as a clock: `0:42`, `12:05`, `3:04:05` (hours, minutes, seconds). */
export function formatEta(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = Formats.twoDigits().format(total % 60);
  const whole = Formats.integer();
  return h > 0 ? `${whole.format(h)}:${Formats.twoDigits().format(m)}:${s}` : `${whole.format(m)}:${s}`;
}

/**
 * A date for people (date and time); the text itself if it is not a date.
 * `short`, for a narrow column (the full date is in the tooltip): the time
 * today, the month and day this year, else the date.
 */
export function formatDate(iso: string, short = false, now = new Date()): string {
  const date = new Date(iso);
  if (isNaN(date.getTime())) {
    return iso;
  }
  if (!short) {
    return Formats.dateTime().format(date);
  }
  if (date.toDateString() === now.toDateString()) {
    return Formats.clock().format(date);
  }
  return (date.getFullYear() === now.getFullYear() ? Formats.dayOfYear() : Formats.date()).format(date);
}

/** The tooltip of an item: its URI, then size, modified date and storage class when known. */
export function itemTooltip(node: IEosNode, trans: TranslationBundle): string {
  const lines = [node.uri];
  if (node.size !== null) {
    lines.push(trans.__('Size: %1', formatSize(node.size)));
  }
  if (node.modified !== null) {
    lines.push(trans.__('Modified: %1', formatDate(node.modified)));
  }
  if (node.storageClass) {
    lines.push(trans.__('Storage class: %1', node.storageClass));
  }
  if (isArchived(node)) {
    lines.push(trans.__('Archived: restore it before reading'));
  }
  if (node.access === 'read') {
    lines.push(trans.__('Read-only'));
  }
  return lines.join('\n');
}

/**
 * Text shown for an item: sizes, dates and its tooltip. The `Intl`
 * formatters are built once, never per row.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { IEosNode, isArchived } from '../tree';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** The formatters, built on first use (the user's locale). */
namespace Formats {
  let whole: Intl.NumberFormat | null = null;
  let tenth: Intl.NumberFormat | null = null;
  let long: Intl.DateTimeFormat | null = null;
  let short: Intl.DateTimeFormat | null = null;

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
  export function date(): Intl.DateTimeFormat {
    return (short ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' }));
  }
}

/** A byte count in decimal units, as disk sizes are quoted: `1.5 MB`. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  let whole = unit === 0 || Math.round(value * 10) / 10 >= 100;
  if (Math.round(value * 10) / 10 >= 1000 && unit < UNITS.length - 1) {
    // 999.96 kB rounds to 1000: say 1.0 MB instead.
    unit++;
    value /= 1000;
    whole = false;
  }
  return `${(whole ? Formats.integer() : Formats.decimal()).format(value)} ${UNITS[unit]}`;
}

/** A date for people (date and time); the text itself if it is not a date. */
export function formatDate(iso: string, short = false): string {
  const date = new Date(iso);
  if (isNaN(date.getTime())) {
    return iso;
  }
  return (short ? Formats.date() : Formats.dateTime()).format(date);
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

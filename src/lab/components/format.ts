/**
 * Text shown for an item: human-readable sizes and its tooltip.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { IEosNode } from '../tree';

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** A byte count in decimal units, as disk sizes are quoted: `1.5 MB`. */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  let text = value.toFixed(unit === 0 || value >= 100 ? 0 : 1);
  if (Math.abs(Number(text)) >= 1000 && unit < UNITS.length - 1) {
    // 999.96 kB rounds to 1000: say 1.0 MB instead.
    unit++;
    text = (value / 1000).toFixed(1);
  }
  return `${text} ${UNITS[unit]}`;
}

/** A date for people: the locale's date and time; the text itself if it is not a date. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return isNaN(date.getTime()) ? iso : date.toLocaleString();
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
  if (node.access === 'read') {
    lines.push(trans.__('Read-only'));
  }
  return lines.join('\n');
}

/**
 * Byte counts for people, in decimal units as disk sizes are quoted
 * (1 kB = 1,000 bytes): the panel, the CLI and the service's messages all
 * say sizes this way.
 */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const;

/**
 * Writes the number part of a size: `whole` asks for no decimals, else one
 * decimal (`1.5`). The default is locale-free; the panel passes `Intl`.
 */
export type SizeNumberFormat = (value: number, whole: boolean) => string;

const plainNumber: SizeNumberFormat = (value, whole) => (whole ? String(Math.round(value)) : value.toFixed(1));

/**
 * A byte count as `1.5 MB`, `123 MB`, `999 B`: one decimal below 100 of a
 * unit, whole numbers above and for bytes; 999.96 kB says `1.0 MB`, not
 * `1000 kB`.
 */
export function formatBytes(bytes: number, format: SizeNumberFormat = plainNumber): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit < UNITS.length - 1 && Math.round(value * 10) / 10 >= 1000) {
    value /= 1000;
    unit++;
  }
  const whole = unit === 0 || Math.round(value * 10) / 10 >= 100;
  return `${format(value, whole)} ${UNITS[unit]}`;
}

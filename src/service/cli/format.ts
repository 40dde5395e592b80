/**
 * Text for the terminal: sizes, dates, durations, names.
 */
import { Job, UnverifiedReason, formatBytes, summarizeIntegrity } from '../../core';

/** A byte count in decimal units, as the panel shows it: `1.5 MB`, `999 B`. */
export const humanSize = (bytes: number): string => formatBytes(bytes);

/** A size as `-h` asks: human units, else the exact number of bytes. */
export function sizeText(bytes: number, human: boolean): string {
  return human ? humanSize(bytes) : String(bytes);
}

/** An ISO date as `2026-11-25 19:40:02` (UTC, sortable). */
export function dateText(iso: string | undefined): string {
  if (!iso) {
    return '                   ';
  }
  return iso.slice(0, 19).replace('T', ' ');
}

/** Seconds as `1:02:03` or `2:03`. */
export function clockText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** A duration for people: `45 seconds`, `15 minutes`, `48 hours`, `7 days`. */
export function durationText(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds < 90) {
    return plural(Math.max(0, Math.round(seconds)), 'second');
  }
  if (seconds < 90 * 60) {
    return plural(Math.round(seconds / 60), 'minute');
  }
  if (seconds < 72 * 3600) {
    return plural(Math.round(seconds / 3600), 'hour');
  }
  return plural(Math.round(seconds / 8640) / 10, 'day');
}

/**
 * A duration option: `90` (seconds), `90s`, `30m`, `48h`, `7d`.
 *
 * @returns seconds, or NaN when the text is no duration
 */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/i.exec(text);
  if (!m) {
    return NaN;
  }
  const factor = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2].toLowerCase() as '' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * factor);
}

/** A name for a terminal: control characters shown as visible pictures (`␊`), so a row stays one line. */
export function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, ch =>
    ch === '\x7f' ? '\u2421' : String.fromCharCode(0x2400 + ch.charCodeAt(0))
  );
}

/** Why files were not verified, as `eos` says it. */
const REASONS: Record<UnverifiedReason, string> = {
  'no-checksum': 'no stored checksum',
  composite: 'only a checksum of its parts is stored',
  algorithm: 'its checksum is of another algorithm',
  off: 'verification turned off'
};

/**
 * How a job's files were checked, briefly: `verified (crc64nvme)` when all
 * were, `not verified (no stored checksum)` when none was for one reason,
 * else `2 verified (crc64nvme), 1 not verified (no stored checksum)`;
 * null when no file was written.
 */
export function integrityText(job: Pick<Job, 'integrity' | 'objects'>): string | null {
  const summary = summarizeIntegrity(job);
  if (summary === null) {
    return null;
  }
  if (summary.kind === 'all') {
    return `verified (${summary.name})`;
  }
  if (summary.kind === 'none') {
    return `not verified (${REASONS[summary.reason]})`;
  }
  return [
    ...summary.verified.map(([name, n]) => `${n} verified (${name})`),
    ...summary.unverified.map(([reason, n]) => `${n} not verified (${REASONS[reason]})`)
  ].join(', ');
}

/**
 * Where a command's words go: results on standard output (one JSON object
 * per line with `--json`), progress and notes on standard error, progress
 * bars only when standard error is a terminal, nothing but results in a pipe.
 */
import { clockText, humanSize, visible } from './format';

/** A writable terminal stream, or a file or pipe. */
export interface Stream {
  write(text: string | Uint8Array): boolean;
  isTTY?: boolean;
  columns?: number;
}

/** The options every command takes. */
export interface OutputOptions {
  /** Results as JSON, one object per line; no progress, no notes. */
  json?: boolean;
  /** No progress, no notes, no summaries. */
  quiet?: boolean;
}

/** What a progress line shows. */
export interface ProgressState {
  label: string;
  bytesDone: number;
  bytesTotal: number | null;
  filesDone: number;
  filesTotal: number | null;
  /** Bytes per second. */
  rate?: number;
  /** Seconds left. */
  eta?: number;
}

const BAR_WIDTH = 24;

export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  private shownProgress = false;

  constructor(
    options: OutputOptions,
    readonly stdout: Stream = process.stdout,
    readonly stderr: Stream = process.stderr
  ) {
    this.json = options.json === true;
    this.quiet = options.quiet === true;
  }

  /** Whether results go to a terminal (names are made visible, summaries shown). */
  get terminal(): boolean {
    return this.stdout.isTTY === true;
  }

  /** Whether progress bars are drawn. */
  get showsProgress(): boolean {
    return !this.quiet && !this.json && this.stderr.isTTY === true;
  }

  /** A name as results show it: control characters made visible on a terminal, verbatim in a pipe. */
  name(text: string): string {
    return this.terminal ? visible(text) : text;
  }

  /** One result line. */
  result(line: string): void {
    this.clearProgress();
    this.stdout.write(`${line}\n`);
  }

  /** One result as a JSON line. */
  record(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** A summary of what was done: on standard output unless quiet or JSON. */
  summary(line: string): void {
    if (!this.quiet && !this.json) {
      this.result(line);
    }
  }

  /** A note for the person at the terminal (standard error), unless quiet or JSON. */
  note(line: string): void {
    if (!this.quiet && !this.json) {
      this.clearProgress();
      this.stderr.write(`${line}\n`);
    }
  }

  /** An error line, always; control characters (a name's, a URI argument's) made visible, never sent to the terminal. */
  error(line: string): void {
    this.clearProgress();
    this.stderr.write(`eos: ${visible(line)}\n`);
  }

  /** Draw (or redraw) the progress line. */
  progress(state: ProgressState): void {
    if (!this.showsProgress) {
      return;
    }
    const width = Math.max(40, (this.stderr.columns || 80) - 1);
    this.stderr.write(`\r${progressLine(state).slice(0, width).padEnd(width)}`);
    this.shownProgress = true;
  }

  /** Erase the progress line, if one is shown. */
  clearProgress(): void {
    if (this.shownProgress) {
      const width = Math.max(40, (this.stderr.columns || 80) - 1);
      this.stderr.write(`\r${' '.repeat(width)}\r`);
      this.shownProgress = false;
    }
  }
}

/** `upload [#######-----------------]  31%  1.2 GB / 3.9 GB  85.1 MB/s  ETA 0:32  12/40 files` */
export function progressLine(s: ProgressState): string {
  const fraction = s.bytesTotal ? Math.min(1, s.bytesDone / s.bytesTotal) : null;
  const filled = fraction === null ? 0 : Math.round(fraction * BAR_WIDTH);
  const bar = fraction === null ? '?'.repeat(BAR_WIDTH) : '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
  const parts = [
    `${s.label} [${bar}]`,
    fraction === null ? '   ?%' : `${Math.floor(fraction * 100)}%`.padStart(4),
    `${humanSize(s.bytesDone)}${s.bytesTotal === null ? '' : ` / ${humanSize(s.bytesTotal)}`}`
  ];
  if (s.rate !== undefined) {
    parts.push(`${humanSize(s.rate)}/s`);
  }
  if (s.eta !== undefined) {
    parts.push(`ETA ${clockText(s.eta)}`);
  }
  parts.push(`${s.filesDone}${s.filesTotal === null ? '' : `/${s.filesTotal}`} files`);
  return parts.join('  ');
}

/**
 * The disk monitor's contract with transfers (`DiskSpace`) and its options.
 */
import { promises as fsp } from 'node:fs';
import { DEFAULT_DISK_LIMIT, DEFAULT_DISK_THRESHOLDS, DiskItem, DiskMode, DiskThresholds } from '../../../core';
import type { Unreadable, WalkProgress } from './diskwalk';

/** What a transfer asks of the disk (`DiskMonitor` answers it). */
export interface DiskSpace {
  /** Refuse (`NoSpace`, saying how much is missing) when `bytes` more would not fit in `dir`. */
  checkSpace(dir: string, bytes: number, shown: string): Promise<void>;
  /**
   * Hold `bytes` for a file about to be written in `dir`: refused like
   * `checkSpace`, counting the files still being written; the hold lasts
   * until released, so files in flight together never exceed the space.
   */
  hold(dir: string, bytes: number, shown: string): Promise<DiskHold>;
  /** Bytes written (> 0) or freed (< 0) in the root; `removed`: the absolute path deleted, if any. */
  changed?(bytes: number, removed?: string): void;
  /** The disk changed in a way the engine did not count (it filled up): measure again, tell the gauge. */
  stale?(): void;
}

/** Space held for a file being written. */
export interface DiskHold {
  /** Bytes of the file written (> 0), or taken back (< 0, a failed write removed). */
  wrote(bytes: number): void;
  /** The file is written (and counted by `changed`) or given up. */
  release(): void;
}

/** Filesystem figures, as `fs.statfs` answers them (tests inject fewer fields). */
export interface StatFs {
  bavail: number | bigint;
  bsize: number | bigint;
  blocks?: number | bigint;
  bfree?: number | bigint;
}

/** How a `DiskMonitor` measures. */
export interface DiskOptions {
  /** The Jupyter root (a realpath). */
  rootDir: string;
  /** The allowance quota mode measures against (default 200 GB). */
  limit: number;
  /** `auto` (default): filesystem mode when the root is a mount point, quota mode otherwise. */
  mode: DiskMode | 'auto';
  thresholds: DiskThresholds;
  /** A walk older than this is redone (in the background) when figures are asked for (default 60 s). */
  refreshMs: number;
  /** The filesystem's figures for a folder (injectable for tests). */
  statfs: (dir: string) => Promise<StatFs>;
  /** How long a download's space check waits for a walk under way before using the figures it has (default 20 s). */
  checkWaitMs: number;
  /**
   * How soon after the root changed (`stale`) listeners hear of it and quota
   * mode walks the root again (default 1 s; changes meanwhile wait for the
   * same report); null never (a command line, which exits).
   */
  remeasureMs: number | null;
}

export const DEFAULT_DISK_OPTIONS: Omit<DiskOptions, 'rootDir'> = {
  limit: DEFAULT_DISK_LIMIT,
  mode: 'auto',
  thresholds: DEFAULT_DISK_THRESHOLDS,
  refreshMs: 60_000,
  statfs: dir => fsp.statfs(dir),
  checkWaitMs: 20_000,
  remeasureMs: 1000
};

/** A finished walk, kept until the next one ends. */
export interface Snapshot {
  bytes: number;
  /** Files and folders, biggest first (once sorted again when `unsorted`). */
  ranking: DiskItem[];
  unsorted: boolean;
  unreadable: Unreadable[];
  progress: WalkProgress;
  started: Date;
  finished: Date;
}

/**
 * The Jupyter root's disk: how full it is (in filesystem or quota mode), its
 * largest items, and whether a download fits. No HTTP here: the `api/disk`
 * routes and the command line's `eos df` both call `DiskMonitor`.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  DiskItem,
  DiskLargestResponse,
  DiskMode,
  DiskResponse,
  DiskChangedEvent,
  DiskWalkInfo,
  EosError,
  diskLevel,
  diskPercent
} from '../../../core';
import { ServiceConfig } from '../config';
import { TreeWalk } from './diskwalk';
import { DEFAULT_DISK_OPTIONS, DiskHold, DiskOptions, Snapshot, StatFs } from './diskoptions';
import { SpaceChecks } from './diskspace';

// What a transfer asks of the disk, and how a monitor measures: with the monitor's users.
export { DEFAULT_DISK_OPTIONS } from './diskoptions';
export type { DiskHold, DiskOptions, DiskSpace, StatFs } from './diskoptions';
export { STATFS_REUSE_MS } from './diskspace';

/** The most items `largest` answers at once. */
export const MAX_LARGEST_PAGE = 500;

/** A monitor of the configured root, set up as the configuration says (the service's and `eos df`'s). */
export function diskMonitorOf(
  config: Pick<ServiceConfig, 'rootDir' | 'diskLimit' | 'diskMode' | 'diskThresholds' | 'diskRefreshSeconds'>,
  statfs?: DiskOptions['statfs']
): DiskMonitor {
  return new DiskMonitor({
    rootDir: config.rootDir,
    limit: config.diskLimit,
    ...(config.diskMode && { mode: config.diskMode }),
    ...(config.diskThresholds && { thresholds: config.diskThresholds }),
    ...(config.diskRefreshSeconds && { refreshMs: config.diskRefreshSeconds * 1000 }),
    ...(statfs && { statfs })
  });
}

/**
 * Measures the Jupyter root's disk. The quota figure comes from a background
 * walk of the root: answers never wait for it (they give the last finished
 * walk's figure and say when it was taken); a walk older than `refreshMs` is
 * redone when figures are asked for, and the engine's own writes and deletes
 * (`changed`) count at once until the next walk ends.
 */
export class DiskMonitor {
  readonly options: DiskOptions;
  private snapshot: Snapshot | null = null;
  private running: { walk: TreeWalk; started: Date; done: Promise<void> } | null = null;
  /** Bytes the engine wrote (positive) or freed (negative) since the last walk ended. */
  private delta = 0;
  private autoMode: Promise<DiskMode> | null = null;
  private readonly controller = new AbortController();
  /** Whether the root changed since the last walk started: measure again once it ends. */
  private again = false;
  private staleTimer: NodeJS.Timeout | undefined;
  /** When the root last changed, whether a change was not the engine's own, since when a walk waits. */
  private lastChange = 0;
  private foreign = false;
  private deferredSince: number | null = null;
  /** How long the last walk took: walks started by changes leave at least as long between them. */
  private lastWalkMs = 0;
  private readonly listeners = new Set<(event: DiskChangedEvent) => void>();
  /** Whether `stale` was called since this monitor was made (the command line tells the service). */
  touched = false;
  /** The free-space checks and the holds of the files being downloaded (`checkSpace`, `hold`). */
  private readonly space: SpaceChecks;

  constructor(options: Partial<DiskOptions> & { rootDir: string }) {
    this.options = { ...DEFAULT_DISK_OPTIONS, ...options };
    this.space = new SpaceChecks(this.options, {
      mode: () => this.mode(),
      settled: ms => this.settled(ms),
      quotaUsed: () => this.quotaFigures().used
    });
  }

  /** The mode the service uses: the configured one, else by whether the root is a mount point. */
  async mode(): Promise<{ mode: DiskMode; source: 'auto' | 'config' }> {
    if (this.options.mode !== 'auto') {
      return { mode: this.options.mode, source: 'config' };
    }
    this.autoMode ??= isMountPoint(this.options.rootDir).then(
      mount => (mount ? 'filesystem' : 'quota'),
      () => 'quota'
    );
    return { mode: await this.autoMode, source: 'auto' };
  }

  /**
   * The disk figures, in the service's mode or in `mode`.
   *
   * @throws EosError `Internal` when the root cannot be measured.
   */
  async usage(mode?: DiskMode): Promise<DiskResponse> {
    const chosen = mode ? { mode, source: 'request' as const } : await this.mode();
    const { rootDir: root, limit, thresholds } = this.options;
    let fs: StatFs;
    try {
      fs = await this.options.statfs(root);
    } catch (err) {
      throw new EosError('Internal', `Cannot measure the disk of ${root}`, errorMessage(err));
    }
    const bsize = Number(fs.bsize);
    const total = Number(fs.blocks ?? 0) * bsize;
    const fsFree = Number(fs.bavail) * bsize;
    let used: number;
    let free: number;
    let capacity: number;
    let measuredAt: string | null;
    if (chosen.mode === 'filesystem') {
      used = fs.bfree === undefined ? 0 : (Number(fs.blocks ?? 0) - Number(fs.bfree)) * bsize;
      free = fsFree;
      capacity = used + free;
      measuredAt = new Date().toISOString();
    } else {
      const q = this.quotaFigures();
      used = q.used;
      free = Math.max(0, Math.min(limit - used, fsFree));
      capacity = limit;
      measuredAt = q.measuredAt;
    }
    const percent = diskPercent(used, capacity);
    const walk = this.walkInfo();
    if (chosen.mode === 'quota') {
      this.freshen(); // after the answer is taken: it tells what gave its figure
    }
    return {
      root,
      mode: chosen.mode,
      modeSource: chosen.source,
      total,
      used,
      free,
      limit,
      capacity,
      percent,
      level: measuredAt === null ? 'ok' : diskLevel(percent, thresholds),
      thresholds,
      measuredAt,
      walk
    };
  }

  /**
   * A page of the largest local files and folders, from the last finished
   * walk: all of them, or those directly in the folder `under` ('' the root).
   */
  largest(offset = 0, limit = 100, under?: string): DiskLargestResponse {
    const snap = this.snapshot;
    if (snap?.unsorted) {
      snap.ranking.sort(bySize);
      snap.unsorted = false;
    }
    const all = snap?.ranking ?? [];
    const ranking = under === undefined ? all : all.filter(i => parentOf(i.path) === under.replace(/\/+$/, ''));
    const items = ranking.slice(offset, offset + Math.min(limit, MAX_LARGEST_PAGE));
    const end = offset + items.length;
    const walk = this.walkInfo();
    this.freshen();
    return {
      items,
      total: ranking.length,
      next: end < ranking.length ? end : null,
      measuredAt: snap ? snap.finished.toISOString() : null,
      walk,
      unreadable: snap?.unreadable ?? []
    };
  }

  /**
   * Refuse (`NoSpace`, saying how much is missing) when `bytes` more would
   * not fit in `dir`: the filesystem's free space, and in quota mode what is
   * left of the limit, less a margin (1 % of the capacity, at most 1 GB) and
   * less what the files being downloaded (`hold`) will still take.
   */
  checkSpace(dir: string, bytes: number, shown: string): Promise<void> {
    return this.space.checkSpace(dir, bytes, shown);
  }

  /** `checkSpace`, then hold the bytes until released (see `DiskSpace.hold`). */
  hold(dir: string, bytes: number, shown: string): Promise<DiskHold> {
    return this.space.hold(dir, bytes, shown);
  }

  /**
   * The engine wrote (`bytes` > 0) or freed (< 0) this many allocated bytes
   * in the root; `removed` (absolute) leaves the ranking with its subtree,
   * its folders above it shrink by its (apparent) size, until the next walk
   * measures afresh.
   */
  changed(bytes: number, removed?: string): void {
    this.delta += bytes;
    this.stale(true);
    const snap = this.snapshot;
    if (removed === undefined || snap === null) {
      return;
    }
    const rel = path.relative(this.options.rootDir, removed).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('..')) {
      return;
    }
    const gone = snap.ranking.find(i => i.path === rel)?.size ?? 0;
    snap.ranking = snap.ranking.filter(i => i.path !== rel && !i.path.startsWith(`${rel}/`));
    for (const item of snap.ranking) {
      if (item.kind === 'folder' && gone > 0 && rel.startsWith(`${item.path}/`)) {
        item.size = Math.max(0, item.size - gone);
        snap.unsorted = true;
      }
    }
  }

  /**
   * The root changed (the engine wrote or deleted, or a command line beside
   * the service did): within `remeasureMs` listeners hear of it and quota
   * mode walks the root again (after the walk under way, if any), so the
   * gauge follows within seconds rather than at the next periodic walk.
   * The engine's `own` changes count at once: while they keep coming, the
   * walk waits until they stop (at most `refreshMs`).
   */
  stale(own = false): void {
    if (!own) {
      this.space.forget();
    }
    this.touched = true;
    this.lastChange = Date.now();
    this.foreign ||= !own;
    this.arm();
  }

  private arm(): void {
    const ms = this.options.remeasureMs;
    if (ms === null || this.staleTimer !== undefined || this.controller.signal.aborted) {
      return;
    }
    this.deferredSince ??= Date.now();
    this.staleTimer = setTimeout(
      () => {
        this.staleTimer = undefined;
        this.emit();
        const now = Date.now();
        if (!this.foreign && now - this.lastChange < ms && now - this.deferredSince! < this.options.refreshMs) {
          this.arm(); // the engine is still writing
          return;
        }
        this.foreign = false;
        this.deferredSince = null;
        void this.mode().then(({ mode }) => {
          if (mode !== 'quota') {
            return;
          }
          if (this.running) {
            this.again = true;
          } else {
            void this.refresh();
          }
        });
      },
      Math.max(ms, this.lastWalkMs)
    );
    this.staleTimer.unref?.();
  }

  /** Hear when the figures may have changed (see `stale`); returns the function that stops listening. */
  onChange(listener: (event: DiskChangedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Start a walk now unless one is under way. */
  refresh(): Promise<void> {
    if (this.running) {
      return this.running.done;
    }
    const walk = new TreeWalk(this.options.rootDir, { signal: this.controller.signal });
    const started = new Date();
    // The engine's changes made while the walk runs may be missed by it: they stay counted, and another walk follows.
    const deltaBefore = this.delta;
    this.again = false;
    const done = walk.run().then(
      result => {
        const ranking = result.items.filter(i => i.size > 0 || i.kind === 'folder');
        ranking.sort(bySize);
        this.snapshot = {
          bytes: result.bytes,
          ranking,
          unsorted: false,
          unreadable: result.unreadable,
          progress: { files: result.files, folders: result.folders, bytes: result.bytes },
          started,
          finished: new Date()
        };
        this.delta -= deltaBefore;
        this.lastWalkMs = this.snapshot.finished.getTime() - started.getTime();
        this.running = null;
        this.emit();
        if (this.again || this.delta !== 0) {
          this.stale(!this.again);
        }
      },
      () => {
        // The root vanished or the monitor closed: the last snapshot stays.
        this.running = null;
      }
    );
    this.running = { walk, started, done };
    return done;
  }

  /** Stop any walk under way, and measuring again. */
  close(): void {
    this.controller.abort();
    clearTimeout(this.staleTimer);
    this.staleTimer = undefined;
  }

  private emit(): void {
    const event: DiskChangedEvent = { measuredAt: this.snapshot?.finished.toISOString() ?? null };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a closed stream's listener: the others still hear
      }
    }
  }

  /** Start a walk when none has run or the last one is older than `refreshMs`. */
  private freshen(): void {
    const snap = this.snapshot;
    if (!this.running && (snap === null || Date.now() - snap.finished.getTime() >= this.options.refreshMs)) {
      void this.refresh();
    }
  }

  /** Wait for a walk (the first one, or one under way) at most `ms`. */
  private async settled(ms: number): Promise<void> {
    this.freshen();
    if (this.snapshot !== null || !this.running) {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running.done, new Promise(resolve => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /** The root's allocated size: the last walk's plus the engine's changes since (the walk so far before the first ends). */
  private quotaFigures(): { used: number; measuredAt: string | null } {
    if (this.snapshot === null) {
      return { used: this.running?.walk.progress.bytes ?? 0, measuredAt: null };
    }
    return { used: Math.max(0, this.snapshot.bytes + this.delta), measuredAt: this.snapshot.finished.toISOString() };
  }

  private walkInfo(): DiskWalkInfo {
    const snap = this.snapshot;
    if (this.running) {
      const { files, folders, bytes } = this.running.walk.progress;
      return {
        state: 'running',
        files,
        folders,
        bytes,
        started: this.running.started.toISOString(),
        finished: snap?.finished.toISOString() ?? null,
        unreadable: snap?.unreadable.length ?? 0
      };
    }
    if (snap === null) {
      return { state: 'idle', files: 0, folders: 0, bytes: 0, started: null, finished: null, unreadable: 0 };
    }
    return {
      state: 'done',
      ...snap.progress,
      started: snap.started.toISOString(),
      finished: snap.finished.toISOString(),
      unreadable: snap.unreadable.length
    };
  }
}

/** The folder holding a relative path ('' for the root). */
function parentOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash < 0 ? '' : rel.slice(0, slash);
}

/** Biggest first, then by path. */
function bySize(a: DiskItem, b: DiskItem): number {
  return b.size - a.size || (a.path < b.path ? -1 : 1);
}

/** Whether `dir` is the top of its own filesystem (`/` is). */
export async function isMountPoint(dir: string): Promise<boolean> {
  const parentDir = path.dirname(dir);
  if (parentDir === dir) {
    return true;
  }
  const [self, parent] = await Promise.all([fsp.stat(dir), fsp.stat(parentDir)]);
  return self.dev !== parent.dev;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

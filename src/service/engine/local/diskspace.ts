/**
 * Whether a download fits on the Jupyter root's disk: the free-space checks
 * and the space held for the files being written. `DiskMonitor` owns them
 * and answers `DiskSpace` with them; quota mode's figures come from it.
 */
import { DiskMode, EosError, formatBytes } from '../../../core';
import { DiskHold, DiskOptions, StatFs } from './diskoptions';

/**
 * How long a space check's `statfs` is reused by the next checks of its
 * folder (`SpaceChecks.measure`): a folder of 10,000 small files asked the
 * filesystem 10,000 times, each a hop to the thread pool.
 */
export const STATFS_REUSE_MS = 250;

/** What the checks ask of the monitor that owns them. */
export interface SpaceMonitor {
  /** The mode the service uses. */
  mode(): Promise<{ mode: DiskMode }>;
  /** Wait for a walk (the first one, or one under way) at most `ms`. */
  settled(ms: number): Promise<void>;
  /** The root's allocated size in quota mode. */
  quotaUsed(): number;
}

/** The free-space checks and holds of one `DiskMonitor` (see its `checkSpace` and `hold`). */
export class SpaceChecks {
  /** Files being downloaded: their sizes and the bytes of each written so far (`hold`). */
  private readonly holds = new Set<{ bytes: number; written: number }>();
  /** Space checks run one after the other, so two holds never both count on the same free bytes. */
  private checking: Promise<unknown> = Promise.resolve();
  /** Bytes the holds have written (less those taken back): a reused `statfs` counts those since it. */
  private holdsWritten = 0;
  /** The last `statfs` of a check: reused for the next checks of its folder while it is young (`measure`). */
  private measured: { dir: string; at: number; fs: StatFs; written: number } | null = null;

  constructor(
    private readonly options: DiskOptions,
    private readonly monitor: SpaceMonitor
  ) {}

  /** Refuse (`NoSpace`) when `bytes` more would not fit in `dir` (see `DiskMonitor.checkSpace`). */
  checkSpace(dir: string, bytes: number, shown: string): Promise<void> {
    const check = this.checking.then(() => this.check(dir, bytes, shown));
    this.checking = check.catch(() => undefined);
    return check;
  }

  /** `checkSpace`, then hold the bytes until released (see `DiskSpace.hold`). */
  async hold(dir: string, bytes: number, shown: string): Promise<DiskHold> {
    const held = { bytes, written: 0 };
    const check = this.checking.then(async () => {
      await this.check(dir, bytes, shown);
      this.holds.add(held);
    });
    this.checking = check.catch(() => undefined);
    await check;
    const wrote = (n: number) => {
      held.written += n;
      this.holdsWritten += n;
    };
    return { wrote, release: () => this.holds.delete(held) };
  }

  /** The disk changed in a way the engine did not count: the next check asks the filesystem again. */
  forget(): void {
    this.measured = null;
  }

  /**
   * The free bytes of `dir`'s filesystem and its size. A folder of many small
   * files asks before each: a measure taken less than `STATFS_REUSE_MS` ago
   * in the same folder is reused, less what the holds wrote since, unless
   * the answer would come near the limit (`bytes` then takes more than half
   * of what it says is free): then, and after a write the disk refused
   * (`forget`), the filesystem is asked again.
   */
  private async measure(dir: string, bytes: number): Promise<{ free: number; capacity: number }> {
    const figures = (m: NonNullable<SpaceChecks['measured']>) => ({
      free: Number(m.fs.bavail) * Number(m.fs.bsize) - (this.holdsWritten - m.written),
      capacity: m.fs.blocks === undefined ? 0 : Number(m.fs.blocks) * Number(m.fs.bsize)
    });
    const last = this.measured;
    if (last !== null && last.dir === dir && Date.now() - last.at < STATFS_REUSE_MS) {
      const reused = figures(last);
      if (bytes * 2 < reused.free - Math.min(Math.floor(reused.capacity / 100), 1000 ** 3)) {
        return reused;
      }
    }
    const written = this.holdsWritten;
    const at = Date.now();
    const fs = await this.options.statfs(dir);
    this.measured = { dir, at, fs, written };
    return figures(this.measured);
  }

  private async check(dir: string, bytes: number, shown: string): Promise<void> {
    if (bytes <= 0) {
      return;
    }
    // The filesystem's figures already count the bytes written; quota mode counts a file once it is done.
    let unwritten = 0;
    let all = 0;
    for (const h of this.holds) {
      unwritten += Math.max(0, h.bytes - h.written);
      all += h.bytes;
    }
    const measured = await this.measure(dir, bytes + unwritten);
    let free = Math.max(0, measured.free - unwritten);
    let capacity = measured.capacity;
    let inFlight = unwritten;
    if ((await this.monitor.mode()).mode === 'quota') {
      await this.monitor.settled(this.options.checkWaitMs);
      free = Math.max(0, Math.min(free, this.options.limit - this.monitor.quotaUsed() - all));
      capacity = this.options.limit;
      inFlight = all;
    }
    const margin = Math.min(Math.floor(capacity / 100), 1000 ** 3);
    if (bytes + margin > free) {
      const kept = margin > 0 ? ` (and ${formatBytes(margin)} kept free)` : '';
      const held = inFlight > 0 ? `, besides ${formatBytes(inFlight)} for the downloads under way` : '';
      throw new EosError(
        'NoSpace',
        `Not enough space on the server's disk for ${shown}: ${formatBytes(bytes)} needed${kept}, ` +
          `${formatBytes(free)} free${held} (${formatBytes(bytes + margin - free)} missing)`
      );
    }
  }
}

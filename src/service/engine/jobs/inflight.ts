/**
 * How many items a job keeps in flight when the right figure depends on the
 * network: small files on a link with tens of milliseconds to the first byte
 * need many at once (each waits a round trip), on loopback a few keep the
 * CPU busy and more only cost memory. The figure starts low and doubles
 * while each doubling raises the rate items finish at; once a doubling gains
 * nothing twice in a row it stays (the CPU, the disk or the link is the
 * bound then). Never above `max`, nor (when items say their `size`) above
 * `BYTES_IN_FLIGHT` over their mean size, which bound the memory.
 */

/**
 * Bytes the files in flight may add up to, at their mean size: more 1 MiB
 * bodies at once raised a download's peak RSS (two threads, loopback: 222 MB
 * with 16 in flight, 276 MB with 256) and not its rate.
 */
export const BYTES_IN_FLIGHT = 32 * 1024 * 1024;

/** A doubling must raise the rate by this much to count as a gain (the rate is noisy on a busy machine). */
export const GAIN = 1.15;
/** Windows in a row without a gain after which the figure stays. */
const PATIENCE = 2;
/** The least time a window lasts, in ms (a rate over a few ms says nothing). */
const MIN_WINDOW_MS = 100;

/** The figure in flight, raised as the rate measured over windows grows. */
export class InFlight {
  private figure: number;
  private windowStart = -1;
  private finished = 0;
  private best = 0;
  private misses = 0;
  private sizes = 0;
  private sized = 0;
  private readonly start: number;

  /**
   * @param start the figure at first
   * @param max the most ever (at least `start`)
   * @param now the clock, in ms
   */
  constructor(
    start: number,
    readonly max: number,
    private readonly now: () => number = () => performance.now()
  ) {
    this.figure = Math.max(1, Math.min(start, max));
    this.start = this.figure;
  }

  /** The items to keep in flight now. */
  get limit(): number {
    if (this.sized === 0) {
      return this.figure;
    }
    const byMemory = Math.floor((BYTES_IN_FLIGHT * this.sized) / Math.max(1, this.sizes));
    return Math.max(this.start, Math.min(this.figure, byMemory));
  }

  /** Count an item's size (bytes), for the bound on memory. */
  size(bytes: number): void {
    this.sizes += bytes;
    this.sized++;
  }

  /** Whether the figure may still change. */
  get settled(): boolean {
    return this.figure >= this.max || this.misses >= PATIENCE;
  }

  /**
   * Count an item finished. A window ends once as many items as are in
   * flight have finished (every slot turned over) and `MIN_WINDOW_MS`
   * passed; the first window (connections opening, threads starting) only
   * starts the clock.
   */
  finish(): void {
    if (this.settled) {
      return;
    }
    const t = this.now();
    if (this.windowStart < 0) {
      this.windowStart = t;
      return;
    }
    this.finished++;
    const elapsed = t - this.windowStart;
    if (this.finished < this.figure || elapsed < MIN_WINDOW_MS) {
      return;
    }
    const rate = this.finished / elapsed;
    this.windowStart = t;
    this.finished = 0;
    if (this.best === 0) {
      // The first full window at this figure: what a doubling has to beat.
      this.best = rate;
      this.figure = Math.min(this.max, this.figure * 2);
      return;
    }
    if (rate >= this.best * GAIN) {
      this.best = rate;
      this.misses = 0;
      this.figure = Math.min(this.max, this.figure * 2);
    } else {
      this.misses++;
    }
  }
}

/** A job's files in flight: fixed, or raised from `filesInFlight` toward `maxFilesInFlight` (`InFlight`). */
export function filesInFlight(options: { filesInFlight: number; maxFilesInFlight?: number }): number | InFlight {
  const { filesInFlight: start, maxFilesInFlight: max } = options;
  return max === undefined || max <= start ? start : new InFlight(start, max);
}

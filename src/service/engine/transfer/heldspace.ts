/**
 * Files downloaded into the root with their space held while they are
 * written (`DiskSpace.hold`), so files in flight together never overrun the
 * disk or the quota. A file that does not fit beside those in flight is
 * refused before any byte is fetched: the job then takes no more, lets the
 * files in flight finish, and fails saying why. A write the disk refuses
 * fails at once, and the gauge measures again.
 */
import { EosError } from '../../../core';
import { DiskSpace } from '../local/disk';

export class HeldDownloads {
  /** Why the first refused file was refused. */
  private refused: EosError | null = null;

  /**
   * @param disk the disk the files go to
   * @param onBytes hears the bytes written (negative: taken back by a failed file)
   */
  constructor(
    private readonly disk: DiskSpace,
    private readonly onBytes: (n: number) => void
  ) {}

  /** `items` until a file is refused (the rest is then not read). */
  async *take<T>(items: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
    for await (const item of items) {
      if (this.refused !== null) {
        return;
      }
      yield item;
    }
  }

  /**
   * Fetch a file of `size` bytes into `dir` with its space held; the gauge
   * counts it once written. False, with nothing fetched, when it was refused.
   *
   * @param get fetches the file, reporting its bytes to the function it is given
   */
  async get(dir: string, size: number, shown: string, get: (onBytes: (n: number) => void) => Promise<unknown>) {
    let hold;
    try {
      hold = await this.disk.hold(dir, size, shown);
    } catch (err) {
      if (isNoSpace(err)) {
        this.refused ??= err;
        return false;
      }
      throw err;
    }
    try {
      await get(n => {
        this.onBytes(n);
        hold.wrote(n);
      });
      this.disk.changed?.(size);
      return true;
    } catch (err) {
      if (isNoSpace(err)) {
        this.disk.stale?.(); // the disk filled up under the file: the gauge measures again
      }
      throw err;
    } finally {
      hold.release();
    }
  }

  /** Once no file is in flight: fail with why a file was refused, if one was. */
  finish(): void {
    if (this.refused !== null) {
      throw this.refused;
    }
  }
}

function isNoSpace(err: unknown): err is EosError {
  return err instanceof EosError && err.code === 'NoSpace';
}

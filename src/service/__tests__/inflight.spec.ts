/**
 * Files in flight raised while the rate grows (`InFlight`), and the pool
 * that adds workers as the figure rises.
 */
import { BYTES_IN_FLIGHT, InFlight, filesInFlight } from '../engine/jobs/inflight';
import { forEachConcurrent } from '../engine/jobs/pool';

/** Finish `n` items on a fake clock, at `rate(limit)` items per ms. */
function run(f: InFlight, clock: { t: number }, n: number, rate: (limit: number) => number): void {
  for (let i = 0; i < n; i++) {
    clock.t += 1 / rate(f.limit);
    f.finish();
  }
}

describe('InFlight', () => {
  it('doubles while each doubling raises the rate, up to its most', () => {
    const clock = { t: 0 };
    const f = new InFlight(16, 256, () => clock.t);
    // The rate follows the figure (a link bound by round trips): 16 -> 32 -> ... -> 256.
    while (!f.settled) {
      run(f, clock, 1000, limit => limit / 25);
    }
    expect(f.limit).toBe(256);
  });

  it('stays once doublings gain nothing (the CPU is the bound)', () => {
    const clock = { t: 0 };
    const f = new InFlight(16, 256, () => clock.t);
    // The rate grows from 16 to 32 in flight, then no more.
    while (!f.settled) {
      run(f, clock, 1000, limit => Math.min(limit, 32) / 25);
    }
    // 32 gained, 64 did not (twice): it stays at 64, never 128.
    expect(f.limit).toBe(64);
    run(f, clock, 5000, () => 100);
    expect(f.limit).toBe(64);
  });

  it('keeps the bytes in flight under BYTES_IN_FLIGHT at the mean size, never under the start', () => {
    const clock = { t: 0 };
    const f = new InFlight(16, 256, () => clock.t);
    while (!f.settled) {
      run(f, clock, 1000, limit => limit / 25);
    }
    expect(f.limit).toBe(256);
    // 1 MiB files: 32 MiB / 1 MiB in flight.
    f.size(1024 * 1024);
    expect(f.limit).toBe(BYTES_IN_FLIGHT / (1024 * 1024));
    // Files of 1 GiB: the start still.
    f.size(1024 ** 3);
    expect(f.limit).toBe(16);
  });

  it('is fixed when the most is the start', () => {
    expect(filesInFlight({ filesInFlight: 200, maxFilesInFlight: 200 })).toBe(200);
    expect(filesInFlight({ filesInFlight: 16 })).toBe(16);
    expect(filesInFlight({ filesInFlight: 16, maxFilesInFlight: 64 })).toBeInstanceOf(InFlight);
  });
});

describe('forEachConcurrent with an InFlight limit', () => {
  it('adds workers as the figure rises, and never more than it', async () => {
    const f = new InFlight(2, 8);
    let inFlight = 0;
    let most = 0;
    const limits: number[] = [];
    const items = Array.from({ length: 400 }, (_, i) => i);
    await forEachConcurrent(items, f, new AbortController().signal, async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      limits.push(f.limit);
      expect(inFlight).toBeLessThanOrEqual(f.limit);
      // Each item waits a round trip: more in flight, more per second.
      await new Promise(resolve => setTimeout(resolve, 2));
      inFlight--;
    });
    expect(most).toBeGreaterThan(2);
    expect(most).toBeLessThanOrEqual(8);
  });
});

describe('forEachConcurrent with a falling limit', () => {
  it('lets the extra workers go, keeping at least the figure, and finishes every item', async () => {
    let figure = 8;
    const limit = { limit: 8, max: 8, finish: () => undefined } as unknown as InFlight;
    Object.defineProperty(limit, 'limit', { get: () => figure });
    let inFlight = 0;
    const late: number[] = [];
    const done: number[] = [];
    const items = Array.from({ length: 100 }, (_, i) => i);
    await forEachConcurrent(items, limit, new AbortController().signal, async i => {
      inFlight++;
      if (i === 20) {
        figure = 2;
      }
      if (i > 40) {
        late.push(inFlight);
      }
      await new Promise(resolve => setTimeout(resolve, 1));
      inFlight--;
      done.push(i);
    });
    expect(done).toHaveLength(100);
    expect(Math.max(...late)).toBeLessThanOrEqual(2);
  });
});

/**
 * The upload parts' buffers reused from one PUT to the next (`BodyPool`,
 * transfer/bodypool.ts): capacities, the bound on what is kept, views handed
 * back, and nothing kept once idle. That uploads still arrive byte-exact with
 * it is the uploads' and transfer specs' to show.
 */
import { BodyPool, KEPT_BYTES } from '../engine/transfer/bodypool';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('BodyPool', () => {
  afterEach(() => jest.useRealTimers());

  it('hands a buffer back out once given, in power-of-two capacities from 64 KiB', () => {
    const pool = new BodyPool();
    const a = pool.take(10);
    expect(a.length).toBe(64 * KiB);
    expect(pool.take(8 * MiB).length).toBe(8 * MiB);
    expect(pool.take(8 * MiB + 1).length).toBe(16 * MiB);
    // A view of it (the bytes read) gives the whole buffer back.
    pool.give(a.subarray(0, 10));
    expect(pool.held).toBe(64 * KiB);
    const again = pool.take(1000);
    expect(again.buffer).toBe(a.buffer);
    expect(pool.held).toBe(0);
    // Given twice by mistake, it is kept once.
    pool.give(again);
    pool.give(again);
    expect(pool.held).toBe(64 * KiB);
  });

  it('keeps at most 32 MiB of one capacity, and nothing that is not its own', () => {
    const pool = new BodyPool();
    const parts = Array.from({ length: 10 }, () => pool.take(8 * MiB));
    parts.forEach(p => pool.give(p));
    expect(pool.held).toBe(KEPT_BYTES);
    const big = pool.take(64 * MiB);
    pool.give(big);
    expect(pool.held).toBe(KEPT_BYTES + 64 * MiB); // one buffer of a capacity above the bound
    pool.give(Buffer.alloc(100)); // Node's pooled slab, not a pool buffer
    pool.give(Buffer.allocUnsafeSlow(100 * KiB)); // no power of two
    expect(pool.held).toBe(KEPT_BYTES + 64 * MiB);
  });

  it('drops what it keeps once nothing was taken for 5 s', () => {
    jest.useFakeTimers();
    const pool = new BodyPool();
    pool.give(pool.take(MiB));
    jest.advanceTimersByTime(4000);
    pool.give(pool.take(MiB)); // taken again: the idle clock restarts
    jest.advanceTimersByTime(4000);
    expect(pool.held).toBe(MiB);
    jest.advanceTimersByTime(1500);
    expect(pool.held).toBe(0);
  });
});

/**
 * The buffers an upload reads its parts (and small files) into, reused from
 * one PUT to the next on the same thread. A new buffer per part outlived
 * the minor collections made while it was sent (collect.ts), so V8 moved its
 * small JS object to the old generation and the part's memory waited for a
 * full collection: two threads held 80-90 MB of dead parts each, and a 2 GiB
 * upload peaked at 308 MB RSS.
 *
 * Buffers come in power-of-two capacities from 64 KiB; a capacity keeps at
 * most `KEPT_BYTES` of free buffers, and all are dropped once none was taken
 * for `IDLE_MS` (an idle service holds none).
 */

/** The least capacity handed out. */
const MIN_CAPACITY = 64 * 1024;
/** Free bytes kept per capacity. */
export const KEPT_BYTES = 32 * 1024 * 1024;
/** Free buffers are dropped after this long without a take. */
const IDLE_MS = 5000;

export class BodyPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  private idle: ReturnType<typeof setTimeout> | undefined;

  /** A buffer of at least `length` bytes (its contents are old bytes: read over them). */
  take(length: number): Buffer {
    const capacity = capacityOf(length);
    this.armIdle();
    const kept = this.free.get(capacity)?.pop();
    return kept ? Buffer.from(kept) : Buffer.allocUnsafeSlow(capacity);
  }

  /** Hand back a buffer `take` gave, or a view of it (nothing may use it any more). */
  give(view: Uint8Array): void {
    const memory = view.buffer;
    const capacity = memory.byteLength;
    if (!(memory instanceof ArrayBuffer) || capacity !== capacityOf(capacity)) {
      return; // not one of ours
    }
    const list = this.free.get(capacity) ?? [];
    if (!list.includes(memory) && (list.length + 1) * capacity <= Math.max(KEPT_BYTES, capacity)) {
      list.push(memory);
      this.free.set(capacity, list);
    }
  }

  /** Free bytes held. */
  get held(): number {
    let n = 0;
    for (const [capacity, list] of this.free) {
      n += capacity * list.length;
    }
    return n;
  }

  private armIdle(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.free.clear(), IDLE_MS);
    this.idle.unref?.();
  }
}

function capacityOf(length: number): number {
  let capacity = MIN_CAPACITY;
  while (capacity < length) {
    capacity *= 2;
  }
  return capacity;
}

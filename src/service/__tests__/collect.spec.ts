/**
 * A transfer thread's minor collections every 8 MiB of body (`Collector`,
 * transfer/collect.ts): V8 lends its `gc` without the process being started
 * with `--expose-gc` and without leaving it exposed to other contexts, and
 * the collections come at the byte counts they should. What they save is
 * measured in bench/ (the transfers report's peak RSS), not here.
 */
import { runInNewContext } from 'node:vm';
import { COLLECT_BYTES, Collector } from '../engine/transfer/collect';

const MiB = 1024 * 1024;

describe('Collector', () => {
  it('gets V8’s gc in a process started without --expose-gc, and leaves it unexposed', async () => {
    expect(process.execArgv).not.toContain('--expose-gc');
    const collector = new Collector();
    expect(collector.enabled).toBe(true);
    // A real minor collection runs (no throw) once 8 MiB have gone by.
    collector.count(COLLECT_BYTES - 1);
    expect(collector.collections).toBe(0);
    collector.count(1);
    expect(collector.collections).toBe(1);
    // Contexts made afterwards see no gc: the flag was on only while the collector took it. V8's
    // flags are the process's: a transfer thread left by another spec of this jest worker may turn
    // it on for a moment as its own collector starts, so a few looks are allowed.
    let seen = runInNewContext('typeof gc');
    for (let i = 0; i < 50 && seen !== 'undefined'; i++) {
      await new Promise(resolve => setTimeout(resolve, 10));
      seen = runInNewContext('typeof gc');
    }
    expect(seen).toBe('undefined');
  });

  it('collects every 8 MiB of body, received or sent, and counts nothing without a gc', () => {
    const calls: string[] = [];
    const collector = new Collector(options => calls.push(options.type));
    for (let i = 0; i < 64; i++) {
      collector.count(MiB / 2); // 32 MiB in socket-sized pieces
    }
    expect(calls).toEqual(['minor', 'minor', 'minor', 'minor']);
    collector.count(20 * MiB); // a part read to send: one collection, however big
    expect(collector.collections).toBe(5);
    const none = new Collector(null);
    none.count(100 * MiB);
    expect(none.enabled).toBe(false);
    expect(none.collections).toBe(0);
  });
});

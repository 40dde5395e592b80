/**
 * One S3 object to one local file: ranged GETs pinned to the object's ETag
 * (`If-Match`), several in flight for a big object, written with positioned
 * writes into a hidden temporary file beside the target, its size checked,
 * its modification time set, then moved into place. On failure or cancel the
 * temporary file is removed; while it exists the job's journal names it.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { EosError } from '../../../core';
import { EosStore } from '../s3/store';
import { fetchRange, GatheredWrites, RangeResult, RangeTask } from './getrange';
import { localError, numberedName } from '../local/confine';
import { DownloadResume } from './resumedownload';
import { forEachConcurrent } from '../jobs/pool';
import type { JobContext } from '../jobs/jobs';
import { TransferOptions } from './run';
import {
  CrcPiece,
  Verification,
  WHOLE_CRC,
  checkDownload,
  checkWhole,
  expectedChecksum,
  heldRangeCrc
} from './checksum';
import { createCrc } from '../s3/crc';

/** An object and the local file it becomes. */
export interface GetTask {
  bucket: string;
  key: string;
  uri: string;
  size: number;
  etag?: string;
  /** Absolute local path of the file. */
  final: string;
  /** The path relative to the root, for messages. */
  shown: string;
  /** How to place the file: over an existing one, beside it (`name (1).ext`), or only where none is. */
  place: 'overwrite' | 'keep-both' | 'new';
  /** The job downloading it: what an interrupted download keeps is dropped with the job. */
  jobId?: string;
  /** Told how the file's bytes were checked, once it is in place. */
  verified?: (outcome: Verification) => void;
}

/** The most ranges one object is fetched in (as S3 allows at most 10,000 parts). */
const MAX_RANGES = 10000;

/**
 * Download an object; answers the local path it was written to. `onBytes`
 * reports bytes written. With download threads (`options.getThreads`) the
 * GETs run there once a thread is ready and write the file themselves; else
 * (and while the threads start) on this thread.
 */
export async function getFile(
  store: EosStore,
  task: GetTask,
  options: TransferOptions,
  onBytes: (n: number) => void,
  signal: AbortSignal,
  track?: JobContext['openPartial']
): Promise<string> {
  const threads = options.getThreads;
  const range = Math.max(options.rangeSize, Math.ceil(task.size / MAX_RANGES));
  const whole = task.size <= range;
  // A download in ranges continues the temporary file an interrupted one kept (resumedownload.ts).
  const resume = DownloadResume.start(whole ? undefined : options.ledger, task, range);
  const temp = resume.temp;
  // The journal names the file while it exists, so a service killed meanwhile removes it when back
  // (unless the resume ledger keeps it for a retry).
  const untrack = track?.(temp);
  const ranges: RangeTask[] = [];
  const unsigned = store.locations.unsigned(task.bucket, task.key);
  const verify = options.verifyChecksums !== false;
  // A one-GET file's GET answers the stored checksum itself (no HEAD first).
  const checksum = whole && verify;
  for (let start = 0; start === 0 || start < task.size; start += range) {
    const { bucket, key, uri, etag, shown } = task;
    const length = Math.min(range, task.size - start);
    ranges.push({ bucket, key, uri, etag, shown, start, length, whole, unsigned, checksum });
  }
  let written = 0;
  const count = (n: number) => {
    written += n;
    onBytes(n);
  };
  let fh: fsp.FileHandle | null = null;
  let created = false;
  // Threads start with the first download. A one-GET file does not wait for
  // them (it runs here until one is ready); a file in ranges does (about 0.2 s
  // once), so its memory is the threads' alone.
  if (threads && !whole) {
    await threads.whenReady();
  } else {
    threads?.warm();
  }
  const onThread = () => threads !== undefined && threads.ready();
  // Each range's CRC, computed in its write sink: a file in ranges learns first (a HEAD) what S3
  // stores to compare with; a one-GET file computes CRC64NVME and learns it from its GET.
  const expected = whole ? { reason: 'off' as const } : await expectedChecksum(store, task, verify, signal);
  const crc = checksum ? WHOLE_CRC : 'name' in expected ? expected.name : undefined;
  const pieces: CrcPiece[] = [];
  let stored: RangeResult['stored'];
  // The algorithm a one-GET file's CRC was computed with (the one its answer named, when loaded).
  let computed: RangeResult['crcName'];
  const piece = (r: RangeTask, result: RangeResult) => {
    stored ??= result.stored;
    computed ??= result.crcName;
    if (result.crc !== undefined) {
      pieces.push({ start: r.start, length: r.length, crc: result.crc });
    }
  };
  // Where a thread moved the file (a one-GET file's thread places it when it can).
  let placed: string | undefined;
  try {
    let modifiedMs = resume.modifiedMs;
    if (whole && onThread()) {
      // One GET: its thread creates the file, writes it, sets its time, checks it and moves it into place.
      created = true;
      const how = task.place === 'overwrite' ? 'overwrite' : 'new';
      const result = await threads!.fetch(
        ranges[0],
        { path: temp, create: true, setTimes: true, crc, place: { final: task.final, how } },
        count,
        signal
      );
      piece(ranges[0], result);
      placed = result.placed;
    } else {
      try {
        fh = await fsp.open(temp, resume.resumed ? 'r+' : 'wx', 0o644);
      } catch (err) {
        throw localError(err, task.shown);
      }
      created = true;
      const file = fh;
      // Each range on a thread (else here, when none could start).
      await forEachConcurrent(
        ranges,
        options.rangesInFlight ?? options.partsInFlight,
        signal,
        async (r, rangeSignal) => {
          if (resume.has(r.start)) {
            // A range an interrupted download wrote whole: its CRC from the file's bytes.
            const held = await heldRangeCrc(expected, file, r);
            if (held !== undefined) {
              pieces.push({ start: r.start, length: r.length, crc: held });
            }
            count(r.length);
            return;
          }
          let result: RangeResult;
          if (onThread()) {
            result = await threads!.fetch(r, { path: temp, create: false, setTimes: false, crc }, count, rangeSignal);
          } else {
            const sink = new GatheredWrites(file, r.start, task.shown, crc && (await createCrc(crc)));
            result = await fetchRange(store, r, sink, count, rangeSignal);
          }
          piece(r, result);
          if (r.start === 0) {
            modifiedMs = result.modifiedMs;
          }
          resume.rangeDone(r.start, result.modifiedMs);
        }
      );
      fh = null;
      await file.close();
      if (modifiedMs !== undefined) {
        await fsp.utimes(temp, modifiedMs / 1000, modifiedMs / 1000);
      }
    }
    // Every range's bytes were counted as written, so the bytes counted are the bytes on disk.
    if (written !== task.size) {
      throw new EosError('Upstream', `${task.uri}: ${written} bytes arrived, ${task.size} expected`);
    }
    const outcome = checksum
      ? await checkWhole(stored ?? { reason: 'no-checksum' }, { name: computed, pieces }, temp, task.size, task)
      : checkDownload(expected, pieces, task);
    placed ??= await placeFile(temp, task);
    resume.completed();
    task.verified?.(outcome);
    return placed;
  } catch (err) {
    onBytes(-written);
    await fh?.close().catch(() => undefined);
    // Kept for a retry on a fault or a cancel, else removed.
    const { kept, error } = resume.failed(err, signal);
    if (created && !kept) {
      await fsp.rm(temp, { force: true }).catch(() => undefined);
    }
    throw error;
  } finally {
    untrack?.();
  }
}

/**
 * Move the complete temporary file into place: over the target (`overwrite`),
 * or only where no file is (a hard link fails if the name is taken, so a
 * file that appeared meanwhile is never replaced); `keep-both` takes the next
 * free `name (n).ext`.
 */
async function placeFile(temp: string, task: GetTask): Promise<string> {
  if (task.place === 'overwrite') {
    await fsp.rename(temp, task.final).catch(err => {
      throw localError(err, task.shown);
    });
    return task.final;
  }
  const dir = path.dirname(task.final);
  const name = path.basename(task.final);
  for (let n = 0; n <= 1000; n++) {
    const target = n === 0 ? task.final : path.join(dir, numberedName(name, n));
    try {
      await fsp.link(temp, target);
      await fsp.unlink(temp).catch(() => undefined);
      return target;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw localError(err, task.shown);
      }
      if (task.place === 'new') {
        throw new EosError('Conflict', `${JSON.stringify(task.shown)} already exists`);
      }
    }
  }
  throw new EosError('Conflict', `No free name beside ${JSON.stringify(task.shown)}`);
}

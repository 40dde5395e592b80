/**
 * Sync: make a destination folder hold what a source folder holds, one way
 * (local -> EOS, EOS -> local or EOS -> EOS), by size and modification time.
 * The plan is computed again inside the job (the preview may be stale), then
 * run: copies through the same code as uploads, downloads and server-side
 * copies, then deletes (only with `delete: true`).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Job, SyncRequest } from '../../../core';
import { EosStore } from '../s3/store';
import { Deleter } from '../s3/batches';
import { getFile } from './getfile';
import { contentTypeOf } from './contenttypes';
import { diskOf, mkdirInside } from './download';
import { HeldDownloads } from './heldspace';
import { JobContext, Jobs } from '../jobs/jobs';
import { assertRealInside, localError, relativeTo } from '../local/confine';
import { forEachConcurrent } from '../jobs/pool';
import { filesInFlight } from '../jobs/inflight';
import { putFile } from './putfile';
import { Verification, tally } from './checksum';
import { EosSyncSides, FullPlan, LocalSyncSides, SyncSides, localOf, planSync, syncSides } from './syncplan';
import { Limit, TransferOptions, asItem } from './run';
import { uriOfKey } from '../s3/places';
import { CopyOptions, serverCopy } from '../s3/servercopy';

/** A sync's options: transfers', and server-side copies' for EOS -> EOS. */
export type SyncOptions = TransferOptions & { copy: CopyOptions };

/** Check a sync and start it as a job. */
export async function startSync(
  store: EosStore,
  jobs: Jobs,
  request: SyncRequest,
  options: SyncOptions,
  rerun: () => Promise<Job>,
  signal?: AbortSignal
): Promise<Job> {
  const sides = await syncSides(store, options.rootDir, request);
  signal?.throwIfAborted();
  const [source, destination] =
    sides.direction === 'eos'
      ? [sides.source.uri, sides.remote.uri]
      : sides.direction === 'upload'
        ? [sides.localShown, sides.remote.uri]
        : [sides.remote.uri, sides.localShown];
  return jobs.start({ kind: 'sync', sources: [source], destination, request, rerun }, async ctx => {
    const full = await planSync(store, options.rootDir, sides, request, ctx.signal);
    const { progress, signal } = ctx;
    progress.objects.total = full.copy.length + full.delete.length;
    progress.bytes.total = full.plan.bytes;
    // Source items that cannot be copied fail by name, as a download's or copy's do (never left out silently).
    const from = sides.direction === 'eos' ? sides.source : sides.remote;
    for (const item of full.failed) {
      ctx.fail(uriOfKey(from, item.key!), item.error);
    }
    await (sides.direction === 'eos'
      ? copyOnServer(store, options.copy, sides, full, ctx)
      : runCopies(store, options, sides, full, ctx));
    if (full.delete.length > 0 && !signal.aborted) {
      await runDeletes(store, options, sides, full, ctx);
    }
  });
}

/** EOS -> EOS: each object copied server-side (no byte through the service). */
async function copyOnServer(
  store: EosStore,
  options: CopyOptions,
  sides: EosSyncSides,
  full: FullPlan,
  ctx: JobContext
): Promise<void> {
  const { progress, signal } = ctx;
  const { source, remote } = sides;
  await forEachConcurrent(full.copy, options.concurrency, signal, async (item, itemSignal) => {
    const dstKey = remote.key + item.rel;
    const uri = uriOfKey(remote, dstKey);
    progress.current = uri;
    await asItem(ctx, uri, async () => {
      const task = {
        srcBucket: source.bucket,
        srcKey: item.key!,
        size: item.size,
        etag: item.etag,
        dstBucket: remote.bucket,
        dstKey,
        uri,
        mustNotExist: item.reason === 'new'
      };
      await serverCopy(store, task, options, itemSignal);
      progress.objects.done++;
      progress.bytes.done += item.size;
    });
  });
}

/** Local <-> EOS: uploads or downloads. */
async function runCopies(
  store: EosStore,
  options: TransferOptions,
  sides: LocalSyncSides,
  full: FullPlan,
  ctx: JobContext
): Promise<void> {
  const { progress, signal } = ctx;
  const root = options.rootDir;
  const onBytes = (n: number) => (progress.bytes.done += n);
  const big = new Limit(options.bigFilesInFlight);
  const { remote } = sides;
  const held = new HeldDownloads(diskOf(options), onBytes);
  const verified = (outcome: Verification) => tally(progress, outcome);
  // Downloads raise their files in flight while the rate grows (uploads: fixed).
  const inFlight = sides.direction === 'download' ? filesInFlight(options) : options.filesInFlight;
  await forEachConcurrent(held.take(full.copy), inFlight, signal, async (item, itemSignal) => {
    if (typeof inFlight !== 'number') {
      inFlight.size(item.size);
    }
    const uri = uriOfKey(remote, remote.key + item.rel);
    const shown = sides.direction === 'upload' ? relativeTo(root, item.abs!) : uri;
    progress.current = shown;
    await asItem(ctx, shown, async () => {
      const run = (work: () => Promise<unknown>) => (item.size >= options.partSize ? big.run(work) : work());
      if (sides.direction === 'upload') {
        const task = {
          abs: item.abs!,
          shown,
          size: item.size,
          mtimeMs: item.modifiedMs,
          bucket: remote.bucket,
          key: remote.key + item.rel,
          uri,
          contentType: contentTypeOf(path.basename(item.rel)),
          mustNotExist: item.reason === 'new',
          verified
        };
        await run(() => putFile(store, ctx, task, options, onBytes, itemSignal));
      } else {
        const final = localOf(sides, item.rel);
        await mkdirInside(root, path.dirname(final));
        const place = item.reason === 'new' ? ('new' as const) : ('overwrite' as const);
        // The local file names it in messages of the disk (full, no permission).
        const local = relativeTo(root, final);
        const task = {
          bucket: remote.bucket,
          key: item.key!,
          uri,
          size: item.size,
          etag: item.etag,
          final,
          shown: local,
          place,
          jobId: ctx.id,
          verified
        };
        // Its space held while it is written; the disk gauge counts it at once and measures again soon.
        const got = (n: (bytes: number) => void) =>
          run(() => getFile(store, task, options, n, itemSignal, ctx.openPartial));
        if (!(await held.get(path.dirname(final), item.size, local, got))) {
          return;
        }
      }
      progress.objects.done++;
    });
  });
  held.finish();
}

/** Delete what the destination has and the source does not. */
async function runDeletes(
  store: EosStore,
  options: TransferOptions,
  sides: SyncSides,
  full: FullPlan,
  ctx: JobContext
): Promise<void> {
  const { progress, signal } = ctx;
  const root = options.rootDir;
  if (sides.direction !== 'download') {
    const deleter = new Deleter(store, sides.remote.bucket, keys => (progress.objects.done += keys.length));
    await asItem(ctx, sides.remote.uri, async () => {
      for (const item of full.delete) {
        await deleter.add({ key: item.key!, size: item.size, uri: uriOfKey(sides.remote, item.key!) }, signal);
      }
      await deleter.flush(signal);
    });
    return;
  }
  for (const item of full.delete) {
    const shown = relativeTo(root, item.abs!);
    await asItem(ctx, shown, async () => {
      signal.throwIfAborted();
      await assertRealInside(root, path.dirname(item.abs!), shown);
      await fsp.rm(item.abs!).catch(err => {
        throw localError(err, shown);
      });
      options.disk?.changed?.(-item.size, item.abs!);
      progress.objects.done++;
    });
  }
}

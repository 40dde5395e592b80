/**
 * `copy` and `move`: server-side, folders recursively, several objects in
 * flight. A move deletes each source object only after its copy succeeded,
 * so a failure or a cancel never loses an object: whatever was not copied
 * yet is still at the source.
 */
import {
  ConflictPolicy,
  CopyRequest,
  EosError,
  EosPath,
  Job,
  assertWritable,
  basename,
  child,
  formatEosUri,
  isFolder
} from '../../../core';
import { EosStore, objectExists } from '../s3/store';
import { Deleter } from '../s3/batches';
import { JobContext, Jobs } from '../jobs/jobs';
import { CopyOptions, CopyTask, serverCopy } from '../s3/servercopy';
import { forEachConcurrent } from '../jobs/pool';
import { alreadyCopied } from './resume';
import { decideObject } from '../transfer/conflicts';
import { mustStream, streamAfter, streamCopy } from '../transfer/streamcopy';
import { TransferOptions } from '../transfer/run';
import {
  Item,
  Place,
  detailLines,
  placeOf,
  refuseChange,
  refuseListsOfRoots,
  resolveItem,
  unique,
  uriOfKey
} from '../s3/places';

/** How a copy job copies: server-side, and streamed when S3 cannot copy (a source outside EOS). */
export interface CopyJobOptions extends CopyOptions {
  /** How a copy that cannot be server-side is streamed: part size and parts in flight. */
  stream: Pick<TransferOptions, 'partSize' | 'partsInFlight'>;
}

/** One source and where it goes. */
interface Pair {
  source: Item;
  target: Place;
}

/** What a copy job keeps to be started again: its request, and when its first run started. */
export type CopyRerun = CopyRequest & { since?: string };

/**
 * Check a copy or move and start it as a job. Refusals come synchronously:
 * read-only destinations (and a move's read-only sources) and roots before any
 * S3 call; then missing sources, a folder copied into itself, and (policy
 * `fail`) targets that already exist.
 *
 * A retry (`request.since`, when the first run started) copies only what the
 * first run did not (`alreadyCopied`); a move's retry deletes the sources of
 * copies already made. `rerun` starts the request again (makes the job retryable).
 */
export async function startCopy(
  store: EosStore,
  jobs: Jobs,
  request: CopyRerun,
  options: CopyJobOptions,
  rerun?: (again: CopyRerun) => Promise<Job>,
  signal?: AbortSignal
): Promise<Job> {
  const since = request.since;
  const move = request.move ?? false;
  const conflict: ConflictPolicy = request.conflict ?? 'fail';
  const destination = store.locate(request.destination);
  assertWritable(destination, store.ctx);
  const sources = unique(
    request.sources.map(u => store.locate(u)),
    p => JSON.stringify(p)
  );
  for (const source of sources) {
    if (move) {
      refuseChange(source, store, 'move');
    } else {
      refuseListsOfRoots(source, 'copy');
      if (source.key === '') {
        throw new EosError(
          'InvalidRequest',
          `Cannot copy ${formatEosUri(source)}: it is a root; copy the folders in it`
        );
      }
    }
  }
  const intoFolder = isFolder(destination);
  if (!intoFolder && sources.length !== 1) {
    throw new EosError(
      'InvalidRequest',
      `Copying ${sources.length} items needs a destination folder ending in '/', not ${formatEosUri(destination)}`
    );
  }
  const pairs: Pair[] = [];
  for (const path of sources) {
    const source = await resolveItem(store, path, signal);
    pairs.push({ source, target: placeOf(targetPath(source, destination, intoFolder), store) });
  }
  checkPairs(pairs);
  if (conflict === 'fail' && since === undefined) {
    await refuseExisting(store, pairs, signal);
  }
  // Set before the job starts, so it is at or before any copy the run makes.
  const again: CopyRerun = { ...request, since: since ?? new Date().toISOString() };
  return jobs.start(
    {
      kind: move ? 'move' : 'copy',
      sources: pairs.map(p => p.source.uri),
      destination: formatEosUri(destination),
      request: again,
      rerun: rerun && (() => rerun(again))
    },
    ctx => runCopy(store, pairs, { ...options, move, conflict, since }, ctx)
  );
}

/** Where a source goes: into the destination folder under its own name, or renamed. */
function targetPath(source: Item, destination: EosPath, intoFolder: boolean): EosPath {
  if (intoFolder) {
    return child(destination, basename(source.path), source.kind);
  }
  return source.kind === 'folder' ? { ...destination, key: `${destination.key}/` } : destination;
}

/**
 * Refuse copying onto itself, a folder into itself or over a folder holding
 * it (its copies would overwrite objects not yet copied), a source inside
 * another, and two sources onto one target.
 */
function checkPairs(pairs: Pair[]): void {
  const targets = new Set<string>();
  for (const { source, target } of pairs) {
    const sameBucket = source.bucket === target.bucket;
    if (sameBucket && source.key === target.key) {
      throw new EosError('InvalidRequest', `Cannot copy ${source.uri} onto itself`);
    }
    if (sameBucket && source.kind === 'folder' && target.key.startsWith(source.key)) {
      throw new EosError('InvalidRequest', `Cannot copy the folder ${source.uri} into itself (${target.uri})`);
    }
    if (sameBucket && source.kind === 'folder' && source.key.startsWith(target.key)) {
      throw new EosError('InvalidRequest', `Cannot copy the folder ${source.uri} over ${target.uri}, which holds it`);
    }
    const holder = pairs.find(
      p =>
        p.source !== source &&
        p.source.kind === 'folder' &&
        p.source.bucket === source.bucket &&
        source.key.startsWith(p.source.key)
    );
    if (holder) {
      throw new EosError('InvalidRequest', `${source.uri} is inside ${holder.source.uri}, which is copied too`);
    }
    if (targets.has(target.uri)) {
      throw new EosError('InvalidRequest', `Two sources would both be copied to ${target.uri}`);
    }
    targets.add(target.uri);
  }
}

/** Policy `fail`: refuse (`Conflict`) when any top-level target exists. */
async function refuseExisting(store: EosStore, pairs: Pair[], signal?: AbortSignal): Promise<void> {
  const existing: string[] = [];
  for (const { source, target } of pairs) {
    const exists =
      source.kind === 'folder'
        ? await store.hasKeysUnder(target.bucket, target.key, target.uri, signal)
        : await objectExists(store, target.bucket, target.key, target.uri, signal);
    if (exists) {
      existing.push(target.uri);
    }
  }
  if (existing.length > 0) {
    throw new EosError(
      'Conflict',
      existing.length === 1 ? `${existing[0]} already exists` : `${existing.length} targets already exist`,
      detailLines(existing)
    );
  }
}

/** Every object to copy, streamed: a folder's objects are listed as the work proceeds. */
async function* tasksOf(
  store: EosStore,
  pairs: Pair[],
  signal: AbortSignal,
  counted: (size: number) => void
): AsyncGenerator<SourcedTask> {
  for (const { source, target } of pairs) {
    if (source.kind === 'object') {
      counted(source.size);
      yield task(source, source.key, source.size, source.etag, target, target.key);
      continue;
    }
    for await (const o of store.walk(source.bucket, source.key, source.uri, signal)) {
      counted(o.size);
      yield task(source, o.key, o.size, o.etag, target, target.key + o.key.slice(source.key.length));
    }
  }
}

/** A copy of one object, and the source's URI (for a move's delete). */
type SourcedTask = CopyTask & { srcUri: string; target: Place };

function task(
  source: Place,
  srcKey: string,
  size: number,
  etag: string | undefined,
  target: Place,
  dstKey: string
): SourcedTask {
  return {
    srcBucket: source.bucket,
    srcKey,
    srcUri: uriOfKey(source, srcKey),
    target,
    size,
    etag,
    dstBucket: target.bucket,
    dstKey,
    uri: uriOfKey(target, dstKey)
  };
}

async function runCopy(
  store: EosStore,
  pairs: Pair[],
  options: CopyJobOptions & { move: boolean; conflict: ConflictPolicy; since?: string },
  ctx: JobContext
): Promise<void> {
  const { progress, signal } = ctx;
  const deleters = new Map<string, Deleter>();
  const deleterFor = (bucket: string) => {
    let d = deleters.get(bucket);
    if (d === undefined) {
      d = new Deleter(store, bucket);
      deleters.set(bucket, d);
    }
    return d;
  };
  let listed = 0;
  let listedBytes = 0;
  const counted = (size: number) => {
    listed++;
    listedBytes += size;
  };
  // Totals are known once the listing is done; `done + skipped` then reaches them.
  const tasks = (async function* () {
    yield* tasksOf(store, pairs, signal, counted);
    progress.objects.total = listed;
    progress.bytes.total = listedBytes;
  })();
  let copied = false;
  try {
    await forEachConcurrent(tasks, options.concurrency, signal, async (t, taskSignal) => {
      if (options.since !== undefined && (await alreadyCopied(store, t, options.conflict, options.since, taskSignal))) {
        // Copied by an earlier run: counted as done; a move's source may still be there.
        progress.objects.done++;
        progress.bytes.done += t.size;
        if (options.move) {
          await deleterFor(t.srcBucket).add({ key: t.srcKey, size: t.size, uri: t.srcUri }, taskSignal);
        }
        return;
      }
      if (options.conflict === 'skip' || options.conflict === 'ask' || options.conflict === 'keep-both') {
        const facts = { shown: t.srcUri, size: t.size };
        const decided = await decideObject(store, ctx, options.conflict, t.target, t.dstKey, facts, taskSignal);
        if (decided === null) {
          progress.skipped++;
          return;
        }
        t = { ...t, dstKey: decided.key, uri: decided.uri, mustNotExist: decided.mustNotExist };
      } else {
        // 'fail' checked every target before the job; 'overwrite' replaces.
        t = { ...t, mustNotExist: options.conflict === 'fail' };
      }
      if (mustStream(store, t)) {
        await streamCopy(store, { ...ctx, signal: taskSignal }, t, options.stream, n => (progress.bytes.done += n));
      } else {
        try {
          await serverCopy(store, t, options, taskSignal);
        } catch (err) {
          if (!streamAfter(store, t, err)) {
            throw err;
          }
          await streamCopy(store, { ...ctx, signal: taskSignal }, t, options.stream, n => (progress.bytes.done += n));
          progress.bytes.done -= t.size; // counted below as for a server-side copy
        }
        progress.bytes.done += t.size;
      }
      progress.objects.done++;
      if (options.move) {
        // Only now that its copy exists may the source go.
        await deleterFor(t.srcBucket).add({ key: t.srcKey, size: t.size, uri: t.srcUri }, taskSignal);
      }
    });
    copied = true;
  } finally {
    // Sources already copied are deleted even after a failure or a cancel:
    // their copies are complete. Not under the job's signal, which may have fired.
    for (const d of deleters.values()) {
      await (copied ? d.flush() : d.flush().catch(() => undefined));
    }
  }
}

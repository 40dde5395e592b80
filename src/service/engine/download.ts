/**
 * EOS -> server disk: objects and folders into a local folder of the Jupyter
 * root, many files in flight, big ones in ranges. Keys whose segments cannot
 * be local names (`..`, `.`, empty) are item failures, never written
 * elsewhere; the free space is checked before each file (and up front for the
 * objects named); existing files are never replaced unless the policy says so.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ConflictChoice, ConflictPolicy, EosError, Job, TransferRequest, basename } from '../../core';
import { EosStore } from './store';
import { DiskMonitor } from './disk';
import { GetTask, getFile } from './getfile';
import { JobContext, Jobs } from './jobs';
import { assertRealInside, keySegments, localError, relativeTo, resolveLocal } from './local';
import { forEachConcurrent } from './pool';
import { Item, refuseListsOfRoots, resolveItem, uriOfKey } from './targets';
import { DiskSpace, Limit, Totals, TransferOptions, asItem, MAX_NAMED_CONFLICTS, refuseIfAny } from './transfer';

/** A source and the local path it becomes. */
interface Pair {
  source: Item;
  /** Absolute local path of the file, or of the folder the source's objects go into. */
  local: string;
}

/** One object to download, or why it cannot be. */
type DownEntry =
  | { kind: 'object'; bucket: string; key: string; uri: string; size: number; etag?: string; local: string }
  | { kind: 'folder'; local: string; uri: string }
  | { kind: 'error'; uri: string; error: EosError };

/** Check a download and start it as a job. */
export async function startDownload(
  store: EosStore,
  jobs: Jobs,
  request: TransferRequest,
  options: TransferOptions,
  rerun: () => Promise<Job>,
  signal?: AbortSignal
): Promise<Job> {
  const root = options.rootDir;
  const conflict = request.conflict ?? 'ask';
  const destination = await resolveLocal(root, request.destination);
  const st = await fsp.stat(destination).catch(err => {
    throw localError(err, request.destination);
  });
  if (!st.isDirectory()) {
    throw new EosError('InvalidRequest', `The destination ${JSON.stringify(request.destination)} is not a folder`);
  }
  const paths = request.sources.map(u => store.locate(u));
  paths.forEach(p => refuseListsOfRoots(p, 'download'));
  const pairs: Pair[] = [];
  for (const p of paths) {
    const source = await resolveItem(store, p, signal);
    const name = basename(source.path);
    keySegments(name);
    const local = path.join(destination, name);
    if (pairs.some(q => q.local === local)) {
      throw new EosError('InvalidRequest', `Two sources would both be downloaded to ${relativeTo(root, local)}`);
    }
    pairs.push({ source, local });
  }
  if (conflict === 'fail') {
    await refuseExisting(store, root, pairs, signal);
  }
  const needed = pairs.filter(p => p.source.kind === 'object').reduce((n, p) => n + p.source.size, 0);
  await diskOf(options).checkSpace(destination, needed, relativeTo(root, destination) || 'the Jupyter root');
  return jobs.start(
    {
      kind: 'download',
      sources: pairs.map(p => p.source.uri),
      destination: relativeTo(root, destination),
      request,
      rerun
    },
    ctx => runDownload(store, options, pairs, conflict, ctx)
  );
}

/**
 * The disk check of a transfer: the engine's `DiskMonitor` (so quota mode
 * counts), else one over `options.statfs` in filesystem mode.
 */
export function diskOf(options: TransferOptions): DiskSpace {
  return options.disk ?? new DiskMonitor({ rootDir: options.rootDir, statfs: options.statfs, mode: 'filesystem' });
}

/** Every object to download with its local path, streamed (a folder's listing page by page). */
export async function* downloadEntries(
  store: EosStore,
  pairs: Pair[],
  signal?: AbortSignal
): AsyncGenerator<DownEntry> {
  for (const { source, local } of pairs) {
    if (source.kind === 'object') {
      const { bucket, key, uri, size, etag } = source;
      yield { kind: 'object', bucket, key, uri, size, etag, local };
      continue;
    }
    yield { kind: 'folder', local, uri: source.uri };
    for await (const o of store.walk(source.bucket, source.key, source.uri, signal)) {
      const uri = uriOfKey(source, o.key);
      const rel = o.key.slice(source.key.length);
      if (rel === '') {
        continue; // the folder's own marker
      }
      try {
        const { segments, folder } = keySegments(rel);
        const target = path.join(local, ...segments);
        yield folder
          ? { kind: 'folder', local: target, uri }
          : { kind: 'object', bucket: source.bucket, key: o.key, uri, size: o.size, etag: o.etag, local: target };
      } catch (err) {
        yield { kind: 'error', uri, error: err as EosError };
      }
    }
  }
}

/** Policy `fail`: refuse (`Conflict`, naming up to 20) when any local target exists. */
async function refuseExisting(store: EosStore, root: string, pairs: Pair[], signal?: AbortSignal): Promise<void> {
  const existing: string[] = [];
  for (const pair of pairs) {
    if (!(await exists(pair.local))) {
      continue;
    }
    if (pair.source.kind === 'object') {
      existing.push(relativeTo(root, pair.local));
      continue;
    }
    for await (const e of downloadEntries(store, [pair], signal)) {
      if (e.kind === 'object' && (await exists(e.local))) {
        existing.push(relativeTo(root, e.local));
        if (existing.length > MAX_NAMED_CONFLICTS) {
          break;
        }
      }
    }
  }
  refuseIfAny(existing);
}

async function exists(abs: string): Promise<boolean> {
  return fsp.lstat(abs).then(
    () => true,
    () => false
  );
}

/** Create a folder (and its parents) inside the root; refuses one whose real place is outside. */
export async function mkdirInside(root: string, dir: string): Promise<void> {
  await assertRealInside(root, dir, relativeTo(root, dir));
  try {
    await fsp.mkdir(dir, { recursive: true });
  } catch (err) {
    throw localError(err, relativeTo(root, dir));
  }
  await assertRealInside(root, dir, relativeTo(root, dir));
}

async function runDownload(
  store: EosStore,
  options: TransferOptions,
  pairs: Pair[],
  conflict: ConflictPolicy,
  ctx: JobContext
): Promise<void> {
  const { progress, signal } = ctx;
  const root = options.rootDir;
  const totals = new Totals(progress);
  const entries = totals.count(downloadEntries(store, pairs, signal), e => (e.kind === 'object' ? e.size : null));
  const big = new Limit(options.bigFilesInFlight);
  await forEachConcurrent(entries, options.filesInFlight, signal, async (e, itemSignal) => {
    if (e.kind === 'error') {
      ctx.fail(e.uri, e.error);
      return;
    }
    if (e.kind === 'folder') {
      await asItem(ctx, e.uri, () => mkdirInside(root, e.local));
      return;
    }
    await asItem(ctx, e.uri, async () => {
      const shown = relativeTo(root, e.local);
      progress.current = e.uri;
      const dir = path.dirname(e.local);
      await mkdirInside(root, dir);
      const place = await decideLocal(ctx, conflict, e, shown);
      if (place === null) {
        totals.skip(e.size);
        return;
      }
      const disk = diskOf(options);
      await disk.checkSpace(dir, e.size, shown);
      const task: GetTask = { ...e, final: e.local, shown, place };
      const get = () => getFile(store, task, options, n => (progress.bytes.done += n), itemSignal);
      await (e.size > options.partSize ? big.run(get) : get());
      disk.changed?.(e.size);
      progress.objects.done++;
    });
  });
}

/** How a file is placed under the policy, or null to skip it. */
async function decideLocal(
  ctx: JobContext,
  policy: ConflictPolicy,
  e: { uri: string; size: number; local: string },
  shown: string
): Promise<GetTask['place'] | null> {
  if (policy === 'overwrite') {
    return 'overwrite';
  }
  const st = await fsp.lstat(e.local).catch(() => null);
  if (st === null) {
    return 'new';
  }
  if (st.isDirectory()) {
    throw new EosError('Conflict', `${JSON.stringify(shown)} is a folder on the server's disk`);
  }
  let choice: ConflictChoice;
  if (policy === 'fail') {
    throw new EosError('Conflict', `${JSON.stringify(shown)} already exists`);
  } else if (policy === 'ask') {
    choice = await ctx.ask({
      target: shown,
      source: e.uri,
      sourceSize: e.size,
      targetSize: st.size,
      targetModified: st.mtime.toISOString()
    });
  } else {
    choice = policy;
  }
  return choice === 'skip' ? null : choice === 'overwrite' ? 'overwrite' : 'keep-both';
}

/**
 * EOS -> server disk: objects and folders into a local folder of the Jupyter
 * root, many files in flight, big ones in ranges. Keys whose segments cannot
 * be local names (`..`, `.`, empty) are item failures, never written
 * elsewhere; the free space is checked before each file (and up front for the
 * objects named); existing files are never replaced unless the policy says so.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ConflictChoice, ConflictPolicy, EosError, Job, basename } from '../../../core';
import { EosStore } from '../s3/store';
import { DiskMonitor, DiskSpace } from '../local/disk';
import { HeldDownloads } from './heldspace';
import { GetTask, getFile } from './getfile';
import { tally } from './checksum';
import { JobContext, Jobs } from '../jobs/jobs';
import { assertRealInside, keySegments, localError, relativeTo, resolveLocal } from '../local/confine';
import { forEachConcurrent } from '../jobs/pool';
import { filesInFlight } from '../jobs/inflight';
import { Item, refuseChange, refuseListsOfRoots, resolveItem, uriOfKey } from '../s3/places';
import { DownloadedSources } from './downloadmove';
import {
  Limit,
  NamedTransferRequest,
  Totals,
  TransferOptions,
  asItem,
  MAX_NAMED_CONFLICTS,
  PRECHECK_LIMIT,
  filterOf,
  refuseIfAny,
  requestedName
} from './run';

/** A source and the local path it becomes. */
export interface Pair {
  source: Item;
  /** Absolute local path of the file, or of the folder the source's objects go into. */
  local: string;
}

/** One object to download, or why it cannot be. */
export type DownEntry =
  | {
      kind: 'object';
      bucket: string;
      key: string;
      uri: string;
      size: number;
      etag?: string;
      local: string;
      /** Other keys of the download lie under this one's name (`data` and `data/x`): its local path is their folder. */
      clash?: boolean;
    }
  | {
      kind: 'folder';
      local: string;
      uri: string;
      bucket: string;
      /** The folder's key prefix (its marker's key, when it has one). */
      key: string;
    }
  | { kind: 'error'; uri: string; error: EosError };

/** How a download or its preview asks what to do with an existing target (policy `ask`). */
export type AskLocal = (question: Parameters<JobContext['ask']>[0]) => Promise<ConflictChoice>;

/** Check a download and start it as a job. */
export async function startDownload(
  store: EosStore,
  jobs: Jobs,
  request: NamedTransferRequest,
  options: TransferOptions,
  rerun: () => Promise<Job>,
  signal?: AbortSignal
): Promise<Job> {
  const root = options.rootDir;
  const keep = filterOf(request.filters);
  const conflict = request.conflict ?? 'ask';
  refuseMovingOut(store, request);
  const { destination, pairs } = await downloadPairs(store, root, request, signal);
  if (conflict === 'fail') {
    await refuseExisting(store, root, pairs, keep, signal);
  }
  const needed = pairs
    .filter(p => p.source.kind === 'object' && keep(basename(p.source.path)))
    .reduce((n, p) => n + p.source.size, 0);
  await diskOf(options).checkSpace(destination, needed, relativeTo(root, destination) || 'the Jupyter root');
  return jobs.start(
    {
      kind: 'download',
      sources: pairs.map(p => p.source.uri),
      destination: relativeTo(root, destination),
      request,
      rerun
    },
    ctx => runDownload(store, options, pairs, { conflict, keep, move: request.move === true }, ctx)
  );
}

/** A move's sources must be deletable: refuse (`ReadOnly`) any in a read-only place, before any S3 call. */
export function refuseMovingOut(store: EosStore, request: NamedTransferRequest): void {
  if (request.move && request.kind === 'download') {
    request.sources.forEach(u => refuseChange(store.locate(u), store, 'move'));
  }
}

/**
 * A download's local destination folder (absolute) and each source with the
 * local path it becomes; refuses a destination that is no folder, lists of
 * roots, missing sources and two sources landing on one path.
 */
export async function downloadPairs(
  store: EosStore,
  root: string,
  request: NamedTransferRequest,
  signal?: AbortSignal
): Promise<{ destination: string; pairs: Pair[] }> {
  const newName = requestedName(request);
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
    if (newName === '' && source.kind !== 'folder') {
      throw new EosError('InvalidRequest', `${source.uri} is an object: it needs a name at the destination`);
    }
    const name = newName ?? basename(source.path);
    if (name !== '') {
      keySegments(name);
    }
    const local = path.join(destination, name);
    if (pairs.some(q => q.local === local)) {
      throw new EosError('InvalidRequest', `Two sources would both be downloaded to ${relativeTo(root, local)}`);
    }
    pairs.push({ source, local });
  }
  return { destination, pairs };
}

/**
 * The disk check of a transfer: the engine's `DiskMonitor` (so quota mode
 * counts), else one over `options.statfs` in filesystem mode.
 */
export function diskOf(options: TransferOptions): DiskSpace {
  return options.disk ?? new DiskMonitor({ rootDir: options.rootDir, statfs: options.statfs, mode: 'filesystem' });
}

/**
 * Every object to download with its local path, streamed (a folder's listing
 * page by page); `keep` filters by the key relative to its source folder (a
 * single object: its name).
 */
export async function* downloadEntries(
  store: EosStore,
  pairs: Pair[],
  signal?: AbortSignal,
  keep: (rel: string) => boolean = () => true
): AsyncGenerator<DownEntry> {
  for (const { source, local } of pairs) {
    if (source.kind === 'object') {
      if (!keep(basename(source.path))) {
        continue;
      }
      const { bucket, key, uri, size, etag } = source;
      yield { kind: 'object', bucket, key, uri, size, etag, local };
      continue;
    }
    yield { kind: 'folder', local, uri: source.uri, bucket: source.bucket, key: source.key };
    // Objects whose name may still turn out to be a folder of later keys (keys come sorted:
    // `data`, then `data.txt`, `data-1`..., then `data/x`).
    let pending: (DownEntry & { kind: 'object'; rel: string })[] = [];
    for await (const o of store.walk(source.bucket, source.key, source.uri, signal)) {
      const uri = uriOfKey(source, o.key);
      const rel = o.key.slice(source.key.length);
      if (rel === '' || !keep(rel)) {
        continue; // the folder's own marker, or filtered out
      }
      let entry: DownEntry;
      try {
        const { segments, folder } = keySegments(rel);
        const target = path.join(local, ...segments);
        entry = folder
          ? { kind: 'folder', local: target, uri, bucket: source.bucket, key: o.key }
          : { kind: 'object', bucket: source.bucket, key: o.key, uri, size: o.size, etag: o.etag, local: target };
      } catch (err) {
        yield { kind: 'error', uri, error: err as EosError };
        continue;
      }
      const still: typeof pending = [];
      for (const p of pending) {
        if (rel.startsWith(`${p.rel}/`)) {
          yield { ...p, clash: true };
        } else if (rel.startsWith(p.rel) && rel[p.rel.length] < '/') {
          still.push(p);
        } else {
          yield p; // no later key can lie under it
        }
      }
      pending = still;
      if (entry.kind === 'object') {
        pending.push({ ...entry, rel });
      } else {
        yield entry;
      }
    }
    yield* pending;
  }
}

/** Policy `fail`: refuse (`Conflict`, naming up to 20) when any local target exists. */
export async function refuseExisting(
  store: EosStore,
  root: string,
  pairs: Pair[],
  keep: (rel: string) => boolean,
  signal?: AbortSignal
): Promise<void> {
  const existing: string[] = [];
  for (const pair of pairs) {
    if (!(await exists(pair.local))) {
      continue;
    }
    if (pair.source.kind === 'object') {
      if (keep(basename(pair.source.path))) {
        existing.push(relativeTo(root, pair.local));
      }
      continue;
    }
    let looked = 0;
    for await (const e of downloadEntries(store, [pair], signal, keep)) {
      if (++looked > PRECHECK_LIMIT) {
        break; // the job refuses the others one by one
      }
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

/**
 * Create a folder (and its parents) inside the root; refuses one whose real
 * place is outside. Answers whether this call made `dir` (then it is empty).
 */
export async function mkdirInside(root: string, dir: string): Promise<boolean> {
  await assertRealInside(root, dir, relativeTo(root, dir));
  let first: string | undefined;
  try {
    first = await fsp.mkdir(dir, { recursive: true });
  } catch (err) {
    throw localError(err, relativeTo(root, dir));
  }
  await assertRealInside(root, dir, relativeTo(root, dir));
  return first !== undefined;
}

/** How a download runs: the policy for existing files, the filter, and whether it moves. */
interface DownloadRun {
  conflict: ConflictPolicy;
  keep: (rel: string) => boolean;
  move: boolean;
}

async function runDownload(
  store: EosStore,
  options: TransferOptions,
  pairs: Pair[],
  { conflict, keep, move }: DownloadRun,
  ctx: JobContext
): Promise<void> {
  const { progress, signal } = ctx;
  const sources = new DownloadedSources(store);
  const root = options.rootDir;
  const totals = new Totals(progress);
  const entries = totals.count(downloadEntries(store, pairs, signal, keep), e => (e.kind === 'object' ? e.size : null));
  const big = new Limit(options.bigFilesInFlight);
  // Folders this job has made (and found inside the root): a folder of many
  // files is checked once, not once per file.
  const made = new Set<string>();
  // Folders this job created: nothing was in them, so a file going there needs no look first.
  const fresh = new Set<string>();
  const ensureDir = async (dir: string) => {
    if (!made.has(dir)) {
      if (await mkdirInside(root, dir)) {
        fresh.add(dir);
      }
      made.add(dir);
    }
  };
  const held = new HeldDownloads(diskOf(options), n => (progress.bytes.done += n));
  try {
    const inFlight = filesInFlight(options);
    await forEachConcurrent(held.take(entries), inFlight, signal, async (e, itemSignal) => {
      if (e.kind === 'error') {
        ctx.fail(e.uri, e.error);
        return;
      }
      if (e.kind === 'folder') {
        await asItem(ctx, e.uri, async () => {
          await ensureDir(e.local);
          sources.folders.push(e);
        });
        return;
      }
      if (typeof inFlight !== 'number') {
        inFlight.size(e.size);
      }
      let removed = false;
      await asItem(ctx, e.uri, async () => {
        const shown = relativeTo(root, e.local);
        progress.current = e.uri;
        const dir = path.dirname(e.local);
        await ensureDir(dir);
        if (e.clash) {
          // Its name is the folder of other keys: made first, so the outcome never depends on which runs first.
          await ensureDir(e.local);
        }
        // In a folder this job made no other file is, nor will be (keys are unique): the file is moved
        // into place (one rename, not a link and an unlink) without a look first.
        const place =
          fresh.has(dir) && !e.clash
            ? 'overwrite'
            : await decideLocal(conflict, e, shown, question => ctx.ask(question));
        if (place === null) {
          totals.skip(e.size);
          return;
        }
        const task: GetTask = {
          ...e,
          final: e.local,
          shown,
          place,
          jobId: ctx.id,
          verified: outcome => tally(progress, outcome)
        };
        const fetched = await held.get(dir, e.size, shown, onBytes => {
          const get = () => getFile(store, task, options, onBytes, itemSignal, ctx.openPartial);
          return e.size > options.partSize ? big.run(get) : get();
        });
        if (!fetched) {
          return;
        }
        progress.objects.done++;
        if (move) {
          // Written whole, its size checked and every byte from the one ETag: the source may go.
          await sources.remove(e, itemSignal);
          removed = true;
        }
      });
      if (move && !removed) {
        sources.keep(e.uri); // skipped, refused or failed
      }
    });
    held.finish();
  } catch (err) {
    // Files already in place after a failure or cancel: their sources go all the same (not under the job's signal).
    await sources.flush().catch(() => undefined);
    throw err;
  }
  if (move) {
    await sources.finish(ctx, pairs.map(p => p.source.uri).join(', '));
  }
}
/**
 * How a file is placed under the policy, or null to skip it; what a download
 * and its preview both decide. A folder where the file would go (one there
 * already, or one this download makes for the keys under the object's name)
 * is never replaced: `keep-both` places the file beside it, `skip` leaves it,
 * `overwrite` and `fail` refuse the file, naming the local folder.
 *
 * @param ask asks the user (policy `ask`); a preview passes none, and `ask` then places the file as `new`
 */
export async function decideLocal(
  policy: ConflictPolicy,
  e: { uri: string; size: number; local: string; clash?: boolean },
  shown: string,
  ask?: AskLocal
): Promise<GetTask['place'] | null> {
  const st = await fsp.lstat(e.local).catch(() => null);
  const folder = e.clash === true || st?.isDirectory() === true;
  if (st === null && !folder) {
    return 'new';
  }
  let choice: ConflictChoice;
  if (policy === 'fail') {
    throw new EosError(
      'Conflict',
      `${JSON.stringify(shown)} already exists${folder ? " as a folder on the server's disk" : ''}`
    );
  } else if (policy === 'ask') {
    if (ask === undefined) {
      return 'new';
    }
    choice = await ask({
      target: shown,
      source: e.uri,
      sourceSize: e.size,
      targetSize: folder ? undefined : st?.size,
      targetModified: st?.mtime.toISOString()
    });
  } else {
    choice = policy;
  }
  if (choice === 'overwrite' && folder) {
    throw new EosError(
      'Conflict',
      `${JSON.stringify(shown)} is a folder on the server's disk: a file cannot replace it (keep both or skip)`
    );
  }
  return choice === 'skip' ? null : choice;
}

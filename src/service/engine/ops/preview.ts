/**
 * What a transfer or delete would do, item by item, computed without
 * changing anything (the command line's `--dryrun`). The same refusals come
 * first as when the work starts: read-only places, roots and local paths
 * outside the root before any S3 call.
 */
import { ApiError, CopyRequest, DeleteRequest, EosError, assertWritable, basename, isFolder } from '../../../core';
import { EosStore } from '../s3/store';
import {
  decideLocal,
  downloadEntries,
  downloadPairs,
  refuseExisting as refuseLocal,
  refuseMovingOut
} from '../transfer/download';
import { relativeTo } from '../local/confine';
import { decideObject } from '../transfer/conflicts';
import { refuseChange, refuseListsOfRoots, resolveItem, uriOfKey } from '../s3/places';
import { NamedTransferRequest, filterOf, requestedName } from '../transfer/run';
import { checkKeyLength, refuseExisting, uploadDestination, uploadEntries, uploadSources } from '../transfer/upload';

/** One file a transfer would write, or one object a delete would remove. */
export interface PreviewItem {
  /** A local path relative to the root, or an `e://` URI. */
  source: string;
  /** Where it would go (transfers only). */
  target?: string;
  size: number;
  /** The target exists and the policy leaves it: the item would be skipped. */
  skipped?: boolean;
  /** Why the item would fail (the transfer goes on with the others, then fails naming it). */
  error?: ApiError;
}

/**
 * Every file an upload or download would write, skip or fail, streamed: the
 * same refusals up front (policy `fail` and existing targets), the same
 * entries and the same decision per file as the transfer itself. Policy `ask`
 * cannot be answered here: such files are listed as written.
 */
export async function* previewTransfer(
  store: EosStore,
  root: string,
  request: NamedTransferRequest,
  signal?: AbortSignal
): AsyncGenerator<PreviewItem> {
  const keep = filterOf(request.filters);
  const conflict = request.conflict ?? 'ask';
  refuseMovingOut(store, request);
  const outcome = async (item: PreviewItem, decide: () => Promise<string | null>): Promise<PreviewItem> => {
    try {
      const target = await decide();
      return target === null ? { ...item, skipped: true } : { ...item, target };
    } catch (err) {
      if (!(err instanceof EosError)) {
        throw err;
      }
      return { ...item, error: { code: err.code, message: err.message } };
    }
  };
  if (request.kind === 'upload') {
    const dest = uploadDestination(store, request.destination);
    const sources = await uploadSources(root, request.sources, dest, requestedName(request));
    if (conflict === 'fail') {
      await refuseExisting(store, root, sources, dest, keep, signal);
    }
    // `fail` refused above when any target exists: no file needs its own HEAD (as a fresh folder's in the upload).
    const policy = conflict === 'ask' || conflict === 'fail' ? 'overwrite' : conflict;
    const ask = async () => 'overwrite' as const;
    for await (const e of uploadEntries(root, sources, signal, keep)) {
      const source = relativeTo(root, e.abs);
      if (e.kind === 'error') {
        yield { source, size: 0, error: { code: e.error.code, message: e.error.message } };
      } else if (e.kind === 'file') {
        const facts = { shown: source, size: e.size };
        yield await outcome({ source, target: uriOfKey(dest, e.key), size: e.size }, async () => {
          checkKeyLength(e.key, source);
          const decided = await decideObject(store, { ask }, policy, dest, e.key, facts, signal ?? neverAborted);
          return decided && decided.uri;
        });
      }
    }
    return;
  }
  const { pairs } = await downloadPairs(store, root, request, signal);
  if (conflict === 'fail') {
    await refuseLocal(store, root, pairs, keep, signal);
  }
  for await (const e of downloadEntries(store, pairs, signal, keep)) {
    if (e.kind === 'error') {
      yield { source: e.uri, size: 0, error: { code: e.error.code, message: e.error.message } };
    } else if (e.kind === 'object') {
      const shown = relativeTo(root, e.local);
      yield await outcome({ source: e.uri, target: shown, size: e.size }, async () =>
        (await decideLocal(conflict, e, shown)) === null ? null : shown
      );
    }
  }
}

const neverAborted = new AbortController().signal;

/**
 * Every object a delete would remove, streamed.
 *
 * @throws EosError `Conflict` for a folder that holds anything without `recursive`, as the delete itself
 */
export async function* previewDelete(
  store: EosStore,
  request: DeleteRequest,
  signal?: AbortSignal
): AsyncGenerator<PreviewItem> {
  const paths = request.uris.map(u => store.locate(u));
  paths.forEach(p => refuseChange(p, store, 'delete'));
  for (const path of paths) {
    const item = await resolveItem(store, path, signal);
    if (item.kind === 'object') {
      yield { source: item.uri, size: item.size };
      continue;
    }
    let inside = false;
    for await (const o of store.walk(item.bucket, item.key, item.uri, signal)) {
      if (o.key !== item.key && !request.recursive) {
        throw new EosError(
          'Conflict',
          `${item.uri} is not empty: delete it with its contents (recursive) or empty it first`
        );
      }
      inside = true;
      yield { source: uriOfKey(item, o.key), size: o.size };
    }
    if (!inside) {
      yield { source: item.uri, size: 0 };
    }
  }
}

/**
 * Every object a server-side copy (or move) of one source would write, with
 * its target, streamed: into a destination ending in `/` under its own name,
 * else as the destination itself (a folder's contents under it).
 */
export async function* previewCopy(
  store: EosStore,
  request: CopyRequest,
  signal?: AbortSignal
): AsyncGenerator<PreviewItem> {
  const destination = store.locate(request.destination);
  assertWritable(destination, store.ctx);
  if (request.sources.length !== 1) {
    throw new EosError('InvalidRequest', 'A copy preview takes one source');
  }
  const path = store.locate(request.sources[0]);
  if (request.move) {
    refuseChange(path, store, 'move');
  } else {
    refuseListsOfRoots(path, 'copy');
  }
  const item = await resolveItem(store, path, signal);
  const base = isFolder(destination) ? `${request.destination}${basename(item.path)}` : request.destination;
  if (item.kind === 'object') {
    yield { source: item.uri, target: base, size: item.size };
    return;
  }
  const folder = base.endsWith('/') ? base : `${base}/`;
  for await (const o of store.walk(item.bucket, item.key, item.uri, signal)) {
    yield { source: uriOfKey(item, o.key), target: folder + o.key.slice(item.key.length), size: o.size };
  }
}

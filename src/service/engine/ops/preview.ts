/**
 * What a transfer or delete would do, item by item, computed without
 * changing anything (the command line's `--dryrun`). The same refusals come
 * first as when the work starts: read-only places, roots and local paths
 * outside the root before any S3 call.
 */
import { CopyRequest, DeleteRequest, EosError, assertWritable, basename, isFolder } from '../../../core';
import { EosStore } from '../s3/store';
import { downloadEntries, downloadPairs } from '../transfer/download';
import { relativeTo } from '../local/confine';
import { refuseChange, refuseListsOfRoots, resolveItem, uriOfKey } from '../s3/places';
import { NamedTransferRequest, filterOf, requestedName } from '../transfer/run';
import { uploadDestination, uploadEntries, uploadSources } from '../transfer/upload';

/** One file a transfer would write, or one object a delete would remove. */
export interface PreviewItem {
  /** A local path relative to the root, or an `e://` URI. */
  source: string;
  /** Where it would go (transfers only). */
  target?: string;
  size: number;
}

/** Every file an upload or download would write, streamed. */
export async function* previewTransfer(
  store: EosStore,
  root: string,
  request: NamedTransferRequest,
  signal?: AbortSignal
): AsyncGenerator<PreviewItem> {
  const keep = filterOf(request.filters);
  if (request.kind === 'upload') {
    const dest = uploadDestination(store, request.destination);
    const sources = await uploadSources(root, request.sources, dest, requestedName(request));
    for await (const e of uploadEntries(root, sources, signal, keep)) {
      if (e.kind === 'error') {
        throw e.error;
      }
      if (e.kind === 'file') {
        yield { source: relativeTo(root, e.abs), target: uriOfKey(dest, e.key), size: e.size };
      }
    }
    return;
  }
  const { pairs } = await downloadPairs(store, root, request, signal);
  for await (const e of downloadEntries(store, pairs, signal, keep)) {
    if (e.kind === 'error') {
      throw e.error;
    }
    if (e.kind === 'object') {
      yield { source: e.uri, target: relativeTo(root, e.local), size: e.size };
    }
  }
}

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

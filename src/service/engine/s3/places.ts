/**
 * What a URI names in S3 (an object or a folder), and the refusals every
 * operation makes before touching S3.
 */
import { EosError, EosPath, StatResponse, assertWritable, formatEosUri, toS3 } from '../../../core';
import { EosStore } from './store';

/** An object or folder that exists, with its S3 location. */
export interface Item {
  kind: 'object' | 'folder';
  /** Canonical; a folder's key ends with '/' (or is '' for a namespace root). */
  path: EosPath;
  uri: string;
  bucket: string;
  /** The object's key, or the folder's key prefix (ending with '/'). */
  key: string;
  /** Objects only. */
  size: number;
  etag?: string;
}

/** A location that may or may not exist yet. */
export interface Place {
  path: EosPath;
  uri: string;
  bucket: string;
  key: string;
}

/** The S3 location of a path. */
export function placeOf(path: EosPath, store: EosStore): Place {
  const { bucket, key } = toS3(path, store.ctx);
  return { path, uri: formatEosUri(path), bucket, key };
}

/**
 * Refuse what has no single S3 location to act on: `e://` and `e://users/`.
 *
 * @throws EosError `InvalidRequest`
 */
export function refuseListsOfRoots(path: EosPath, action: string): void {
  if (path.namespace === null || (path.namespace === 'users' && path.user === null)) {
    throw new EosError(
      'InvalidRequest',
      `Cannot ${action} ${formatEosUri(path)}: it lists namespaces or users, not files`
    );
  }
}

/**
 * Refuse changing `path` itself: read-only places, then any root
 * (`e://`, a namespace, `e://users/`, a user's space).
 *
 * @throws EosError `ReadOnly` or `InvalidRequest`, before any S3 call
 */
export function refuseChange(path: EosPath, store: EosStore, action: string): void {
  assertWritable(path, store.ctx);
  if (path.key === '') {
    throw new EosError('InvalidRequest', `Cannot ${action} ${formatEosUri(path)}: it is a root, not a file or folder`);
  }
}

/**
 * What `uri` names: an object, or a folder (a key without a trailing slash
 * that is no object but has keys under it is that folder).
 *
 * @throws EosError `NotFound` when nothing is there
 */
export async function resolveItem(store: EosStore, path: EosPath, signal?: AbortSignal): Promise<Item> {
  const entry: StatResponse = await store.stat(formatEosUri(path), signal);
  const canonical = store.locate(entry.uri);
  const place = placeOf(canonical, store);
  return {
    kind: entry.kind,
    path: canonical,
    uri: place.uri,
    bucket: place.bucket,
    key: place.key,
    size: entry.size ?? 0,
    etag: entry.etag
  };
}

/** The same URIs once each, in order. */
export function unique<T>(items: T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter(item => {
    const k = keyOf(item);
    if (seen.has(k)) {
      return false;
    }
    seen.add(k);
    return true;
  });
}

/** The `e://` URI of an S3 key in the bucket and under the key prefix of `base`. */
export function uriOfKey(base: Place, key: string): string {
  return formatEosUri({ ...base.path, key: base.path.key + key.slice(base.key.length) });
}

/** Details naming at most `max` lines, saying how many more there were. */
export function detailLines(lines: string[], max = 50): string {
  const shown = lines.slice(0, max);
  if (lines.length > max) {
    shown.push(`... and ${lines.length - max} more`);
  }
  return shown.join('\n');
}

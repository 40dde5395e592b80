/**
 * Building listing entries, and the parts of EOS that exist without S3:
 * `e://` (the namespaces) and the namespace roots.
 */
import {
  Entry,
  EosContext,
  EosError,
  EosPath,
  NAMESPACES,
  NamespaceInfo,
  StatResponse,
  accessOf,
  basename,
  formatEosUri
} from '../../../core';

/** An entry for a folder. */
export function folderEntry(path: EosPath, ctx: EosContext): Entry {
  return { kind: 'folder', name: basename(path), uri: formatEosUri(path), access: accessOf(path, ctx) };
}

/** The S3 fields of an object (from a listing or a HEAD). */
export interface ObjectFacts {
  size?: number;
  modified?: Date;
  storageClass?: string;
  etag?: string;
  contentType?: string;
  contentEncoding?: string;
  cacheControl?: string;
  metadata?: Record<string, string>;
  restore?: string;
  versionId?: string;
}

/** An entry for an object; a HEAD omits the storage class of STANDARD objects. */
export function objectEntry(path: EosPath, ctx: EosContext, facts: ObjectFacts): StatResponse {
  const entry: StatResponse = {
    kind: 'object',
    name: basename(path),
    uri: formatEosUri(path),
    access: accessOf(path, ctx),
    size: facts.size ?? 0,
    storageClass: facts.storageClass ?? 'STANDARD'
  };
  if (facts.modified) {
    entry.modified = facts.modified.toISOString();
  }
  if (facts.etag) {
    entry.etag = facts.etag;
  }
  if (facts.contentType) {
    entry.contentType = facts.contentType;
  }
  if (facts.contentEncoding) {
    entry.contentEncoding = facts.contentEncoding;
  }
  if (facts.cacheControl) {
    entry.cacheControl = facts.cacheControl;
  }
  if (facts.metadata && Object.keys(facts.metadata).length > 0) {
    entry.metadata = { ...facts.metadata };
  }
  if (facts.restore) {
    entry.restore = facts.restore;
  }
  if (facts.versionId && facts.versionId !== 'null') {
    entry.versionId = facts.versionId;
  }
  return entry;
}

/** The paths `e://` lists: `e://users/`, `e://org/`, `e://gencove/`. */
export function namespaceRoots(): EosPath[] {
  return NAMESPACES.map(namespace => ({ namespace, user: null, key: '' }));
}

/** The namespaces as the user browses them (`users` is their own space). */
export function namespaceInfo(ctx: EosContext): NamespaceInfo[] {
  return NAMESPACES.map(name => {
    const root: EosPath = { namespace: name, user: name === 'users' ? 'me' : null, key: '' };
    return { name, uri: formatEosUri(root), access: accessOf(root, ctx) };
  });
}

/**
 * One page of a fixed list of entries; the cursor is the offset of the page.
 *
 * @throws EosError `InvalidRequest` for a cursor that is not such an offset.
 */
export function staticPage(
  entries: Entry[],
  cursor: string | undefined,
  limit: number
): { entries: Entry[]; next: string | null } {
  const start = cursor === undefined ? 0 : /^\d+$/.test(cursor) ? Number(cursor) : NaN;
  if (!Number.isSafeInteger(start) || start > entries.length) {
    throw new EosError('InvalidRequest', `Invalid 'cursor': ${JSON.stringify(cursor)} is not a cursor of this listing`);
  }
  const end = Math.min(start + limit, entries.length);
  return { entries: entries.slice(start, end), next: end < entries.length ? String(end) : null };
}

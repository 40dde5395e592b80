/**
 * `count`: exactly what a delete or move of some URIs would touch.
 */
import { COUNT_LIMIT, CountResponse } from '../../../core';
import { EosStore } from '../s3/store';
import { refuseListsOfRoots, resolveItem, unique } from '../s3/places';

/**
 * Objects and bytes under each URI (the whole subtree, folder markers
 * included; an object counts itself) and how many URIs are folders, up to
 * `limit` objects in all: then `more` (a request must answer within the
 * proxy's 300 s, and a bucket can hold more objects than that lists).
 *
 * @throws EosError `InvalidRequest` for `e://` and `e://users/` (before any
 *   S3 call), `NotFound` for a URI that names nothing
 */
export async function countUris(
  store: EosStore,
  uris: string[],
  signal?: AbortSignal,
  limit = COUNT_LIMIT
): Promise<CountResponse> {
  const paths = unique(
    uris.map(u => store.locate(u)),
    p => JSON.stringify(p)
  );
  paths.forEach(p => refuseListsOfRoots(p, 'count'));
  const total: CountResponse = { objects: 0, bytes: 0, folders: 0, more: false };
  for (const path of paths) {
    const item = await resolveItem(store, path, signal);
    if (item.kind === 'object') {
      total.objects++;
      total.bytes += item.size;
      continue;
    }
    total.folders++;
    if (total.more) {
      continue;
    }
    for await (const o of store.walk(item.bucket, item.key, item.uri, signal)) {
      if (total.objects >= limit) {
        total.more = true;
        break;
      }
      total.objects++;
      total.bytes += o.size;
    }
  }
  return total;
}

/**
 * `count`: exactly what a delete or move of some URIs would touch.
 */
import { CountResponse } from '../../../core';
import { EosStore } from '../s3/store';
import { refuseListsOfRoots, resolveItem, unique } from '../s3/places';

/**
 * Objects and bytes under each URI (the whole subtree, folder markers
 * included; an object counts itself) and how many URIs are folders.
 *
 * @throws EosError `InvalidRequest` for `e://` and `e://users/` (before any
 *   S3 call), `NotFound` for a URI that names nothing
 */
export async function countUris(store: EosStore, uris: string[], signal?: AbortSignal): Promise<CountResponse> {
  const paths = unique(
    uris.map(u => store.locate(u)),
    p => JSON.stringify(p)
  );
  paths.forEach(p => refuseListsOfRoots(p, 'count'));
  const total: CountResponse = { objects: 0, bytes: 0, folders: 0 };
  for (const path of paths) {
    const item = await resolveItem(store, path, signal);
    if (item.kind === 'object') {
      total.objects++;
      total.bytes += item.size;
      continue;
    }
    total.folders++;
    for await (const o of store.walk(item.bucket, item.key, item.uri, signal)) {
      total.objects++;
      total.bytes += o.size;
    }
  }
  return total;
}

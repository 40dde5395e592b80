/**
 * `delete`: objects and (recursively) folders, in DeleteObjects batches,
 * streaming the listing so 100,000 keys never sit in memory.
 */
import { DeleteRequest, EosError, Job } from '../../../core';
import { EosStore } from '../s3/store';
import { Deleter, DoomedKey } from '../s3/batches';
import { JobContext, Jobs } from '../jobs/jobs';
import { Item, refuseChange, resolveItem, unique, uriOfKey } from '../s3/places';

/**
 * Check a delete and start it as a job (retryable with `rerun`). Refusals come
 * synchronously: read-only places and roots before any S3 call; then a URI
 * naming nothing (`NotFound`) and a non-empty folder without `recursive` (`Conflict`).
 */
export async function startDelete(
  store: EosStore,
  jobs: Jobs,
  request: DeleteRequest,
  rerun: () => Promise<Job>,
  signal?: AbortSignal
): Promise<Job> {
  const paths = unique(
    request.uris.map(u => store.locate(u)),
    p => JSON.stringify(p)
  );
  paths.forEach(p => refuseChange(p, store, 'delete'));
  const items: Item[] = [];
  for (const path of paths) {
    const item = await resolveItem(store, path, signal);
    if (item.kind === 'folder' && !request.recursive && (await holdsAnything(store, item, signal))) {
      throw new EosError(
        'Conflict',
        `${item.uri} is not empty: delete it with its contents (recursive) or empty it first`
      );
    }
    items.push(item);
  }
  // A retry is the same request: it deletes what is left (what is gone is no longer listed).
  return jobs.start({ kind: 'delete', sources: items.map(i => i.uri), request, rerun }, ctx =>
    runDelete(store, items, ctx)
  );
}

/** Whether a folder holds anything besides its own marker. */
async function holdsAnything(store: EosStore, folder: Item, signal?: AbortSignal): Promise<boolean> {
  for await (const o of store.walk(folder.bucket, folder.key, folder.uri, signal)) {
    if (o.key !== folder.key) {
      return true;
    }
  }
  return false;
}

async function runDelete(store: EosStore, items: Item[], ctx: JobContext): Promise<void> {
  const { progress, signal } = ctx;
  const deleters = new Map<string, Deleter>();
  const deleterFor = (bucket: string) => {
    let d = deleters.get(bucket);
    if (d === undefined) {
      d = new Deleter(store, bucket, batch => {
        progress.objects.done += batch.length;
        progress.bytes.done += batch.reduce((n, k) => n + k.size, 0);
      });
      deleters.set(bucket, d);
    }
    return d;
  };
  let listed = 0;
  let listedBytes = 0;
  const doom = async (bucket: string, key: DoomedKey) => {
    listed++;
    listedBytes += key.size;
    await deleterFor(bucket).add(key, signal);
  };
  for (const item of items) {
    if (item.kind === 'object') {
      await doom(item.bucket, { key: item.key, size: item.size, uri: item.uri });
      continue;
    }
    for await (const o of store.walk(item.bucket, item.key, item.uri, signal)) {
      await doom(item.bucket, { key: o.key, size: o.size, uri: uriOfKey(item, o.key) });
    }
  }
  progress.objects.total = listed;
  progress.bytes.total = listedBytes;
  for (const d of deleters.values()) {
    await d.flush(signal);
  }
}

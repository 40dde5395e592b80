/**
 * `GET api/events` (the jobs, the folders the service's writes touched, the
 * local disk's changes) and `POST api/changed` (a command line beside the
 * service telling it what it wrote, for the same events).
 */
import * as z from 'zod';
import { ChangedBody, DISK_EVENT, EosError, FOLDERS_EVENT, formatEosUri, isFolder, toS3 } from '../../core';
import { Engine } from '../engine';
import { StreamReply } from './sse';
import { required, uri as uriSchema, validate } from './schemas';

/** The most folders one `api/changed` names (a command line sends more in several). */
export const MAX_CHANGED_FOLDERS = 1000;

const folders = z
  .array(uriSchema, required('an array of folder URIs'))
  .max(MAX_CHANGED_FOLDERS, `may name at most ${MAX_CHANGED_FOLDERS} folders`);

/** `POST api/changed {written, removed, local?}` */
export const ChangedBodySchema = z.strictObject(
  { written: folders, removed: folders, local: z.string(required('a string')).max(4096, 'is too long').optional() },
  { error: 'the body must be a JSON object' }
) satisfies z.ZodType<ChangedBody, unknown>;

/**
 * The event stream: a `jobs` event with every job, then a `job` event for
 * each change, `forget` for jobs cleared, `folders` for the EOS folders the
 * service's writes touched, `disk` when the local disk changed.
 */
export function serviceEvents(engine: Engine): StreamReply {
  const { jobs, store, disk } = engine;
  return new StreamReply(sink => {
    sink.send('jobs', { jobs: jobs.list() });
    const stops = [
      jobs.onChange((record, forgotten) => {
        if (record) {
          sink.send('job', record.job);
        } else if (forgotten?.length) {
          sink.send('forget', { ids: forgotten });
        }
      }),
      store.changes.onChange(changes => sink.send(FOLDERS_EVENT, changes)),
      disk.onChange(event => sink.send(DISK_EVENT, event))
    ];
    return () => stops.forEach(stop => stop());
  });
}

/**
 * Take a command line's report: its folders join the service's own changes
 * (canonical folder URIs only), and its local writes make the disk measured
 * again when they were in this service's root.
 *
 * @throws EosError `InvalidRequest` for a bad body or a URI that is not a folder
 */
export function takeChanges(engine: Engine, body: unknown): { ok: true } {
  const b = validate(ChangedBodySchema, body);
  const canonical = (uri: string) => {
    const path = engine.store.locate(uri);
    if (!isFolder(path)) {
      throw new EosError('InvalidRequest', `Not a folder: ${JSON.stringify(uri.slice(0, 200))}`);
    }
    if (path.namespace !== null) {
      toS3(path, engine.store.ctx); // a key over 1,024 bytes, refused as everywhere
    }
    return formatEosUri(path);
  };
  engine.store.changes.add({ written: b.written.map(canonical), removed: b.removed.map(canonical) });
  if (b.local !== undefined && b.local === engine.options.rootDir) {
    engine.disk.stale();
  }
  return { ok: true };
}

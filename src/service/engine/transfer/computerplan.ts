/**
 * Where the files of an upload from the computer go, checked before any byte
 * arrives: one namespace, writable, no folder names, no two files on one
 * key, no file above the largest an upload takes; then, by the conflict
 * policy, existing targets refused (`fail`), left out (`skip`) or given the
 * next free `name (n).ext` (`keep-both`).
 */
import {
  CreateUploadsRequest,
  EosError,
  EosPath,
  MAX_UPLOAD_PART,
  basename,
  formatEosUri,
  isFolder,
  parent
} from '../../../core';
import { EosStore, objectExists } from '../s3/store';
import { numberedName } from '../local/confine';
import { MAX_PARTS } from '../s3/multipart';
import { forEachConcurrent } from '../jobs/pool';
import { Place, detailLines, placeOf, refuseChange } from '../s3/places';

/** HEAD requests in flight while checking targets. */
const CHECKS_IN_FLIGHT = 8;

/** The largest file a computer upload takes. */
export const MAX_UPLOAD_FILE = MAX_UPLOAD_PART * (MAX_PARTS - 1);

export type UploadConflict = NonNullable<CreateUploadsRequest['conflict']>;

/** The checked places of an upload's files. */
export interface ComputerUploadPlan {
  conflict: UploadConflict;
  /** Where each file of the request goes (a kept copy's free name under `keep-both`). */
  places: Place[];
  /** Which files `skip` leaves out. */
  skipped: boolean[];
  /** The files that will be written, with their places. */
  kept: { file: CreateUploadsRequest['files'][number]; place: Place }[];
  /** The deepest folder holding every target. */
  folder: EosPath;
}

/** Check an upload's targets and decide where each file goes. */
export async function planComputerUpload(
  store: EosStore,
  request: CreateUploadsRequest,
  signal?: AbortSignal
): Promise<ComputerUploadPlan> {
  const conflict: UploadConflict = request.conflict ?? 'fail';
  const paths: EosPath[] = request.files.map(f => store.locate(f.destination));
  const seen = new Set<string>();
  if (paths.some(p => p.namespace !== paths[0].namespace || p.user !== paths[0].user)) {
    throw new EosError('InvalidRequest', 'The files of one upload must all go to the same namespace');
  }
  for (const [i, path] of paths.entries()) {
    refuseChange(path, store, 'upload to');
    const uri = formatEosUri(path);
    if (isFolder(path)) {
      throw new EosError('InvalidRequest', `Cannot upload a file to ${uri}: it names a folder`);
    }
    if (seen.has(uri)) {
      throw new EosError('InvalidRequest', `Two files would both be uploaded to ${uri}`);
    }
    seen.add(uri);
    if (request.files[i].size > MAX_UPLOAD_FILE) {
      throw new EosError(
        'InvalidRequest',
        `${uri} is larger than ${MAX_UPLOAD_FILE} bytes, the most an upload from the computer takes`
      );
    }
  }
  const places = paths.map(p => placeOf(p, store));
  const existing = conflict === 'overwrite' ? [] : await existingAt(store, places, signal);
  if (conflict === 'fail' && existing.some(Boolean)) {
    const uris = places.filter((_, i) => existing[i]).map(p => p.uri);
    throw new EosError(
      'Conflict',
      uris.length === 1 ? `${uris[0]} already exists` : `${uris.length} targets already exist`,
      detailLines(uris)
    );
  }
  if (conflict === 'keep-both') {
    for (const [i, place] of places.entries()) {
      if (existing[i]) {
        places[i] = await freePlace(store, place, seen, signal);
        seen.add(places[i].uri);
      }
    }
  }
  const skipped = places.map((_, i) => conflict === 'skip' && existing[i]);
  const kept = request.files.map((file, i) => ({ file, place: places[i] })).filter((_, i) => !skipped[i]);
  return { conflict, places, skipped, kept, folder: commonFolder(paths) };
}

/** A path relative to a folder holding it. */
export function relativeName(folder: EosPath, path: EosPath): string {
  return path.key.slice(folder.key.length);
}

/** Whether anything is at each place (HeadObject, a few at once). */
async function existingAt(store: EosStore, places: Place[], signal?: AbortSignal): Promise<boolean[]> {
  const found: boolean[] = places.map(() => false);
  const inner = signal ?? new AbortController().signal;
  await forEachConcurrent(places.entries(), CHECKS_IN_FLIGHT, inner, async ([i, p], s) => {
    found[i] = await objectExists(store, p.bucket, p.key, p.uri, s);
  });
  return found;
}

/** The first `name (n).ext` beside `place` that neither exists nor is taken by this request. */
async function freePlace(store: EosStore, place: Place, taken: Set<string>, signal?: AbortSignal): Promise<Place> {
  const folder = parent(place.path)!;
  const name = basename(place.path);
  for (let n = 1; ; n++) {
    const candidate = placeOf({ ...folder, key: folder.key + numberedName(name, n) }, store);
    if (
      !taken.has(candidate.uri) &&
      !(await objectExists(store, candidate.bucket, candidate.key, candidate.uri, signal))
    ) {
      return candidate;
    }
  }
}

/** The deepest folder holding every path. */
function commonFolder(paths: EosPath[]): EosPath {
  const folders = paths.map(p => parent(p)!);
  let key = folders[0].key;
  for (const f of folders) {
    while (!f.key.startsWith(key)) {
      key = key.slice(0, key.lastIndexOf('/', key.length - 2) + 1);
    }
  }
  return { ...folders[0], key };
}

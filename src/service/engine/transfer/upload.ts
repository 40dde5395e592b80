/**
 * Server disk -> EOS: files and folders of the Jupyter root into an `e://`
 * folder, many files in flight, big ones in parts. Read-only destinations and
 * paths outside the root are refused before any S3 call; with policy `fail`
 * existing targets are refused before anything is written. A move (`eos mv`)
 * then deletes each file it wrote once verified.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  ConflictPolicy,
  EosError,
  Job,
  MAX_KEY_BYTES,
  assertWritable,
  formatEosUri,
  isFolder,
  utf8Length
} from '../../../core';
import { EosStore } from '../s3/store';
import { contentTypeOf } from './contenttypes';
import { JobContext, Jobs } from '../jobs/jobs';
import { localError, relativeTo, resolveLocal } from '../local/confine';
import { forEachConcurrent } from '../jobs/pool';
import { PutTask, putFile } from './putfile';
import { tally } from './checksum';
import { decideObject, headObject } from './conflicts';
import { Place, placeOf, refuseListsOfRoots, uriOfKey } from '../s3/places';
import {
  Limit,
  NamedTransferRequest,
  Totals,
  TransferOptions,
  asItem,
  filterOf,
  requestedName,
  MAX_NAMED_CONFLICTS,
  PRECHECK_LIMIT,
  refuseIfAny
} from './run';
import { isPreconditionFailed } from '../s3/errors';
import { LocalEntry, walkLocal } from '../local/walk';
import { Uploaded, removeVerified } from './verify';
import { diskOf } from './download';

/** A local source and the key (prefix, for a folder) it goes to. */
export interface UploadSource {
  abs: string;
  shown: string;
  folder: boolean;
  /** The object's key, or the folder's key prefix ending in '/'. */
  key: string;
}

/** The destination folder of an upload, checked: writable, a folder, not a list of roots. */
export function uploadDestination(store: EosStore, uri: string): Place {
  const destination = store.locate(uri);
  assertWritable(destination, store.ctx);
  refuseListsOfRoots(destination, 'upload into');
  if (!isFolder(destination)) {
    throw new EosError(
      'InvalidRequest',
      `The destination must be a folder ending in '/', not ${formatEosUri(destination)}`
    );
  }
  return placeOf(destination, store);
}

/**
 * Resolve local sources (confined to the root) and the keys they go to;
 * `name` renames a single source (`''`: a folder's contents go into `dest` itself).
 */
export async function uploadSources(
  root: string,
  sources: string[],
  dest: Place,
  name?: string
): Promise<UploadSource[]> {
  const out: UploadSource[] = [];
  const keys = new Set<string>();
  for (const rel of sources) {
    const abs = await resolveLocal(root, rel);
    if (abs === root) {
      throw new EosError('InvalidRequest', 'Cannot upload the Jupyter root itself; choose the files or folders in it');
    }
    let st;
    try {
      st = await fsp.stat(abs);
    } catch (err) {
      throw localError(err, rel);
    }
    const folder = st.isDirectory();
    if (name === '' && !folder) {
      throw new EosError('InvalidRequest', `${relativeTo(root, abs)} is a file: it needs a name at the destination`);
    }
    const key = name === '' ? dest.key : dest.key + (name ?? path.basename(abs)) + (folder ? '/' : '');
    if (keys.has(key)) {
      throw new EosError('InvalidRequest', `Two sources would both be uploaded to ${uriOfKey(dest, key)}`);
    }
    keys.add(key);
    out.push({ abs, shown: relativeTo(root, abs), folder, key });
  }
  return out;
}

/** Check an upload and start it as a job. */
export async function startUpload(
  store: EosStore,
  jobs: Jobs,
  request: NamedTransferRequest,
  options: TransferOptions,
  rerun: () => Promise<Job>,
  signal?: AbortSignal
): Promise<Job> {
  const dest = uploadDestination(store, request.destination);
  const conflict = request.conflict ?? 'ask';
  const sources = await uploadSources(options.rootDir, request.sources, dest, requestedName(request));
  const keep = filterOf(request.filters);
  if (conflict === 'fail') {
    await refuseExisting(store, options.rootDir, sources, dest, keep, signal);
  }
  return jobs.start(
    { kind: 'upload', sources: sources.map(s => s.shown), destination: dest.uri, request, rerun },
    async ctx => {
      if (!request.move) {
        return runUpload(store, options, sources, dest, conflict, keep, ctx);
      }
      // A move: only the files written here, verified, are deleted (one skipped or failed stays).
      const uploaded: Uploaded[] = [];
      await runUpload(store, options, sources, dest, conflict, keep, ctx, u => uploaded.push(u));
      const folders = sources.filter(s => s.folder).map(s => s.abs);
      await removeVerified(store, diskOf(options), uploaded, folders, ctx);
    }
  );
}

/**
 * Every entry to upload with the key it goes to, streamed; `keep` filters by
 * the path relative to its source folder (a single file: its name).
 */
export async function* uploadEntries(
  root: string,
  sources: UploadSource[],
  signal?: AbortSignal,
  keep: (rel: string) => boolean = () => true
): AsyncGenerator<LocalEntry & { key: string }> {
  for (const s of sources) {
    if (!s.folder) {
      if (!keep(path.basename(s.abs))) {
        continue;
      }
      try {
        const st = await fsp.stat(s.abs);
        yield { kind: 'file', abs: s.abs, rel: '', size: st.size, mtimeMs: st.mtimeMs, key: s.key };
      } catch (err) {
        yield { kind: 'error', abs: s.abs, rel: '', error: localError(err, s.shown), key: s.key };
      }
      continue;
    }
    for await (const e of walkLocal(root, s.abs, '', signal)) {
      if (e.rel !== '' && !keep(e.rel)) {
        continue;
      }
      yield { ...e, key: s.key + (e.kind === 'folder' ? (e.rel === '' ? '' : `${e.rel}/`) : e.rel) };
    }
  }
}

/** Policy `fail`: refuse (`Conflict`, naming up to 20) when any target exists. */
export async function refuseExisting(
  store: EosStore,
  root: string,
  sources: UploadSource[],
  dest: Place,
  keep: (rel: string) => boolean,
  signal?: AbortSignal
): Promise<void> {
  const existing: string[] = [];
  for (const s of sources) {
    if (!s.folder) {
      if (!keep(path.basename(s.abs))) {
        continue;
      }
      if (await headObject(store, dest.bucket, s.key, uriOfKey(dest, s.key), signal)) {
        existing.push(uriOfKey(dest, s.key));
      }
      continue;
    }
    const there = new Set<string>();
    for await (const o of store.walk(dest.bucket, s.key, dest.uri, signal)) {
      there.add(o.key);
      if (there.size >= PRECHECK_LIMIT) {
        break;
      }
    }
    if (there.size === 0) {
      continue;
    }
    let looked = 0;
    for await (const e of uploadEntries(root, [s], signal, keep)) {
      if (++looked > PRECHECK_LIMIT) {
        break;
      }
      if (e.kind === 'file' && there.has(e.key)) {
        existing.push(uriOfKey(dest, e.key));
        if (existing.length > MAX_NAMED_CONFLICTS) {
          break;
        }
      }
    }
  }
  refuseIfAny(existing);
}

/**
 * Upload the sources into `dest` as the job `ctx` (also the first step of
 * "Move to EOS"); `onUploaded` hears of each file written, once it is.
 */
export async function runUpload(
  store: EosStore,
  options: TransferOptions,
  sources: UploadSource[],
  dest: Place,
  conflict: ConflictPolicy,
  keep: (rel: string) => boolean,
  ctx: JobContext,
  onUploaded: (u: Uploaded) => void = () => undefined
): Promise<void> {
  const { progress, signal } = ctx;
  const totals = new Totals(progress);
  const entries = totals.count(uploadEntries(options.rootDir, sources, signal, keep), e =>
    e.kind === 'file' ? e.size : null
  );
  // Folders uploaded where nothing is yet need no HeadObject per file (`If-None-Match: *` still guards).
  const fresh: string[] = [];
  for (const s of sources) {
    if (s.folder && conflict !== 'overwrite' && !(await store.hasKeysUnder(dest.bucket, s.key, dest.uri, signal))) {
      fresh.push(s.key);
    }
  }
  const big = new Limit(options.bigFilesInFlight);
  await forEachConcurrent(entries, options.filesInFlight, signal, async (e, itemSignal) => {
    const shown = relativeTo(options.rootDir, e.abs);
    if (e.kind === 'error') {
      ctx.fail(shown, e.error);
      return;
    }
    await asItem(ctx, shown, async () => {
      checkKeyLength(e.key, shown);
      if (e.kind === 'folder') {
        await putMarker(store, dest, e.key, itemSignal);
        return;
      }
      progress.current = shown;
      const source = { shown, size: e.size, modified: new Date(e.mtimeMs).toISOString() };
      const target = fresh.some(prefix => e.key.startsWith(prefix))
        ? { key: e.key, uri: uriOfKey(dest, e.key), mustNotExist: true }
        : await decideObject(store, ctx, conflict, dest, e.key, source, itemSignal);
      if (target === null) {
        totals.skip(e.size);
        return;
      }
      const task: PutTask = {
        abs: e.abs,
        shown,
        size: e.size,
        mtimeMs: e.mtimeMs,
        bucket: dest.bucket,
        key: target.key,
        uri: target.uri,
        contentType: contentTypeOf(path.basename(e.abs)),
        mustNotExist: target.mustNotExist,
        verified: outcome => tally(progress, outcome)
      };
      const put = () => putFile(store, ctx, task, options, n => (progress.bytes.done += n), itemSignal);
      await (e.size >= options.partSize ? big.run(put) : put());
      progress.objects.done++;
      onUploaded({ abs: e.abs, shown, bucket: dest.bucket, key: target.key });
    });
  });
}

/** Refuse (`InvalidUri`) a file whose key would be longer than S3 allows. */
export function checkKeyLength(key: string, shown: string): void {
  if (utf8Length(key) > MAX_KEY_BYTES) {
    throw new EosError('InvalidUri', `The S3 key for ${shown} would be longer than ${MAX_KEY_BYTES} bytes`);
  }
}

/** An empty folder's marker (`name/`); one already there is left as it is. */
async function putMarker(store: EosStore, dest: Place, key: string, signal: AbortSignal): Promise<void> {
  try {
    await store.s3(
      { bucket: dest.bucket, uri: uriOfKey(dest, key) },
      abortSignal =>
        store.client.send(
          new PutObjectCommand({ Bucket: dest.bucket, Key: key, Body: '', ContentLength: 0, IfNoneMatch: '*' }),
          { abortSignal }
        ),
      { signal }
    );
  } catch (err) {
    if (!isPreconditionFailed(err)) {
      throw err;
    }
  }
}

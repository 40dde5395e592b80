/**
 * "Move to EOS" of the disk gauge's free-up-space view.
 *
 * A move uploads through the same code as every upload (`runUpload`), then
 * reads each object back and deletes the local copy only when they match
 * (`removeVerified`, which `eos mv` shares). Existing objects are refused up
 * front, never overwritten; a file that cannot be verified stays where it is
 * and is an item failure of the job.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { EosError, Job, OffloadRequest } from '../../../core';
import { EosStore } from '../s3/store';
import { TransferOptions } from './run';
import { Uploaded, removeVerified } from './verify';
import { JobContext, Jobs } from '../jobs/jobs';
import { localError, relativeTo, resolveLocal } from '../local/confine';
import { DiskSpace } from '../local/disk';
import { Place } from '../s3/places';
import { UploadSource, refuseExisting, runUpload, uploadDestination } from './upload';

/** Move to EOS takes whole files and folders: no filter. */
const KEEP_ALL = () => true;

/** Check a move to EOS and start it as a job. */
export async function startOffload(
  store: EosStore,
  jobs: Jobs,
  request: OffloadRequest,
  options: TransferOptions & { disk: DiskSpace },
  rerun: () => Promise<Job>,
  signal?: AbortSignal
): Promise<Job> {
  const root = options.rootDir;
  const base = uploadDestination(store, request.destination ?? 'e://users/me/');
  const sources: UploadSource[] = [];
  for (const rel of request.paths) {
    const abs = await resolveLocal(root, rel);
    if (abs === root) {
      throw new EosError('InvalidRequest', 'Cannot move the Jupyter root itself; choose the files or folders in it');
    }
    const st = await fsp.stat(abs).catch(err => {
      throw localError(err, rel);
    });
    const shown = relativeTo(root, abs);
    const folder = st.isDirectory();
    // The same relative path under the destination.
    sources.push({ abs, shown, folder, key: base.key + shown + (folder ? '/' : '') });
  }
  const nested = sources.find(s => sources.some(t => t !== s && t.folder && s.abs.startsWith(t.abs + path.sep)));
  if (nested) {
    throw new EosError('InvalidRequest', `${nested.shown} is inside another folder being moved; choose one of them`);
  }
  await refuseExisting(store, root, sources, base, KEEP_ALL, signal);
  return jobs.start(
    { kind: 'offload', sources: sources.map(s => s.shown), destination: base.uri, request, rerun },
    ctx => runOffload(store, options, sources, base, ctx)
  );
}

async function runOffload(
  store: EosStore,
  options: TransferOptions & { disk: DiskSpace },
  sources: UploadSource[],
  base: Place,
  ctx: JobContext
): Promise<void> {
  const uploaded: Uploaded[] = [];
  // `fail`: an object that appeared since the check is an item failure, never overwritten.
  await runUpload(store, options, sources, base, 'fail', KEEP_ALL, ctx, u => uploaded.push(u));
  const folders = sources.filter(s => s.folder).map(s => s.abs);
  await removeVerified(store, options.disk, uploaded, folders, ctx);
}

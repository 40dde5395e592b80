/**
 * "Move to EOS" of the disk gauge's free-up-space view.
 *
 * A move uploads through the same code as every upload (`runUpload`), then
 * reads each object back and compares it with the local file (size and
 * SHA-256), and deletes the local copy only when they match and the file has
 * not changed meanwhile. Existing objects are refused up front, never
 * overwritten; a file that cannot be verified stays where it is and is an
 * item failure of the job.
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { EosError, Job, OffloadRequest } from '../../../core';
import { EosStore } from '../s3/store';
import { TransferOptions, asItem } from './run';
import { JobContext, Jobs } from '../jobs/jobs';
import { localError, relativeTo, resolveLocal } from '../local/confine';
import { DiskSpace } from '../local/disk';
import { Place } from '../s3/places';
import { UploadSource, refuseExisting, runUpload, uploadDestination, uploadEntries } from './upload';

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
  const root = options.rootDir;
  // `fail`: an object that appeared since the check is an item failure, never overwritten.
  await runUpload(store, options, sources, base, 'fail', KEEP_ALL, ctx);
  const failed = new Set(ctx.progress.failures?.map(f => f.item) ?? []);
  // The bar is full now: say why the job still runs (reading every object back).
  ctx.progress.phase = 'verifying';
  for (const s of sources) {
    for await (const e of uploadEntries(root, [s], ctx.signal)) {
      if (e.kind !== 'file') {
        continue; // errors were recorded by the upload; empty folders go below
      }
      const shown = relativeTo(root, e.abs);
      if (failed.has(shown)) {
        continue; // not uploaded: kept
      }
      await asItem(ctx, shown, async () => {
        ctx.progress.current = shown;
        const before = await fsp.lstat(e.abs);
        await verify(store, base.bucket, e.key, e.abs, shown, ctx.signal);
        const after = await fsp.lstat(e.abs);
        if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
          throw new EosError('Conflict', `${shown} changed while it was verified; the local copy is kept`);
        }
        await fsp.unlink(e.abs);
        options.disk.changed?.(-after.blocks * 512, e.abs);
      });
    }
    if (s.folder) {
      await removeEmptyFolders(s.abs, options.disk);
    }
  }
  delete ctx.progress.phase;
}

/**
 * Compare the object with the local file: its size, then the SHA-256 of its
 * bytes read back from S3 with that of the file.
 *
 * @throws EosError `Conflict` when they differ.
 */
async function verify(
  store: EosStore,
  bucket: string,
  key: string,
  abs: string,
  shown: string,
  signal: AbortSignal
): Promise<void> {
  const where = { bucket, uri: shown };
  const head = await store.s3(where, abortSignal =>
    store.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal })
  );
  const st = await fsp.stat(abs);
  if (head.ContentLength !== st.size) {
    throw new EosError(
      'Conflict',
      `The copy of ${shown} in EOS has ${head.ContentLength} bytes, the local file ${st.size}; the local copy is kept`
    );
  }
  const [remote, local] = await Promise.all([
    store.s3(where, async abortSignal => {
      const reply = await store.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: head.ETag }), {
        abortSignal
      });
      return sha256(reply.Body as Readable);
    }),
    sha256(createReadStream(abs, { signal }))
  ]);
  if (remote !== local) {
    throw new EosError('Conflict', `The copy of ${shown} in EOS differs from the local file; the local copy is kept`);
  }
}

async function sha256(stream: AsyncIterable<Buffer | Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) {
    hash.update(chunk);
  }
  return hash.digest('hex');
}

/** Remove the folders left empty under `abs` (and `abs` itself when empty); folders still holding anything stay. */
async function removeEmptyFolders(abs: string, disk: DiskSpace): Promise<boolean> {
  let names: string[];
  try {
    names = await fsp.readdir(abs);
  } catch {
    return false;
  }
  let empty = true;
  for (const name of names) {
    const child = path.join(abs, name);
    const st = await fsp.lstat(child).catch(() => null);
    if (!st?.isDirectory() || !(await removeEmptyFolders(child, disk))) {
      empty = false;
    }
  }
  if (!empty) {
    return false;
  }
  const st = await fsp.lstat(abs);
  return fsp.rmdir(abs).then(
    () => (disk.changed?.(-st.blocks * 512, abs), true),
    () => false
  );
}

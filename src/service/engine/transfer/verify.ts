/**
 * The second half of a move off the local disk ("Move to EOS" and `eos mv`
 * local -> EOS): each file uploaded is read back from S3 and compared with
 * the local file (size and SHA-256); only a file that matches, and has not
 * changed meanwhile, is deleted. Folders left empty go too.
 */
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { EosError } from '../../../core';
import { EosStore } from '../s3/store';
import { JobContext } from '../jobs/jobs';
import { DiskSpace } from '../local/disk';
import { asItem } from './run';

/** A local file an upload wrote to an object. */
export interface Uploaded {
  abs: string;
  /** The path relative to the root, the item's name. */
  shown: string;
  bucket: string;
  /** The key it was written to (under `keep-both`, not necessarily the one planned). */
  key: string;
}

/**
 * Verify each uploaded file against its object, delete the ones that match,
 * then remove the folders left empty under `folders`. A file that cannot be
 * verified stays where it is and is an item failure of the job.
 */
export async function removeVerified(
  store: EosStore,
  disk: DiskSpace,
  uploaded: Uploaded[],
  folders: string[],
  ctx: JobContext
): Promise<void> {
  // The bar is full now: say why the job still runs (reading every object back).
  ctx.progress.phase = 'verifying';
  for (const u of uploaded) {
    await asItem(ctx, u.shown, async () => {
      ctx.progress.current = u.shown;
      const before = await fsp.lstat(u.abs);
      await verify(store, u, ctx.signal);
      const after = await fsp.lstat(u.abs);
      if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
        throw new EosError('Conflict', `${u.shown} changed while it was verified; the local copy is kept`);
      }
      await fsp.unlink(u.abs);
      disk.changed?.(-after.blocks * 512, u.abs);
    });
  }
  for (const abs of folders) {
    await removeEmptyFolders(abs, disk);
  }
  delete ctx.progress.phase;
}

/**
 * Compare the object with the local file: its size, then the SHA-256 of its
 * bytes read back from S3 with that of the file.
 *
 * @throws EosError `Conflict` when they differ.
 */
async function verify(store: EosStore, u: Uploaded, signal: AbortSignal): Promise<void> {
  const { bucket, key, abs, shown } = u;
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

/**
 * Conditional writes whose answer was lost: S3 did the write, the
 * connection broke on the way back, and the SDK's retry was refused on its
 * own condition (412: `If-None-Match: *` finds the key taken, `If-Match` an
 * ETag that changed), by that very write. What is at the key tells.
 */
import { createHash } from 'node:crypto';
import { EosStore, headObject } from './store';
import { S3Error, isPreconditionFailed } from './errors';

/** Whether a write failed on its precondition (412) after more than one attempt: an earlier one may have been done. */
export function refusedOnRetry(err: unknown): boolean {
  return err instanceof S3Error && (err.s3.attempts ?? 1) > 1 && isPreconditionFailed(err);
}

/**
 * The ETag of the object at `target` when it holds `body`: its size, and
 * its ETag the body's MD5 or (an ETag that is no MD5: KMS) its stored
 * CRC64NVME `checksum` (base64); else null (other bytes, or nothing).
 */
export async function holdsBody(
  store: EosStore,
  target: { bucket: string; key: string; uri: string },
  body: Uint8Array,
  options: { checksum?: string; signal?: AbortSignal } = {}
): Promise<string | null> {
  const { checksum, signal } = options;
  const head = await headObject(store, target.bucket, target.key, target.uri, signal, checksum !== undefined);
  if (head?.ETag === undefined || head.ContentLength !== body.length) {
    return null;
  }
  const md5 = createHash('md5').update(body).digest('hex');
  const same = head.ETag.replace(/"/g, '') === md5 || (checksum !== undefined && head.ChecksumCRC64NVME === checksum);
  return same ? head.ETag : null;
}

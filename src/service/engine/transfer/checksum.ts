/**
 * End-to-end checksums of transfers: what a download compares its bytes
 * with, the comparison once its ranges are written, an upload's part and
 * whole-object values, and the count on the job the panel and `eos cp` show.
 *
 * Ranges and parts move in parallel, so each one's CRC is computed alone
 * (in the write sink of a download, on the bytes read for a part) and the
 * object's is combined from them in order (`combineAll`).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { EosError, Job, UnverifiedReason } from '../../../core';
import { CrcName, combineAll, createCrc, crcToBase64 } from '../s3/crc';
import { StoredChecksum, UPLOAD_CRC, storedChecksum } from '../s3/checksums';
import { EosStore, headObject } from '../s3/store';
import { localError } from '../local/confine';

/** A file's outcome: verified with an algorithm, or why not. */
export type Verification = { name: CrcName } | { reason: UnverifiedReason };

/** Count a file's outcome on its job's record. */
export function tally(job: Job, outcome: Verification): void {
  const integrity = (job.integrity ??= { verified: {}, unverified: {} });
  if ('name' in outcome) {
    const name = outcome.name.toLowerCase();
    integrity.verified[name] = (integrity.verified[name] ?? 0) + 1;
  } else {
    integrity.unverified[outcome.reason] = (integrity.unverified[outcome.reason] ?? 0) + 1;
  }
}

/** A piece of an object (a range, a part) and its CRC. */
export interface CrcPiece {
  start: number;
  length: number;
  crc: bigint;
}

/**
 * What a download of an object compares its bytes with: the full-object
 * CRC S3 stores (a HEAD with `ChecksumMode: ENABLED`), or why there is none
 * to compare with. An object no longer at the ETag listed has nothing to
 * compare: its GETs, pinned to that ETag, fail as changed.
 */
export async function expectedChecksum(
  store: EosStore,
  obj: { bucket: string; key: string; uri: string; etag?: string },
  enabled: boolean,
  signal: AbortSignal
): Promise<StoredChecksum> {
  if (!enabled) {
    return { reason: 'off' };
  }
  const head = await headObject(store, obj.bucket, obj.key, obj.uri, signal, true);
  if (head === null || (obj.etag !== undefined && head.ETag !== obj.etag)) {
    return { reason: 'no-checksum' };
  }
  return storedChecksum(head);
}

/**
 * The CRC a download in one GET is set up with, before its answer says what
 * the object stores (the sink then switches to that one, or drops it when
 * there is nothing to compare with): CRC64NVME, what the engine's uploads
 * send and what S3 computes for an object sent without a checksum.
 */
export const WHOLE_CRC: CrcName = UPLOAD_CRC;

/**
 * Compare a download in one GET with the checksum its GET answered. Its sink
 * computed the algorithm the answer named (`computed.name`); only when it
 * could not (a hasher not loaded yet) is the temporary file read back once
 * to compute that one.
 *
 * @throws EosError `Upstream` when they differ (as `checkDownload`)
 */
export async function checkWhole(
  stored: StoredChecksum,
  computed: { name?: CrcName; pieces: readonly CrcPiece[] },
  temp: string,
  size: number,
  where: { uri: string; shown: string }
): Promise<Verification> {
  let pieces = computed.pieces;
  if ('name' in stored && (stored.name !== computed.name || pieces.length === 0)) {
    let file: FileHandle | undefined;
    try {
      file = await open(temp, 'r');
      const crc = await heldRangeCrc(stored, file, { start: 0, length: size });
      pieces = crc === undefined ? [] : [{ start: 0, length: size, crc }];
    } catch (err) {
      throw localError(err, where.shown);
    } finally {
      await file?.close();
    }
  }
  return checkDownload(stored, pieces, where);
}

/** A running CRC for a range's sink when the download has one to compare with. */
async function rangeCrc(expected: StoredChecksum) {
  return 'name' in expected ? createCrc(expected.name) : undefined;
}

/** Bytes read at a time to hash a range already on disk. */
const HELD_CHUNK = 8 * 1024 * 1024;

/**
 * The CRC of a range a resumed download finds written (by an interrupted
 * one) in `file`, read back from the disk; undefined when the download has
 * nothing to compare with.
 */
export async function heldRangeCrc(
  expected: StoredChecksum,
  file: FileHandle,
  range: { start: number; length: number }
): Promise<bigint | undefined> {
  const crc = await rangeCrc(expected);
  if (crc === undefined) {
    return undefined;
  }
  const chunk = Buffer.allocUnsafe(Math.min(HELD_CHUNK, range.length));
  for (let done = 0; done < range.length;) {
    const want = Math.min(chunk.length, range.length - done);
    const { bytesRead } = await file.read(chunk, 0, want, range.start + done);
    if (bytesRead === 0) {
      break;
    }
    crc.update(chunk.subarray(0, bytesRead));
    done += bytesRead;
  }
  return crc.value();
}

/**
 * Compare the CRC of the bytes written (its ranges' CRCs, combined in
 * order) with the one S3 stores.
 *
 * @throws EosError `Upstream` when they differ: a byte changed between S3's
 *   disk and ours, and the file must not be kept.
 */
export function checkDownload(
  expected: StoredChecksum,
  pieces: readonly CrcPiece[],
  where: { uri: string; shown: string }
): Verification {
  if (!('name' in expected)) {
    return expected;
  }
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  const got = combineAll(expected.name, sorted);
  if (got !== expected.crc) {
    const name = expected.name.toLowerCase();
    throw new EosError(
      'Upstream',
      `${where.uri}: the bytes received do not match the object's checksum (${name} ${crcToBase64(expected.name, got)}, S3 stores ${crcToBase64(expected.name, expected.crc)}); ${JSON.stringify(where.shown)} was not written, download it again`
    );
  }
  return { name: expected.name };
}

/** The full-object checksum of an upload from its parts' CRCs, in base64. */
export function uploadChecksum(pieces: readonly CrcPiece[]): string {
  return crcToBase64(
    UPLOAD_CRC,
    combineAll(
      UPLOAD_CRC,
      [...pieces].sort((a, b) => a.start - b.start)
    )
  );
}

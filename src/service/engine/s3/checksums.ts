/**
 * Full-object checksums as S3 carries them: the algorithm uploads send
 * (CRC64NVME, what S3 itself computes for objects sent without one), the
 * request fields that carry a value, and what a HEAD with `ChecksumMode:
 * ENABLED` says an object has stored.
 */
import type { HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { UnverifiedReason } from '../../../core';
import { CrcName, createCrc, crcFromBase64, crcToBase64 } from './crc';

/** The algorithm uploads send. */
export const UPLOAD_CRC: CrcName = 'CRC64NVME';

/** The CRC of an upload's part (or of a whole small object), in base64, as `x-amz-checksum-*` carries it. */
export async function partChecksum(body: Uint8Array): Promise<{ crc: bigint; base64: string }> {
  const crc = await createCrc(UPLOAD_CRC);
  crc.update(body);
  const value = crc.value();
  return { crc: value, base64: crcToBase64(UPLOAD_CRC, value) };
}

/** The fields of an S3 request or answer carrying a value of each algorithm. */
const FIELDS = {
  CRC32: 'ChecksumCRC32',
  CRC32C: 'ChecksumCRC32C',
  CRC64NVME: 'ChecksumCRC64NVME'
} as const satisfies Record<CrcName, string>;

/** The fields carrying `value` (base64) of `name`, to spread into CompleteMultipartUpload's input. */
export function checksumFields(name: CrcName, value: string): Partial<Record<(typeof FIELDS)[CrcName], string>> {
  return { [FIELDS[name]]: value };
}

/**
 * The fields of a body's checksum for PutObject and UploadPart: the value
 * and its algorithm (`x-amz-sdk-checksum-algorithm`; S3 takes the value
 * alone, moto stores it only with the algorithm named).
 */
export function bodyChecksumFields(name: CrcName, value: string) {
  return { ChecksumAlgorithm: name, ...checksumFields(name, value) };
}

/** The fields of a HEAD (or GET) answer `storedChecksum` reads. */
export type ChecksumHead = Partial<
  Pick<
    HeadObjectCommandOutput,
    | 'ChecksumCRC32'
    | 'ChecksumCRC32C'
    | 'ChecksumCRC64NVME'
    | 'ChecksumSHA1'
    | 'ChecksumSHA256'
    | 'ChecksumType'
    | 'ETag'
  >
>;

/** The headers of a GET sent with `x-amz-checksum-mode: ENABLED` that carry those fields. */
export const CHECKSUM_HEADERS = {
  'x-amz-checksum-crc32': 'ChecksumCRC32',
  'x-amz-checksum-crc32c': 'ChecksumCRC32C',
  'x-amz-checksum-crc64nvme': 'ChecksumCRC64NVME',
  'x-amz-checksum-sha1': 'ChecksumSHA1',
  'x-amz-checksum-sha256': 'ChecksumSHA256',
  'x-amz-checksum-type': 'ChecksumType'
} as const satisfies Record<string, keyof ChecksumHead>;

/** What an object has stored: a full-object CRC to compare with, or why there is none. */
export type StoredChecksum = { name: CrcName; crc: bigint } | { reason: UnverifiedReason };

/**
 * The checksum an object stores, from a HEAD sent with `ChecksumMode:
 * ENABLED` (or a whole-object GET sent with it). A CRC of the whole object is one to compare with; a composite
 * one (`…-N`, of the parts' checksums) or a SHA is not.
 */
export function storedChecksum(head: ChecksumHead): StoredChecksum {
  const fields = head as unknown as Record<string, unknown>;
  // A multipart object's checksum is of the whole object only when S3 says
  // FULL_OBJECT: S3 says COMPOSITE otherwise and suffixes the value `-N`, but
  // a server that says neither (moto, for aws-cli's multipart CRC32) must not
  // have its parts' checksum compared with the whole file.
  const multipart = /-\d+"?$/.test(head.ETag ?? '');
  const composite = head.ChecksumType === 'COMPOSITE' || (multipart && head.ChecksumType !== 'FULL_OBJECT');
  for (const name of Object.keys(FIELDS) as CrcName[]) {
    const value = fields[FIELDS[name]];
    if (typeof value !== 'string') {
      continue;
    }
    const crc = composite ? null : crcFromBase64(name, value);
    return crc === null ? { reason: 'composite' } : { name, crc };
  }
  return typeof fields.ChecksumSHA1 === 'string' || typeof fields.ChecksumSHA256 === 'string'
    ? { reason: 'algorithm' }
    : { reason: 'no-checksum' };
}

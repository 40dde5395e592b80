/**
 * The one multipart lifecycle: the part-size rule every upload and copy
 * uses, and create / upload a part / complete / abort against moto and
 * versitygw (jest.config.js), a completion that must not overwrite included.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MAX_UPLOAD_PART, MIN_UPLOAD_PART, makeContext, userPrefix } from '../../core';
import { MAX_UPLOAD_FILE } from '../engine/transfer/computerplan';
import {
  MAX_PARTS,
  MAX_PART_SIZE,
  MIN_PART_SIZE,
  abortUpload,
  abortUploadRetrying,
  completeUpload,
  createUpload,
  partRanges,
  partSize,
  uploadPart
} from '../engine/s3/multipart';
import { isConditionalConflict, isPreconditionFailed } from '../engine/s3/errors';
import { EosStore } from '../engine/s3/store';
import { MOTO_DIFFERS, S3, deletePrefix, itExceptOn, testClient, uniqueName } from './harness';
import { openUploads, sha256 } from './transfer-helpers';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe('partSize', () => {
  it.each([
    ['a small file takes the preferred size', 1, 8 * MiB, 8 * MiB],
    ['a small file, preferred 5 MiB', 12 * MiB, 5 * MiB, 5 * MiB],
    ['never below S3 minimum', 12 * MiB, 1, MIN_PART_SIZE],
    ['an empty file', 0, 8 * MiB, 8 * MiB],
    ['the preferred size honoured', 50 * MiB, 8 * MiB, 8 * MiB],
    ['a large preferred size honoured', 6 * GiB, 512 * MiB, 512 * MiB],
    ['exactly MAX_PARTS parts of the preferred size', 8 * MiB * MAX_PARTS, 8 * MiB, 8 * MiB],
    ['one byte more grows the part by one MiB', 8 * MiB * MAX_PARTS + 1, 8 * MiB, 9 * MiB],
    ['a 5 TB file', 5e12, 8 * MiB, 477 * MiB],
    ['a 5 TiB file, preferred 512 MiB', 5 * 1024 * GiB, 512 * MiB, 525 * MiB],
    ['whole MiB', 12 * MiB, 5.5 * MiB, 6 * MiB],
    ['at most S3 largest part', 60 * 1024 * GiB, 8 * MiB, MAX_PART_SIZE],
    ['the largest computer upload, from its 8 MiB minimum', MAX_UPLOAD_FILE, MIN_UPLOAD_PART, MAX_UPLOAD_PART]
  ])('%s (%d bytes, preferred %d) -> %d', (_, size, preferred, part) => {
    expect(partSize(size, preferred)).toBe(part);
    expect(part % MiB).toBe(0);
    if (part < MAX_PART_SIZE) {
      expect(Math.ceil(size / part)).toBeLessThanOrEqual(MAX_PARTS);
    }
  });

  it('fits every computer upload in parts of at most MAX_UPLOAD_PART', () => {
    expect(partSize(MAX_UPLOAD_FILE, MIN_UPLOAD_PART)).toBeLessThanOrEqual(MAX_UPLOAD_PART);
    expect(Math.ceil(MAX_UPLOAD_FILE / MAX_UPLOAD_PART)).toBeLessThanOrEqual(MAX_PARTS);
  });
});

describe('partRanges', () => {
  it('cuts an object into numbered parts, the last shorter', () => {
    expect(partRanges(25, 10)).toEqual([
      { n: 1, start: 0, length: 10 },
      { n: 2, start: 10, length: 10 },
      { n: 3, start: 20, length: 5 }
    ]);
    expect(partRanges(20, 10)).toHaveLength(2);
    expect(partRanges(0, 10)).toEqual([]);
  });
});

describe('the multipart lifecycle against S3', () => {
  const prefix = `${userPrefix(S3.userId)}${uniqueName('multipart')}/`;
  const ctx = makeContext({
    userId: S3.userId,
    orgId: S3.orgId,
    orgBucket: S3.orgBucket,
    gencoveBucket: S3.gencoveBucket
  });
  let client: S3Client;
  let store: EosStore;
  const signal = new AbortController().signal;

  beforeAll(() => {
    client = testClient();
    store = new EosStore(client, ctx, S3.endpoint);
  });

  afterAll(async () => {
    await deletePrefix(client, S3.orgBucket, prefix);
    client.destroy();
  });

  it('writes an object from parts given out of order, with its headers', async () => {
    const key = `${prefix}parts.bin`;
    const first = Buffer.alloc(MIN_PART_SIZE, 1);
    const last = Buffer.from('the end');
    const upload = await createUpload(
      store,
      { bucket: S3.orgBucket, key },
      { ContentType: 'text/plain', Metadata: { mtime: '1.5' } },
      signal
    );
    const etag2 = await uploadPart(store, upload, { n: 2, body: last, length: last.length }, signal);
    const etag1 = await uploadPart(store, upload, { n: 1, body: first, length: first.length }, signal);
    await completeUpload(store, upload, [
      { PartNumber: 2, ETag: etag2 },
      { PartNumber: 1, ETag: etag1 }
    ]);
    const got = await client.send(new GetObjectCommand({ Bucket: S3.orgBucket, Key: key }));
    // sha256, not toEqual: jest compares 5 MiB buffers byte by byte, for a minute.
    expect(sha256(await got.Body!.transformToByteArray())).toBe(sha256(Buffer.concat([first, last])));
    expect(got.ContentType).toBe('text/plain');
    expect(got.Metadata).toEqual({ mtime: '1.5' });
    expect(await openUploads(client, S3.orgBucket, key)).toEqual([]);
  });

  /** Start an upload of `parts` to `key`; answer it, with the function that completes it. */
  async function started(key: string, parts: Buffer[], mustNotExist: boolean) {
    const upload = await createUpload(store, { bucket: S3.orgBucket, key }, {}, signal);
    const done = await Promise.all(
      parts.map(async (part, i) => ({
        PartNumber: i + 1,
        ETag: await uploadPart(store, upload, { n: i + 1, body: part, length: part.length }, signal)
      }))
    );
    return { upload, complete: () => completeUpload(store, upload, done, { mustNotExist }) };
  }

  const body = async (key: string) =>
    (await client.send(new GetObjectCommand({ Bucket: S3.orgBucket, Key: key }))).Body!.transformToString();

  it('refuses to complete over an object when it must not exist, and leaves the object', async () => {
    const key = `${prefix}exists.txt`;
    await (await started(key, [Buffer.from('first')], false)).complete();
    const second = await started(key, [Buffer.from('second')], true);
    const refused = await second.complete().catch(err => err);
    expect(isPreconditionFailed(refused)).toBe(true);
    expect(await body(key)).toBe('first');
    await abortUpload(store, second.upload);
    expect(await openUploads(client, S3.orgBucket, key)).toEqual([]);
  });

  itExceptOn('moto', MOTO_DIFFERS.atomicComplete)(
    'completes only one of two concurrent uploads that must not overwrite',
    async () => {
      const key = `${prefix}race.txt`;
      // Three 5 MiB parts each: moto checks the condition, then takes a while to join the parts.
      const parts = (fill: string) => Array.from({ length: 3 }, () => Buffer.alloc(MIN_PART_SIZE, fill));
      const [a, b] = await Promise.all([started(key, parts('a'), true), started(key, parts('b'), true)]);
      const results = await Promise.allSettled([a.complete(), b.complete()]);
      expect(results.map(r => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const loser = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
      // S3 answers the loser 412 PreconditionFailed, or 409 ConditionalRequestConflict while the other completes.
      expect(isPreconditionFailed(loser) || isConditionalConflict(loser)).toBe(true);
      const got = await client.send(new GetObjectCommand({ Bucket: S3.orgBucket, Key: key, Range: 'bytes=0-0' }));
      expect(await got.Body!.transformToString()).toBe(results[0].status === 'fulfilled' ? 'a' : 'b');
      await abortUpload(store, results[0].status === 'fulfilled' ? b.upload : a.upload);
    }
  );

  it('aborts once; an upload aborted already is done too', async () => {
    const key = `${prefix}aborted.bin`;
    const upload = await createUpload(store, { bucket: S3.orgBucket, key }, {}, signal);
    expect(await openUploads(client, S3.orgBucket, key)).toEqual([key]);
    await abortUpload(store, upload);
    expect(await openUploads(client, S3.orgBucket, key)).toEqual([]);
    await expect(abortUpload(store, upload)).resolves.toBeUndefined();
  });

  it('unregisters an upload aborted already at the first attempt', async () => {
    const key = `${prefix}retried.bin`;
    const upload = await createUpload(store, { bucket: S3.orgBucket, key }, {}, signal);
    await abortUpload(store, upload);
    const close = jest.fn();
    await abortUploadRetrying(store, upload, close);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('still fails an abort that did not reach S3', async () => {
    const down = testClient({ endpoint: 'http://127.0.0.1:1', maxAttempts: 1 });
    const upload = { bucket: S3.orgBucket, key: `${prefix}x`, uploadId: 'u' };
    await expect(abortUpload(new EosStore(down, ctx, 'http://127.0.0.1:1'), upload)).rejects.toMatchObject({
      code: 'Upstream'
    });
    down.destroy();
  });
});

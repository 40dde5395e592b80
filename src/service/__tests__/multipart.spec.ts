/**
 * The one multipart lifecycle: the part-size rule every upload and copy
 * uses, and create / upload a part / complete / abort against moto and
 * versitygw (jest.config.js), a completion that must not overwrite included.
 */
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
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
  multipartEtag,
  partRanges,
  partSize,
  uploadPart
} from '../engine/s3/multipart';
import { S3Error, isConditionalConflict, isPreconditionFailed } from '../engine/s3/errors';
import { EosStore } from '../engine/s3/store';
import { completeSilenceMs, completionClient, createS3Client } from '../engine/s3/client';
import {
  MOTO_DIFFERS,
  S3,
  VERSITYGW_LACKS,
  deletePrefix,
  itExceptOn,
  putObjects,
  testClient,
  uniqueName
} from './harness';
import { openUploads, sha256 } from './transfer-helpers';

const MiB = 1024 * 1024;
/** The test ids, as the stores of these tests see them. */
const ctx = makeContext({
  userId: S3.userId,
  orgId: S3.orgId,
  orgBucket: S3.orgBucket,
  gencoveBucket: S3.gencoveBucket
});
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
    const etag2 = await uploadPart(store, upload, { n: 2, body: last }, signal);
    const etag1 = await uploadPart(store, upload, { n: 1, body: first }, signal);
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
        ETag: await uploadPart(store, upload, { n: i + 1, body: part }, signal)
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

// Under load a 1 GiB upload's completion outlived the SDK's socket timeout; the SDK sent it again, S3
// answered NoSuchUpload (or 500), and the job failed though the object was written whole. moto completes an
// upload again without complaint, so the test plays S3's answer to the retries.
describe('a completion whose answer is lost', () => {
  const prefix = `${userPrefix(S3.userId)}${uniqueName('complete')}/`;
  const signal = new AbortController().signal;
  let client: S3Client;
  let store: EosStore;
  /** What S3 answers the SDK's retries of CompleteMultipartUpload (null: no retry happens). */
  let retryAnswer: { name: string; status: number } | null;
  let completes: number;

  beforeAll(() => {
    client = testClient();
    // Inside the SDK's retries: the first attempt reaches moto, which completes the upload, and its
    // answer is lost as a timeout; the retries get `retryAnswer`.
    client.middlewareStack.add(
      (next, context) => async args => {
        if (context.commandName !== 'CompleteMultipartUploadCommand' || retryAnswer === null) {
          return next(args);
        }
        if (++completes === 1) {
          await next(args);
          throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
        }
        const { name, status } = retryAnswer;
        throw Object.assign(new Error(`${name} from S3`), { name, Code: name, $metadata: { httpStatusCode: status } });
      },
      { step: 'deserialize', priority: 'high', name: 'eosTestLoseAnswer' }
    );
    store = new EosStore(client, ctx, S3.endpoint);
  });

  beforeEach(() => {
    retryAnswer = null;
    completes = 0;
  });

  afterAll(async () => {
    await deletePrefix(client, S3.orgBucket, prefix);
    client.destroy();
  });

  async function twoParts(key: string) {
    const bodies = [Buffer.alloc(MIN_PART_SIZE, 7), Buffer.from('tail')];
    const upload = await createUpload(store, { bucket: S3.orgBucket, key }, {}, signal);
    const parts = [];
    for (const [i, body] of bodies.entries()) {
      const etag = await uploadPart(store, upload, { n: i + 1, body }, signal);
      parts.push({ PartNumber: i + 1, ETag: etag });
    }
    return { upload, parts, size: MIN_PART_SIZE + 4, sha: sha256(Buffer.concat(bodies)) };
  }

  it.each([
    ['NoSuchUpload', 404, false, 2],
    ['InternalError', 500, false, 3],
    ['PreconditionFailed', 412, true, 2]
  ])(
    'is done when the retry is answered %s (%d) and the object is the one the parts make',
    async (name, status, mustNotExist, tries) => {
      const key = `${prefix}lost-${name}.bin`;
      const { upload, parts, size, sha } = await twoParts(key);
      retryAnswer = { name, status };
      await completeUpload(store, upload, parts, { mustNotExist, size });
      expect(completes).toBe(tries);
      const got = await client.send(new GetObjectCommand({ Bucket: S3.orgBucket, Key: key }));
      expect(sha256(await got.Body!.transformToByteArray())).toBe(sha);
      expect(got.ETag).toBe(`"${multipartEtag(parts)}"`);
      expect(await openUploads(client, S3.orgBucket, key)).toEqual([]);
    }
  );

  itExceptOn('versitygw', VERSITYGW_LACKS.abortedComplete)(
    'still fails when the object at the key is not the one these parts make',
    async () => {
      const key = `${prefix}other.bin`;
      const { upload, parts, size } = await twoParts(key);
      await abortUpload(store, upload);
      await putObjects(client, S3.orgBucket, { [key]: 'someone else' });
      const err = await completeUpload(store, upload, parts, { size }).catch(e => e);
      // S3 answers NoSuchUpload (404); moto fails with a 500 (a KeyError): both may follow a lost answer.
      expect(err).toBeInstanceOf(S3Error);
      expect([404, 500]).toContain(err.s3.status);
      const head = await client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: key }));
      expect(head.ContentLength).toBe(12);
    }
  );

  it('still fails a first refusal of a key taken (no retry): that is a conflict, not a lost answer', async () => {
    const key = `${prefix}taken.bin`;
    const { upload, parts } = await twoParts(key);
    await completeUpload(store, upload, parts);
    const again = await twoParts(key);
    retryAnswer = null;
    client.middlewareStack.add(
      next => async () => {
        throw Object.assign(new Error('PreconditionFailed'), {
          name: 'PreconditionFailed',
          $metadata: { httpStatusCode: 412 }
        });
      },
      { step: 'deserialize', priority: 'high', name: 'eosTestTaken' }
    );
    try {
      await expect(completeUpload(store, again.upload, parts, { mustNotExist: true })).rejects.toMatchObject({
        s3: { status: 412, attempts: 1 }
      });
    } finally {
      client.middlewareStack.remove('eosTestTaken');
      await abortUpload(store, again.upload);
    }
  });

  it('computes no multipart ETag from parts whose ETags are no MD5s', () => {
    expect(multipartEtag([{ PartNumber: 1, ETag: '"not-an-md5"' }])).toBeNull();
    expect(multipartEtag([])).toBeNull();
  });
});

describe('the wait for a big completion', () => {
  it('grows with the size, in whole minutes, up to 15 minutes', () => {
    expect(completeSilenceMs(0)).toBe(60000);
    expect(completeSilenceMs(GiB)).toBe(60000);
    expect(completeSilenceMs(10 * GiB)).toBe(6 * 60000);
    expect(completeSilenceMs(5 * 1024 * GiB)).toBe(15 * 60000);
  });

  it('completes a big upload on a client whose connections may stay silent that long, one per wait', async () => {
    const client = createS3Client({ endpoint: S3.endpoint, region: 'us-east-1' });
    const big = completionClient(client, 10 * GiB);
    expect(completionClient(client, GiB)).toBe(client);
    expect(big).not.toBe(client);
    expect(completionClient(client, 10 * GiB)).toBe(big);
    const handler = big.config.requestHandler as unknown as { configProvider: Promise<{ socketTimeout?: number }> };
    expect((await handler.configProvider).socketTimeout).toBe(6 * 60000);
    expect(completionClient(testClient(), 10 * GiB)).not.toBe(big);
    client.destroy();
    big.destroy();
  });
});

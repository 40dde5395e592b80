/**
 * The engine's ranged reader (`eos cat`/`eos head`): ranges fetched only as
 * the reader consumes them, gzip members decompressed, a change mid-read
 * refused.
 */
import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { makeContext, userPrefix } from '../../core';
import { readObject } from '../engine/read/objectreader';
import { EosStore } from '../engine/s3/store';
import { S3, countingClient, deletePrefix, putObjects, testClient, uniqueName } from './harness';

const folder = uniqueName('readhead');
const prefix = `${userPrefix(S3.userId)}${folder}/`;
const base = `e://users/me/${folder}/`;
const ctx = makeContext({
  userId: S3.userId,
  orgId: S3.orgId,
  orgBucket: S3.orgBucket,
  gencoveBucket: S3.gencoveBucket
});
const body = Buffer.from(Array.from({ length: 20000 }, (_, i) => `line ${i}\n`).join(''));
let writer: S3Client;

beforeAll(async () => {
  writer = testClient();
  await putObjects(writer, S3.orgBucket, {
    [`${prefix}plain.txt`]: body,
    [`${prefix}two.txt.gz`]: Buffer.concat([gzipSync(body.subarray(0, 1000)), gzipSync(body.subarray(1000))])
  });
});

afterAll(async () => {
  await deletePrefix(writer, S3.orgBucket, prefix);
  writer.destroy();
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) {
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

describe('readObject', () => {
  it('reads a whole object across many ranges, and a multi-member gzip', async () => {
    const { client, calls } = countingClient();
    const store = new EosStore(client, ctx, S3.endpoint);
    expect(await readAll(await readObject(store, `${base}plain.txt`, { firstRange: 1000 }))).toEqual(body);
    expect(calls.filter(c => c === 'GetObjectCommand').length).toBeGreaterThan(3);
    expect(await readAll(await readObject(store, `${base}two.txt.gz`, { firstRange: 500 }))).toEqual(body);
    client.destroy();
  });

  it('fetches no further range once the reader stops', async () => {
    const { client, calls } = countingClient();
    const store = new EosStore(client, ctx, S3.endpoint);
    const stream = await readObject(store, `${base}plain.txt`, { firstRange: 1000 });
    for await (const chunk of stream) {
      expect((chunk as Buffer).length).toBeGreaterThan(0);
      break;
    }
    // 'close' comes once the range generator has returned (Readable.from ends it on destroy): no range can follow.
    const closed = new Promise(resolve => stream.once('close', resolve));
    stream.destroy();
    await closed;
    expect(calls.filter(c => c === 'GetObjectCommand').length).toBeLessThanOrEqual(2);
    client.destroy();
  });

  it('fails with Conflict when the object changes while it is read', async () => {
    await putObjects(writer, S3.orgBucket, { [`${prefix}changing.txt`]: body });
    const store = new EosStore(testClient(), ctx, S3.endpoint);
    const stream = await readObject(store, `${base}changing.txt`, { firstRange: 1000 });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    await putObjects(writer, S3.orgBucket, { [`${prefix}changing.txt`]: Buffer.concat([body, body]) });
    await expect(readAll(stream)).rejects.toMatchObject({ code: 'Conflict' });
    store.client.destroy();
  });
});

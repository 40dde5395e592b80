/**
 * Transfers between the server's disk and EOS: a 50 MB file both ways, byte
 * for byte; a cancel in the middle of each leaves no object, no multipart
 * upload and no local partial file.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  Running,
  S3,
  deletePrefix,
  keysUnder,
  startService,
  testClient,
  testConfig,
  uniqueName,
  waitJob
} from './harness';
import { jobWhen, localTree, objectBytes, openUploads, sha256, tempRoot, transfer } from './transfer-helpers';

const MiB = 1024 * 1024;
const F = uniqueName('xfer');
const ORG = `shared/files/${F}/`;
const BIG = randomBytes(50 * 1000 * 1000);

let client: S3Client;
let root: string;
let svc: Running;

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  fs.mkdirSync(path.join(root, 'data'));
  fs.writeFileSync(path.join(root, 'data', 'big.bam'), BIG);
  const mtime = new Date('2024-03-04T05:06:07.000Z');
  fs.utimesSync(path.join(root, 'data', 'big.bam'), mtime, mtime);
  svc = await startService(testConfig({ rootDir: root }), { engine: { partSize: 8 * MiB } });
});

afterAll(async () => {
  await svc.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a 50 MB file', () => {
  it('uploads in parts, byte-exact, with its content type and modification time', async () => {
    const job = await transfer(svc, { kind: 'upload', sources: ['data/big.bam'], destination: `e://org/${F}/up/` });
    expect(job).toMatchObject({
      kind: 'upload',
      state: 'done',
      sources: ['data/big.bam'],
      destination: `e://org/${F}/up/`,
      objects: { done: 1, total: 1 },
      bytes: { done: BIG.length, total: BIG.length }
    });
    expect(sha256(await objectBytes(client, S3.orgBucket, `${ORG}up/big.bam`))).toBe(sha256(BIG));
    const head = await client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}up/big.bam` }));
    expect(head.ContentType).toBe('application/octet-stream');
    expect(head.Metadata?.mtime).toBe(String(Date.parse('2024-03-04T05:06:07.000Z') / 1000) + '.000');
    expect(head.ETag).toMatch(/-6"$/); // 50 MB in 8 MiB parts
    expect(await openUploads(client, S3.orgBucket, ORG)).toEqual([]);
  });

  it('downloads in ranges, byte-exact, with the modification time from S3, and no partial file left', async () => {
    fs.mkdirSync(path.join(root, 'down'));
    const job = await transfer(svc, {
      kind: 'download',
      sources: [`e://org/${F}/up/big.bam`],
      destination: 'down'
    });
    expect(job).toMatchObject({
      kind: 'download',
      state: 'done',
      destination: 'down',
      objects: { done: 1, total: 1 },
      bytes: { done: BIG.length, total: BIG.length }
    });
    const file = path.join(root, 'down', 'big.bam');
    expect(sha256(fs.readFileSync(file))).toBe(sha256(BIG));
    expect(fs.statSync(file).mtime.toISOString()).toBe('2024-03-04T05:06:07.000Z');
    expect(localTree(path.join(root, 'down'))).toEqual(['big.bam']);
  });
});

describe('cancel in the middle', () => {
  let slow: Running;

  beforeAll(async () => {
    // One part (or range) of 5 MiB at a time: the cancel lands while bytes flow.
    slow = await startService(testConfig({ rootDir: root }), {
      engine: { partSize: 5 * MiB, partsInFlight: 1 }
    });
  });

  afterAll(() => slow.close());

  it('of an upload leaves no object and no multipart upload', async () => {
    const started = await slow.post('/api/transfer', {
      kind: 'upload',
      sources: ['data/big.bam'],
      destination: `e://org/${F}/cancelled/`
    });
    expect(started.status).toBe(200);
    const id = started.body.id;
    const midway = await jobWhen(slow, id, job => job.bytes.done > 0);
    expect(midway.state).toBe('running');
    const cancelled = await slow.post('/api/job/cancel', { id });
    expect(cancelled.body.state).toBe('cancelled');
    expect(cancelled.body.bytes.done).toBeLessThan(BIG.length);
    expect(await keysUnder(client, S3.orgBucket, `${ORG}cancelled/`)).toEqual([]);
    expect(await openUploads(client, S3.orgBucket, ORG)).toEqual([]);
  });

  it('of a download leaves no file and no partial file', async () => {
    await client.send(
      new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}src/big.bin`, Body: BIG, ContentLength: BIG.length })
    );
    fs.mkdirSync(path.join(root, 'cancelled'));
    const started = await slow.post('/api/transfer', {
      kind: 'download',
      sources: [`e://org/${F}/src/big.bin`],
      destination: 'cancelled'
    });
    expect(started.status).toBe(200);
    const id = started.body.id;
    const midway = await jobWhen(slow, id, job => job.bytes.done > 0);
    expect(midway.state).toBe('running');
    const cancelled = await slow.post('/api/job/cancel', { id });
    expect(cancelled.body.state).toBe('cancelled');
    expect(localTree(path.join(root, 'cancelled'))).toEqual([]);
  });

  it('answers the finished job to a later poll with nothing left running', async () => {
    const job = await transfer(slow, {
      kind: 'download',
      sources: [`e://org/${F}/src/big.bin`],
      destination: 'cancelled'
    });
    expect(job.state).toBe('done');
    expect(sha256(fs.readFileSync(path.join(root, 'cancelled', 'big.bin')))).toBe(sha256(BIG));
    expect((await waitJob(slow, job.id)).state).toBe('done');
  });
});

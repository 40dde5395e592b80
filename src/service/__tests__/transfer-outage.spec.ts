/**
 * S3 becomes unreachable in the middle of a transfer: the job fails clearly,
 * nothing partial remains (no object, no multipart upload once S3 is back,
 * no local partial file), and a retry succeeds once S3 is back.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Engine } from '../engine';
import { Running, S3, keysUnder, testConfig, uniqueName, waitJob } from './harness';
import {
  Outage,
  jobWhen,
  localTree,
  noOpenUploads,
  objectBytes,
  openUploads,
  outageSuite,
  sha256,
  tempRoot
} from './transfer-helpers';

const MiB = 1024 * 1024;
const F = uniqueName('xout');
const ORG = `shared/files/${F}/`;
const BYTES = randomBytes(30 * MiB);

let root: string;
let engine: Engine;
const suite = outageSuite(ORG, endpoint => {
  root = tempRoot();
  fs.mkdirSync(path.join(root, 'data'));
  fs.writeFileSync(path.join(root, 'data', 'big.bin'), BYTES);
  return {
    config: testConfig({ rootDir: root, endpoint }),
    options: { engine: { partSize: 5 * MiB, partsInFlight: 1 }, onEngine: e => (engine = e) }
  };
});
let client: S3Client;
let proxy: Outage;
let svc: Running;

beforeAll(() => {
  ({ client, proxy, svc } = suite);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Retry a job: through `api/job/retry` once it exists, else the registry. */
async function retry(id: string): Promise<string> {
  const reply = await svc.post('/api/job/retry', { id });
  if (reply.status === 500 && reply.body?.code === 'Internal') {
    return (await engine.jobs.retry(id)).id;
  }
  expect(reply.status).toBe(200);
  return reply.body.id;
}

it('an upload fails clearly, leaves nothing once S3 is back, and a retry succeeds', async () => {
  const started = await svc.post('/api/transfer', {
    kind: 'upload',
    sources: ['data/big.bin'],
    destination: `e://org/${F}/up/`
  });
  expect(started.status).toBe(200);
  await jobWhen(svc, started.body.id, job => job.bytes.done > 0);
  await proxy.stop();
  const failed = await waitJob(svc, started.body.id);
  await proxy.start();
  expect(failed).toMatchObject({ state: 'failed', retryable: true, error: { code: 'Upstream' } });
  expect(failed.error.message).toMatch(/S3 at .* (Cannot reach|did not answer)|Cannot reach S3/);
  expect(await keysUnder(client, S3.orgBucket, `${ORG}up/`)).toEqual([]);
  expect(await noOpenUploads(client, S3.orgBucket, ORG)).toEqual([]);

  const again = await waitJob(svc, await retry(started.body.id));
  expect(again).toMatchObject({ state: 'done', bytes: { done: BYTES.length, total: BYTES.length } });
  expect(sha256(await objectBytes(client, S3.orgBucket, `${ORG}up/big.bin`))).toBe(sha256(BYTES));
  expect(await openUploads(client, S3.orgBucket, ORG)).toEqual([]);
});

it('a download fails clearly, leaves no partial file, and a retry succeeds', async () => {
  await client.send(
    new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}src/big.bin`, Body: BYTES, ContentLength: BYTES.length })
  );
  fs.mkdirSync(path.join(root, 'down'));
  const started = await svc.post('/api/transfer', {
    kind: 'download',
    sources: [`e://org/${F}/src/big.bin`],
    destination: 'down'
  });
  expect(started.status).toBe(200);
  await jobWhen(svc, started.body.id, job => job.bytes.done > 0);
  await proxy.stop();
  const failed = await waitJob(svc, started.body.id);
  await proxy.start();
  expect(failed).toMatchObject({ state: 'failed', retryable: true, error: { code: 'Upstream' } });
  expect(localTree(path.join(root, 'down'))).toEqual([]);

  const again = await waitJob(svc, await retry(started.body.id));
  expect(again.state).toBe('done');
  expect(sha256(fs.readFileSync(path.join(root, 'down', 'big.bin')))).toBe(sha256(BYTES));
  expect(localTree(path.join(root, 'down'))).toEqual(['big.bin']);
});

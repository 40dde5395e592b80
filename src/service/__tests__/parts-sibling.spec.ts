/**
 * When one part of a multipart upload fails, the parts already on their way
 * are not cut: they end on their own before the upload is aborted. A part
 * cut mid-request may still be stored by S3 after the abort and keep the
 * upload alive (S3's documentation says to abort again). Both ways a server
 * writes parts: an upload from the server disk (UploadPart on the data path)
 * and a copy in parts (UploadPartCopy). Nothing stays open either way.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Reply, Running, S3, deletePrefix, startService, testClient, testConfig, uniqueName, waitJob } from './harness';
import { ProxiedRequest, ProxyAction, openUploads, s3Proxy, tempRoot } from './transfer-helpers';

const MiB = 1024 * 1024;
const F = uniqueName('sibling');
const ORG = `shared/files/${F}/`;
/** Three 5 MiB parts. */
const BYTES = randomBytes(15 * MiB);
/** How long the answers of the other parts are held back after S3 gave them. */
const LATE_MS = 1500;

const partOf = (req: ProxiedRequest) => /[?&]partNumber=(\d+)/.exec(req.url)?.[1];
const failPart2: ProxyAction = {
  status: 400,
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidArgument</Code><Message>part 2 refused by the test</Message></Error>'
};

let client: S3Client;
let root: string;
let proxy: Awaited<ReturnType<typeof s3Proxy>>;
let svc: Running;

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  fs.mkdirSync(path.join(root, 'data'));
  fs.writeFileSync(path.join(root, 'data', 'big.bin'), BYTES);
  await client.send(
    new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}src/big.bin`, Body: BYTES, ContentLength: BYTES.length })
  );
  // Part 2 is refused at once; parts 1 and 3 reach S3, and their answers come late.
  proxy = await s3Proxy(undefined, req => {
    const n = partOf(req);
    if (req.method !== 'PUT' || n === undefined) {
      return undefined;
    }
    return n === '2' ? failPart2 : { lateMs: LATE_MS };
  });
  svc = await startService(testConfig({ rootDir: root, endpoint: proxy.url }), {
    engine: { partSize: 5 * MiB, partsInFlight: 4, multipartThreshold: 5 * MiB, copyPartSize: 5 * MiB }
  });
}, 120000);

afterAll(async () => {
  await svc?.close();
  await proxy?.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.requests.length = 0;
});

/** Parts 1 and 3 were answered, not cut, and the upload was aborted only after both. */
function expectSiblingsEnded(): void {
  const parts = proxy.requests.filter(r => r.method === 'PUT' && partOf(r) !== undefined);
  const others = parts.filter(r => partOf(r) !== '2');
  expect(parts.map(partOf).sort()).toEqual(['1', '2', '3']);
  for (const part of others) {
    expect({ part: partOf(part), cut: part.cut, answered: part.answeredAt !== undefined }).toEqual({
      part: partOf(part),
      cut: false,
      answered: true
    });
  }
  const aborts = proxy.requests.filter(r => r.method === 'DELETE' && /[?&]uploadId=/.test(r.url));
  expect(aborts.length).toBeGreaterThanOrEqual(1);
  const lastAnswer = Math.max(...others.map(r => r.answeredAt!));
  expect(aborts[0].at!).toBeGreaterThanOrEqual(lastAnswer);
}

/** The job `started` failed on part 2, its other parts ended first, and no upload is left under `dest`. */
async function expectFailedCleanly(started: Reply, dest: string): Promise<void> {
  expect(started.status).toBe(200);
  const job = await waitJob(svc, started.body.id);
  expect(job).toMatchObject({ state: 'failed' });
  expect(JSON.stringify(job)).toContain('part 2 refused by the test');
  expectSiblingsEnded();
  expect(await openUploads(client, S3.orgBucket, `${ORG}${dest}/`)).toEqual([]);
}

it('an upload from the server disk lets its other parts end before it aborts', async () => {
  const started = await svc.post('/api/transfer', {
    kind: 'upload',
    sources: ['data/big.bin'],
    destination: `e://org/${F}/up/`,
    conflict: 'overwrite'
  });
  await expectFailedCleanly(started, 'up');
}, 60000);

it('a copy in parts lets its other parts end before it aborts', async () => {
  const started = await svc.post('/api/copy', {
    sources: [`e://org/${F}/src/big.bin`],
    destination: `e://org/${F}/copied/`
  });
  await expectFailedCleanly(started, 'copied');
}, 60000);

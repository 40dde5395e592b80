/**
 * S3 becomes unreachable in the middle of a server-side copy and of a
 * recursive delete of 2,500 objects: the job fails naming the endpoint, its
 * counts say what was done, nothing is half-written (every target that
 * exists equals its source, no multipart upload stays open), the source of a
 * copy is intact, and once S3 is back a retry (the delete) or the same
 * request (a copy, with `skip`) finishes the work.
 */
import { randomBytes } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { listPage } from '../engine/s3/listing';
import { Running, S3, putMany, testConfig, uniqueName, waitJob } from './harness';
import { Outage, jobWhen, noOpenUploads, objectBytes, openUploads, outageSuite, sha256 } from './transfer-helpers';

const MiB = 1024 * 1024;
const COUNT = 2500;
const F = uniqueName('opsout');
const ORG = `shared/files/${F}/`;

const suite = outageSuite(ORG, endpoint => ({
  config: testConfig({ endpoint }),
  options: { engine: { multipartThreshold: 5 * MiB, copyPartSize: 5 * MiB } }
}));
let client: S3Client;
let proxy: Outage;
let svc: Running;

beforeAll(() => {
  ({ client, proxy, svc } = suite);
});

/** Each object under `prefix` (key relative to it) with its ETag and size. */
async function objectsUnder(prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await listPage(
      client,
      { Bucket: S3.orgBucket, Prefix: prefix, ContinuationToken: token },
      AbortSignal.timeout(60000)
    );
    for (const o of page.Contents ?? []) {
      out.set(o.Key!.slice(prefix.length), `${o.ETag} ${o.Size}`);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** Stop S3 once the job has done `done` objects; answer the job once it has ended, S3 back. */
async function cutWhen(id: string, done: number): Promise<any> {
  const reached = await jobWhen(svc, id, job => job.objects.done >= done, 60000);
  expect(reached.state).toBe('running');
  await proxy.stop();
  const failed = await waitJob(svc, id);
  await proxy.start();
  return failed;
}

/** The job failed because S3 could not be reached, and said where. */
function expectUnreachable(failed: any): void {
  expect(failed).toMatchObject({ state: 'failed', error: { code: 'Upstream' } });
  const endpoint = proxy.url.replace(/[.]/g, '[.]');
  expect(failed.error.message).toMatch(
    new RegExp(`^(Cannot reach S3 at ${endpoint}|S3 at ${endpoint} did not answer)`)
  );
}

/** The next ordinary request works at once. */
async function listWorks(uri: string): Promise<void> {
  const reply = await svc.get('/api/list', { uri, limit: 10 });
  expect(reply.status).toBe(200);
}

const name = (i: number) => `o${String(i).padStart(4, '0')}.txt`;

it('a copy of 2,500 objects fails clearly, writes no half object, keeps its source, and finishes when asked again', async () => {
  await putMany(client, S3.orgBucket, COUNT, i => `${ORG}src/${name(i)}`, 64);
  const source = await objectsUnder(`${ORG}src/`);
  expect(source.size).toBe(COUNT);
  const request = { sources: [`e://org/${F}/src/`], destination: `e://org/${F}/dst/`, conflict: 'skip' };
  const started = await svc.post('/api/copy', request);
  expect(started.status).toBe(200);

  const failed = await cutWhen(started.body.id, 500);
  expectUnreachable(failed);
  const copied = await objectsUnder(`${ORG}dst/src/`);
  // Copies in flight at the cut may have been made without their answer arriving: at most one per worker.
  expect(failed.objects.done).toBeGreaterThanOrEqual(500);
  expect(copied.size).toBeGreaterThanOrEqual(failed.objects.done);
  expect(copied.size).toBeLessThanOrEqual(failed.objects.done + 8);
  expect(copied.size).toBeLessThan(COUNT);
  for (const [key, tag] of copied) {
    expect([key, tag]).toEqual([key, source.get(key)]);
  }
  expect(await objectsUnder(`${ORG}src/`)).toEqual(source);
  expect(await openUploads(client, S3.orgBucket, ORG)).toEqual([]);
  await listWorks(`e://org/${F}/`);

  const again = await svc.post('/api/copy', request);
  expect(again.status).toBe(200);
  const done = await waitJob(svc, again.body.id);
  expect(done).toMatchObject({ state: 'done', skipped: copied.size, objects: { total: COUNT } });
  expect(done.objects.done + done.skipped).toBe(COUNT);
  expect(await objectsUnder(`${ORG}dst/src/`)).toEqual(source);
  expect(await objectsUnder(`${ORG}src/`)).toEqual(source);
}, 180000);

it('a multipart copy cut off leaves no multipart upload once S3 is back, and finishes when asked again', async () => {
  const bytes = randomBytes(40 * MiB);
  await client.send(
    new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}big/b.bin`, Body: bytes, ContentLength: bytes.length })
  );
  const request = { sources: [`e://org/${F}/big/b.bin`], destination: `e://org/${F}/bigdst/` };
  const started = await svc.post('/api/copy', request);
  expect(started.status).toBe(200);
  // Cut once a part copy is on its way: the upload is open and the service knows its id (a create whose
  // answer the cut loses is lost-create.spec's case).
  const partSent = () => proxy.requests.some(line => /^PUT \S*[?&]partNumber=/.test(line));
  const end = Date.now() + 30000;
  while (!partSent() && Date.now() < end) {
    await new Promise(resolve => setTimeout(resolve, 1));
  }
  expect(partSent()).toBe(true);
  await proxy.stop();
  expect(await openUploads(client, S3.orgBucket, `${ORG}bigdst/`)).toHaveLength(1);
  const failed = await waitJob(svc, started.body.id);
  await proxy.start();
  expectUnreachable(failed);
  expect(failed.objects.done).toBe(0);
  expect(await objectsUnder(`${ORG}bigdst/`)).toEqual(new Map());
  // The abort that failed during the outage is tried again in the background.
  expect(await noOpenUploads(client, S3.orgBucket, ORG)).toEqual([]);
  await listWorks(`e://org/${F}/`);

  const done = await waitJob(svc, (await svc.post('/api/copy', request)).body.id);
  expect(done).toMatchObject({ state: 'done', objects: { done: 1, total: 1 } });
  expect(sha256(await objectBytes(client, S3.orgBucket, `${ORG}bigdst/b.bin`))).toBe(sha256(bytes));
}, 120000);

it('a recursive delete of 2,500 objects fails clearly, counts what is gone, and a retry finishes it', async () => {
  await putMany(client, S3.orgBucket, COUNT, i => `${ORG}del/${name(i)}`, 64);
  const request = { uris: [`e://org/${F}/del/`], recursive: true };
  const started = await svc.post('/api/delete', request);
  expect(started.status).toBe(200);

  const failed = await cutWhen(started.body.id, 1000);
  expectUnreachable(failed);
  const left = await objectsUnder(`${ORG}del/`);
  const gone = COUNT - left.size;
  // Deleted in batches of 1,000: a batch in flight at the cut may be done in S3 without its answer.
  expect(failed.objects.done % 1000).toBe(0);
  expect([failed.objects.done, failed.objects.done + 1000]).toContain(gone);
  expect(gone).toBeLessThan(COUNT);
  await listWorks(`e://org/${F}/del/`);

  expect(failed.retryable).toBe(true);
  const again = await svc.post('/api/job/retry', { id: started.body.id });
  expect(again.status).toBe(200);
  const done = await waitJob(svc, again.body.id);
  expect(done).toMatchObject({ state: 'done', objects: { done: left.size, total: left.size } });
  expect(await objectsUnder(`${ORG}del/`)).toEqual(new Map());
}, 180000);

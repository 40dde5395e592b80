/**
 * POST /api/delete: a job deleting objects and folders in batches of 1,000,
 * refusing roots and read-only places before any S3 call.
 */
import { DeleteBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import {
  Running,
  S3,
  createBucket,
  dropBucket,
  expectError,
  keysUnder,
  putMany,
  putObjects,
  startService,
  testConfig,
  uniqueName,
  waitJob,
  serviceSuite
} from './harness';

const F = uniqueName('delete');
const ORG = `shared/files/${F}/`;
const STRANGER = '0b7e0a3c-4f5d-4e6a-8b9c-1d2e3f405162';

const t = serviceSuite({
  cleanup: [ORG],
  counting: true
});

const del = (uris: string[], recursive?: boolean) =>
  t.svc.post('/api/delete', recursive === undefined ? { uris } : { uris, recursive });

it('deletes objects as a job and reports what it did', async () => {
  await putObjects(t.client, S3.orgBucket, {
    [`${ORG}one/a.txt`]: 'aaa',
    [`${ORG}one/b.txt`]: 'bb',
    [`${ORG}one/keep.txt`]: 'k'
  });
  const started = await del([`e://org/${F}/one/a.txt`, `e://org/${F}/one/b.txt`]);
  expect(started.status).toBe(200);
  expect(started.body).toMatchObject({ kind: 'delete', sources: [`e://org/${F}/one/a.txt`, `e://org/${F}/one/b.txt`] });
  expect(started.body.id).toMatch(/^[0-9a-f]{24}$/);
  const job = await waitJob(t.svc, started.body.id);
  expect(job).toMatchObject({
    state: 'done',
    objects: { done: 2, total: 2 },
    bytes: { done: 5, total: 5 },
    skipped: 0
  });
  expect(job.finished).toBeDefined();
  expect(await keysUnder(t.client, S3.orgBucket, `${ORG}one/`)).toEqual([`${ORG}one/keep.txt`]);
});

it('deletes a folder of 2,500 keys in 3 DeleteObjects batches, control characters included', async () => {
  await putMany(
    t.client,
    S3.orgBucket,
    2500,
    i => `${ORG}big/${i === 7 ? 'ctl\x01' : i === 8 ? 'cr\r' : ''}k-${String(i).padStart(5, '0')}`
  );
  const before = t.calls.length;
  const started = await del([`e://org/${F}/big/`], true);
  expect(started.status).toBe(200);
  const job = await waitJob(t.svc, started.body.id, 120000);
  expect(job.state).toBe('done');
  expect(job.objects).toEqual({ done: 2500, total: 2500 });
  const made = t.calls.slice(before);
  expect(made.filter(c => c === 'DeleteObjectsCommand')).toHaveLength(3);
  // The keys a DeleteObjects round trip cannot carry (\x01, \r) went on their own.
  expect(made.filter(c => c === 'DeleteObjectCommand')).toHaveLength(2);
  expect(await keysUnder(t.client, S3.orgBucket, `${ORG}big/`)).toEqual([]);
}, 180000);

it('refuses a non-empty folder without recursive, synchronously', async () => {
  await putObjects(t.client, S3.orgBucket, { [`${ORG}full/`]: '', [`${ORG}full/x.txt`]: 'x' });
  expectError(await del([`e://org/${F}/full/`]), 409, 'Conflict', 'not empty');
  expectError(await del([`e://org/${F}/full/`], false), 409, 'Conflict');
  expect(await keysUnder(t.client, S3.orgBucket, `${ORG}full/`)).toHaveLength(2);
});

it('deletes an empty folder (its marker) without recursive', async () => {
  await putObjects(t.client, S3.orgBucket, { [`${ORG}empty/`]: '' });
  const job = await waitJob(t.svc, (await del([`e://org/${F}/empty/`])).body.id);
  expect(job).toMatchObject({ state: 'done', objects: { done: 1, total: 1 } });
  expect(await keysUnder(t.client, S3.orgBucket, `${ORG}empty/`)).toEqual([]);
});

it('deletes the object a, not the folder a/', async () => {
  await putObjects(t.client, S3.orgBucket, { [`${ORG}both`]: 'object', [`${ORG}both/inside`]: 'inside' });
  const job = await waitJob(t.svc, (await del([`e://org/${F}/both`])).body.id);
  expect(job.state).toBe('done');
  expect(await keysUnder(t.client, S3.orgBucket, `${ORG}both`)).toEqual([`${ORG}both/inside`]);
});

it('answers 404 for a URI that names nothing', async () => {
  expectError(await del([`e://org/${F}/missing.txt`]), 404, 'NotFound');
});

it.each([
  ['e://', 403, 'ReadOnly'],
  ['e://users/', 403, 'ReadOnly'],
  ['e://org/', 400, 'InvalidRequest'],
  ['e://users/me/', 400, 'InvalidRequest'],
  [`e://users/${STRANGER}/`, 403, 'ReadOnly'],
  [`e://users/${STRANGER}/x.txt`, 403, 'ReadOnly'],
  ['e://gencove/', 403, 'ReadOnly'],
  ['e://gencove/reference/', 403, 'ReadOnly']
])('refuses %s before any S3 call and starts no job', async (uri, status, code) => {
  const before = t.calls.length;
  expectError(await del([`e://org/${F}/one/keep.txt`, uri], true), status, code);
  expect(t.calls.slice(before)).toEqual([]);
  expect(await keysUnder(t.client, S3.orgBucket, `${ORG}one/`)).toEqual([`${ORG}one/keep.txt`]);
});

describe('per-key errors', () => {
  const bucket = uniqueName('eos-deny');
  let denied: Running;

  beforeAll(async () => {
    await createBucket(t.client, bucket);
    await putObjects(t.client, bucket, {
      'shared/files/d/a.txt': 'a',
      'shared/files/d/locked.txt': 'locked',
      'shared/files/d/z.txt': 'z'
    });
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:DeleteObject',
          Resource: `arn:aws:s3:::${bucket}/shared/files/d/locked.txt`
        }
      ]
    };
    await t.client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    denied = await startService(testConfig({ orgBucket: bucket }));
  });

  afterAll(async () => {
    await denied.close();
    await t.client.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await dropBucket(t.client, bucket);
  });

  it('fails the job naming the keys S3 did not delete, deleting the others', async () => {
    const started = await denied.post('/api/delete', { uris: ['e://org/d/'], recursive: true });
    expect(started.status).toBe(200);
    const job = await waitJob(denied, started.body.id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'AccessDenied', message: 'S3 did not delete 1 of 3 objects' });
    expect(job.error.details).toContain('e://org/d/locked.txt: AccessDenied');
    expect(job.objects.done).toBe(2);
    expect(await keysUnder(t.client, bucket, 'shared/files/d/')).toEqual(['shared/files/d/locked.txt']);
  });
});

/**
 * Jobs: the registry on its own, the job routes, a move that fails midway,
 * and a cancelled move. Nothing is ever lost: every object is at its source
 * or at its destination.
 */
import { randomBytes } from 'node:crypto';
import {
  DeleteBucketPolicyCommand,
  ListMultipartUploadsCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client
} from '@aws-sdk/client-s3';
import { EosError, MAX_JOB_WAIT_MS } from '../../core';
import { Jobs } from '../engine/jobs/jobs';
import {
  Running,
  countingClient,
  createBucket,
  deletePrefix,
  dropBucket,
  expectError,
  keysUnder,
  putMany,
  startService,
  testClient,
  testConfig,
  uniqueName,
  waitJob
} from './harness';

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('the registry', () => {
  it('runs work, reports progress and keeps the finished job', async () => {
    const jobs = new Jobs();
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    let reported!: () => void;
    const progressed = new Promise<void>(resolve => (reported = resolve));
    const job = jobs.start({ kind: 'delete', sources: ['e://org/x'] }, async ({ progress }) => {
      await Promise.resolve(); // the work goes on after start() has answered
      progress.objects.done = 1;
      reported();
      await gate;
    });
    expect(job).toMatchObject({ state: 'running', kind: 'delete', objects: { done: 0, total: null } });
    await progressed;
    expect(jobs.get(job.id).objects.done).toBe(1);
    expect((await jobs.wait(job.id, 20)).state).toBe('running');
    release();
    const done = await jobs.wait(job.id, 1000);
    expect(done.state).toBe('done');
    expect(done.finished).toBeDefined();
  });

  it('returns snapshots that later progress does not change', async () => {
    const jobs = new Jobs();
    const job = jobs.start({ kind: 'copy', sources: [] }, async ({ progress }) => {
      await delay(10);
      progress.objects.done = 5;
    });
    await jobs.wait(job.id, 1000);
    expect(job.objects.done).toBe(0);
  });

  it('fails with the EosError, or an Internal error for a bug', async () => {
    const lines: string[] = [];
    const jobs = new Jobs(line => lines.push(line));
    const a = jobs.start({ kind: 'delete', sources: [] }, async () => {
      throw new EosError('AccessDenied', 'no', 'details');
    });
    const b = jobs.start({ kind: 'delete', sources: [] }, async () => {
      throw new TypeError('bug');
    });
    expect((await jobs.wait(a.id, 1000)).error).toEqual({ code: 'AccessDenied', message: 'no', details: 'details' });
    expect((await jobs.wait(b.id, 1000)).error?.code).toBe('Internal');
    expect(lines.join('\n')).toContain('TypeError: bug');
  });

  it('cancels: the work sees its signal, the job ends cancelled', async () => {
    const jobs = new Jobs();
    const job = jobs.start(
      { kind: 'copy', sources: [] },
      ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
    );
    const cancelled = await jobs.cancel(job.id);
    expect(cancelled.state).toBe('cancelled');
    expect((await jobs.cancel(job.id)).state).toBe('cancelled');
  });

  it('forgets the oldest finished jobs beyond its bound, never running ones', async () => {
    const jobs = new Jobs(undefined, 2);
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    const running = jobs.start({ kind: 'copy', sources: [] }, () => gate);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const j = jobs.start({ kind: 'delete', sources: [] }, async () => undefined);
      await jobs.wait(j.id, 1000);
      ids.push(j.id);
    }
    expect(() => jobs.get(ids[0])).toThrow(expect.objectContaining({ code: 'NotFound' }));
    expect(() => jobs.get(ids[1])).toThrow(expect.objectContaining({ code: 'NotFound' }));
    expect(jobs.get(ids[3]).state).toBe('done');
    expect(jobs.get(running.id).state).toBe('running');
    release();
  });

  it('makes ids safe in a query string', () => {
    const jobs = new Jobs();
    const job = jobs.start({ kind: 'copy', sources: [] }, async () => undefined);
    expect(encodeURIComponent(job.id)).toBe(job.id);
  });
});

describe('moves against S3', () => {
  const bucket = uniqueName('eos-jobs');
  const N = 40;
  const key = (i: number) => `shared/files/src/f-${String(i).padStart(3, '0')}.txt`;
  let client: S3Client;
  let svc: Running;
  /** S3 requests the service has sent and not yet had answered. */
  let inFlight = 0;

  beforeAll(async () => {
    client = testClient();
    await createBucket(client, bucket);
    const serviceClient = testClient();
    serviceClient.middlewareStack.add(
      next => async args => {
        inFlight++;
        try {
          return await next(args);
        } finally {
          inFlight--;
        }
      },
      { step: 'initialize', name: 'eosInFlight' }
    );
    svc = await startService(testConfig({ orgBucket: bucket }), {
      engine: { copyConcurrency: 1 },
      s3Client: serviceClient
    });
  });

  afterAll(async () => {
    await svc.close();
    await client.send(new DeleteBucketPolicyCommand({ Bucket: bucket })).catch(() => undefined);
    await dropBucket(client, bucket);
    client.destroy();
  });

  beforeEach(async () => {
    await putMany(client, bucket, N, key, 8);
  });

  afterEach(async () => {
    await client.send(new DeleteBucketPolicyCommand({ Bucket: bucket })).catch(() => undefined);
    await deletePrefix(client, bucket, 'shared/files/');
  });

  /** Every source object is at the source or at the destination, under the same name. */
  async function nothingLost(): Promise<{ atSource: number; atDestination: number }> {
    const atSource = (await keysUnder(client, bucket, 'shared/files/src/')).map(k =>
      k.slice('shared/files/src/'.length)
    );
    const atDestination = (await keysUnder(client, bucket, 'shared/files/dst/src/')).map(k =>
      k.slice('shared/files/dst/src/'.length)
    );
    const names = Array.from({ length: N }, (_, i) => key(i).slice('shared/files/src/'.length));
    for (const name of names) {
      expect(atSource.includes(name) || atDestination.includes(name)).toBe(true);
    }
    return { atSource: atSource.length, atDestination: atDestination.length };
  }

  it('a move where one copy fails keeps every object (the failed one at its source)', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${bucket}/shared/files/dst/src/f-020.txt`
        }
      ]
    };
    await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    const started = await svc.post('/api/copy', { sources: ['e://org/src/'], destination: 'e://org/dst/', move: true });
    expect(started.status).toBe(200);
    const job = await waitJob(svc, started.body.id);
    expect(job.state).toBe('failed');
    expect(job.error.code).toBe('AccessDenied');
    const { atSource, atDestination } = await nothingLost();
    expect(await keysUnder(client, bucket, 'shared/files/src/f-020.txt')).toEqual(['shared/files/src/f-020.txt']);
    expect(atDestination).toBe(job.objects.done);
    expect(atSource).toBe(N - job.objects.done);
    expect(job.objects.done).toBe(20);
  });

  it('a cancelled move stops, keeping every object', async () => {
    const started = await svc.post('/api/copy', { sources: ['e://org/src/'], destination: 'e://org/dst/', move: true });
    expect(started.status).toBe(200);
    const id = started.body.id;
    for (let i = 0; i < 500 && (await svc.get('/api/job', { id })).body.objects.done < 3; i++) {
      await delay(10);
    }
    const cancelled = await svc.post('/api/job/cancel', { id });
    // The job's work has returned (the state says so only then) and left no S3 request running behind it.
    expect(inFlight).toBe(0);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    expect(cancelled.body.finished).toBeDefined();
    expect(cancelled.body.objects.done).toBeLessThan(N);
    const { atSource, atDestination } = await nothingLost();
    const done = cancelled.body.objects.done;
    expect(atSource).toBe(N - done); // only sources whose copy completed are gone
    // A copy cut off by the cancel may have completed in S3 all the same:
    // then the object is at both places, never at neither.
    expect(atDestination).toBeGreaterThanOrEqual(done);
    expect(atDestination).toBeLessThanOrEqual(done + 1);
    // Nothing moves after the answer (checked above: no S3 request was left running).
    expect((await svc.get('/api/job', { id })).body.objects.done).toBe(cancelled.body.objects.done);
  });
});

describe('a multipart copy that fails', () => {
  const bucket = uniqueName('eos-mpfail');
  let client: S3Client;
  let svc: Running;

  beforeAll(async () => {
    client = testClient();
    await createBucket(client, bucket);
    svc = await startService(testConfig({ orgBucket: bucket }), {
      engine: { multipartThreshold: 1024 * 1024, copyPartSize: 5 * 1024 * 1024 }
    });
  });

  afterAll(async () => {
    await svc.close();
    await client.send(new DeleteBucketPolicyCommand({ Bucket: bucket })).catch(() => undefined);
    await dropBucket(client, bucket);
    client.destroy();
  });

  it('is aborted: no multipart upload is left behind, the source stays', async () => {
    const bytes = randomBytes(6 * 1024 * 1024);
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'shared/files/big.bin', Body: bytes, ContentLength: bytes.length })
    );
    // UploadPartCopy is a PUT on the target key: denied.
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${bucket}/shared/files/dst/big.bin`
        }
      ]
    };
    await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
    const started = await svc.post('/api/copy', {
      sources: ['e://org/big.bin'],
      destination: 'e://org/dst/',
      move: true
    });
    expect(started.status).toBe(200);
    const job = await waitJob(svc, started.body.id);
    expect(job.state).toBe('failed');
    expect(job.error.code).toBe('AccessDenied');
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
    expect(await keysUnder(client, bucket, 'shared/files/')).toEqual(['shared/files/big.bin']);
  });
});

describe('job routes', () => {
  let svc: Running;
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(() => svc.close());

  it('answers an unknown id with 404', async () => {
    expectError(await svc.get('/api/job', { id: 'nope' }), 404, 'NotFound', 'No such job');
    expectError(await svc.post('/api/job/cancel', { id: 'nope' }), 404, 'NotFound');
  });

  it('validates the query and body', async () => {
    expectError(await svc.get('/api/job'), 400, 'InvalidRequest', "'id'");
    expectError(await svc.get('/api/job', { id: 'x', wait: '-1' }), 400, 'InvalidRequest', "'wait'");
    expectError(
      await svc.post('/api/job/cancel', { id: 'x', force: true }),
      400,
      'InvalidRequest',
      "unknown field 'force'"
    );
  });

  it('answers a long poll on a finished job at once, whatever the wait', async () => {
    const started = await svc.post('/api/delete', { uris: ['e://org/'] });
    expect(started.status).toBe(400); // roots are refused: no job
    const t0 = Date.now();
    const reply = await svc.get('/api/job', { id: 'nope', wait: MAX_JOB_WAIT_MS * 10 });
    expect(reply.status).toBe(404);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe('XSRF on the new routes', () => {
  let svc: Running;
  let calls: string[];
  beforeAll(async () => {
    const counting = countingClient();
    calls = counting.calls;
    svc = await startService(testConfig(), { s3Client: counting.client });
  });
  afterAll(() => svc.close());

  it.each([
    ['/api/mkdir', { uri: 'e://org/xsrf/' }],
    ['/api/count', { uris: ['e://org/'] }],
    ['/api/delete', { uris: ['e://org/xsrf.txt'] }],
    ['/api/copy', { sources: ['e://org/a.txt'], destination: 'e://org/b/' }],
    ['/api/job/cancel', { id: 'x' }]
  ])('refuses POST %s without an XSRF token, before any S3 call', async (path, body) => {
    const reply = await svc.post(path, body, { Cookie: '_xsrf=abc' });
    expectError(reply, 403, 'Forbidden', 'X-XSRFToken');
    expect(calls).toEqual([]);
  });

  it.each(['/api/mkdir', '/api/count', '/api/delete', '/api/copy', '/api/job/cancel'])(
    'answers GET %s with 405',
    async path => {
      expectError(await svc.get(path), 405, 'MethodNotAllowed');
    }
  );
});

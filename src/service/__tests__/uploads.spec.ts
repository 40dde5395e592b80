/**
 * Computer uploads: `api/uploads`, raw parts over `PUT api/uploads/part`,
 * complete and abort, the idle timeout, conflict policies and refusals,
 * against moto and versitygw (jest.config.js) through the real service.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { MAX_UPLOAD_FILES, MIN_UPLOAD_PART } from '../../core';
import {
  MOTO_DIFFERS,
  Reply,
  S3,
  expectError,
  itExceptOn,
  putObjects,
  startService,
  testClient,
  testConfig,
  uniqueName,
  waitJob,
  serviceSuite
} from './harness';

const F = uniqueName('uploads');
const ORG = `shared/files/${F}/`;
const URI = `e://org/${F}/`;
const TOKEN = 'token test';

const t = serviceSuite({
  cleanup: [ORG],
  counting: true
});

/** Send part `n` of upload `id`. */
function putPart(id: string, n: number, body: Buffer, headers: Record<string, string> = { Authorization: TOKEN }) {
  return t.svc.request({
    method: 'PUT',
    path: '/api/uploads/part',
    query: { id, n },
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length, ...headers },
    body
  });
}

/** Multipart uploads still open under this suite's folder. */
async function openUploads(): Promise<string[]> {
  const out = await t.client.send(new ListMultipartUploadsCommand({ Bucket: S3.orgBucket, Prefix: ORG }));
  return (out.Uploads ?? []).map(u => u.Key!);
}

async function bytesOf(key: string): Promise<Buffer> {
  const out = await t.client.send(new GetObjectCommand({ Bucket: S3.orgBucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function exists(key: string): Promise<boolean> {
  try {
    await t.client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function ok(reply: Reply): any {
  if (reply.status !== 200) {
    throw new Error(`answered ${reply.status}: ${reply.raw}`);
  }
  return reply.body;
}

describe('a 50 MB file in 8 MiB parts', () => {
  it('arrives byte-exact from parts sent out of order, three at once, with its mtime and content type', async () => {
    const data = randomBytes(50 * 1000 * 1000);
    const modified = '2024-03-05T06:07:08.250Z';
    const created = ok(
      await t.svc.post('/api/uploads', {
        files: [{ destination: `${URI}big/reads.fastq`, size: data.length, modified }]
      })
    );
    expect(created.partSize).toBe(MIN_UPLOAD_PART);
    expect(created.job).toMatchObject({
      kind: 'computer-upload',
      state: 'running',
      destination: `${URI}big/`,
      sources: ['reads.fastq'],
      bytes: { done: 0, total: data.length },
      objects: { done: 0, total: 1 }
    });
    const id: string = created.uploads[0].id;
    const count = Math.ceil(data.length / created.partSize);
    expect(count).toBe(6);
    const order = [6, 2, 4, 1, 5, 3];
    for (let i = 0; i < order.length; i += 3) {
      const replies = await Promise.all(
        order.slice(i, i + 3).map(n => putPart(id, n, data.subarray((n - 1) * created.partSize, n * created.partSize)))
      );
      replies.forEach(ok);
    }
    const job = ok(await t.svc.post('/api/uploads/complete', { id }));
    expect(job).toMatchObject({ state: 'done', bytes: { done: data.length }, objects: { done: 1, total: 1 } });
    expect(sha256(await bytesOf(`${ORG}big/reads.fastq`))).toBe(sha256(data));
    const head = await t.client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}big/reads.fastq` }));
    expect(head.Metadata).toEqual({ mtime: '1709618828.250' });
    expect(head.ContentType).toBe('text/plain');
    expect(await openUploads()).toEqual([]);
  });
});

describe('parts', () => {
  it('refuses a wrong part size, a missing part at completion (nothing written), then aborts cleanly', async () => {
    const size = MIN_UPLOAD_PART + 1000;
    const data = randomBytes(size);
    const created = ok(await t.svc.post('/api/uploads', { files: [{ destination: `${URI}parts/a.bin`, size }] }));
    const id = created.uploads[0].id;
    expectError(
      await putPart(id, 1, data.subarray(0, 1000)),
      400,
      'InvalidRequest',
      `must be ${MIN_UPLOAD_PART} bytes`
    );
    expectError(await putPart(id, 3, data.subarray(0, 1000)), 400, 'InvalidRequest', 'has parts 1 to 2');
    expectError(await putPart(id, 2, data.subarray(0, 999)), 400, 'InvalidRequest', 'must be 1000 bytes');
    expect(ok(await putPart(id, 2, data.subarray(MIN_UPLOAD_PART)))).toEqual({ n: 2, received: 1000 });
    const incomplete = await t.svc.post('/api/uploads/complete', { id });
    expectError(incomplete, 400, 'InvalidRequest', '1 of 2 parts missing');
    expect(await exists(`${ORG}parts/a.bin`)).toBe(false);
    expect(await openUploads()).toEqual([`${ORG}parts/a.bin`]);

    const aborted = ok(await t.svc.post('/api/uploads/abort', { id }));
    expect(aborted.state).toBe('cancelled');
    expect(await exists(`${ORG}parts/a.bin`)).toBe(false);
    expect(await openUploads()).toEqual([]);
    expectError(await putPart(id, 1, data.subarray(0, MIN_UPLOAD_PART)), 404, 'NotFound', 'No such upload');
  });

  it('forgets a part whose client went away mid-body; the part can be sent again', async () => {
    const size = MIN_UPLOAD_PART + 10;
    const data = randomBytes(size);
    const created = ok(await t.svc.post('/api/uploads', { files: [{ destination: `${URI}parts/gone.bin`, size }] }));
    const id = created.uploads[0].id;
    await new Promise<void>(resolve => {
      const req = http.request({
        socketPath: t.svc.socket,
        method: 'PUT',
        path: `/api/uploads/part?id=${id}&n=1`,
        headers: { Authorization: TOKEN, 'Content-Length': MIN_UPLOAD_PART },
        agent: false
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(data.subarray(0, 1024 * 1024), () => setTimeout(() => req.destroy(), 100));
    });
    expect(ok(await putPart(id, 2, data.subarray(MIN_UPLOAD_PART)))).toEqual({ n: 2, received: 10 });
    expectError(await t.svc.post('/api/uploads/complete', { id }), 400, 'InvalidRequest', '1 of 2 parts missing');
    ok(await putPart(id, 1, data.subarray(0, MIN_UPLOAD_PART)));
    expect(ok(await t.svc.post('/api/uploads/complete', { id })).state).toBe('done');
    expect(sha256(await bytesOf(`${ORG}parts/gone.bin`))).toBe(sha256(data));
  });

  it('takes a file of 0 bytes with no part', async () => {
    const created = ok(
      await t.svc.post('/api/uploads', { files: [{ destination: `${URI}parts/empty.txt`, size: 0 }] })
    );
    const job = ok(await t.svc.post('/api/uploads/complete', { id: created.uploads[0].id }));
    expect(job.state).toBe('done');
    expect((await bytesOf(`${ORG}parts/empty.txt`)).length).toBe(0);
  });

  it('needs the XSRF token on PUT when the request carries cookies', async () => {
    const created = ok(await t.svc.post('/api/uploads', { files: [{ destination: `${URI}parts/x.txt`, size: 3 }] }));
    const id = created.uploads[0].id;
    const refused = await putPart(id, 1, Buffer.from('abc'), { Cookie: '_xsrf=1a2b' });
    expectError(refused, 403, 'Forbidden', /X-XSRFToken/);
    ok(await putPart(id, 1, Buffer.from('abc'), { Cookie: '_xsrf=1a2b', 'X-XSRFToken': '1a2b' }));
    expect(ok(await t.svc.post('/api/uploads/complete', { id })).state).toBe('done');
    expect((await bytesOf(`${ORG}parts/x.txt`)).toString()).toBe('abc');
  });

  it('uploads several files in one job', async () => {
    const created = ok(
      await t.svc.post('/api/uploads', {
        files: [
          { destination: `${URI}multi/a.txt`, size: 1 },
          { destination: `${URI}multi/sub/b.txt`, size: 2 }
        ]
      })
    );
    expect(created.job.sources).toEqual(['a.txt', 'sub/b.txt']);
    const [a, b] = created.uploads.map((u: { id: string }) => u.id);
    ok(await putPart(b, 1, Buffer.from('bb')));
    ok(await putPart(a, 1, Buffer.from('a')));
    expect(ok(await t.svc.post('/api/uploads/complete', { id: a })).state).toBe('running');
    expect(ok(await t.svc.post('/api/uploads/complete', { id: b }))).toMatchObject({
      state: 'done',
      objects: { done: 2, total: 2 },
      bytes: { done: 3, total: 3 }
    });
  });
});

describe('the idle timeout', () => {
  it('aborts an upload that receives nothing and fails its job clearly', async () => {
    const idle = await startService(testConfig(), { engine: { uploadIdleMs: 300 } });
    try {
      const created = ok(
        await idle.post('/api/uploads', { files: [{ destination: `${URI}idle/a.bin`, size: MIN_UPLOAD_PART + 1 }] })
      );
      const id = created.uploads[0].id;
      ok(
        await idle.request({
          method: 'PUT',
          path: '/api/uploads/part',
          query: { id, n: 2 },
          headers: { Authorization: TOKEN, 'Content-Length': 1 },
          body: Buffer.from('z')
        })
      );
      const job = await waitJob(idle, created.job.id);
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code: 'Upstream', message: expect.stringContaining('no part arrived') });
      expect(await openUploads()).toEqual([]);
      expect(await exists(`${ORG}idle/a.bin`)).toBe(false);
    } finally {
      await idle.close();
    }
  });
});

describe('conflicts', () => {
  beforeAll(async () => {
    await putObjects(t.client, S3.orgBucket, { [`${ORG}c/a.txt`]: 'old', [`${ORG}c/r.fastq.gz`]: 'old' });
  });

  it('fail: refuses before anything is written, listing the existing targets', async () => {
    const reply = await t.svc.post('/api/uploads', {
      files: [
        { destination: `${URI}c/a.txt`, size: 3 },
        { destination: `${URI}c/r.fastq.gz`, size: 3 },
        { destination: `${URI}c/new.txt`, size: 3 }
      ]
    });
    expectError(reply, 409, 'Conflict', '2 targets already exist');
    expect(reply.body.details).toBe(`${URI}c/a.txt\n${URI}c/r.fastq.gz`);
  });

  it('skip: leaves existing targets out', async () => {
    const created = ok(
      await t.svc.post('/api/uploads', {
        files: [
          { destination: `${URI}c/a.txt`, size: 3 },
          { destination: `${URI}c/skip-new.txt`, size: 3 }
        ],
        conflict: 'skip'
      })
    );
    expect(created.uploads[0]).toEqual({ id: null, destination: `${URI}c/a.txt` });
    expect(created.job).toMatchObject({ skipped: 1, objects: { total: 1 } });
    ok(await putPart(created.uploads[1].id, 1, Buffer.from('new')));
    expect(ok(await t.svc.post('/api/uploads/complete', { id: created.uploads[1].id })).state).toBe('done');
    expect((await bytesOf(`${ORG}c/a.txt`)).toString()).toBe('old');
  });

  it('keep-both: writes under a free name', async () => {
    const created = ok(
      await t.svc.post('/api/uploads', {
        files: [{ destination: `${URI}c/r.fastq.gz`, size: 3 }],
        conflict: 'keep-both'
      })
    );
    expect(created.uploads[0].destination).toBe(`${URI}c/r (1).fastq.gz`);
    ok(await putPart(created.uploads[0].id, 1, Buffer.from('two')));
    ok(await t.svc.post('/api/uploads/complete', { id: created.uploads[0].id }));
    expect((await bytesOf(`${ORG}c/r (1).fastq.gz`)).toString()).toBe('two');
    expect((await bytesOf(`${ORG}c/r.fastq.gz`)).toString()).toBe('old');
  });

  it('overwrite: replaces the target', async () => {
    const created = ok(
      await t.svc.post('/api/uploads', { files: [{ destination: `${URI}c/a.txt`, size: 3 }], conflict: 'overwrite' })
    );
    ok(await putPart(created.uploads[0].id, 1, Buffer.from('NEW')));
    ok(await t.svc.post('/api/uploads/complete', { id: created.uploads[0].id }));
    expect((await bytesOf(`${ORG}c/a.txt`)).toString()).toBe('NEW');
  });

  it('a target written while the upload ran is not replaced: the file fails, its upload is aborted', async () => {
    const created = ok(await t.svc.post('/api/uploads', { files: [{ destination: `${URI}c/late.txt`, size: 3 }] }));
    ok(await putPart(created.uploads[0].id, 1, Buffer.from('new')));
    await putObjects(t.client, S3.orgBucket, { [`${ORG}c/late.txt`]: 'other' });
    expectError(await t.svc.post('/api/uploads/complete', { id: created.uploads[0].id }), 409, 'Conflict');
    expect((await bytesOf(`${ORG}c/late.txt`)).toString()).toBe('other');
    expect(await openUploads()).toEqual([]);
    const job = await waitJob(t.svc, created.job.id);
    expect(job.state).toBe('failed');
  });

  itExceptOn('moto', MOTO_DIFFERS.atomicComplete)(
    'two uploads racing to one new name: one is written, the other fails as a conflict and is aborted',
    async () => {
      const key = `${ORG}c/race.txt`;
      // Each completion checks that the target is still absent: once armed, both checks are held
      // until both are asked, so both pass and S3's If-None-Match on CompleteMultipartUpload decides.
      const client = testClient();
      let armed = false;
      let heads = 0;
      let release!: () => void;
      const bothAsked = new Promise<void>(resolve => (release = resolve));
      client.middlewareStack.add(
        (next, context) => async args => {
          if (armed && context.commandName === 'HeadObjectCommand' && (args.input as { Key?: string }).Key === key) {
            if (++heads === 2) {
              release();
            }
            await bothAsked;
          }
          return next(args);
        },
        { step: 'initialize', name: 'eosTestBarrier' }
      );
      const svc = await startService(testConfig(), { s3Client: client });
      try {
        const ids: string[] = [];
        for (const body of ['one', 'two']) {
          const created = ok(await svc.post('/api/uploads', { files: [{ destination: `${URI}c/race.txt`, size: 3 }] }));
          ids.push(created.uploads[0].id);
          ok(
            await svc.request({
              method: 'PUT',
              path: '/api/uploads/part',
              query: { id: created.uploads[0].id, n: 1 },
              headers: { 'Content-Type': 'application/octet-stream', Authorization: TOKEN },
              body: Buffer.from(body)
            })
          );
        }
        armed = true;
        const replies = await Promise.all(ids.map(id => svc.post('/api/uploads/complete', { id })));
        expect(replies.map(r => r.status).sort()).toEqual([200, 409]);
        const lost = replies.findIndex(r => r.status === 409);
        expectError(replies[lost], 409, 'Conflict', 'already exists');
        expect((await bytesOf(key)).toString()).toBe(lost === 0 ? 'two' : 'one');
        expect(await openUploads()).toEqual([]);
      } finally {
        await svc.close();
        client.destroy();
      }
    }
  );
});

describe('refusals', () => {
  it('refuses read-only targets before any S3 call', async () => {
    t.calls.length = 0;
    const reply = await t.svc.post('/api/uploads', { files: [{ destination: 'e://gencove/x.txt', size: 1 }] });
    expectError(reply, 403, 'ReadOnly');
    expect(t.calls).toEqual([]);
  });

  it('refuses folders, duplicates, unknown fields and bad sizes', async () => {
    expectError(
      await t.svc.post('/api/uploads', { files: [{ destination: `${URI}dir/`, size: 1 }] }),
      400,
      'InvalidRequest',
      'names a folder'
    );
    const twice = { destination: `${URI}d.txt`, size: 1 };
    expectError(await t.svc.post('/api/uploads', { files: [twice, twice] }), 400, 'InvalidRequest', 'Two files');
    expectError(
      await t.svc.post('/api/uploads', { files: [{ ...twice, sise: 1 }] }),
      400,
      'InvalidRequest',
      "unknown field 'sise'"
    );
    expectError(
      await t.svc.post('/api/uploads', { files: [{ ...twice, size: -1 }] }),
      400,
      'InvalidRequest',
      "Invalid 'files.0.size'"
    );
  });
});

describe('a folder of many files', () => {
  it('takes MAX_UPLOAD_FILES files in one request, beyond the 64 KiB of other bodies', async () => {
    const files = Array.from({ length: MAX_UPLOAD_FILES }, (_, i) => ({
      destination: `${URI}many/a-rather-long-folder-name/sample-${String(i).padStart(4, '0')}.fastq.gz`,
      size: 100,
      modified: '2024-01-01T00:00:00Z'
    }));
    expect(JSON.stringify({ files }).length).toBeGreaterThan(64 * 1024);
    const created = ok(await t.svc.post('/api/uploads', { files }));
    expect(created.uploads).toHaveLength(MAX_UPLOAD_FILES);
    expect(ok(await t.svc.post('/api/uploads/abort', { id: created.uploads[0].id })).state).toBe('cancelled');
    const tooMany = await t.svc.post('/api/uploads', { files: [...files, { ...files[0], destination: `${URI}x` }] });
    expectError(tooMany, 400, 'InvalidRequest', `at most ${MAX_UPLOAD_FILES} files`);
  });
});

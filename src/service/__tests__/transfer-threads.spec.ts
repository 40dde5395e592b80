/**
 * Downloads on worker threads (the `eos-get-worker.cjs` bundle, built here as
 * the package builds it): a file in ranges and a folder of small files arrive
 * byte-exact with their modification times; a cancel leaves no partial file;
 * a thread's failures keep their error codes (S3's, after its retries, and
 * credentials the client cannot find); a thread that stops fails its GETs
 * instead of leaving them waiting. The threads load no SDK client: routes
 * and credentials are lent by the service's, and a public location is read
 * unsigned with no credentials at all. Uploads' PUTs run there too: read,
 * hashed and sent byte-exact; a thread that stops mid-upload fails the job
 * and leaves no multipart upload.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { EosError } from '../../core';
import { Engine } from '../engine';
import { GetWorkers } from '../engine/transfer/threads';
import { getFile } from '../engine/transfer/getfile';
import { S3, startService, tamperedClient, waitJob, testConfig, until } from './harness';
import { EosStore } from '../engine/s3/store';
import { jobWhen, localTree, noOpenUploads, objectBytes, s3Proxy, sha256, transfer } from './transfer-helpers';
import {
  BIG,
  F,
  MTIME,
  MiB,
  ORG,
  SMALL,
  client,
  engine,
  noBytes,
  root,
  svc,
  task,
  threadsOf,
  threadsSuite
} from './threads-fixture';

threadsSuite();

describe('downloads on worker threads', () => {
  it('start with the first download; a file in ranges waits for them and arrives byte-exact', async () => {
    fs.mkdirSync(path.join(root, 'down'));
    const job = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/big.bam`], destination: 'down' });
    expect(job).toMatchObject({ state: 'done', objects: { done: 1, total: 1 }, bytes: { done: BIG.length } });
    const file = path.join(root, 'down', 'big.bam');
    expect(sha256(fs.readFileSync(file))).toBe(sha256(BIG));
    expect(fs.statSync(file).mtime.toISOString()).toBe(MTIME);
    expect(localTree(path.join(root, 'down'))).toEqual(['big.bam']);
    expect(threadsOf(engine).started).toBe(2);
    expect(threadsOf(engine).fetched).toBe(Math.ceil(BIG.length / (4 * MiB)));
  });

  it('fail a file whose ranges, hashed on the threads, do not match the CRC S3 stores, leaving no file', async () => {
    await until(() => threadsOf(engine).ready());
    const before = threadsOf(engine).fetched;
    // The HEAD (on this thread) says S3 stores another CRC32 than the bytes' (as if they changed on its disk).
    const liar = tamperedClient('HeadObjectCommand', out => {
      const crc = Buffer.from(out.ChecksumCRC32, 'base64');
      crc[0] ^= 1;
      out.ChecksumCRC32 = crc.toString('base64');
    });
    const store = new EosStore(liar, testConfig().context!, S3.endpoint);
    fs.mkdirSync(path.join(root, 'liar'));
    const task = {
      bucket: S3.orgBucket,
      key: `${ORG}big.bam`,
      uri: `e://org/${F}/big.bam`,
      size: BIG.length,
      final: path.join(root, 'liar', 'big.bam'),
      shown: 'liar/big.bam',
      place: 'new' as const
    };
    const signal = new AbortController().signal;
    await expect(getFile(store, task, engine.options, () => undefined, signal)).rejects.toThrow(
      /do not match the object's checksum \(crc32 /
    );
    expect(threadsOf(engine).fetched - before).toBe(Math.ceil(BIG.length / (4 * MiB)));
    expect(localTree(path.join(root, 'liar'))).toEqual([]);
    liar.destroy();
  });

  it('do not hold up a one-GET file while they start: it runs on the main thread', async () => {
    const fresh = new GetWorkers(threadsOf(engine).threads, threadsOf(engine).s3);
    const final = path.join(root, 'first.txt');
    const task = {
      bucket: S3.orgBucket,
      key: `${ORG}many/sub/f7.txt`,
      uri: `e://org/${F}/many/sub/f7.txt`,
      size: SMALL[7].length,
      final,
      shown: 'first.txt',
      place: 'new' as const
    };
    const options = { ...engine.options, getThreads: fresh };
    await getFile(engine.store, task, options, () => undefined, new AbortController().signal);
    expect(sha256(fs.readFileSync(final))).toBe(sha256(SMALL[7]));
    expect(fresh.started).toBe(2);
    expect(fresh.fetched).toBe(0);
    await fresh.close();
  });

  it('once ready, run every GET: a file in ranges arrives byte-exact with its time', async () => {
    await until(() => threadsOf(engine).ready());
    const before = threadsOf(engine).fetched;
    fs.mkdirSync(path.join(root, 'down2'));
    const job = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/big.bam`], destination: 'down2' });
    expect(job).toMatchObject({ state: 'done', bytes: { done: BIG.length } });
    const file = path.join(root, 'down2', 'big.bam');
    expect(sha256(fs.readFileSync(file))).toBe(sha256(BIG));
    expect(fs.statSync(file).mtime.toISOString()).toBe(MTIME);
    expect(localTree(path.join(root, 'down2'))).toEqual(['big.bam']);
    expect(threadsOf(engine).fetched - before).toBe(Math.ceil(BIG.length / (4 * MiB)));
    // Each thread computed its ranges' CRC32 (the SDK's default when the test wrote it); combined, it matched S3's.
    expect(job.integrity).toEqual({ verified: { crc32: 1 }, unverified: {} });
  });

  it('bring a folder of small files (an empty one too), each byte-exact with the time S3 gives it', async () => {
    await until(() => threadsOf(engine).ready());
    const before = threadsOf(engine).fetched;
    const job = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/many/`], destination: '' });
    expect(threadsOf(engine).fetched - before).toBe(SMALL.length);
    expect(job).toMatchObject({ state: 'done', objects: { done: SMALL.length, total: SMALL.length } });
    const dir = path.join(root, 'many', 'sub');
    expect(localTree(dir)).toEqual(SMALL.map((_, i) => `f${i}.txt`).sort());
    for (const [i, body] of SMALL.entries()) {
      expect(sha256(fs.readFileSync(path.join(dir, `f${i}.txt`)))).toBe(sha256(body));
    }
    // Each one GET, on a thread, answered the stored CRC32 (the SDK's default when the test wrote them):
    // the thread sends it back with the file, whose bytes are read back to compute it.
    expect(job.integrity).toEqual({ verified: { crc32: SMALL.length }, unverified: {} });
    const head = await client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}many/sub/f3.txt` }));
    expect(fs.statSync(path.join(dir, 'f3.txt')).mtime.getTime()).toBe(head.LastModified!.getTime());
  });

  it('leave no file and no partial file when cancelled in the middle', async () => {
    fs.mkdirSync(path.join(root, 'cancelled'));
    const started = await svc.post('/api/transfer', {
      kind: 'download',
      sources: [`e://org/${F}/big.bam`],
      destination: 'cancelled'
    });
    expect(started.status).toBe(200);
    const midway = await jobWhen(svc, started.body.id, job => job.bytes.done > 0);
    expect(midway.state).toBe('running');
    const cancelled = await svc.post('/api/job/cancel', { id: started.body.id });
    expect(cancelled.body.state).toBe('cancelled');
    expect(localTree(path.join(root, 'cancelled'))).toEqual([]);
  });
});

describe('a download thread', () => {
  it('answers a changed object as a Conflict, not as a failure of S3', async () => {
    const file = { path: path.join(root, '.etag-check'), create: true, setTimes: false };
    const failed = threadsOf(engine).fetch(
      task({ etag: '"0123456789abcdef0123456789abcdef"' }),
      file,
      noBytes,
      new AbortController().signal
    );
    await expect(failed).rejects.toMatchObject({ code: 'Conflict', message: expect.stringMatching(/changed while/) });
    fs.rmSync(file.path, { force: true });
  });

  it('answers a folder that is gone as NotFound, naming the file', async () => {
    const file = { path: path.join(root, 'gone', 'f5.txt'), create: true, setTimes: false };
    const failed = threadsOf(engine).fetch(task(), file, noBytes, new AbortController().signal);
    await expect(failed).rejects.toBeInstanceOf(EosError);
    await expect(failed).rejects.toMatchObject({ code: 'NotFound', message: expect.stringMatching(/f5\.txt/) });
  });

  it('that stops fails the GETs it had, and the next GET starts a new one', async () => {
    const threads = new GetWorkers(threadsOf(engine).threads, threadsOf(engine).s3);
    const file = { path: path.join(root, '.stopped'), create: true, setTimes: false };
    const pending = threads.fetch(
      task({ key: `${ORG}big.bam`, length: BIG.length, shown: 'big' }),
      file,
      noBytes,
      new AbortController().signal
    );
    await threads.close();
    await expect(pending).rejects.toMatchObject({
      code: 'Internal',
      message: expect.stringMatching(/transfer thread stopped/)
    });
    fs.rmSync(file.path, { force: true });
    const again = { path: path.join(root, 'again.txt'), create: true, setTimes: false };
    await threads.fetch(task(), again, noBytes, new AbortController().signal);
    expect(sha256(fs.readFileSync(again.path))).toBe(sha256(SMALL[5]));
    await threads.close();
  });
});

describe('uploads on worker threads', () => {
  /** Parts of 5 MiB (S3's smallest; the engine's 4 MiB is raised to it). */
  const parts = Math.ceil(BIG.length / (5 * MiB));
  const few = SMALL.slice(0, 6);

  beforeAll(() => {
    fs.mkdirSync(path.join(root, 'up', 'few'), { recursive: true });
    fs.writeFileSync(path.join(root, 'up', 'big.bin'), BIG);
    few.forEach((body, i) => fs.writeFileSync(path.join(root, 'up', 'few', `s${i}.txt`), body));
  });

  it('read, hash and send every part and small file there, byte-exact with the CRC64NVME S3 checked', async () => {
    await until(() => threadsOf(engine).ready());
    const before = threadsOf(engine).sent;
    const job = await transfer(svc, { kind: 'upload', sources: ['up'], destination: `e://org/${F}/uploaded/` });
    expect(job).toMatchObject({
      state: 'done',
      objects: { done: 7 },
      bytes: { done: BIG.length + few.reduce((n, b) => n + b.length, 0) }
    });
    expect(job.integrity).toEqual({ verified: { crc64nvme: 7 }, unverified: {} });
    expect(threadsOf(engine).sent - before).toBe(parts + 6);
    expect(sha256(await objectBytes(client, S3.orgBucket, `${ORG}uploaded/up/big.bin`))).toBe(sha256(BIG));
    for (const [i, body] of few.entries()) {
      const got = await objectBytes(client, S3.orgBucket, `${ORG}uploaded/up/few/s${i}.txt`);
      expect(sha256(got)).toBe(sha256(body));
    }
  });

  it('that stops mid-upload fails the job cleanly: no object, no multipart upload left', async () => {
    // S3 never answers part 2: the thread sending it is stopped meanwhile.
    const proxy = await s3Proxy(undefined, req =>
      req.method === 'PUT' && /[?&]partNumber=2&/.test(req.url) ? 'hold' : undefined
    );
    let other: Engine | undefined;
    const held = await startService(testConfig({ rootDir: root, endpoint: proxy.url }), {
      engine: {
        partSize: 4 * MiB,
        partsInFlight: 1,
        downloadThreads: threadsOf(engine).threads
      },
      onEngine: e => (other = e)
    });
    try {
      const started = await held.post('/api/transfer', {
        kind: 'upload',
        sources: ['up/big.bin'],
        destination: `e://org/${F}/stopped/`
      });
      expect(started.status).toBe(200);
      await until(() => proxy.requests.some(r => /[?&]partNumber=2&/.test(r.url)));
      await threadsOf(other!).close();
      const job = await waitJob(held, started.body.id);
      expect(job.state).toBe('failed');
      expect(JSON.stringify(job)).toMatch(/transfer thread stopped/);
      expect(await noOpenUploads(client, S3.orgBucket, `${ORG}stopped/`)).toEqual([]);
      await expect(
        client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}stopped/big.bin` }))
      ).rejects.toThrow();
    } finally {
      await held.close();
      await other?.close();
      await proxy.close();
    }
  });
});

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
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EosError } from '../../core';
import { Engine } from '../engine';
import { GET_WORKER_BUNDLE, GetWorkers } from '../engine/transfer/threads';
import { RangeTask } from '../engine/transfer/getrange';
import { getFile } from '../engine/transfer/getfile';
import { ENTRIES, buildBundle } from './bundle';
import {
  Running,
  S3,
  deletePrefix,
  startService,
  tamperedClient,
  waitJob,
  testClient,
  testConfig,
  uniqueName,
  until
} from './harness';
import { EosStore } from '../engine/s3/store';
import { crcOf, crcToBase64 } from '../engine/s3/crc';
import { bodyChecksumFields } from '../engine/s3/checksums';
import { createS3Client } from '../engine/s3/client';
import { Lender, lenderOf } from '../engine/s3/lentwire';
import {
  jobWhen,
  localTree,
  noOpenUploads,
  objectBytes,
  s3Proxy,
  sha256,
  tempRoot,
  transfer
} from './transfer-helpers';

const MiB = 1024 * 1024;
const F = uniqueName('threads');
const ORG = `shared/files/${F}/`;
const BIG = randomBytes(12 * MiB + 12345);
const MTIME = '2024-03-04T05:06:07.000Z';
/** Small files, an empty one among them. */
const SMALL = Array.from({ length: 24 }, (_, i) => randomBytes(i === 0 ? 0 : 1000 * i + 7));

let client: S3Client;
let root: string;
let bundleDir: string;
let svc: Running;
let engine: Engine;

function threadsOf(e: Engine): GetWorkers {
  const threads = e.options.getThreads;
  if (!threads) {
    throw new Error('the engine has no download threads');
  }
  return threads;
}

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-worker-'));
  buildBundle(path.join(bundleDir, GET_WORKER_BUNDLE), ENTRIES.getWorker);
  await client.send(
    new PutObjectCommand({
      Bucket: S3.orgBucket,
      Key: `${ORG}big.bam`,
      Body: BIG,
      ContentLength: BIG.length,
      Metadata: { mtime: String(Date.parse(MTIME) / 1000) }
    })
  );
  for (const [i, body] of SMALL.entries()) {
    await client.send(
      new PutObjectCommand({
        Bucket: S3.orgBucket,
        Key: `${ORG}many/sub/f${i}.txt`,
        Body: body,
        ContentLength: body.length
      })
    );
  }
  // Ranges of 4 MiB, one at a time per file: the big object takes four GETs, and a cancel lands mid-file.
  svc = await startService(testConfig({ rootDir: root }), {
    engine: {
      partSize: 4 * MiB,
      rangeSize: 4 * MiB,
      partsInFlight: 1,
      downloadThreads: { script: path.join(bundleDir, GET_WORKER_BUNDLE), threads: 2 }
    },
    onEngine: e => (engine = e)
  });
});

afterAll(async () => {
  await svc.close();
  await engine.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(bundleDir, { recursive: true, force: true });
});

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
  const task = (over: Partial<RangeTask> = {}): RangeTask => ({
    bucket: S3.orgBucket,
    key: `${ORG}many/sub/f5.txt`,
    uri: `e://org/${F}/many/sub/f5.txt`,
    shown: 'f5.txt',
    start: 0,
    length: SMALL[5].length,
    whole: true,
    ...over
  });
  const noBytes = () => undefined;

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

  it('runs GETs posted together, each placing its file or failing alone', async () => {
    await until(() => threadsOf(engine).ready());
    const dir = path.join(root, 'together');
    fs.mkdirSync(dir);
    // Posted in one turn of the loop: one message to each thread. The fourth names no object.
    const gets = SMALL.map((body, i) =>
      threadsOf(engine).fetch(
        task({ key: `${ORG}many/sub/${i === 3 ? 'none' : `f${i}`}.txt`, length: body.length, shown: `f${i}.txt` }),
        {
          path: path.join(dir, `.f${i}.partial`),
          create: true,
          setTimes: true,
          place: { final: path.join(dir, `f${i}.txt`), how: 'new' }
        },
        noBytes,
        new AbortController().signal
      )
    );
    const results = await Promise.allSettled(gets);
    for (const [i, result] of results.entries()) {
      if (i === 3) {
        expect(result).toMatchObject({ status: 'rejected', reason: { code: 'NotFound' } });
        continue;
      }
      expect(result).toMatchObject({ status: 'fulfilled', value: { placed: path.join(dir, `f${i}.txt`) } });
      expect(sha256(fs.readFileSync(path.join(dir, `f${i}.txt`)))).toBe(sha256(SMALL[i]));
    }
    // The failed one's temporary file is the caller's to remove (getFile does); no other is left.
    expect(localTree(dir).filter(n => n.startsWith('.'))).toEqual(['.f3.partial']);
  });

  it('cancels GETs posted together with their cancel: each fails as cancelled, none is placed', async () => {
    await until(() => threadsOf(engine).ready());
    const dir = path.join(root, 'cancelled-together');
    fs.mkdirSync(dir);
    const controller = new AbortController();
    setMaxListeners(2 * SMALL.length, controller.signal);
    const gets = SMALL.map((body, i) =>
      threadsOf(engine).fetch(
        task({ key: `${ORG}many/sub/f${i}.txt`, length: body.length, shown: `f${i}.txt` }),
        {
          path: path.join(dir, `.f${i}.partial`),
          create: true,
          setTimes: true,
          place: { final: path.join(dir, `f${i}.txt`), how: 'overwrite' }
        },
        noBytes,
        controller.signal
      )
    );
    controller.abort(new EosError('Upstream', 'The operation was cancelled'));
    const results = await Promise.allSettled(gets);
    expect(results.every(r => r.status === 'rejected' && /cancelled/.test(String(r.reason?.message)))).toBe(true);
    expect(localTree(dir).filter(n => !n.startsWith('.'))).toEqual([]);
  });

  it('leaves a name already taken to the main thread, which places the file beside it', async () => {
    await until(() => threadsOf(engine).ready());
    const dir = path.join(root, 'taken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'f5.txt'), 'mine');
    const before = threadsOf(engine).fetched;
    const base = {
      bucket: S3.orgBucket,
      key: `${ORG}many/sub/f5.txt`,
      uri: `e://org/${F}/many/sub/f5.txt`,
      size: SMALL[5].length,
      final: path.join(dir, 'f5.txt'),
      shown: 'taken/f5.txt'
    };
    // Checksums off: the thread has nothing to compare, so it places the file itself where it can.
    const options = { ...engine.options, verifyChecksums: false };
    const signal = new AbortController().signal;
    const beside = await getFile(engine.store, { ...base, place: 'keep-both' }, options, noBytes, signal);
    expect(beside).toBe(path.join(dir, 'f5 (1).txt'));
    await expect(getFile(engine.store, { ...base, place: 'new' }, options, noBytes, signal)).rejects.toMatchObject({
      code: 'Conflict'
    });
    const fresh = await getFile(
      engine.store,
      { ...base, final: path.join(dir, 'g.txt'), place: 'new' },
      options,
      noBytes,
      signal
    );
    expect(fresh).toBe(path.join(dir, 'g.txt'));
    expect(threadsOf(engine).fetched - before).toBe(3);
    expect(fs.readFileSync(path.join(dir, 'f5.txt'), 'utf8')).toBe('mine');
    expect(sha256(fs.readFileSync(beside))).toBe(sha256(SMALL[5]));
    expect(sha256(fs.readFileSync(fresh))).toBe(sha256(SMALL[5]));
    expect(localTree(dir)).toEqual(['f5 (1).txt', 'f5.txt', 'g.txt']);
  });

  it('fails a whole file whose bytes do not match the CRC64NVME its GET answered, placing nothing', async () => {
    const body = randomBytes(3000);
    const key = `${ORG}crc/small64.bin`;
    const crc64 = crcToBase64('CRC64NVME', await crcOf('CRC64NVME', body));
    await client.send(
      new PutObjectCommand({ Bucket: S3.orgBucket, Key: key, Body: body, ...bodyChecksumFields('CRC64NVME', crc64) })
    );
    // One byte of the body flipped on its way to the thread (its GETs go through the proxy).
    const flipper = await s3Proxy((req, chunk, at) => {
      if (req.method === 'GET' && req.url.includes('/crc/') && at <= 10 && at + chunk.length > 10) {
        chunk[10 - at] ^= 0x40;
      }
      return chunk;
    });
    const threads = lentThreads(
      async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing', clockOffsetMs: 0 }),
      flipper.url
    );
    const dir = path.join(root, 'flipped');
    fs.mkdirSync(dir);
    const fetch = (on: GetWorkers) =>
      on.fetch(
        task({ key, length: body.length, shown: 'small64.bin', checksum: true }),
        {
          path: path.join(dir, '.small64.partial'),
          create: true,
          setTimes: true,
          crc: 'CRC64NVME',
          place: { final: path.join(dir, 'small64.bin'), how: 'overwrite' }
        },
        noBytes,
        new AbortController().signal
      );
    try {
      await threads.whenReady();
      await expect(fetch(threads)).rejects.toMatchObject({
        code: 'Upstream',
        message: expect.stringContaining("do not match the object's checksum (crc64nvme ")
      });
      expect(localTree(dir)).toEqual(['.small64.partial']);
    } finally {
      await threads.close();
      await flipper.close();
    }
    // Straight from S3 the same GET matches: the thread places the file.
    fs.rmSync(path.join(dir, '.small64.partial'));
    await until(() => threadsOf(engine).ready());
    const placed = await fetch(threadsOf(engine));
    expect(placed.placed).toBe(path.join(dir, 'small64.bin'));
    expect(localTree(dir)).toEqual(['small64.bin']);
    expect(sha256(fs.readFileSync(path.join(dir, 'small64.bin')))).toBe(sha256(body));
  });

  /** Threads lent routes by the engine's client, with credentials from `credentials` (through `proxy`'s endpoint). */
  function lentThreads(credentials: Lender['credentials'], endpoint = S3.endpoint): GetWorkers {
    const lent = createS3Client(testConfig({ endpoint }), { credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const { route } = lenderOf(lent);
    return new GetWorkers(threadsOf(engine).threads, { label: 'the test S3', lender: { route, credentials } });
  }

  it('reads a public location unsigned with no credentials at all, sending no signature', async () => {
    // The test S3 refuses anonymous reads of its buckets: the proxy answers as a public bucket would.
    const proxy = await s3Proxy(undefined, () => ({ status: 200, body: 'abc' }));
    const threads = lentThreads(() => Promise.reject(new Error('no credentials may be asked for')), proxy.url);
    try {
      const file = { path: path.join(root, 'public.txt'), create: true, setTimes: false };
      await threads.fetch(task({ unsigned: true, length: 3 }), file, noBytes, new AbortController().signal);
      expect(fs.readFileSync(file.path, 'utf8')).toBe('abc');
      expect(proxy.requests).toHaveLength(1);
      expect(proxy.requests[0].headers.authorization).toBeUndefined();
      expect(proxy.requests[0].headers['x-amz-date']).toBeUndefined();
    } finally {
      await threads.close();
      await proxy.close();
    }
  });

  it('fails a signed GET as NoCredentials when the client finds none, and gets the next once it does', async () => {
    let found = false;
    const threads = lentThreads(async () => {
      if (!found) {
        const err = new Error('Could not load credentials from any providers');
        err.name = 'CredentialsProviderError';
        throw err;
      }
      return { accessKeyId: 'testing', secretAccessKey: 'testing', clockOffsetMs: 0 };
    });
    try {
      const file = { path: path.join(root, 'nocreds.txt'), create: true, setTimes: false };
      await expect(threads.fetch(task(), file, noBytes, new AbortController().signal)).rejects.toMatchObject({
        code: 'NoCredentials'
      });
      fs.rmSync(file.path, { force: true });
      found = true;
      await threads.fetch(task(), file, noBytes, new AbortController().signal);
      expect(sha256(fs.readFileSync(file.path))).toBe(sha256(SMALL[5]));
    } finally {
      await threads.close();
    }
  });

  it('answers S3 refusing a GET with its typed error, after the retries of a 503', async () => {
    let n = 0;
    const proxy = await s3Proxy(undefined, () =>
      ++n === 1
        ? { status: 503, body: '<Error><Code>SlowDown</Code><Message>Reduce your request rate</Message></Error>' }
        : { status: 403, body: '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>' }
    );
    const threads = lentThreads(
      async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing', clockOffsetMs: 0 }),
      proxy.url
    );
    try {
      const file = { path: path.join(root, 'denied.txt'), create: true, setTimes: false };
      await expect(threads.fetch(task(), file, noBytes, new AbortController().signal)).rejects.toMatchObject({
        code: 'AccessDenied',
        s3: { code: 'AccessDenied', status: 403, attempts: 2 }
      });
      expect(n).toBe(2);
      fs.rmSync(file.path, { force: true });
    } finally {
      await threads.close();
      await proxy.close();
    }
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

/**
 * The downloads' GETs on `node:http` (s3/dataget.ts, through `fetchRange`):
 * byte-exact ranges and whole objects, the ETag pin, S3's failures mapped to
 * the same typed errors as the SDK's (403, 404, 5xx retried), a connection
 * dropped mid-body resumed from the next byte, cancel, and unsigned GETs for
 * public locations, and a folder of small files downloaded with one GET
 * each, its checksum answered by the GET itself. S3 is the test server (moto, or versitygw); the failures
 * S3 will not produce on demand come from a small HTTP server or a TCP proxy
 * that cuts the first connection.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EosError } from '../../core';
import { Engine } from '../engine';
import { EosStore } from '../engine/s3/store';
import { S3Error } from '../engine/s3/errors';
import { RangeTask, SyncWrites, fetchRange } from '../engine/transfer/getrange';
import { S3, deletePrefix, testClient, testConfig, uniqueName } from './harness';
import { s3Proxy, tempRoot } from './transfer-helpers';
import { CrcName, createCrc, crcOf, crcToBase64 } from '../engine/s3/crc';
import { bodyChecksumFields } from '../engine/s3/checksums';

const KiB = 1024;
const F = uniqueName('dataget');
const KEY = `shared/files/${F}/odd name (1)+ü.bin`;
const BODY = randomBytes(3 * 1024 * KiB + 123);

let client: S3Client;
let root: string;
let etag: string;

function storeOf(c: S3Client): EosStore {
  return new EosStore(c, testConfig().context!, 'the test S3');
}

function task(over: Partial<RangeTask> = {}): RangeTask {
  return {
    bucket: S3.orgBucket,
    key: KEY,
    uri: `e://org/${F}/x.bin`,
    etag,
    shown: 'x.bin',
    start: 0,
    length: BODY.length,
    whole: true,
    ...over
  };
}

/** The fields of a PutObject sending `body`'s CRC64NVME, as the engine's uploads do. */
async function crc64Of(body: Buffer) {
  return bodyChecksumFields('CRC64NVME', crcToBase64('CRC64NVME', await crcOf('CRC64NVME', body)));
}

/** `fetchRange` into a new file; answers its bytes and what was counted. */
async function fetchTo(
  store: EosStore,
  t: RangeTask,
  signal = new AbortController().signal
): Promise<{ bytes: Buffer; counted: number }> {
  const file = path.join(root, `f-${Math.random().toString(36).slice(2)}`);
  const fd = fs.openSync(file, 'w+');
  let counted = 0;
  try {
    await fetchRange(store, t, new SyncWrites(fd, t.start, t.shown), n => (counted += n), signal);
  } finally {
    fs.closeSync(fd);
  }
  return { bytes: fs.readFileSync(file).subarray(t.start), counted };
}

/** `fetchRange` of a whole object into a new file whose sink starts with a CRC of `guess`; answers the result. */
async function fetchCrc(store: EosStore, t: RangeTask, guess: CrcName) {
  const fd = fs.openSync(path.join(root, `c-${Math.random().toString(36).slice(2)}`), 'w+');
  try {
    const sink = new SyncWrites(fd, t.start, t.shown, await createCrc(guess));
    return await fetchRange(store, t, sink, () => undefined, AbortSignal.timeout(30000));
  } finally {
    fs.closeSync(fd);
  }
}

/** An HTTP server answering each request with `answer`; it records the requests' headers. */
async function fakeS3(
  answer: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void
): Promise<{ url: string; seen: http.IncomingHttpHeaders[]; close: () => Promise<void> }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    answer(req, res, seen.length);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise(resolve => server.close(() => resolve()));
    }
  };
}

function s3Error(res: http.ServerResponse, status: number, code: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>said ${code}</Message></Error>`);
}

async function failure(p: Promise<unknown>): Promise<EosError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e
  );
  expect(err).toBeInstanceOf(EosError);
  return err as EosError;
}

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  const put = await client.send(
    new PutObjectCommand({
      Bucket: S3.orgBucket,
      Key: KEY,
      Body: BODY,
      Metadata: { mtime: '1700000000' }
    })
  );
  etag = put.ETag!;
});

afterAll(async () => {
  await deletePrefix(client, S3.orgBucket, `shared/files/${F}/`);
  fs.rmSync(root, { recursive: true, force: true });
  client.destroy();
});

describe('GETs on node:http', () => {
  it('fetches a whole object and ranges of it byte-exact, with the modification time', async () => {
    const store = storeOf(client);
    const whole = await fetchTo(store, task());
    expect(whole.bytes.equals(BODY)).toBe(true);
    expect(whole.counted).toBe(BODY.length);
    for (const [start, length] of [
      [0, 1],
      [1000, 64 * KiB],
      [BODY.length - 5000, 5000]
    ]) {
      const part = await fetchTo(store, task({ start, length, whole: false }));
      expect(part.bytes.equals(BODY.subarray(start, start + length))).toBe(true);
    }
    const file = path.join(root, 'timed');
    const fd = fs.openSync(file, 'w');
    const result = await fetchRange(
      store,
      task(),
      new SyncWrites(fd, 0, 'timed'),
      () => undefined,
      AbortSignal.timeout(30000)
    );
    fs.closeSync(fd);
    expect(result.modifiedMs).toBe(1700000000 * 1000);
  });

  it('is pinned to the ETag: a replaced object fails the next range with Conflict', async () => {
    const key = `shared/files/${F}/replaced.bin`;
    const first = await client.send(new PutObjectCommand({ Bucket: S3.orgBucket, Key: key, Body: BODY }));
    const store = storeOf(client);
    const t = task({ key, etag: first.ETag, whole: false, length: 64 * KiB });
    expect((await fetchTo(store, t)).bytes.equals(BODY.subarray(0, 64 * KiB))).toBe(true);
    await client.send(new PutObjectCommand({ Bucket: S3.orgBucket, Key: key, Body: randomBytes(BODY.length) }));
    const err = await failure(fetchTo(store, { ...t, start: 64 * KiB }));
    expect(err.code).toBe('Conflict');
    expect(err.message).toContain('changed while it was being downloaded');
  });

  it('maps a missing object to NotFound, as the SDK path did', async () => {
    const err = await failure(fetchTo(storeOf(client), task({ key: `shared/files/${F}/none`, etag: undefined })));
    expect(err.code).toBe('NotFound');
    expect(err).toBeInstanceOf(S3Error);
    expect((err as S3Error).s3.status).toBe(404);
  });

  it('maps 403 to AccessDenied, and retries 5xx before failing Upstream', async () => {
    const fake = await fakeS3((req, res) =>
      req.url!.includes('denied') ? s3Error(res, 403, 'AccessDenied') : s3Error(res, 503, 'ServiceUnavailable')
    );
    const c = testClient({ endpoint: fake.url });
    try {
      const denied = await failure(fetchTo(storeOf(c), task({ key: 'denied', length: 10 })));
      expect(denied.code).toBe('AccessDenied');
      expect((denied as S3Error).s3).toMatchObject({ code: 'AccessDenied', status: 403 });
      expect(fake.seen).toHaveLength(1);
      const unavailable = await failure(fetchTo(storeOf(c), task({ key: 'busy', length: 10 })));
      expect(unavailable.code).toBe('Upstream');
      expect((unavailable as S3Error).s3).toMatchObject({ code: 'ServiceUnavailable', status: 503, attempts: 3 });
      expect(fake.seen).toHaveLength(4);
      // Signed by the client's SigV4 signer, pinned, and ranged only when asked.
      expect(fake.seen[0].authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=testing\//);
      expect(fake.seen[0]['if-match']).toBe(etag);
      expect(fake.seen[0].range).toBeUndefined();
    } finally {
      c.destroy();
      await fake.close();
    }
  });

  it('resumes a connection dropped mid-body from the next byte', async () => {
    // A proxy to S3 that cuts its first connection once 200 KiB of the answer passed.
    let connections = 0;
    const target = new URL(S3.endpoint);
    const proxy = net.createServer(inbound => {
      const n = ++connections;
      const outbound = net.connect(Number(target.port), target.hostname);
      inbound.on('error', () => undefined);
      outbound.on('error', () => undefined);
      inbound.pipe(outbound);
      let passed = 0;
      outbound.on('data', (chunk: Buffer) => {
        passed += chunk.length;
        if (n === 1 && passed > 200 * KiB) {
          inbound.destroy();
          outbound.destroy();
          return;
        }
        inbound.write(chunk);
      });
      outbound.on('end', () => inbound.end());
    });
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
    const c = testClient({ endpoint: `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}` });
    try {
      const got = await fetchTo(storeOf(c), task());
      expect(got.bytes.equals(BODY)).toBe(true);
      expect(got.counted).toBe(BODY.length);
      expect(connections).toBe(2);
    } finally {
      c.destroy();
      await new Promise(resolve => proxy.close(resolve));
    }
  });

  it('stops at once when cancelled mid-body', async () => {
    const fake = await fakeS3((req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write(Buffer.alloc(100));
    });
    const c = testClient({ endpoint: fake.url });
    try {
      const controller = new AbortController();
      const started = Date.now();
      const pending = fetchTo(storeOf(c), task({ length: 1000 }), controller.signal);
      setTimeout(() => controller.abort(new EosError('Upstream', 'The operation was cancelled')), 300);
      const err = await failure(pending);
      expect(err.message).toBe('The operation was cancelled');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(fake.seen).toHaveLength(1);
    } finally {
      c.destroy();
      await fake.close();
    }
  });

  it('computes the CRC the answer names, from the first byte, and none when it names none', async () => {
    // The SDK's own default for a PutObject: CRC32, not the CRC64NVME the sink starts with.
    const key = `shared/files/${F}/crc32.bin`;
    const body = randomBytes(300 * KiB + 7);
    const put = await client.send(new PutObjectCommand({ Bucket: S3.orgBucket, Key: key, Body: body }));
    const t = task({ key, etag: put.ETag, length: body.length, checksum: true });
    const crc32 = await crcOf('CRC32', body);
    expect(await fetchCrc(storeOf(client), t, 'CRC64NVME')).toMatchObject({
      crcName: 'CRC32',
      crc: crc32,
      stored: { name: 'CRC32', crc: crc32 }
    });
    // Any algorithm the answer names; an answer with no checksum (an object S3 stored none for) computes none.
    const crc32c = await crcOf('CRC32C', body);
    const fake = await fakeS3((req, res) => {
      res.writeHead(200, {
        'content-length': body.length,
        etag: '"e1"',
        ...(req.url!.includes('named') && { 'x-amz-checksum-crc32c': crcToBase64('CRC32C', crc32c) })
      });
      res.end(body);
    });
    const c = testClient({ endpoint: fake.url });
    try {
      const named = await fetchCrc(
        storeOf(c),
        task({ key: 'named', etag: '"e1"', length: body.length, checksum: true }),
        'CRC64NVME'
      );
      expect(named).toMatchObject({ crcName: 'CRC32C', crc: crc32c, stored: { name: 'CRC32C' } });
      const none = await fetchCrc(
        storeOf(c),
        task({ key: 'none', etag: '"e1"', length: body.length, checksum: true }),
        'CRC64NVME'
      );
      expect(none.stored).toEqual({ reason: 'no-checksum' });
      expect(none.crc).toBeUndefined();
      // A GET asking for no checksum (a range of a file in ranges) keeps the CRC it was given.
      const ranged = await fetchCrc(storeOf(c), task({ key: 'none', etag: '"e1"', length: body.length }), 'CRC32');
      expect(ranged).toMatchObject({ crcName: 'CRC32', crc: crc32 });
    } finally {
      c.destroy();
      await fake.close();
    }
  });

  it('sends a public location’s GET unsigned', async () => {
    const fake = await fakeS3((req, res) => {
      res.writeHead(200, { 'content-length': '3' });
      res.end('abc');
    });
    const c = testClient({ endpoint: fake.url });
    try {
      const got = await fetchTo(storeOf(c), task({ length: 3, unsigned: true }));
      expect(got.bytes.toString()).toBe('abc');
      expect(fake.seen[0].authorization).toBeUndefined();
      expect(fake.seen[0]['x-amz-date']).toBeUndefined();
    } finally {
      c.destroy();
      await fake.close();
    }
  });

  it.each([
    ['on', true],
    ['off', false]
  ])('downloads a folder of small files with one GET each and no HEAD, verification %s', async (dir, verify) => {
    const names = Array.from({ length: 12 }, (_, i) => `f${i}.txt`);
    for (const name of names) {
      // Stored as the engine uploads (CRC64NVME), but for the last: the SDK's own default, CRC32.
      const sum = name === names[names.length - 1] ? {} : await crc64Of(Buffer.from(name));
      await client.send(
        new PutObjectCommand({ Bucket: S3.orgBucket, Key: `shared/files/${F}/small/${name}`, Body: name, ...sum })
      );
    }
    const proxy = await s3Proxy();
    const c = testClient({ endpoint: proxy.url });
    const engine = new Engine(storeOf(c), { rootDir: root, verifyChecksums: verify });
    try {
      fs.mkdirSync(path.join(root, dir));
      let job = await engine.transfer({
        kind: 'download',
        sources: [`e://org/${F}/small/`],
        destination: dir,
        conflict: 'overwrite'
      });
      while (job.state === 'running') {
        job = await engine.jobs.wait(job.id, 30000);
      }
      expect(job.state).toBe('done');
      for (const name of names) {
        expect(fs.readFileSync(path.join(root, dir, 'small', name), 'utf8')).toBe(name);
      }
      // One GET per file; the rest are listings (the folder walked), no HEAD.
      const gets = proxy.requests.filter(r => r.url.includes('/small/f'));
      expect(gets.map(r => r.method)).toEqual(names.map(() => 'GET'));
      expect(new Set(gets.map(r => r.url)).size).toBe(names.length);
      const others = proxy.requests.filter(r => !gets.includes(r));
      expect(others.every(r => r.method === 'GET' && r.url.includes('list-type=2'))).toBe(true);
      // With verification on, each GET asks for the stored checksum, in a signed header.
      for (const r of gets) {
        expect(r.headers['x-amz-checksum-mode']).toBe(verify ? 'ENABLED' : undefined);
        expect(r.headers.authorization?.includes('x-amz-checksum-mode')).toBe(verify);
      }
      expect(job.integrity).toEqual(
        verify
          ? { verified: { crc64nvme: names.length - 1, crc32: 1 }, unverified: {} }
          : { verified: {}, unverified: { off: names.length } }
      );
    } finally {
      await engine.close();
      c.destroy();
      await proxy.close();
    }
  });
});

/**
 * The uploads' PUTs on `node:http` (s3/dataput.ts, through `putFile` and
 * `partput.ts` on the service's thread): a small file and one in parts arrive
 * byte-exact, sent with `UNSIGNED-PAYLOAD` and their CRC64NVME (no SHA-256
 * of the payload), with their content type and mtime; a body changed on the
 * way is refused by S3 and nothing is written; with checksums off none is
 * sent; `If-None-Match` refuses a taken key; a cancel mid-part aborts the
 * multipart upload; a 500, a throttling answer and a connection cut mid-body
 * are retried. S3 is the test server (moto, or versitygw) behind an HTTP
 * proxy that can take a request over (transfer-helpers.ts).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EosStore } from '../engine/s3/store';
import { crcOf, crcToBase64 } from '../engine/s3/crc';
import { putFile } from '../engine/transfer/putfile';
import { JobContext } from '../engine/jobs/jobs';
import { DEFAULT_TRANSFER_OPTIONS } from '../engine/transfer/run';
import {
  MOTO_DIFFERS,
  Running,
  S3,
  deletePrefix,
  itExceptOn,
  startService,
  testClient,
  testConfig,
  uniqueName,
  waitJob
} from './harness';
import {
  ProxiedRequest,
  ProxyAction,
  jobWhen,
  noOpenUploads,
  objectBytes,
  s3Proxy,
  sha256,
  tempRoot,
  transfer
} from './transfer-helpers';

const MiB = 1024 * 1024;
const F = uniqueName('dataput');
const ORG = `shared/files/${F}/`;
const SMALL = randomBytes(7777);
/** Three parts of 5 MiB (S3's smallest). */
const BIG = randomBytes(2 * 5 * MiB + 4321);
const PART = /[?&]partNumber=(\d+)/;

let client: S3Client;
let root: string;
let proxy: Awaited<ReturnType<typeof s3Proxy>>;
let svc: Running;
/** What the proxy does with the next requests (undefined: passes them on). */
let act: (req: ProxiedRequest) => ProxyAction | undefined = () => undefined;

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'small.txt'), SMALL);
  fs.writeFileSync(path.join(root, 'src', 'big.bin'), BIG);
  proxy = await s3Proxy(undefined, req => act(req));
  svc = await startService(testConfig({ rootDir: root, endpoint: proxy.url }), {
    engine: { partSize: 5 * MiB, partsInFlight: 1 }
  });
});

afterAll(async () => {
  await svc.close();
  await proxy.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  act = () => undefined;
  proxy.requests.length = 0;
});

function upload(source: string, dest: string) {
  return transfer(svc, {
    kind: 'upload',
    sources: [`src/${source}`],
    destination: `e://org/${F}/${dest}/`,
    conflict: 'overwrite'
  });
}

/** The PUTs with a body the proxy saw (part number 0: a whole object). */
const bodyPuts = () =>
  proxy.requests
    .filter(r => r.method === 'PUT' && Number(r.headers['content-length']) > 0)
    .map(r => ({ n: Number(PART.exec(r.url)?.[1] ?? 0), headers: r.headers }));

/** Act on the first attempt at part `n` only (0: a whole object's PUT). */
function onceAt(n: number, action: ProxyAction): (req: ProxiedRequest) => ProxyAction | undefined {
  let done = false;
  return req => {
    if (done || req.method !== 'PUT' || Number(PART.exec(req.url)?.[1] ?? 0) !== n || !req.url.includes(F)) {
      return undefined;
    }
    done = true;
    return action;
  };
}

async function expectStored(key: string, body: Buffer): Promise<void> {
  expect(sha256(await objectBytes(client, S3.orgBucket, key))).toBe(sha256(body));
  const head = await client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: key, ChecksumMode: 'ENABLED' }));
  expect(head.ChecksumCRC64NVME).toBe(crcToBase64('CRC64NVME', await crcOf('CRC64NVME', body)));
}

describe('uploads on the data path', () => {
  it('send a small file and one in parts unsigned with their CRC64NVME, byte-exact, with type and mtime', async () => {
    for (const name of ['small.txt', 'big.bin']) {
      expect(await upload(name, 'plain')).toMatchObject({ state: 'done', objects: { done: 1 } });
    }
    const puts = bodyPuts();
    expect(puts.map(p => p.n)).toEqual([0, 1, 2, 3]);
    for (const { headers } of puts) {
      expect(headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
      expect(headers['x-amz-checksum-crc64nvme']).toMatch(/^[A-Za-z0-9+/]{11}=$/);
      expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
    }
    await expectStored(`${ORG}plain/small.txt`, SMALL);
    await expectStored(`${ORG}plain/big.bin`, BIG);
    const head = await client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}plain/small.txt` }));
    expect(head.ContentType).toBe('text/plain');
    const mtime = fs.statSync(path.join(root, 'src', 'small.txt')).mtimeMs;
    expect(Number(head.Metadata?.mtime) * 1000).toBeCloseTo(mtime, -1);
  });

  it("send a key with spaces, brackets, a plus, non-ASCII and !'()* as S3 reads it", async () => {
    const name = "odd name (1)+ü!'*.txt";
    fs.mkdirSync(path.join(root, 'odd'));
    fs.writeFileSync(path.join(root, 'odd', name), SMALL);
    const job = await transfer(svc, { kind: 'upload', sources: [`odd/${name}`], destination: `e://org/${F}/odd/` });
    expect(job).toMatchObject({ state: 'done', objects: { done: 1 } });
    await expectStored(`${ORG}odd/${name}`, SMALL);
  });

  itExceptOn('moto', MOTO_DIFFERS.checksums)(
    'are refused by S3 when a byte changes on the way: the job fails and nothing is written',
    async () => {
      act = onceAt(0, 'tamper');
      const small = await upload('small.txt', 'tampered');
      expect(small.state).toBe('failed');
      act = onceAt(2, 'tamper');
      const big = await upload('big.bin', 'tampered');
      expect(big.state).toBe('failed');
      // S3 answered 400 BadDigest (not retried): one attempt at each.
      expect(bodyPuts().map(p => p.n)).toEqual([0, 1, 2]);
      await expect(
        client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}tampered/small.txt` }))
      ).rejects.toThrow();
      await expect(
        client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}tampered/big.bin` }))
      ).rejects.toThrow();
      expect(await noOpenUploads(client, S3.orgBucket, `${ORG}tampered/`)).toEqual([]);
    }
  );

  it('retry a 500, a throttling answer and a connection cut mid-body, arriving byte-exact', async () => {
    act = onceAt(0, { status: 503, body: '<Error><Code>SlowDown</Code><Message>Reduce your rate</Message></Error>' });
    expect(await upload('small.txt', 'retried')).toMatchObject({ state: 'done' });
    const cut = onceAt(1, 'reset');
    const failing = onceAt(3, {
      status: 500,
      body: '<Error><Code>InternalError</Code><Message>We encountered an internal error</Message></Error>'
    });
    act = req => cut(req) ?? failing(req);
    const job = await upload('big.bin', 'retried');
    expect(job).toMatchObject({ state: 'done', bytes: { done: BIG.length, total: BIG.length } });
    expect(bodyPuts().map(p => p.n)).toEqual([0, 0, 1, 1, 2, 3, 3]);
    await expectStored(`${ORG}retried/small.txt`, SMALL);
    await expectStored(`${ORG}retried/big.bin`, BIG);
  });

  it('abort the multipart upload when cancelled mid-part, leaving no object and no upload', async () => {
    act = onceAt(2, 'hold');
    const started = await svc.post('/api/transfer', {
      kind: 'upload',
      sources: ['src/big.bin'],
      destination: `e://org/${F}/cancelled/`,
      conflict: 'overwrite'
    });
    await jobWhen(svc, started.body.id, () => bodyPuts().some(p => p.n === 2));
    const cancelled = await svc.post('/api/job/cancel', { id: started.body.id });
    expect(cancelled.body.state).toBe('cancelled');
    const job = await waitJob(svc, started.body.id);
    expect(job.bytes.done).toBeLessThan(BIG.length);
    expect(await noOpenUploads(client, S3.orgBucket, `${ORG}cancelled/`)).toEqual([]);
    await expect(
      client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}cancelled/big.bin` }))
    ).rejects.toThrow();
  });

  it('refuse a file changed between its parts (each part opens it again), leaving no upload', async () => {
    fs.mkdirSync(path.join(root, 'changing'));
    const file = path.join(root, 'changing', 'big.bin');
    fs.writeFileSync(file, BIG);
    // As part 2 goes out, the file is rewritten in place (a new modification time): part 3 reads it again.
    const atPart2 = onceAt(2, 'tamper');
    act = req => {
      if (atPart2(req) !== undefined) {
        fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
      }
      return undefined;
    };
    const job = await transfer(svc, {
      kind: 'upload',
      sources: ['changing/big.bin'],
      destination: `e://org/${F}/changing/`
    });
    expect(job.state).toBe('failed');
    expect(JSON.stringify(job)).toContain('changing/big.bin changed while it was being uploaded');
    expect(bodyPuts().map(p => p.n)).toEqual([1, 2]);
    expect(await noOpenUploads(client, S3.orgBucket, `${ORG}changing/`)).toEqual([]);
  });

  it('with checksums off send no checksum header, still unsigned, byte-exact', async () => {
    const off = await startService(testConfig({ rootDir: root, endpoint: proxy.url, verifyChecksums: false }), {
      engine: { partSize: 5 * MiB, partsInFlight: 1 }
    });
    try {
      const job = await transfer(off, { kind: 'upload', sources: ['src'], destination: `e://org/${F}/off/` });
      expect(job).toMatchObject({ state: 'done', objects: { done: 2 }, integrity: { unverified: { off: 2 } } });
    } finally {
      await off.close();
    }
    const puts = bodyPuts();
    expect(puts.map(p => p.n).sort()).toEqual([0, 1, 2, 3]);
    for (const { headers } of puts) {
      expect(headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
      expect(
        Object.keys(headers).filter(h => h.startsWith('x-amz-checksum') || h.includes('checksum-algorithm'))
      ).toEqual([]);
    }
    expect(sha256(await objectBytes(client, S3.orgBucket, `${ORG}off/src/small.txt`))).toBe(sha256(SMALL));
    expect(sha256(await objectBytes(client, S3.orgBucket, `${ORG}off/src/big.bin`))).toBe(sha256(BIG));
  });

  it('refuse a key taken meanwhile (If-None-Match) as a Conflict naming it, leaving the object', async () => {
    const key = `${ORG}taken/small.txt`;
    const uri = `e://org/${F}/taken/small.txt`;
    await client.send(new PutObjectCommand({ Bucket: S3.orgBucket, Key: key, Body: 'theirs' }));
    const store = new EosStore(testClient({ endpoint: proxy.url }), testConfig().context!, 'the test S3');
    const task = {
      abs: path.join(root, 'src', 'small.txt'),
      shown: 'src/small.txt',
      size: SMALL.length,
      mtimeMs: Date.now(),
      bucket: S3.orgBucket,
      key,
      uri,
      contentType: 'text/plain',
      mustNotExist: true
    };
    const options = { ...DEFAULT_TRANSFER_OPTIONS, rootDir: root };
    const signal = new AbortController().signal;
    await expect(putFile(store, {} as JobContext, task, options, () => undefined, signal)).rejects.toMatchObject({
      code: 'Conflict',
      message: `${uri} already exists`
    });
    expect(bodyPuts()[0].headers['if-none-match']).toBe('*');
    expect((await objectBytes(client, S3.orgBucket, key)).toString()).toBe('theirs');
    store.client.destroy();
  });
});

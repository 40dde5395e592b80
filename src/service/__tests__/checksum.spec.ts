/**
 * End-to-end checksums (issue 16, "Integrity"): the CRCs and their
 * combination against one-pass values; uploads store a full-object
 * CRC64NVME (HEAD with `ChecksumMode: ENABLED` shows it); a wrong one is
 * refused by S3; downloads verify against what S3 stores, say "not
 * verified" where it stores none, and fail a file whose bytes do not match
 * (in ranges, or in one GET whose answer carries the stored checksum),
 * leaving no file.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CrcName, combineAll, createCrc, crcOf, crcToBase64 } from '../engine/s3/crc';
import {
  MOTO_DIFFERS,
  Running,
  S3,
  deletePrefix,
  itExceptOn,
  startService,
  tamperedClient,
  testClient,
  testConfig,
  uniqueName
} from './harness';
import { localTree, s3Proxy, sha256, tempRoot, transfer } from './transfer-helpers';
import { bodyChecksumFields, storedChecksum } from '../engine/s3/checksums';
import { EosStore } from '../engine/s3/store';
import { putBody } from '../engine/transfer/putfile';
import { completeUpload, createUpload, uploadPart } from '../engine/s3/multipart';

const MiB = 1024 * 1024;
const F = uniqueName('checksum');
const ORG = `shared/files/${F}/`;
const NAMES: CrcName[] = ['CRC32', 'CRC32C', 'CRC64NVME'];

describe('the checksum an object stores', () => {
  const crc = crcToBase64('CRC32', 0x12345678n);
  it('is of the whole object for one PutObject, and for a multipart object S3 calls FULL_OBJECT', () => {
    expect(storedChecksum({ ETag: '"abc"', ChecksumCRC32: crc })).toEqual({ name: 'CRC32', crc: 0x12345678n });
    expect(storedChecksum({ ETag: '"abc-3"', ChecksumCRC32: crc, ChecksumType: 'FULL_OBJECT' })).toEqual({
      name: 'CRC32',
      crc: 0x12345678n
    });
  });

  it('is of the parts for a multipart object S3 calls COMPOSITE or does not say (moto, for aws-cli uploads)', () => {
    expect(storedChecksum({ ETag: '"abc-3"', ChecksumCRC32: `${crc}-3`, ChecksumType: 'COMPOSITE' })).toEqual({
      reason: 'composite'
    });
    expect(storedChecksum({ ETag: '"abc-3"', ChecksumCRC32: crc })).toEqual({ reason: 'composite' });
  });
});

describe('CRCs and their combination', () => {
  it('give the catalogue check values of "123456789"', async () => {
    const data = Buffer.from('123456789');
    expect((await crcOf('CRC32', data)).toString(16)).toBe('cbf43926');
    expect((await crcOf('CRC32C', data)).toString(16)).toBe('e3069283');
    expect((await crcOf('CRC64NVME', data)).toString(16)).toBe('ae8b14860a799888');
  });

  it.each(NAMES)('%s: pieces combined in order equal one pass (empty, odd and equal pieces)', async name => {
    const data = randomBytes(3 * 65536 + 1234);
    const cuts = [0, 0, 1, 7, 65536, 65536 + 13, 2 * 65536, 2 * 65536, 3 * 65536 + 1000, data.length];
    const pieces = [];
    for (let i = 1; i < cuts.length; i++) {
      const piece = data.subarray(cuts[i - 1], cuts[i]);
      pieces.push({ crc: await crcOf(name, piece), length: piece.length });
    }
    expect(combineAll(name, pieces)).toBe(await crcOf(name, data));
    const equal = [0, 1, 2, 3].map(i => data.subarray(i * 50000, (i + 1) * 50000));
    const parts = await Promise.all(equal.map(async p => ({ crc: await crcOf(name, p), length: p.length })));
    expect(combineAll(name, parts)).toBe(await crcOf(name, data.subarray(0, 200000)));
    expect(await crcOf(name, Buffer.alloc(0))).toBe(0n);
  });

  it.each(NAMES)('%s: many running at once, their chunks interleaved, each equals one pass', async name => {
    const bodies = Array.from({ length: 40 }, (_, i) => randomBytes(1000 * i + 3));
    const crcs = await Promise.all(bodies.map(() => createCrc(name)));
    for (let at = 0; at < 40000; at += 997) {
      bodies.forEach((body, i) => at < body.length && crcs[i].update(body.subarray(at, at + 997)));
    }
    for (const [i, body] of bodies.entries()) {
      expect(crcs[i].value()).toBe(await crcOf(name, body));
    }
  });
});

let client: S3Client;
let plain: S3Client;
let root: string;
let svc: Running;

async function stored(key: string) {
  return client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: key, ChecksumMode: 'ENABLED' }));
}

beforeAll(async () => {
  client = testClient();
  // A client that sends no checksum, as older ones do.
  plain = testClient({ requestChecksumCalculation: 'WHEN_REQUIRED' });
  root = tempRoot();
  svc = await startService(testConfig({ rootDir: root }), {
    engine: { partSize: 5 * MiB, rangeSize: 2 * MiB, partsInFlight: 3 }
  });
});

afterAll(async () => {
  await svc.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
  plain.destroy();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('uploads', () => {
  const small = randomBytes(100000);
  const big = randomBytes(10 * MiB + 4321);

  it('store the CRC64NVME of a small file (one PutObject), and the job says verified', async () => {
    fs.writeFileSync(path.join(root, 'small.bin'), small);
    const job = await transfer(svc, { kind: 'upload', sources: ['small.bin'], destination: `e://org/${F}/up/` });
    expect(job).toMatchObject({ state: 'done', integrity: { verified: { crc64nvme: 1 }, unverified: {} } });
    const head = await stored(`${ORG}up/small.bin`);
    expect(head.ChecksumCRC64NVME).toBe(crcToBase64('CRC64NVME', await crcOf('CRC64NVME', small)));
    // moto 5.2.1 answers no ChecksumType for an object from one PutObject; S3 says FULL_OBJECT.
    expect(head.ChecksumType).toBe(S3.server === 'moto' ? undefined : 'FULL_OBJECT');
  });

  it('store the full-object CRC64NVME of a multipart upload, combined from its parts', async () => {
    fs.writeFileSync(path.join(root, 'big.bin'), big);
    const job = await transfer(svc, { kind: 'upload', sources: ['big.bin'], destination: `e://org/${F}/up/` });
    expect(job.error ?? job.failures?.[0]?.error).toBeUndefined();
    expect(job).toMatchObject({ state: 'done', integrity: { verified: { crc64nvme: 1 } } });
    const head = await stored(`${ORG}up/big.bin`);
    expect(head.ChecksumCRC64NVME).toBe(crcToBase64('CRC64NVME', await crcOf('CRC64NVME', big)));
    expect(head.ChecksumType).toBe('FULL_OBJECT');
    expect(head.ETag).toMatch(/-3"$/);
  });

  itExceptOn('moto', MOTO_DIFFERS.checksums)(
    'with a wrong checksum are refused by S3, and leave no object',
    async () => {
      const store = new EosStore(client, testConfig().context!, S3.endpoint);
      const target = { bucket: S3.orgBucket, key: `${ORG}up/wrong.bin`, uri: `e://org/${F}/up/wrong.bin` };
      const wrong = crcToBase64('CRC64NVME', (await crcOf('CRC64NVME', small)) ^ 1n);
      const signal = new AbortController().signal;
      await expect(putBody(store, { ...target, mustNotExist: false }, small, {}, signal, wrong)).rejects.toThrow();
      const upload = await createUpload(store, target, {}, signal, true);
      const body = big.subarray(0, 5 * MiB);
      const crc = crcToBase64('CRC64NVME', await crcOf('CRC64NVME', body));
      const etag = await uploadPart(store, upload, { n: 1, body, checksum: crc }, signal);
      const parts = [{ PartNumber: 1, ETag: etag, ChecksumCRC64NVME: crc }];
      await expect(completeUpload(store, upload, parts, { checksum: wrong, size: body.length })).rejects.toThrow();
      await expect(stored(target.key)).rejects.toMatchObject({ name: 'NotFound' });
    }
  );
});

describe('downloads', () => {
  it('verify files against the CRC S3 stores: one GET, in ranges, and a CRC32 another client sent', async () => {
    // The SDK's default: a CRC32 computed by the client.
    await client.send(
      new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}up/crc32.bin`, Body: randomBytes(3000) })
    );
    fs.mkdirSync(path.join(root, 'got'));
    const job = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/up/`], destination: 'got' });
    expect(job).toMatchObject({ state: 'done', objects: { done: 3 } });
    expect(job.integrity).toEqual({ verified: { crc64nvme: 2, crc32: 1 }, unverified: {} });
    const got = path.join(root, 'got', 'up');
    expect(sha256(fs.readFileSync(path.join(got, 'big.bin')))).toBe(
      sha256(fs.readFileSync(path.join(root, 'big.bin')))
    );
  });

  it('say "not verified" for an object stored without a checksum', async () => {
    const body = randomBytes(5000);
    await plain.send(new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}none/plain.bin`, Body: body }));
    const head = await stored(`${ORG}none/plain.bin`);
    const job = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/none/plain.bin`], destination: '' });
    expect(job.state).toBe('done');
    if (head.ChecksumCRC64NVME === undefined) {
      expect(job.integrity).toEqual({ verified: {}, unverified: { 'no-checksum': 1 } });
    } else {
      // Real S3 (and a store that does as it does) computes a CRC64NVME for an object sent without one.
      expect(job.integrity).toEqual({ verified: { crc64nvme: 1 }, unverified: {} });
    }
    expect(sha256(fs.readFileSync(path.join(root, 'plain.bin')))).toBe(sha256(body));
  });
});

describe('a download whose bytes do not match', () => {
  const body = randomBytes(3 * MiB + 77);
  let lying: Running;
  let corrupt: Running;
  let flipper: Awaited<ReturnType<typeof s3Proxy>>;
  let lyingRoot: string;

  beforeAll(async () => {
    await client.send(new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}bad/x.bin`, Body: body }));
    // Small files, each fetched in one GET: a CRC32 (the SDK's default) and a CRC64NVME (the engine's).
    const small = body.subarray(0, 3000);
    await client.send(new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}bad/small32.bin`, Body: small }));
    const crc64 = crcToBase64('CRC64NVME', await crcOf('CRC64NVME', small));
    await client.send(
      new PutObjectCommand({
        Bucket: S3.orgBucket,
        Key: `${ORG}bad/small64.bin`,
        Body: small,
        ...bodyChecksumFields('CRC64NVME', crc64)
      })
    );
    lyingRoot = tempRoot();
    // S3 "stores" another CRC32 than the object's (as if the bytes had changed on its disk).
    const liar = tamperedClient('HeadObjectCommand', out => {
      out.ChecksumCRC32 &&= crcToBase64(
        'CRC32',
        BigInt(`0x${Buffer.from(out.ChecksumCRC32, 'base64').toString('hex')}`) ^ 4n
      );
    });
    lying = await startService(testConfig({ rootDir: lyingRoot }), { s3Client: liar, engine: { rangeSize: MiB } });
    // One byte of each GET's body flipped on its way (a proxy: the GETs go out on node:http).
    flipper = await s3Proxy((req, chunk, at) => {
      if (req.method === 'GET' && req.url.includes('/bad/') && at <= 10 && at + chunk.length > 10) {
        chunk[10 - at] ^= 0x40;
      }
      return chunk;
    });
    corrupt = await startService(testConfig({ rootDir: lyingRoot }), {
      s3Client: testClient({ endpoint: flipper.url }),
      engine: { rangeSize: MiB }
    });
  });

  afterAll(async () => {
    await lying.close();
    await corrupt.close();
    await flipper.close();
    fs.rmSync(lyingRoot, { recursive: true, force: true });
  });

  it.each([
    ['the checksum S3 stores differs', () => lying, 'x.bin', 'crc32'],
    ['a byte changed in flight', () => corrupt, 'x.bin', 'crc32'],
    ['a byte changed in flight (one GET, its CRC32 read back)', () => corrupt, 'small32.bin', 'crc32'],
    ['a byte changed in flight (one GET, CRC64NVME)', () => corrupt, 'small64.bin', 'crc64nvme']
  ])('fails the file when %s, naming the mismatch, and leaves no file', async (_, which, name, crc) => {
    const job = await transfer(which(), { kind: 'download', sources: [`e://org/${F}/bad/${name}`], destination: '' });
    expect(job.state).toBe('failed');
    const message = job.failures?.[0]?.error.message ?? job.error?.message;
    expect(message).toContain(`do not match the object's checksum (${crc} `);
    expect(message).toMatch(new RegExp(`, S3 stores .+\\); "${name.replace('.', '\\.')}" was not written`));
    expect(localTree(lyingRoot)).toEqual([]);
  });
});

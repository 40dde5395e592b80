/**
 * Computer uploads send a full-object checksum (issue 16, "Integrity"): each
 * part with its CRC64NVME, the object completed with the CRC combined from
 * them, S3 storing it (HEAD with `ChecksumMode: ENABLED`); a part sent again
 * replaces its CRC; with `verifyChecksums` off nothing is sent. Against moto
 * and versitygw (jest.config.js).
 */
import { randomBytes } from 'node:crypto';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MIN_UPLOAD_PART } from '../../core';
import { crcOf, crcToBase64 } from '../engine/s3/crc';
import {
  MOTO_DIFFERS,
  Reply,
  Running,
  S3,
  countingClient,
  itExceptOn,
  deletePrefix,
  startService,
  testClient,
  testConfig,
  uniqueName
} from './harness';
import { ProxiedRequest, ProxyAction, objectBytes, s3Proxy, sha256 } from './transfer-helpers';

const F = uniqueName('upcrc');
const ORG = `shared/files/${F}/`;
const URI = `e://org/${F}/`;
const TOKEN = 'token test';

let client: S3Client;
beforeAll(() => {
  client = testClient();
});
afterAll(async () => {
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
}, 120000);

function ok(reply: Reply): any {
  if (reply.status !== 200) {
    throw new Error(`answered ${reply.status}: ${reply.raw}`);
  }
  return reply.body;
}

function putPart(svc: Running, id: string, n: number, body: Buffer) {
  return svc.request({
    method: 'PUT',
    path: '/api/uploads/part',
    query: { id, n },
    headers: { Authorization: TOKEN, 'Content-Type': 'application/octet-stream', 'Content-Length': body.length },
    body
  });
}

async function stored(key: string) {
  const head = await client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: key, ChecksumMode: 'ENABLED' }));
  return { head, sha: sha256(await objectBytes(client, S3.orgBucket, key)) };
}

/** What the proxy does with the next requests (undefined: passes them on). */
let act: (req: ProxiedRequest) => ProxyAction | undefined = () => undefined;

/**
 * Start the service with `verifyChecksums`, recording what it sends to S3:
 * its SDK commands (`sent`), and every request through a proxy (`requests`:
 * the parts go on the data path, dataput.ts, not as SDK commands).
 */
async function service(verifyChecksums: boolean) {
  const proxy = await s3Proxy(undefined, req => act(req));
  const counting = countingClient({ endpoint: proxy.url });
  const svc = await startService(testConfig({ verifyChecksums, endpoint: proxy.url }), { s3Client: counting.client });
  const close = async () => {
    await svc.close();
    await proxy.close();
  };
  return { svc, sent: counting.sent, requests: proxy.requests, close };
}

/** The part PUTs the proxy saw, in order: part number and checksum header. */
const partPuts = (requests: ProxiedRequest[]) =>
  requests
    .filter(r => r.method === 'PUT' && /[?&]partNumber=/.test(r.url))
    .map(r => ({
      n: Number(/[?&]partNumber=(\d+)/.exec(r.url)![1]),
      crc: r.headers['x-amz-checksum-crc64nvme'],
      payload: r.headers['x-amz-content-sha256']
    }));

describe('a computer upload with checksums (the default)', () => {
  it('stores the file’s full-object CRC64NVME, from parts out of order and one sent again; the job says verified', async () => {
    const { svc, sent, requests, close } = await service(true);
    try {
      const data = randomBytes(2 * MIN_UPLOAD_PART + 4321);
      const created = ok(
        await svc.post('/api/uploads', {
          files: [
            { destination: `${URI}on/reads.bin`, size: data.length },
            { destination: `${URI}on/empty.txt`, size: 0 }
          ]
        })
      );
      const [id, empty] = created.uploads.map((u: { id: string }) => u.id);
      const part = (n: number) => data.subarray((n - 1) * MIN_UPLOAD_PART, n * MIN_UPLOAD_PART);
      // Part 2 first with other bytes, then again with its own: its CRC must be replaced.
      const other = randomBytes(MIN_UPLOAD_PART);
      ok(await putPart(svc, id, 2, other));
      for (const n of [3, 1, 2]) {
        ok(await putPart(svc, id, n, part(n)));
      }
      ok(await svc.post('/api/uploads/complete', { id: empty }));
      const job = ok(await svc.post('/api/uploads/complete', { id }));
      expect(job).toMatchObject({ state: 'done', integrity: { verified: { crc64nvme: 2 }, unverified: {} } });
      const { head, sha } = await stored(`${ORG}on/reads.bin`);
      expect(sha).toBe(sha256(data));
      expect(head.ChecksumCRC64NVME).toBe(crcToBase64('CRC64NVME', await crcOf('CRC64NVME', data)));
      expect(head.ChecksumType).toBe('FULL_OBJECT');
      expect(head.ETag).toMatch(/-3"$/);
      const inputs = (command: string) => sent.filter(s => s.command === command).map(s => s.input);
      expect(inputs('CreateMultipartUploadCommand')).toEqual([
        expect.objectContaining({ ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'FULL_OBJECT' })
      ]);
      // Each part PUT carries its bytes' CRC64NVME, and no payload hash (unsigned: the CRC checks the body).
      const crc = async (b: Buffer) => crcToBase64('CRC64NVME', await crcOf('CRC64NVME', b));
      expect(partPuts(requests)).toEqual([
        { n: 2, crc: await crc(other), payload: 'UNSIGNED-PAYLOAD' },
        { n: 3, crc: await crc(part(3)), payload: 'UNSIGNED-PAYLOAD' },
        { n: 1, crc: await crc(part(1)), payload: 'UNSIGNED-PAYLOAD' },
        { n: 2, crc: await crc(part(2)), payload: 'UNSIGNED-PAYLOAD' }
      ]);
    } finally {
      await close();
    }
  });
});

describe('a computer upload with verifyChecksums off', () => {
  it('sends no checksum, and the job says not verified (off)', async () => {
    const { svc, sent, requests, close } = await service(false);
    try {
      const data = randomBytes(MIN_UPLOAD_PART + 10);
      const created = ok(
        await svc.post('/api/uploads', { files: [{ destination: `${URI}off/a.bin`, size: data.length }] })
      );
      const id = created.uploads[0].id;
      ok(await putPart(svc, id, 1, data.subarray(0, MIN_UPLOAD_PART)));
      ok(await putPart(svc, id, 2, data.subarray(MIN_UPLOAD_PART)));
      const job = ok(await svc.post('/api/uploads/complete', { id }));
      expect(job).toMatchObject({ state: 'done', integrity: { verified: {}, unverified: { off: 1 } } });
      expect((await stored(`${ORG}off/a.bin`)).sha).toBe(sha256(data));
      // A checksum, its algorithm or type in any request (`ChecksumMode` of a HEAD only asks for one).
      const checksums = sent.filter(s =>
        Object.entries(s.input).some(([k, v]) => k.startsWith('Checksum') && k !== 'ChecksumMode' && v !== undefined)
      );
      expect(checksums).toEqual([]);
      const headers = requests.flatMap(r => Object.keys(r.headers)).filter(h => /^x-amz-(sdk-)?checksum/.test(h));
      expect(headers).toEqual([]);
      expect(partPuts(requests).map(p => p.n)).toEqual([1, 2]);
    } finally {
      await close();
    }
  });
});

describe('a computer upload whose part is changed on the way to S3', () => {
  itExceptOn('moto', MOTO_DIFFERS.checksums)(
    'is refused by S3 (the part answers an error, nothing is stored); the part sent again completes byte-exact',
    async () => {
      const { svc, requests, close } = await service(true);
      try {
        const data = randomBytes(MIN_UPLOAD_PART + 99);
        const created = ok(
          await svc.post('/api/uploads', { files: [{ destination: `${URI}tampered/a.bin`, size: data.length }] })
        );
        const id = created.uploads[0].id;
        const first = data.subarray(0, MIN_UPLOAD_PART);
        let tampered = 0;
        act = req => (req.method === 'PUT' && /[?&]partNumber=1\b/.test(req.url) && !tampered++ ? 'tamper' : undefined);
        const refused = await putPart(svc, id, 1, first);
        expect(refused.status).toBeGreaterThanOrEqual(400);
        // One attempt: S3's BadDigest is no transient error.
        expect(partPuts(requests).map(p => p.n)).toEqual([1]);
        ok(await putPart(svc, id, 1, first));
        ok(await putPart(svc, id, 2, data.subarray(MIN_UPLOAD_PART)));
        const job = ok(await svc.post('/api/uploads/complete', { id }));
        expect(job).toMatchObject({ state: 'done', integrity: { verified: { crc64nvme: 1 } } });
        expect((await stored(`${ORG}tampered/a.bin`)).sha).toBe(sha256(data));
      } finally {
        act = () => undefined;
        await close();
      }
    }
  );
});

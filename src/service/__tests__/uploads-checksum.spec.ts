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
  Reply,
  Running,
  S3,
  countingClient,
  deletePrefix,
  startService,
  testClient,
  testConfig,
  uniqueName
} from './harness';
import { objectBytes, sha256 } from './transfer-helpers';

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

/** Start the service with `verifyChecksums`, recording what it sends to S3. */
async function service(verifyChecksums: boolean) {
  const counting = countingClient();
  const svc = await startService(testConfig({ verifyChecksums }), { s3Client: counting.client });
  return { svc, sent: counting.sent };
}

describe('a computer upload with checksums (the default)', () => {
  it('stores the file’s full-object CRC64NVME, from parts out of order and one sent again; the job says verified', async () => {
    const { svc, sent } = await service(true);
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
      ok(await putPart(svc, id, 2, randomBytes(MIN_UPLOAD_PART)));
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
      const parts = inputs('UploadPartCommand');
      expect(parts).toHaveLength(4);
      for (const p of parts) {
        expect(p.ChecksumCRC64NVME).toBe(crcToBase64('CRC64NVME', await crcOf('CRC64NVME', p.Body as Buffer)));
      }
    } finally {
      await svc.close();
    }
  });
});

describe('a computer upload with verifyChecksums off', () => {
  it('sends no checksum, and the job says not verified (off)', async () => {
    const { svc, sent } = await service(false);
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
    } finally {
      await svc.close();
    }
  });
});

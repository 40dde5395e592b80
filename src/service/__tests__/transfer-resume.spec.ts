/**
 * Interrupted transfers resume (issue 16): an upload cut by a fault or a
 * cancel keeps its multipart upload, and the retry sends only the parts S3
 * does not hold (each held part's size and MD5 checked against the local
 * bytes); a download keeps its temporary file and the retry fetches only the
 * missing ranges while the ETag is unchanged. Whatever is kept is dropped
 * when it expires or its job is dismissed: no multipart upload outlives that.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ListPartsCommand, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { Engine } from '../engine';
import { RESUME_KEEP_MS } from '../engine/transfer/resumeledger';
import {
  Running,
  S3,
  countingClient,
  keysUnder,
  startService,
  testConfig,
  uniqueName,
  until,
  waitJob
} from './harness';
import {
  Outage,
  jobWhen,
  localTree,
  objectBytes,
  openUploads,
  outageSuite,
  sha256,
  tempRoot
} from './transfer-helpers';

const MiB = 1024 * 1024;
const F = uniqueName('resume');
const ORG = `shared/files/${F}/`;
/** Four 5 MiB parts, or five 4 MiB ranges. */
const BYTES = randomBytes(20 * MiB);
/** The downloads' range size: BYTES is 5 ranges. */
const RANGE = 4 * MiB;

let root: string;
let engine: Engine;
const suite = outageSuite(ORG, endpoint => {
  root = tempRoot();
  fs.mkdirSync(path.join(root, 'data'));
  fs.writeFileSync(path.join(root, 'data', 'big.bin'), BYTES);
  return {
    config: testConfig({ rootDir: root, endpoint }),
    options: {
      engine: { partSize: 5 * MiB, rangeSize: RANGE, partsInFlight: 1, resume: { file: null } },
      onEngine: e => (engine = e)
    }
  };
});
let client: S3Client;
let proxy: Outage;
let svc: Running;
/** The S3 commands the service sent (UploadPart, GetObject), by name. */
let sent: string[];

beforeAll(() => {
  ({ client, proxy, svc, calls: sent } = suite);
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const count = (name: string) => sent.filter(c => c === `${name}Command`).length;
/** The parts uploads sent (on the data path, not through the SDK: the proxy sees them). */
const partPuts = () => proxy.requests.filter(line => /^PUT \S*[?&]partNumber=/.test(line)).length;

async function upload(dest: string): Promise<string> {
  const started = await svc.post('/api/transfer', {
    kind: 'upload',
    sources: ['data/big.bin'],
    destination: `e://org/${F}/${dest}/`,
    conflict: 'overwrite'
  });
  expect(started.status).toBe(200);
  return started.body.id;
}

async function retry(id: string): Promise<any> {
  sent.length = 0;
  proxy.requests.length = 0;
  const reply = await svc.post('/api/job/retry', { id });
  expect(reply.status).toBe(200);
  return waitJob(svc, reply.body.id);
}

/** Cut S3 once the job has `bytes` done; answers the failed job with S3 back. */
async function cutAt(id: string, bytes: number): Promise<any> {
  await jobWhen(svc, id, job => job.bytes.done >= bytes);
  await proxy.stop();
  const failed = await waitJob(svc, id);
  await proxy.start();
  return failed;
}

async function cancelAt(id: string, bytes: number): Promise<any> {
  await jobWhen(svc, id, job => job.bytes.done >= bytes);
  return (await svc.post('/api/job/cancel', { id })).body;
}

/**
 * The parts S3 holds of the one upload the ledger keeps under `dest`, once
 * that count holds for 300 ms: a part whose request a cancel cut after its
 * body was sent may still be stored a moment later.
 */
async function keptParts(dest: string): Promise<{ uploadId: string; parts: number }> {
  const kept = engine.ledger!.list().filter(r => r.kind === 'upload' && r.key === `${ORG}${dest}/big.bin`);
  expect(kept).toHaveLength(1);
  const { uploadId } = kept[0] as { uploadId: string };
  const count = async () => {
    const out = await client.send(
      new ListPartsCommand({ Bucket: S3.orgBucket, Key: `${ORG}${dest}/big.bin`, UploadId: uploadId })
    );
    return out.Parts?.length ?? 0;
  };
  let parts = await count();
  for (let settled = false; !settled;) {
    await new Promise(resolve => setTimeout(resolve, 300));
    const now = await count();
    settled = now === parts;
    parts = now;
  }
  return { uploadId, parts };
}

async function expectObject(dest: string, bytes: Buffer = BYTES): Promise<void> {
  expect(sha256(await objectBytes(client, S3.orgBucket, `${ORG}${dest}/big.bin`))).toBe(sha256(bytes));
  expect(await openUploads(client, S3.orgBucket, `${ORG}${dest}/`)).toEqual([]);
}

describe('uploads', () => {
  it('after S3 is cut mid-upload, the retry sends only the parts S3 does not hold', async () => {
    const id = await upload('fault');
    const failed = await cutAt(id, 5 * MiB);
    expect(failed).toMatchObject({ state: 'failed', retryable: true, error: { code: 'Upstream' } });
    expect(failed.error.message).toMatch(/; the parts S3 holds are kept for 24 hours: retry to continue from there$/);
    const { parts } = await keptParts('fault');
    expect(parts).toBeGreaterThanOrEqual(1);
    expect(parts).toBeLessThan(4);

    const again = await retry(id);
    expect(again).toMatchObject({ state: 'done', bytes: { done: BYTES.length, total: BYTES.length } });
    expect(partPuts()).toBe(4 - parts);
    expect(count('ListParts')).toBe(1);
    await expectObject('fault');
    expect(engine.ledger!.list()).toEqual([]);
  });

  it('cancel then retry resumes; parts of a wrong size or with other bytes are sent again', async () => {
    const id = await upload('cancel');
    expect(await cancelAt(id, 15 * MiB)).toMatchObject({ state: 'cancelled', retryable: true });
    const { uploadId, parts } = await keptParts('cancel');
    expect(parts).toBeGreaterThanOrEqual(3);
    // Another writer replaces part 1 with 6 MiB and part 2 with 5 MiB of other bytes.
    for (const [n, body] of [
      [1, randomBytes(6 * MiB)],
      [2, randomBytes(5 * MiB)]
    ] as const) {
      await client.send(
        new UploadPartCommand({
          Bucket: S3.orgBucket,
          Key: `${ORG}cancel/big.bin`,
          UploadId: uploadId,
          PartNumber: n,
          Body: body,
          ContentLength: body.length,
          // The engine's uploads carry a full-object CRC64NVME: S3 takes parts of that algorithm only.
          ChecksumAlgorithm: 'CRC64NVME'
        })
      );
    }
    const again = await retry(id);
    expect(again.state).toBe('done');
    expect(partPuts()).toBe(4 - parts + 2);
    await expectObject('cancel');
  });

  it('a changed local file starts over, the kept upload aborted', async () => {
    const id = await upload('changed');
    await cancelAt(id, 10 * MiB);
    await keptParts('changed');
    const changed = Buffer.from(BYTES);
    changed[0] ^= 0xff;
    const file = path.join(root, 'data', 'big.bin');
    fs.writeFileSync(file, changed);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    try {
      const again = await retry(id);
      expect(again.state).toBe('done');
      expect(partPuts()).toBe(4);
      // No part of the kept upload is read: the one ListParts checks that its abort left it gone.
      expect(count('AbortMultipartUpload')).toBe(1);
      expect(count('ListParts')).toBe(1);
      await expectObject('changed', changed);
    } finally {
      fs.writeFileSync(file, BYTES);
    }
  });

  it('a kept upload is aborted when it expires, and when its job is dismissed', async () => {
    const first = await upload('expire');
    await cancelAt(first, 5 * MiB);
    await keptParts('expire');
    await engine.ledger!.sweep(Date.now() + RESUME_KEEP_MS - 60000);
    expect(await openUploads(client, S3.orgBucket, `${ORG}expire/`)).toHaveLength(1);
    await engine.ledger!.sweep(Date.now() + RESUME_KEEP_MS);
    expect(await openUploads(client, S3.orgBucket, `${ORG}expire/`)).toEqual([]);
    expect(engine.ledger!.list()).toEqual([]);

    const second = await upload('dismiss');
    await cancelAt(second, 5 * MiB);
    await keptParts('dismiss');
    expect((await svc.post('/api/jobs/clear', { ids: [second] })).status).toBe(200);
    // The ledger forgets the record once S3 confirmed the abort: wait for both.
    await until(
      async () =>
        (await openUploads(client, S3.orgBucket, `${ORG}dismiss/`)).length === 0 && engine.ledger!.list().length === 0
    );
  });
});

describe('downloads', () => {
  beforeAll(async () => {
    await client.send(
      new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}src/big.bin`, Body: BYTES, ContentLength: BYTES.length })
    );
  });

  async function download(dest: string): Promise<string> {
    fs.mkdirSync(path.join(root, dest), { recursive: true });
    const started = await svc.post('/api/transfer', {
      kind: 'download',
      sources: [`e://org/${F}/src/big.bin`],
      destination: dest,
      conflict: 'overwrite'
    });
    expect(started.status).toBe(200);
    return started.body.id;
  }

  it('after S3 is cut mid-download, the retry fetches only the missing ranges', async () => {
    const id = await download('down');
    const failed = await cutAt(id, 8 * MiB);
    expect(failed).toMatchObject({ state: 'failed', retryable: true });
    expect(failed.error.message).toMatch(/; the bytes already written are kept for 24 hours: retry to continue/);
    const [kept] = engine.ledger!.list();
    expect(kept).toMatchObject({ kind: 'download', key: `${ORG}src/big.bin` });
    const done = (kept as { done: number[] }).done.length;
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(5);
    expect(localTree(path.join(root, 'down'))).toEqual([path.basename((kept as { temp: string }).temp)]);
    // The kept temporary file is not the user's: an upload of its folder leaves it out.
    const up = await svc.post('/api/transfer', { kind: 'upload', sources: ['down'], destination: `e://org/${F}/up/` });
    expect(await waitJob(svc, up.body.id)).toMatchObject({ state: 'done', objects: { done: 0 } });
    expect(await keysUnder(client, S3.orgBucket, `${ORG}up/`)).toEqual([]);

    // Downloads' GETs go out on node:http (s3/dataget.ts), not as SDK commands: count S3's bytes instead.
    const before = proxy.fromS3();
    const again = await retry(id);
    expect(again).toMatchObject({ state: 'done', bytes: { done: BYTES.length } });
    const missing = BYTES.length - done * RANGE;
    expect(proxy.fromS3() - before).toBeGreaterThanOrEqual(missing);
    expect(proxy.fromS3() - before).toBeLessThan(missing + RANGE / 4);
    expect(sha256(fs.readFileSync(path.join(root, 'down', 'big.bin')))).toBe(sha256(BYTES));
    expect(localTree(path.join(root, 'down'))).toEqual(['big.bin']);
    expect(engine.ledger!.list()).toEqual([]);
  });

  it('an object changed meanwhile (another ETag) is fetched whole again, the kept file removed', async () => {
    const id = await download('etag');
    await cancelAt(id, 8 * MiB);
    expect(engine.ledger!.list()).toHaveLength(1);
    const other = randomBytes(BYTES.length);
    await client.send(
      new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}src/big.bin`, Body: other, ContentLength: other.length })
    );
    const before = proxy.fromS3();
    const again = await retry(id);
    expect(again.state).toBe('done');
    expect(proxy.fromS3() - before).toBeGreaterThanOrEqual(other.length);
    expect(sha256(fs.readFileSync(path.join(root, 'etag', 'big.bin')))).toBe(sha256(other));
    expect(localTree(path.join(root, 'etag'))).toEqual(['big.bin']);
    expect(engine.ledger!.list()).toEqual([]);
  });
});

it('a service restarted after a cancel resumes the upload from the ledger beside its journal', async () => {
  const stateDir = fs.mkdtempSync(path.join(root, '.state-'));
  const config = testConfig({ rootDir: root, stateDir });
  const options = { engine: { partSize: 5 * MiB, partsInFlight: 1 } };
  const first = await startService(config, options);
  const started = await first.post('/api/transfer', {
    kind: 'upload',
    sources: ['data/big.bin'],
    destination: `e://org/${F}/restart/`,
    conflict: 'overwrite'
  });
  await jobWhen(first, started.body.id, job => job.bytes.done >= 10 * MiB);
  // Closing the service cancels its jobs: the journal says `interrupted`, the ledger keeps the upload.
  await first.close();
  expect(await openUploads(client, S3.orgBucket, `${ORG}restart/`)).toHaveLength(1);
  let second: Running | undefined;
  // Through the proxy, which sees the parts' PUTs.
  const { client: counting, calls } = countingClient({ endpoint: proxy.url });
  proxy.requests.length = 0;
  try {
    second = await startService(config, { ...options, s3Client: counting });
    const job = (await second.get('/api/job', { id: started.body.id })).body;
    expect(job).toMatchObject({ state: 'interrupted', retryable: true });
    // The journal did not abort what the ledger keeps.
    expect(second.logs.join('\n')).not.toMatch(/aborted 1 of 1/);
    const reply = await second.post('/api/job/retry', { id: started.body.id });
    expect(await waitJob(second, reply.body.id)).toMatchObject({ state: 'done' });
    const held = 4 - partPuts();
    expect(held).toBeGreaterThanOrEqual(2);
    expect(calls.filter(c => c === 'ListPartsCommand')).toHaveLength(1);
    await expectObject('restart');
  } finally {
    await second?.close();
    counting.destroy();
  }
});

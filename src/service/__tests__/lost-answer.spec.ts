/**
 * A write made on condition that its key is free (`If-None-Match: *`: the
 * `fail` and `ask` conflict policies) whose answer is lost: S3 stored it,
 * the connection was cut on the way back, and the retry is refused (412)
 * because the key is now taken, by that very write. The service looks at
 * what is there: the same bytes (or the same source, for a copy) make it a
 * success; anything else is the conflict it always was. Three single
 * writes: an upload from the server disk (the data path's PUT), a copy
 * (CopyObject) and an import from a URL (the SDK's PutObject).
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Reply, S3, saveContent, uniqueName, until, waitJob } from './harness';
import { ProxiedRequest, ProxyAction, objectBytes, proxiedBigFileSuite, sha256 } from './transfer-helpers';

const F = uniqueName('lostanswer');
const ORG = `shared/files/${F}/`;
/** Below the 5 MiB part size: one PUT, one CopyObject. */
const BYTES = randomBytes(1024 * 1024);

/** The key (under ORG) whose next write's answer is lost. */
let losing: string | null = null;
/** What to do with the write after the lost one (its retry), if anything. */
let retry: ProxyAction | undefined;

const isWrite = (req: ProxiedRequest) => req.method === 'PUT' && !/[?&](partNumber|uploadId)=/.test(req.url);
const keyOf = (req: ProxiedRequest) => decodeURIComponent(new URL(req.url, 'http://x').pathname);

let lost: string | null = null;
const suite = proxiedBigFileSuite(ORG, BYTES, req => {
  if (!isWrite(req)) {
    return undefined;
  }
  if (losing !== null && keyOf(req).endsWith(`/${ORG}${losing}`)) {
    lost = losing;
    losing = null;
    return 'lose';
  }
  if (lost !== null && keyOf(req).endsWith(`/${ORG}${lost}`)) {
    lost = null;
    return retry;
  }
  return undefined;
});

beforeEach(() => {
  retry = undefined;
  lost = null;
});

let source: http.Server;
let sourceUrl: string;

beforeAll(async () => {
  source = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BYTES.length }).end(BYTES);
  });
  await new Promise<void>(resolve => source.listen(0, '127.0.0.1', resolve));
  sourceUrl = `http://127.0.0.1:${(source.address() as net.AddressInfo).port}/big.bin`;
});

afterAll(async () => {
  await new Promise(resolve => source.close(resolve));
});

/** The job `started` ended done, with BYTES at `key`, after two writes of it (the first one's answer lost). */
async function expectWrittenOnce(started: Reply, key: string): Promise<void> {
  expect(started.status).toBe(200);
  const job = await waitJob(suite.svc, started.body.id);
  expect(job).toMatchObject({ state: 'done', objects: { done: 1 } });
  expect(losing).toBeNull(); // an answer was lost
  const writes = suite.proxy.requests.filter(r => isWrite(r) && keyOf(r).endsWith(`/${ORG}${key}`));
  expect(writes).toHaveLength(2);
  expect(writes.map(w => w.headers['if-none-match'])).toEqual(['*', '*']);
  expect(sha256(await objectBytes(suite.client, S3.orgBucket, `${ORG}${key}`))).toBe(sha256(BYTES));
}

it('an upload from the server disk whose answer is lost is done, not refused as taken by itself', async () => {
  losing = 'up/big.bin';
  const started = await suite.svc.post('/api/transfer', {
    kind: 'upload',
    sources: ['data/big.bin'],
    destination: `e://org/${F}/up/`,
    conflict: 'fail'
  });
  await expectWrittenOnce(started, 'up/big.bin');
});

it('a copy whose answer is lost is done', async () => {
  losing = 'copied/big.bin';
  // Neither moto nor versitygw holds CopyObject to If-None-Match: the retry gets the 412 S3 would give.
  retry = {
    status: 412,
    body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>'
  };
  const started = await suite.svc.post('/api/copy', {
    sources: [`e://org/${F}/src/big.bin`],
    destination: `e://org/${F}/copied/`,
    conflict: 'fail'
  });
  await expectWrittenOnce(started, 'copied/big.bin');
});

it('an import from a URL whose answer is lost is done', async () => {
  losing = 'imported/big.bin';
  const started = await suite.svc.post('/api/import', {
    urls: [sourceUrl],
    destination: `e://org/${F}/imported/`,
    conflict: 'fail'
  });
  await expectWrittenOnce(started, 'imported/big.bin');
});

it('a write whose answer is lost, then overwritten by another client before the retry, is refused as taken', async () => {
  const key = `${ORG}raced/big.bin`;
  const other = randomBytes(1024 * 1024);
  let write: () => void = () => undefined;
  // The other client writes once the service's first write is stored (its answer lost); the retry waits for it.
  const written = new Promise<void>(resolve => (write = resolve)).then(async () => {
    await suite.client.send(
      new PutObjectCommand({ Bucket: S3.orgBucket, Key: key, Body: other, ContentLength: other.length })
    );
  });
  losing = 'raced/big.bin';
  retry = { after: written };
  const started = await suite.svc.post('/api/transfer', {
    kind: 'upload',
    sources: ['data/big.bin'],
    destination: `e://org/${F}/raced/`,
    conflict: 'fail'
  });
  await until(() => losing === null);
  // The lost write reached S3 before its connection was cut.
  await until(async () => (await objectBytes(suite.client, S3.orgBucket, key).catch(() => null)) !== null);
  write();
  const job = await waitJob(suite.svc, started.body.id);
  expect(job).toMatchObject({ state: 'failed' });
  expect(JSON.stringify(job)).toContain('already exists');
  expect(sha256(await objectBytes(suite.client, S3.orgBucket, key))).toBe(sha256(other));
});

it('a new folder whose marker write lost its answer is made, not refused as already there', async () => {
  losing = 'made/';
  const made = await suite.svc.post('/api/mkdir', { uri: `e://org/${F}/made/` });
  expect(losing).toBeNull(); // an answer was lost
  expect(made.status).toBe(200);
  expect(made.body).toMatchObject({ uri: `e://org/${F}/made/`, kind: 'folder' });
  const writes = suite.proxy.requests.filter(r => isWrite(r) && keyOf(r).endsWith(`/${ORG}made/`));
  expect(writes.map(w => w.headers['if-none-match'])).toEqual(['*', '*']);
  // Made once: a second asks again and is refused.
  const again = await suite.svc.post('/api/mkdir', { uri: `e://org/${F}/made/` });
  expect(again.status).toBe(409);
});

it("an editor's saves whose answers are lost are saved, not conflicts: a new file, then a change to it", async () => {
  const uri = `e://org/${F}/notes/autosave.txt`;
  const save = (body: Buffer, etag?: string): Promise<Reply> => saveContent(suite.svc, uri, body, etag);
  const first = Buffer.from('draft one\n');
  losing = 'notes/autosave.txt';
  const created = await save(first);
  expect(losing).toBeNull(); // an answer was lost
  expect(created.status).toBe(200);
  expect(created.body).toMatchObject({ uri, size: first.length });

  // The next save names the ETag the first gave: If-Match holds it to that version.
  const second = Buffer.from('draft two, longer\n');
  losing = 'notes/autosave.txt';
  const changed = await save(second, created.body.etag);
  expect(losing).toBeNull();
  expect(changed.status).toBe(200);
  expect(changed.body.etag).not.toBe(created.body.etag);
  const writes = suite.proxy.requests.filter(r => isWrite(r) && keyOf(r).endsWith(`/${ORG}notes/autosave.txt`));
  expect(writes.map(w => w.headers['if-none-match'] ?? `if-match ${w.headers['if-match']}`)).toEqual([
    '*',
    '*',
    `if-match ${created.body.etag}`,
    `if-match ${created.body.etag}`
  ]);
  expect((await objectBytes(suite.client, S3.orgBucket, `${ORG}notes/autosave.txt`)).toString()).toBe(
    second.toString()
  );
  // A stale ETag is still refused: the change is kept.
  expect((await save(Buffer.from('stale\n'), created.body.etag)).status).toBe(409);
});

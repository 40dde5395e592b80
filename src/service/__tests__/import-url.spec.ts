/**
 * Import from URLs: a local HTTP server the test starts serves files with
 * and without a length, redirects, errors and a connection cut mid-body; the
 * bytes land in EOS exactly, and a failure leaves no object and no open
 * multipart upload.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { Engine } from '../engine';
import { dispositionName, importName } from '../engine/transfer/fromurl';
import {
  Running,
  S3,
  expectError,
  keysUnder,
  putObjects,
  startService,
  testClient,
  testConfig,
  uniqueName,
  waitJob
} from './harness';
import { objectBytes, openUploads, sha256, tempRoot } from './transfer-helpers';

const F = uniqueName('import');
const PREFIX = `shared/files/${F}/`;
const DEST = `e://org/${F}/`;
const BIG = randomBytes(30 * 1024 * 1024);
const SMALL = Buffer.from('>chr1\nACGT\n');

let client: S3Client;
let root: string;
let svc: Running;
let engine: Engine;
let server: http.Server;
let base: string;

/** What the test server serves, by path. */
function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url!, 'http://x');
  switch (url.pathname) {
    case '/refs/big.bin':
      res.writeHead(200, { 'content-length': BIG.length, 'content-type': 'application/octet-stream' });
      res.end(BIG);
      return;
    case '/stream/big.bin': // chunked: no length
      res.writeHead(200);
      for (let at = 0; at < BIG.length; at += 1024 * 1024) {
        res.write(BIG.subarray(at, at + 1024 * 1024));
      }
      res.end();
      return;
    case '/download':
      res.writeHead(200, {
        'content-length': SMALL.length,
        'content-disposition': `attachment; filename*=UTF-8''ref%20genome.fa; filename="ref.fa"`
      });
      res.end(SMALL);
      return;
    case '/moved':
      res.writeHead(302, { location: '/refs/small.fa' });
      res.end();
      return;
    case '/loop':
      res.writeHead(301, { location: '/loop' });
      res.end();
      return;
    case '/refs/small.fa':
      res.writeHead(200, { 'content-length': SMALL.length });
      res.end(SMALL);
      return;
    case '/cut/big.bin': // announces 30 MiB, sends 12 MiB, then the connection drops
      res.writeHead(200, { 'content-length': BIG.length });
      res.write(BIG.subarray(0, 12 * 1024 * 1024), () => res.destroy());
      return;
    default:
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not here');
  }
}

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  svc = await startService(testConfig({ rootDir: root }), { onEngine: e => (engine = e) });
  server = http.createServer(serve);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
  await svc.close();
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
});

async function run(urls: string[], dest: string, extra: { name?: string; conflict?: 'fail' | 'skip' } = {}) {
  const job = await engine.importUrls({ urls, destination: dest, conflict: 'fail', ...extra });
  return waitJob(svc, job.id);
}

describe('names', () => {
  it("take Content-Disposition's name (the UTF-8 form first), else the URL's last segment", () => {
    expect(dispositionName(`attachment; filename*=UTF-8''a%20b.vcf.gz; filename="ab.vcf.gz"`)).toBe('a b.vcf.gz');
    expect(dispositionName('attachment; filename="say \\"hi\\".txt"')).toBe('say "hi".txt');
    expect(dispositionName('inline')).toBeUndefined();
    expect(importName(new URL('https://h.org/x/NA12878%20v2.bam?sig=1'), undefined)).toBe('NA12878 v2.bam');
    expect(importName(new URL('https://h.org/x/'), 'attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(importName(new URL('https://h.org/'), undefined)).toBe('h.org');
  });
});

describe('import from URLs', () => {
  it('streams a 30 MiB file with a length into an object, byte-exact, in parts', async () => {
    const job = await run([`${base}/refs/big.bin`], DEST);
    expect(job).toMatchObject({ state: 'done', kind: 'import', objects: { done: 1, total: 1 } });
    expect(job.bytes).toEqual({ done: BIG.length, total: BIG.length });
    expect(sha256(await objectBytes(client, S3.orgBucket, `${PREFIX}big.bin`))).toBe(sha256(BIG));
  });

  it('streams a body of unknown length (chunked) under a given name', async () => {
    const job = await run([`${base}/stream/big.bin`], DEST, { name: 'chunked.bin' });
    expect(job).toMatchObject({ state: 'done', bytes: { done: BIG.length, total: null } });
    expect(sha256(await objectBytes(client, S3.orgBucket, `${PREFIX}chunked.bin`))).toBe(sha256(BIG));
  });

  it('follows a redirect, names by Content-Disposition, and takes several URLs as one job', async () => {
    const job = await run([`${base}/moved`, `${base}/download`], `${DEST}refs/`);
    expect(job).toMatchObject({ state: 'done', objects: { done: 2, total: 2 } });
    expect(await keysUnder(client, S3.orgBucket, `${PREFIX}refs/`)).toEqual([
      `${PREFIX}refs/ref genome.fa`,
      `${PREFIX}refs/small.fa`
    ]);
    expect((await objectBytes(client, S3.orgBucket, `${PREFIX}refs/small.fa`)).equals(SMALL)).toBe(true);
  });

  it('fails a 404, a redirect loop and a cut connection by name, leaving no object and no multipart upload', async () => {
    const job = await run([`${base}/nope.vcf`, `${base}/loop`, `${base}/cut/big.bin`], `${DEST}bad/`);
    expect(job.state).toBe('failed');
    const why = Object.fromEntries(job.failures.map((f: any) => [f.item, f.error.message]));
    expect(why[`${base}/nope.vcf`]).toBe(`${base}/nope.vcf answered 404 Not Found`);
    expect(why[`${base}/loop`]).toBe(`${base}/loop redirected more than 5 times`);
    expect(why[`${base}/cut/big.bin`]).toMatch(/^The connection to 127\.0\.0\.1:\d+ ended after \d+ of 31457280 bytes/);
    expect(await keysUnder(client, S3.orgBucket, `${PREFIX}bad/`)).toEqual([]);
    expect(await openUploads(client, S3.orgBucket, `${PREFIX}bad/`)).toEqual([]);
    expect(job.bytes.done).toBe(0);
  });

  it('refuses an existing object (fail) and skips it (skip), unchanged', async () => {
    await putObjects(client, S3.orgBucket, { [`${PREFIX}keep/small.fa`]: 'old' });
    const refused = await run([`${base}/refs/small.fa`], `${DEST}keep/`);
    expect(refused.state).toBe('failed');
    expect(refused.failures[0].error.message).toBe(`${DEST}keep/small.fa already exists`);
    const skipped = await run([`${base}/refs/small.fa`], `${DEST}keep/`, { conflict: 'skip' });
    expect(skipped).toMatchObject({ state: 'done', skipped: 1 });
    expect((await objectBytes(client, S3.orgBucket, `${PREFIX}keep/small.fa`)).toString()).toBe('old');
  });

  it('runs through POST api/import, which checks its body', async () => {
    const started = await svc.post('/api/import', { urls: [`${base}/refs/small.fa`], destination: `${DEST}api/` });
    expect(started.status).toBe(200);
    expect(await waitJob(svc, started.body.id)).toMatchObject({ kind: 'import', state: 'done' });
    expect(await keysUnder(client, S3.orgBucket, `${PREFIX}api/`)).toEqual([`${PREFIX}api/small.fa`]);
    expectError(await svc.post('/api/import', { urls: 'x', destination: DEST }), 400, 'InvalidRequest');
    expectError(
      await svc.post('/api/import', { urls: ['http://h/a'], destination: DEST, verify: 1 }),
      400,
      'InvalidRequest'
    );
    expectError(await svc.post('/api/import', { urls: ['ftp://h/a'], destination: DEST }), 400, 'InvalidRequest');
  });

  it('refuses, before any job, what is not an http(s) URL and read-only destinations', async () => {
    await expect(engine.importUrls({ urls: ['file:///etc/passwd'], destination: DEST })).rejects.toThrow(
      'Only http:// and https:// URLs can be imported, not file://'
    );
    await expect(engine.importUrls({ urls: ['not a url'], destination: DEST })).rejects.toThrow('Not a URL: not a url');
    await expect(
      engine.importUrls({ urls: [`${base}/refs/small.fa`], destination: 'e://gencove/' })
    ).rejects.toMatchObject({ code: 'ReadOnly' });
  });
});

/**
 * Large imports from URLs fetched in parallel byte ranges: a local HTTP
 * server the test starts honours ranges (counting the ranges in flight),
 * ignores them, changes the file mid-import, cuts a range or stalls; the
 * bytes land in EOS exactly, and every failure, a cancel too, leaves no
 * object and no open multipart upload.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { Engine } from '../engine';
import { Running, S3, keysUnder, startService, testClient, testConfig, uniqueName, waitJob } from './harness';
import { objectBytes, openUploads, sha256, tempRoot } from './transfer-helpers';

const F = uniqueName('import-ranges');
const PREFIX = `shared/files/${F}/`;
const DEST = `e://org/${F}/`;
const MiB = 1024 * 1024;
const BIG = randomBytes(30 * MiB);
/** The engine's options here: 5 MiB parts (6 ranges of BIG), 3 at once, ranges from 16 MiB. */
const PART = 5 * MiB;
const IN_FLIGHT = 3;

let client: S3Client;
let root: string;
let svc: Running;
let engine: Engine;
let server: http.Server;
let base: string;

/** What the server saw: each request's path and Range header, and the most ranges answered at once. */
let seen: { path: string; range?: string }[] = [];
let active = 0;
let maxActive = 0;

/** Answer `bytes=a-b` of BIG with 206, after a pause that lets the others overlap; `cut` sends half and drops. */
function sendRange(res: http.ServerResponse, range: string, headers: http.OutgoingHttpHeaders, cut = false): void {
  const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(range)!;
  const body = BIG.subarray(+a, +b + 1);
  active++;
  maxActive = Math.max(maxActive, active);
  setTimeout(() => {
    res.writeHead(206, { ...headers, 'content-length': body.length, 'content-range': `bytes ${a}-${b}/${BIG.length}` });
    const done = () => active--;
    if (cut) {
      res.write(body.subarray(0, body.length / 2), () => (done(), res.destroy()));
    } else {
      res.end(body, done);
    }
  }, 150);
}

function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = new URL(req.url!, 'http://x').pathname;
  const range = req.headers.range;
  seen.push({ path, range });
  const whole = (headers: http.OutgoingHttpHeaders) => {
    res.writeHead(200, { ...headers, 'accept-ranges': 'bytes', 'content-length': BIG.length });
    res.end(BIG);
  };
  const etag = { etag: '"v1"' };
  switch (path) {
    case '/moved/big.bin':
      res.writeHead(302, { location: '/r/big.bin' });
      res.end();
      return;
    case '/r/big.bin':
      return range && req.headers['if-range'] === '"v1"' && req.headers['if-match'] === '"v1"'
        ? sendRange(res, range, etag)
        : whole(etag);
    case '/r/mid.bin': // ranges offered, but below the threshold
      res.writeHead(200, { ...etag, 'accept-ranges': 'bytes', 'content-length': 10 * MiB });
      res.end(BIG.subarray(0, 10 * MiB));
      return;
    case '/whole/big.bin': // offers ranges, answers every one with the whole file
      return whole(etag);
    case '/changing/big.bin': {
      // a new version once the first GET is answered; If-Match honoured (412)
      const now = range ? '"v2"' : '"v1"';
      if (range && req.headers['if-match'] !== now) {
        res.writeHead(412);
        res.end();
        return;
      }
      return range ? sendRange(res, range, { etag: now }) : whole({ etag: now });
    }
    case '/touched/big.bin': {
      // Last-Modified only, changed after the first GET; the preconditions ignored
      const modified = new Date(Date.UTC(2026, 0, range ? 2 : 1)).toUTCString();
      return range ? sendRange(res, range, { 'last-modified': modified }) : whole({ 'last-modified': modified });
    }
    case '/cut/big.bin': // the third range drops half-way
      return range ? sendRange(res, range, etag, range.startsWith(`bytes=${2 * PART}-`)) : whole(etag);
    case '/busy/big.bin': // the second range answered 503
      if (range?.startsWith(`bytes=${PART}-`)) {
        res.writeHead(503);
        res.end();
        return;
      }
      return range ? sendRange(res, range, etag) : whole(etag);
    case '/long/big.bin': // the last range sent with a byte too many
      if (range?.startsWith(`bytes=${5 * PART}-`)) {
        res.writeHead(206, { ...etag, 'content-range': `bytes ${5 * PART}-${BIG.length - 1}/${BIG.length}` });
        res.end(BIG.subarray(5 * PART - 1));
        return;
      }
      return range ? sendRange(res, range, etag) : whole(etag);
    case '/stall/big.bin': // ranges never answered
      return range ? undefined : whole(etag);
    default:
      res.writeHead(404);
      res.end();
  }
}

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  svc = await startService(testConfig({ rootDir: root }), {
    onEngine: e => (engine = e),
    engine: { partSize: PART, partsInFlight: IN_FLIGHT, importRangesFrom: 16 * MiB }
  });
  server = http.createServer(serve);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  seen = [];
  maxActive = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise(resolve => server.close(resolve));
  await svc.close();
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
});

async function run(urls: string[], dest: string) {
  const job = await engine.importUrls({ urls, destination: dest, conflict: 'fail' });
  return waitJob(svc, job.id);
}

/** The failure message of each URL of a failed job. */
function failures(job: any): Record<string, string> {
  return Object.fromEntries(job.failures.map((f: any) => [f.item.replace(base, ''), f.error.message]));
}

/**
 * No object and no open upload under `prefix`. An abort S3 did not take at once is made again in
 * the background (`abortUploadRetrying`, after 1, 2, 5 and 10 s): the uploads must be gone once
 * those have run.
 */
async function expectNothingLeft(prefix: string): Promise<void> {
  expect(await keysUnder(client, S3.orgBucket, prefix)).toEqual([]);
  let open = await openUploads(client, S3.orgBucket, prefix);
  for (const until = Date.now() + 20000; open.length > 0 && Date.now() < until;) {
    await new Promise(resolve => setTimeout(resolve, 250));
    open = await openUploads(client, S3.orgBucket, prefix);
  }
  expect(open).toEqual([]);
}

describe('imports in ranges', () => {
  it('fetch a 30 MiB file as 6 ranges, 3 at once, from the URL a redirect gave, byte-exact', async () => {
    const job = await run([`${base}/moved/big.bin`], DEST);
    expect(job).toMatchObject({ state: 'done', objects: { done: 1, total: 1 } });
    expect(job.bytes).toEqual({ done: BIG.length, total: BIG.length });
    expect(sha256(await objectBytes(client, S3.orgBucket, `${PREFIX}big.bin`))).toBe(sha256(BIG));
    const ranges = seen.filter(s => s.range !== undefined);
    expect(ranges.map(s => s.path)).toEqual(Array(6).fill('/r/big.bin'));
    expect(ranges.map(s => s.range).sort()).toEqual(
      [0, 1, 2, 3, 4, 5].map(i => `bytes=${i * PART}-${Math.min((i + 1) * PART, BIG.length) - 1}`).sort()
    );
    expect(maxActive).toBe(IN_FLIGHT);
    // The first answer (one plain GET after the redirect) was cancelled, not read again in full.
    expect(seen.filter(s => s.range === undefined).map(s => s.path)).toEqual(['/moved/big.bin', '/r/big.bin']);
  });

  it('fail ranges answered whole, a file changed (by ETag, by Last-Modified), a cut range, a 503 and a range too long, leaving nothing', async () => {
    const job = await run(
      ['whole', 'changing', 'touched', 'cut', 'busy', 'long'].map(name => `${base}/${name}/big.bin`),
      `${DEST}bad/`
    );
    expect(job.state).toBe('failed');
    expect(failures(job)).toEqual({
      '/whole/big.bin': `${base}/whole/big.bin offered byte ranges but answered a range with the whole file`,
      '/changing/big.bin': `${base}/changing/big.bin changed while it was being imported; import it again`,
      '/touched/big.bin': `${base}/touched/big.bin changed while it was being imported; import it again`,
      '/cut/big.bin': expect.stringMatching(
        /^The connection to 127\.0\.0\.1:\d+ ended after \d+ of the 5242880 bytes from byte 10485760/
      ),
      '/busy/big.bin': `${base}/busy/big.bin answered 503 Service Unavailable`,
      '/long/big.bin': `${base}/long/big.bin sent more than the 5242880 bytes from byte 26214400`
    });
    expect(job.bytes.done).toBe(0);
    await expectNothingLeft(`${PREFIX}bad/`);
  });

  it('abort the multipart upload when cancelled while ranges are in flight', async () => {
    const job = await engine.importUrls({ urls: [`${base}/stall/big.bin`], destination: `${DEST}cancel/` });
    const until = Date.now() + 30000;
    while (seen.filter(s => s.range !== undefined).length < IN_FLIGHT && Date.now() < until) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    expect(await openUploads(client, S3.orgBucket, `${PREFIX}cancel/`)).toEqual([`${PREFIX}cancel/big.bin`]);
    expect((await engine.jobs.cancel(job.id)).state).toBe('cancelled');
    await expectNothingLeft(`${PREFIX}cancel/`);
  });

  it('stream a file below the threshold, with no range asked', async () => {
    const job = await run([`${base}/r/mid.bin`], `${DEST}mid/`);
    expect(job).toMatchObject({ state: 'done', bytes: { done: 10 * MiB, total: 10 * MiB } });
    expect(seen).toEqual([{ path: '/r/mid.bin', range: undefined }]);
    expect(sha256(await objectBytes(client, S3.orgBucket, `${PREFIX}mid/mid.bin`))).toBe(
      sha256(BIG.subarray(0, 10 * MiB))
    );
  });
});

/**
 * Every long action is a job, never a held request (issue 16): a request the
 * proxy holds for more than 300 s fails. Each route of the server's route map
 * says how it stays within that (`bound` in `http/routes.ts`); here every
 * route is sent a request over a folder that never ends (an S3 client whose
 * ListObjectsV2 under `endless/` answers page after page of 1,000 keys, and
 * fails the request past PAGE_CAP pages). Job routes must answer a job at
 * once; bounded routes must answer within their bound. A route without a
 * request here, or without a bound, fails the first test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COUNT_LIMIT, SYNC_PLAN_LIMIT } from '../../core';
import { Bound, routeMap } from '../http/routes';
import { DiskMonitor } from '../engine';
import { PRECHECK_LIMIT } from '../engine/transfer/run';
import { dispatchedRoutes } from './badinput-cases';
import { S3, putMany, serviceSuite, testClient, testConfig, uniqueName, waitJob } from './harness';

const F = uniqueName('long');
const ENDLESS = `shared/files/${F}/endless/`;
const BIG = `e://org/${F}/endless/`;
const FILE = `e://org/${F}/a.txt`;
/** Pages past which the fake S3 fails the walk: a route that gets there walks without end. */
const PAGE_CAP = 30;
/** How long the fake S3 takes to answer a page, in ms. */
const PAGE_MS = 5;
/** A walk asks for its next page while it uses this one (`EosStore.walk`): one page past where it stops. */
const AHEAD = 1;
const ROOT = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'eos-long-'));
fs.mkdirSync(path.join(ROOT, 'sub'));
fs.writeFileSync(path.join(ROOT, 'sub', 'x.txt'), 'x');
fs.mkdirSync(path.join(ROOT, 'dl', 'endless'), { recursive: true });
// A target that exists, past what the up-front check of policy `fail` looks at (PRECHECK_LIMIT).
fs.writeFileSync(path.join(ROOT, 'dl', 'endless', 'o-999999999'), 'here already');
fs.writeFileSync(path.join(ROOT, 'local.txt'), 'local');
fs.writeFileSync(path.join(ROOT, 'gone.txt'), 'to delete');

/** ListObjectsV2 calls under the endless folder since the last `reset`. */
const pages = { n: 0 };

/** A client of the test S3 whose `endless/` folder holds keys without end. */
function endlessClient() {
  const client = testClient();
  client.middlewareStack.add(
    (next, context) => async args => {
      const input = args.input as { Prefix?: string; ContinuationToken?: string; MaxKeys?: number };
      if (context.commandName !== 'ListObjectsV2Command' || !input.Prefix?.startsWith(ENDLESS)) {
        return next(args);
      }
      if (++pages.n > PAGE_CAP) {
        throw new Error(`walked ${PAGE_CAP} pages of a folder without end`);
      }
      // A page takes a while, as S3's do (tens of milliseconds): a job's walk goes on while its answer is sent.
      await new Promise(resolve => setTimeout(resolve, PAGE_MS));
      const start = Number(input.ContinuationToken ?? 0);
      const count = Math.min(input.MaxKeys ?? 1000, 1000);
      const Contents = Array.from({ length: count }, (_, i) => ({
        Key: `${ENDLESS}o-${String(start + i).padStart(9, '0')}`,
        Size: 1024,
        ETag: '"e"',
        LastModified: new Date(0)
      }));
      const output = { Contents, KeyCount: count, IsTruncated: true, NextContinuationToken: String(start + count) };
      return { output: { ...output, $metadata: {} } } as never;
    },
    { step: 'initialize', name: 'eosEndless' }
  );
  return client;
}

const suite = serviceSuite({
  cleanup: [`shared/files/${F}/`],
  config: testConfig({ rootDir: ROOT }),
  service: { s3Client: endlessClient() },
  seed: client => putMany(client, S3.orgBucket, 1, () => `shared/files/${F}/a.txt`)
});

afterAll(() => fs.rmSync(ROOT, { recursive: true, force: true }));

/** A request to send, and what else its answer must hold. */
interface Ask {
  query?: Record<string, string>;
  body?: unknown;
  raw?: string;
  /** The answer's status when not 200 (an id the route does not know: it answers at once). */
  status?: number;
  check?: (body: any) => void;
}

/** An id of a job (a cancelled delete of the endless folder) and of computer uploads, made in `beforeAll`. */
const ids = { job: '', part: '', complete: '', abort: '' };

/** Every route's request over the endless folder (or a small one where size cannot matter). */
function asks(): Record<string, () => Ask> {
  const copy = { sources: [BIG], destination: `e://org/${F}/copies/` };
  return {
    'GET /': () => ({}),
    'GET /api/whoami': () => ({}),
    'GET /api/jobs': () => ({}),
    'GET /api/events': () => ({}), // a stream: checked apart
    'GET /api/list': () => ({
      query: { uri: BIG },
      check: b => expect([b.entries.length, typeof b.next]).toEqual([1000, 'string'])
    }),
    'GET /api/stat': () => ({ query: { uri: BIG }, check: b => expect(b.kind).toBe('folder') }),
    'POST /api/presign': () => ({ body: { uri: FILE } }),
    'GET /api/disk': () => ({}),
    'GET /api/disk/largest': () => ({}),
    'POST /api/mkdir': () => ({ body: { uri: `e://org/${F}/made/` } }),
    'POST /api/count': () => ({
      body: { uris: [BIG] },
      check: b => expect(b).toEqual({ objects: COUNT_LIMIT, bytes: COUNT_LIMIT * 1024, folders: 1, more: true })
    }),
    'POST /api/delete': () => ({ body: { uris: [BIG], recursive: true } }),
    'POST /api/copy': () => ({ body: copy }),
    'GET /api/job': () => ({ query: { id: ids.job, wait: '100' } }),
    'POST /api/job/cancel': () => ({ body: { id: ids.job } }),
    'POST /api/job/answer': () => ({ body: { id: ids.job, question: 'q', choice: 'skip' }, status: 409 }),
    'POST /api/job/retry': () => ({ body: { id: ids.job } }),
    'POST /api/jobs/clear': () => ({ body: { ids: ['none'] } }),
    // `dl/endless/` exists with a file: policy `fail` checks the targets up front, at most PRECHECK_LIMIT.
    'POST /api/transfer': () => ({ body: { kind: 'download', sources: [BIG], destination: 'dl', conflict: 'fail' } }),
    'POST /api/sync/plan': () => ({
      body: { source: BIG, destination: 'sub' },
      status: 413,
      check: b => expect(b.message).toContain(`more than ${SYNC_PLAN_LIMIT.toLocaleString('en-US')} files`)
    }),
    'POST /api/sync': () => ({ body: { source: BIG, destination: 'sub' } }),
    'POST /api/import': () => ({ body: { urls: ['http://127.0.0.1:9/x'], destination: BIG } }),
    'POST /api/uploads': () => ({ body: { files: [{ destination: `${BIG}up.bin`, size: 10 }] } }),
    'PUT /api/uploads/part': () => ({ query: { id: ids.part, n: '1' }, raw: '0123456789' }),
    'POST /api/uploads/complete': () => ({ body: { id: ids.complete } }),
    'POST /api/uploads/abort': () => ({ body: { id: ids.abort } }),
    'GET /api/content': () => ({ query: { uri: FILE } }),
    'PUT /api/content/save': () => ({ query: { uri: `e://org/${F}/saved.txt` }, raw: 'saved' }),
    'GET /api/head': () => ({ query: { uri: FILE } }),
    'GET /api/checkpoints': () => ({ query: { uri: FILE } }),
    'POST /api/checkpoints/change': () => ({ body: { uri: FILE, action: 'create' } }),
    'POST /api/disk/offload': () => ({ body: { paths: ['local.txt'], destination: `${BIG}off/` } }),
    'POST /api/disk/delete': () => ({ body: { paths: ['gone.txt'] } }),
    'POST /api/locations': () => ({ body: { locations: [] } }),
    'POST /api/changed': () => ({ body: { written: [BIG], removed: [] } })
  };
}

/** Each dispatched route's bound, from the server's own map. */
function bounds(): Record<string, Bound> {
  const unused = () => {
    throw new Error('unused');
  };
  const deps = { config: testConfig(), needStore: unused, needEngine: unused, disk: {} as DiskMonitor };
  const out: Record<string, Bound> = {};
  for (const [p, route] of routeMap(deps)) {
    for (const method of ['GET', 'POST', 'PUT'] as const) {
      if (route[method]) {
        out[`${method} ${p}`] = route.bound;
      }
    }
  }
  return out;
}

const ASKS = asks();
const BOUNDS = bounds();
const ROUTES = dispatchedRoutes();

it('has a bound and a request for every route the server dispatches', () => {
  expect(Object.keys(ASKS).sort()).toEqual(ROUTES);
  for (const key of ROUTES) {
    const b = BOUNDS[key];
    const said = b?.answers === 'job' || b?.answers === 'stream' || (b?.answers === 'bounded' && b.by.length > 0);
    expect({ key, said }).toEqual({ key, said: true });
  }
  // The only stream is the event stream (the proxy buffers every other answer).
  expect(ROUTES.filter(k => BOUNDS[k].answers === 'stream')).toEqual(['GET /api/events']);
});

beforeAll(async () => {
  const started = await suite.svc.post('/api/delete', { uris: [BIG], recursive: true });
  ids.job = started.body.id;
  await suite.svc.post('/api/job/cancel', { id: ids.job });
  await waitJob(suite.svc, ids.job);
  for (const which of ['part', 'complete', 'abort'] as const) {
    const created = await suite.svc.post('/api/uploads', { files: [{ destination: `${BIG}${which}.bin`, size: 10 }] });
    ids[which] = created.body.uploads[0].id;
  }
  const headers = { Authorization: 'token test', 'Content-Type': 'application/octet-stream' };
  const part = { method: 'PUT', path: `/api/uploads/part?id=${ids.complete}&n=1`, headers, body: '0123456789' };
  expect((await suite.svc.request(part)).status).toBe(200);
});

describe.each(ROUTES.filter(k => BOUNDS[k].answers !== 'stream'))('%s', key => {
  it(`answers at once over a folder without end, as its bound says`, async () => {
    const ask = ASKS[key]();
    const [method, p] = key.split(' ');
    pages.n = 0;
    const started = Date.now();
    const reply = await suite.svc.request({
      method,
      path: ask.query ? `${p}?${new URLSearchParams(ask.query)}` : p,
      headers: {
        Authorization: 'token test',
        'Content-Type': method === 'PUT' ? 'application/octet-stream' : 'application/json'
      },
      body: ask.raw ?? (ask.body === undefined ? undefined : JSON.stringify(ask.body))
    });
    const seconds = (Date.now() - started) / 1000;
    const walked = pages.n;
    expect({ status: reply.status, message: reply.body?.message }).toEqual({
      status: ask.status ?? 200,
      message: ask.status ? expect.any(String) : undefined
    });
    ask.check?.(reply.body);
    // Bounded: at most 10 pages (count, the up-front conflict check) or 21 (a sync preview's refusal), and one asked ahead.
    expect(walked).toBeLessThanOrEqual(SYNC_PLAN_LIMIT / 1000 + 1 + AHEAD);
    expect(seconds).toBeLessThan(10);
    const job = reply.body?.job ?? reply.body;
    if (BOUNDS[key].answers === 'job') {
      // A job answers at once, running (or already ended, for an abort); its work walks on in the job.
      expect(job).toMatchObject({ id: expect.any(String), state: expect.any(String) });
      if (job.state === 'running') {
        await suite.svc.post('/api/job/cancel', { id: job.id });
      }
    }
  });
});

it('an upload into a folder without end, with policy fail, checks at most PRECHECK_LIMIT of its entries first', async () => {
  pages.n = 0;
  const body = { kind: 'upload', sources: ['sub'], destination: BIG, conflict: 'fail' };
  const reply = await suite.svc.post('/api/transfer', body);
  expect({ status: reply.status, state: reply.body.state }).toEqual({ status: 200, state: 'running' });
  expect(pages.n).toBeLessThanOrEqual(PRECHECK_LIMIT / 1000 + 1 + AHEAD);
  await suite.svc.post('/api/job/cancel', { id: reply.body.id });
});

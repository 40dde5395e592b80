/**
 * A client that goes away before its answer cancels the S3 call it started.
 *
 * The service talks to a fake S3 endpoint that accepts requests and never
 * answers; the test watches that endpoint see its request cut off.
 */
import * as http from 'node:http';
import { Running, startOnFakeS3 } from './harness';

let svc: Running;
let close: () => Promise<void>;
/** Requests the fake S3 received, and whether each was cut off. */
const seen: { url: string; closed: Promise<void> }[] = [];
let arrived: (() => void) | null = null;

beforeAll(async () => {
  ({ svc, close } = await startOnFakeS3((req, res) => {
    const closed = new Promise<void>(resolve => res.once('close', () => resolve()));
    seen.push({ url: req.url ?? '', closed });
    arrived?.();
    // Never answers.
  }));
});

afterAll(() => close());

it('cancels the S3 listing when the client disconnects, and keeps serving', async () => {
  const reached = new Promise<void>(resolve => (arrived = resolve));
  const req = http.request({
    socketPath: svc.socket,
    path: `/api/list?uri=${encodeURIComponent('e://org/slow/')}`,
    agent: false
  });
  req.on('error', () => undefined);
  req.end();
  await reached;
  expect(seen[0].url).toContain('list-type=2');
  expect(seen[0].url).toContain('encoding-type=url');

  req.destroy();
  // The S3 request is cut off at once, not after the 30 s deadline.
  await expect(within(seen[0].closed, 5000)).resolves.toBe('closed');

  await waitFor(() => svc.logs.some(l => l.includes('GET /api/list aborted')));
  expect(svc.logs.some(l => l.includes('internal error'))).toBe(false);
  expect(seen).toHaveLength(1); // an abort is not retried
  const alive = await svc.get('/');
  expect(alive.status).toBe(200);
});

it('cancels a stat the same way', async () => {
  const before = seen.length;
  const reached = new Promise<void>(resolve => (arrived = resolve));
  const req = http.request({
    socketPath: svc.socket,
    path: `/api/stat?uri=${encodeURIComponent('e://org/slow.txt')}`,
    agent: false
  });
  req.on('error', () => undefined);
  req.end();
  await reached;
  req.destroy();
  await expect(within(seen[before].closed, 5000)).resolves.toBe('closed');
});

/** 'closed' when `closed` settles within `ms`, else 'still open'. */
async function within(closed: Promise<void>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>(resolve => (timer = setTimeout(() => resolve('still open'), ms)));
  try {
    return await Promise.race([closed.then(() => 'closed'), late]);
  } finally {
    clearTimeout(timer);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) {
      throw new Error('condition not met in time');
    }
    await delay(20);
  }
}

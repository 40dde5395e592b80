/**
 * Retrying server-side copies and moves (issue 16): a copy or move cancelled
 * (or failed, or interrupted) part-way is retryable, and its retry copies
 * only the objects the first run did not, whatever the conflict policy.
 * Copies are slowed (each CopyObject waits 40 ms) so the cancel lands
 * part-way; one object at a time.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Job } from '../../core';
import { S3, countingClient, keysUnder, putObjects, serviceSuite, uniqueName, until, waitJob } from './harness';

const F = uniqueName('copy-retry');
const ORG = `shared/files/${F}/`;
const URI = `e://org/${F}/`;
const N = 20;
const names = Array.from({ length: N }, (_, i) => `o-${String(i).padStart(2, '0')}.txt`);

const counting = countingClient();
counting.client.middlewareStack.add(
  (next, context) => async args => {
    if (context.commandName === 'CopyObjectCommand') {
      await new Promise(resolve => setTimeout(resolve, 40));
    }
    return next(args);
  },
  { step: 'initialize', name: 'eosSlowCopy' }
);

const t = serviceSuite({
  cleanup: [ORG],
  service: { s3Client: counting.client, engine: { copyConcurrency: 1 } },
  seed: client =>
    putObjects(client, S3.orgBucket, {
      ...Object.fromEntries(names.map(n => [`${ORG}copy/src/${n}`, `copy ${n}`])),
      ...Object.fromEntries(names.map(n => [`${ORG}move/src/${n}`, `move ${n}`])),
      ...Object.fromEntries(names.map(n => [`${ORG}both/src/${n}`, `both ${n}`])),
      // Targets there before: keep-both writes the copies of these two as `o-0x (1).txt`.
      [`${ORG}both/dst/o-00.txt`]: 'older',
      [`${ORG}both/dst/o-01.txt`]: 'older'
    })
});

const copies = () => counting.calls.filter(c => c === 'CopyObjectCommand').length;
const mine = async (prefix: string) =>
  (await keysUnder(t.client, S3.orgBucket, `${ORG}${prefix}`)).map(k => k.slice(`${ORG}${prefix}`.length));
const text = async (key: string) =>
  (await t.client.send(new GetObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}${key}` }))).Body!.transformToString();

/** Start a copy, cancel it once 8 objects are copied, and answer the cancelled job. */
async function cancelledPartWay(body: Record<string, unknown>): Promise<Job> {
  const started = await t.svc.post('/api/copy', body);
  expect(started.status).toBe(200);
  await until(async () => (await t.svc.get('/api/job', { id: started.body.id })).body.objects.done >= 8);
  const cancelled = (await t.svc.post('/api/job/cancel', { id: started.body.id })).body as Job;
  expect(cancelled).toMatchObject({ state: 'cancelled', retryable: true });
  expect(cancelled.objects.done).toBeLessThan(N);
  return cancelled;
}

/** Retry `job`; answers the retry's end and how many CopyObject calls it made. */
async function retried(job: Job): Promise<{ end: Job; copied: number }> {
  const before = copies();
  const next = await t.svc.post('/api/job/retry', { id: job.id });
  expect(next.status).toBe(200);
  const end = (await waitJob(t.svc, next.body.id)) as Job;
  return { end, copied: copies() - before };
}

it('a copy cancelled part-way: the retry copies only the objects not yet copied', async () => {
  const first = await cancelledPartWay({ sources: [`${URI}copy/src/`], destination: `${URI}copy/dst/` });
  const there = (await mine('copy/dst/src/')).length;
  expect(there).toBeGreaterThanOrEqual(8);
  const { end, copied } = await retried(first);
  expect(end).toMatchObject({ state: 'done', objects: { done: N, total: N }, skipped: 0 });
  expect(copied).toBe(N - there);
  expect(await mine('copy/dst/src/')).toEqual(names);
  expect(await text(`copy/dst/src/${names[N - 1]}`)).toBe(`copy ${names[N - 1]}`);
  // The first job says where its retry went.
  expect((await t.svc.get('/api/job', { id: first.id })).body).toMatchObject({ retryable: false, retriedAs: end.id });
});

it('a move cancelled part-way: the retry moves the rest, and every source is gone', async () => {
  const first = await cancelledPartWay({ sources: [`${URI}move/src/`], destination: `${URI}move/dst/`, move: true });
  const there = (await mine('move/dst/src/')).length;
  // What was copied was deleted at the source (the move's cancel flushes its deletes).
  expect((await mine('move/src/')).length).toBe(N - there);
  const { end, copied } = await retried(first);
  // The sources already moved are gone: the retry lists and moves the rest.
  expect(end).toMatchObject({ state: 'done', kind: 'move', objects: { done: N - there, total: N - there } });
  expect(copied).toBe(N - there);
  expect(await mine('move/dst/src/')).toEqual(names);
  expect(await mine('move/src/')).toEqual([]);
});

it('a keep-both copy cancelled part-way: the retry makes no second numbered copy', async () => {
  // The folder copied under a new name, onto both/dst/, which holds two of its names already.
  const first = await cancelledPartWay({
    sources: [`${URI}both/src/`],
    destination: `${URI}both/dst`,
    conflict: 'keep-both'
  });
  const { end } = await retried(first);
  expect(end).toMatchObject({ state: 'done', objects: { done: N, total: N } });
  const listed = await mine('both/dst/');
  expect(listed).toEqual([...names.slice(0, 2).map(n => n.replace('.txt', ' (1).txt')), ...names].sort());
  expect(await text('both/dst/o-00.txt')).toBe('older');
  expect(await text('both/dst/o-00 (1).txt')).toBe('both o-00.txt');
});

/**
 * Sync between two EOS folders: the plan (new, changed, unchanged, deleted
 * only with `delete`), filters, the run doing what the plan said with
 * server-side copies only (no object's bytes through the service), refusals,
 * and keys the target cannot hold. Runs on moto and versitygw (jest.config.js).
 */
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { MAX_KEY_BYTES } from '../../core';
import {
  S3,
  deletePrefix,
  expectError,
  keysUnder,
  putObjects,
  serviceSuite,
  uniqueName,
  until,
  waitJob
} from './harness';

const F = uniqueName('esync');
const ORG = `shared/files/${F}/`;
const SRC = `e://org/${F}/src/`;
const DST = `e://org/${F}/dst/`;
const MiB = 1024 * 1024;
const STRANGER = '0b7e0a3c-4f5d-4e6a-8b9c-1d2e3f405162';
/** Above the suite's copy threshold (1 MiB): copied in two parts of 5 MiB. */
const BIG = 5 * MiB + 17;

const t = serviceSuite({
  cleanup: [ORG, [S3.gencoveBucket, `files/${F}/`]],
  counting: true,
  service: { engine: { multipartThreshold: MiB, copyPartSize: 5 * MiB } },
  seed: client =>
    putObjects(client, S3.orgBucket, {
      [`${ORG}src/a.txt`]: 'alpha',
      [`${ORG}src/sub/b.txt`]: 'beta',
      [`${ORG}src/skip.tmp`]: 'temporary',
      [`${ORG}src/big.bin`]: randomBytes(BIG)
    })
});

/** What the commands the service sent from `from` on carried: none may move an object's bytes. */
const BODIES = ['GetObjectCommand', 'PutObjectCommand', 'UploadPartCommand'];
const callsSince = (from: number) => t.calls.slice(from);
const count = (calls: string[], name: string) => calls.filter(c => c === name).length;
const relKeys = async (folder: string) =>
  (await keysUnder(t.client, S3.orgBucket, `${ORG}${folder}`)).map(k => k.slice(`${ORG}${folder}`.length)).sort();
const text = async (key: string) =>
  await t.client.send(new GetObjectCommand({ Bucket: S3.orgBucket, Key: key })).then(r => r.Body!.transformToString());

async function plan(body: Record<string, unknown>): Promise<any> {
  const reply = await t.svc.post('/api/sync/plan', body);
  expect(reply.status).toBe(200);
  return reply.body;
}

async function sync(body: Record<string, unknown>): Promise<any> {
  const started = await t.svc.post('/api/sync', body);
  expect(started.status).toBe(200);
  return waitJob(t.svc, started.body.id);
}

/** A relative path of `length` bytes, in segments of 100 (versitygw keeps keys as paths, names up to 255 bytes). */
function longName(length: number): string {
  let name = '';
  while (name.length + 104 < length) {
    name += `${'n'.repeat(99)}/`;
  }
  return `${name}${'x'.repeat(length - name.length - 4)}.txt`;
}

/** The plan's paths, to compare with what the run wrote. */
const paths = (entries: { path: string }[]) => entries.map(e => e.path);

describe('EOS -> EOS sync', () => {
  const request = { source: SRC, destination: DST, exclude: ['*.tmp'] };

  it('copies what is new server-side, as the dry run said, then finds nothing to do', async () => {
    let before = t.calls.length;
    const first = await plan(request);
    expect(first).toEqual({
      source: SRC,
      destination: DST,
      copy: [
        { path: 'a.txt', size: 5, reason: 'new' },
        { path: 'big.bin', size: BIG, reason: 'new' },
        { path: 'sub/b.txt', size: 4, reason: 'new' }
      ],
      delete: [],
      unchanged: 0,
      bytes: 9 + BIG,
      copyCount: 3,
      deleteCount: 0
    });
    // The plan lists both sides and stats the source; nothing else.
    expect(callsSince(before).filter(c => c !== 'ListObjectsV2Command' && c !== 'HeadObjectCommand')).toEqual([]);
    expect(await relKeys('dst/')).toEqual([]);

    before = t.calls.length;
    const job = await sync(request);
    expect(job).toMatchObject({
      kind: 'sync',
      state: 'done',
      sources: [SRC],
      destination: DST,
      objects: { done: 3, total: 3 },
      bytes: { done: 9 + BIG, total: 9 + BIG }
    });
    expect(await relKeys('dst/')).toEqual(paths(first.copy));
    const made = callsSince(before);
    expect(made.filter(c => BODIES.includes(c))).toEqual([]);
    expect(count(made, 'CopyObjectCommand')).toBe(2);
    expect(count(made, 'UploadPartCopyCommand')).toBe(2);
    expect(await text(`${ORG}dst/sub/b.txt`)).toBe('beta');

    before = t.calls.length;
    // The multipart copy's ETag is no MD5: it is up to date because it was written after its source.
    expect(await plan(request)).toMatchObject({ copy: [], copyCount: 0, deleteCount: 0, unchanged: 3, bytes: 0 });
    expect(callsSince(before).filter(c => c !== 'ListObjectsV2Command' && c !== 'HeadObjectCommand')).toEqual([]);
  });

  it('copies what changed in size or bytes; deletes what only the target has only with delete', async () => {
    await putObjects(t.client, S3.orgBucket, {
      [`${ORG}src/a.txt`]: 'ALPHA', // same size, other bytes: another ETag
      [`${ORG}src/sub/b.txt`]: 'beta, longer',
      [`${ORG}dst/extra.txt`]: 'only in the target',
      [`${ORG}dst/extra.tmp`]: 'excluded: never deleted'
    });
    const without = await plan(request);
    expect(without).toMatchObject({
      copy: [
        { path: 'a.txt', size: 5, reason: 'modified' },
        { path: 'sub/b.txt', size: 12, reason: 'size' }
      ],
      delete: [],
      unchanged: 1,
      copyCount: 2,
      deleteCount: 0
    });
    const job = await sync(request);
    expect(job).toMatchObject({ state: 'done', objects: { done: 2, total: 2 } });
    expect(await text(`${ORG}dst/a.txt`)).toBe('ALPHA');
    expect(await text(`${ORG}dst/sub/b.txt`)).toBe('beta, longer');
    expect(await relKeys('dst/')).toContain('extra.txt');

    const withDelete = await plan({ ...request, delete: true });
    expect(withDelete).toMatchObject({ copy: [], delete: [{ path: 'extra.txt', size: 18 }], deleteCount: 1 });
    const before = t.calls.length;
    const deleting = await sync({ ...request, delete: true });
    expect(deleting).toMatchObject({ state: 'done', objects: { done: 1, total: 1 } });
    expect(callsSince(before).filter(c => BODIES.includes(c))).toEqual([]);
    expect(await relKeys('dst/')).toEqual(['a.txt', 'big.bin', 'extra.tmp', 'sub/b.txt']);
  });

  // A multipart ETag is no MD5 of the bytes: the times decide, LastModified kept in whole seconds.
  it('copies an object of the same size written after its multipart copy', async () => {
    const head = await t.client.send(new HeadObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}dst/big.bin` }));
    expect(head.ETag).toMatch(/-2"$/);
    await until(() => Date.now() >= head.LastModified!.getTime() + 2000);
    await putObjects(t.client, S3.orgBucket, { [`${ORG}src/big.bin`]: randomBytes(BIG) });
    const planned = await plan(request);
    expect(planned).toMatchObject({ copy: [{ path: 'big.bin', size: BIG, reason: 'modified' }], unchanged: 2 });
    expect(await sync(request)).toMatchObject({ state: 'done', objects: { done: 1, total: 1 } });
    expect(await plan(request)).toMatchObject({ copyCount: 0, unchanged: 3 });
  });

  it('takes include and exclude filters in order, the last match deciding', async () => {
    const filters = [
      { include: false, glob: '*' },
      { include: true, glob: 'sub/**' }
    ];
    const body = { source: SRC, destination: `e://org/${F}/only-sub/`, filters };
    const planned = await plan(body);
    expect(paths(planned.copy)).toEqual(['sub/b.txt']);
    expect((await sync(body)).state).toBe('done');
    expect(await relKeys('only-sub/')).toEqual(paths(planned.copy));
  });

  it('reads from a read-only place', async () => {
    await putObjects(t.client, S3.gencoveBucket, { [`files/${F}/ref/r.txt`]: 'reference' });
    const body = { source: `e://gencove/${F}/ref/`, destination: `e://org/${F}/ref/` };
    expect(await plan(body)).toMatchObject({ copy: [{ path: 'r.txt', size: 9, reason: 'new' }] });
    expect((await sync(body)).state).toBe('done');
    expect(await text(`${ORG}ref/r.txt`)).toBe('reference');
  });

  it.each([
    ['a read-only target', { source: SRC, destination: 'e://gencove/x/' }, 403, 'ReadOnly'],
    ["another user's space", { source: SRC, destination: `e://users/${STRANGER}/x/` }, 403, 'ReadOnly'],
    ['the same folder', { source: SRC, destination: SRC }, 400, 'InvalidRequest'],
    ['a target inside the source', { source: SRC, destination: `${SRC}in/` }, 400, 'InvalidRequest'],
    ['a source inside the target', { source: `${SRC}sub/`, destination: SRC }, 400, 'InvalidRequest']
  ])('refuses %s before any S3 call', async (_, body, status, code) => {
    const before = t.calls.length;
    expectError(await t.svc.post('/api/sync/plan', body), status, code);
    expectError(await t.svc.post('/api/sync', body), status, code);
    expect(callsSince(before)).toEqual([]);
  });

  // With `delete`, a mistyped source would look empty and empty the target.
  it('refuses a source that is missing or an object', async () => {
    const missing = { source: `e://org/${F}/nothing/`, destination: DST, delete: true };
    expectError(await t.svc.post('/api/sync', missing), 404, 'NotFound');
    const object = { source: `e://org/${F}/src/a.txt`, destination: DST };
    const message = `e://org/${F}/src/a.txt is an object, not a folder: a sync takes folders`;
    expectError(await t.svc.post('/api/sync/plan', object), 400, 'InvalidRequest', message);
    expect(await relKeys('dst/')).toContain('a.txt');
  });

  it('names keys too long for the target as failed items, in the plan as in the run', async () => {
    const deep = `${ORG}deep/`;
    const rel = longName(MAX_KEY_BYTES - deep.length - 6);
    await putObjects(t.client, S3.orgBucket, { [`${deep}${rel}`]: 'long', [`${deep}ok.txt`]: 'ok' });
    const body = { source: `e://org/${F}/deep/`, destination: `e://org/${F}/a-longer-target-folder/` };
    const message = `The S3 key for e://org/${F}/deep/${rel} would be longer than ${MAX_KEY_BYTES} bytes`;
    const planned = await plan(body);
    expect(planned).toMatchObject({
      copy: [{ path: 'ok.txt', size: 2, reason: 'new' }],
      failed: [{ path: rel, error: { code: 'InvalidUri', message } }],
      failedCount: 1
    });
    const job = await sync(body);
    expect(job).toMatchObject({ state: 'failed', objects: { done: 1, total: 1 } });
    expect(job.failures).toEqual([{ item: `e://org/${F}/deep/${rel}`, error: { code: 'InvalidUri', message } }]);
    expect(await relKeys('a-longer-target-folder/')).toEqual(['ok.txt']);
    await deletePrefix(t.client, S3.orgBucket, deep);
  });
});

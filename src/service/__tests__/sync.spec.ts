/**
 * Sync both ways: the preview (what would be copied and deleted, nothing
 * changed), the result, `exclude` globs and ordered include/exclude filters,
 * and deletes only when asked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { globRegExp } from '../engine/transfer/syncplan';
import {
  Running,
  S3,
  countingClient,
  deletePrefix,
  expectError,
  keysUnder,
  putObjects,
  startService,
  testClient,
  testConfig,
  uniqueName,
  waitJob
} from './harness';
import { localTree, objectBytes, tempRoot } from './transfer-helpers';

const F = uniqueName('xsync');
const ORG = `shared/files/${F}/`;

let client: S3Client;
let root: string;
let svc: Running;
let calls: string[];

const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
};

async function sync(body: unknown): Promise<any> {
  const started = await svc.post('/api/sync', body);
  expect(started.status).toBe(200);
  return waitJob(svc, started.body.id);
}

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  const counting = countingClient();
  calls = counting.calls;
  svc = await startService(testConfig({ rootDir: root }), { s3Client: counting.client });
});

afterAll(async () => {
  await svc.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('globs', () => {
  it('match names at any depth without a slash, whole paths with one', () => {
    expect(globRegExp('*.tmp').test('a/b/c.tmp')).toBe(true);
    expect(globRegExp('*.tmp').test('c.tmpx')).toBe(false);
    expect(globRegExp('cache/**').test('cache/x/y.bin')).toBe(true);
    expect(globRegExp('cache/**').test('data/cache/x')).toBe(false);
    expect(globRegExp('a?c.txt').test('abc.txt')).toBe(true);
  });

  // A leading **/ matches at the root too; [] and {} work (the hand-made globs did neither).
  it.each([
    ['**/x', 'x', true],
    ['**/x', 'a/b/x', true],
    ['[ab].txt', 'dir/b.txt', true],
    ['[ab].txt', 'dir/c.txt', false],
    ['*.{tmp,log}', 'a/b.log', true],
    ['*.{tmp,log}', 'a/b.txt', false],
    ['*.tmp', '.hidden.tmp', true]
  ])('%s on %s: %s', (glob, rel, matches) => {
    expect(globRegExp(glob).test(rel)).toBe(matches);
  });
});

describe('local -> EOS', () => {
  const dest = `e://org/${F}/up/`;

  beforeAll(() => {
    write('proj/a.txt', 'alpha');
    write('proj/sub/b.txt', 'beta');
    write('proj/skip.tmp', 'temporary');
    // Files last changed an hour before they are uploaded, as most are.
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const rel of ['proj/a.txt', 'proj/sub/b.txt']) {
      fs.utimesSync(path.join(root, rel), hourAgo, hourAgo);
    }
  });

  it('previews, copies, then sees nothing to do', async () => {
    const before = calls.length;
    const plan = await svc.post('/api/sync/plan', { source: 'proj', destination: dest, exclude: ['*.tmp'] });
    expect(plan.status).toBe(200);
    expect(plan.body).toEqual({
      source: 'proj',
      destination: dest,
      copy: [
        { path: 'a.txt', size: 5, reason: 'new' },
        { path: 'sub/b.txt', size: 4, reason: 'new' }
      ],
      delete: [],
      unchanged: 0,
      bytes: 9,
      copyCount: 2,
      deleteCount: 0
    });
    expect(calls.slice(before).filter(c => !c.startsWith('List') && !c.startsWith('Head'))).toEqual([]);
    expect(await keysUnder(client, S3.orgBucket, `${ORG}up/`)).toEqual([]);

    const job = await sync({ source: 'proj', destination: dest, exclude: ['*.tmp'] });
    expect(job).toMatchObject({ kind: 'sync', state: 'done', objects: { done: 2, total: 2 }, bytes: { done: 9 } });
    expect((await keysUnder(client, S3.orgBucket, `${ORG}up/`)).sort()).toEqual([
      `${ORG}up/a.txt`,
      `${ORG}up/sub/b.txt`
    ]);

    const listed = calls.length;
    const again = await svc.post('/api/sync/plan', { source: 'proj', destination: dest, exclude: ['*.tmp'] });
    expect(again.body).toMatchObject({ copyCount: 0, deleteCount: 0, unchanged: 2, bytes: 0 });
    // Objects written after the files last changed are up to date without a HEAD each.
    expect(calls.slice(listed).filter(c => c !== 'ListObjectsV2Command')).toEqual([]);
  });

  it('copies what changed in size or time; deletes extra objects only with delete', async () => {
    write('proj/a.txt', 'alpha, longer');
    const later = new Date(Date.now() + 60000);
    fs.utimesSync(path.join(root, 'proj/sub/b.txt'), later, later);
    await putObjects(client, S3.orgBucket, { [`${ORG}up/extra.txt`]: 'only in EOS' });
    const plan = await svc.post('/api/sync/plan', { source: 'proj', destination: dest, exclude: ['*.tmp'] });
    expect(plan.body).toMatchObject({
      copy: [
        { path: 'a.txt', size: 13, reason: 'size' },
        { path: 'sub/b.txt', size: 4, reason: 'modified' }
      ],
      delete: [],
      deleteCount: 0
    });
    const withDelete = await svc.post('/api/sync/plan', {
      source: 'proj',
      destination: dest,
      exclude: ['*.tmp'],
      delete: true
    });
    expect(withDelete.body).toMatchObject({ delete: [{ path: 'extra.txt', size: 11 }], deleteCount: 1 });

    expect((await sync({ source: 'proj', destination: dest, exclude: ['*.tmp'] })).state).toBe('done');
    expect((await objectBytes(client, S3.orgBucket, `${ORG}up/a.txt`)).toString()).toBe('alpha, longer');
    expect(await keysUnder(client, S3.orgBucket, `${ORG}up/extra.txt`)).toEqual([`${ORG}up/extra.txt`]);

    const job = await sync({ source: 'proj', destination: dest, exclude: ['*.tmp'], delete: true });
    expect(job).toMatchObject({ state: 'done', objects: { done: 1, total: 1 } });
    expect((await keysUnder(client, S3.orgBucket, `${ORG}up/`)).sort()).toEqual([
      `${ORG}up/a.txt`,
      `${ORG}up/sub/b.txt`
    ]);
  });

  it('refuses a read-only destination before any S3 call, and two local sides', async () => {
    const before = calls.length;
    expectError(await svc.post('/api/sync', { source: 'proj', destination: 'e://gencove/x/' }), 403, 'ReadOnly');
    expectError(await svc.post('/api/sync/plan', { source: 'proj', destination: 'other' }), 400, 'InvalidRequest');
    expectError(await svc.post('/api/sync/plan', { source: '../x', destination: dest }), 403, 'OutsideRoot');
    expect(calls.slice(before)).toEqual([]);
  });
});

describe('EOS -> local', () => {
  const src = `e://org/${F}/remote/`;

  beforeAll(async () => {
    await putObjects(client, S3.orgBucket, {
      [`${ORG}remote/r1.txt`]: 'one',
      [`${ORG}remote/deep/r2.txt`]: 'two'
    });
    write('mirror/stale.txt', 'stale');
  });

  it('previews, copies into the local folder, deletes local extras only with delete', async () => {
    const plan = await svc.post('/api/sync/plan', { source: src, destination: 'mirror', delete: true });
    expect(plan.body).toMatchObject({
      source: src,
      destination: 'mirror',
      copy: [
        { path: 'deep/r2.txt', size: 3, reason: 'new' },
        { path: 'r1.txt', size: 3, reason: 'new' }
      ],
      delete: [{ path: 'stale.txt', size: 5 }],
      copyCount: 2,
      deleteCount: 1
    });
    expect(localTree(path.join(root, 'mirror'))).toEqual(['stale.txt']);

    expect((await sync({ source: src, destination: 'mirror' })).state).toBe('done');
    expect(localTree(path.join(root, 'mirror'))).toEqual(['deep', 'deep/r2.txt', 'r1.txt', 'stale.txt']);
    expect(fs.readFileSync(path.join(root, 'mirror/deep/r2.txt'), 'utf8')).toBe('two');

    const unchanged = await svc.post('/api/sync/plan', { source: src, destination: 'mirror' });
    expect(unchanged.body).toMatchObject({ copyCount: 0, unchanged: 2 });

    const job = await sync({ source: src, destination: 'mirror', delete: true });
    expect(job).toMatchObject({ state: 'done', objects: { done: 1, total: 1 } });
    expect(localTree(path.join(root, 'mirror'))).toEqual(['deep', 'deep/r2.txt', 'r1.txt']);
  });
  it('takes include and exclude filters in order, the last match deciding, and refuses malformed ones', async () => {
    await putObjects(client, S3.orgBucket, {
      [`${ORG}calls/a.vcf.gz`]: 'a',
      [`${ORG}calls/deep/b.vcf.gz`]: 'b',
      [`${ORG}calls/deep/b.bam`]: 'bam',
      [`${ORG}calls/keep.txt`]: 'txt'
    });
    const source = `e://org/${F}/calls/`;
    const filters = [
      { include: false, glob: '*' },
      { include: true, glob: '*.vcf.gz' }
    ];
    const plan = await svc.post('/api/sync/plan', { source, destination: 'calls', filters });
    expect(plan.body.copy.map((c: { path: string }) => c.path)).toEqual(['a.vcf.gz', 'deep/b.vcf.gz']);
    // `exclude` comes before the filters: an include after it takes a path back in.
    const both = await svc.post('/api/sync/plan', {
      source,
      destination: 'calls',
      exclude: ['deep/**'],
      filters: [{ include: true, glob: 'deep/*.bam' }]
    });
    expect(both.body.copy.map((c: { path: string }) => c.path)).toEqual(['a.vcf.gz', 'deep/b.bam', 'keep.txt']);
    expect((await sync({ source, destination: 'calls', filters })).state).toBe('done');
    expect(localTree(path.join(root, 'calls'))).toEqual(['a.vcf.gz', 'deep', 'deep/b.vcf.gz']);
    const bad = await svc.post('/api/sync/plan', { source, destination: 'calls', filters: [{ glob: '*' }] });
    expectError(bad, 400, 'InvalidRequest');
  });

  // They were left out of the plan and the job ended `done` (a download names each as a failed item).
  it('names keys that cannot be local names in the plan, and the job fails each one by name', async () => {
    const odd = `e://org/${F}/odd/`;
    await putObjects(client, S3.orgBucket, {
      [`${ORG}odd/good.txt`]: 'good',
      [`${ORG}odd/a/../evil.txt`]: 'bad',
      [`${ORG}odd/b//c.txt`]: 'bad'
    });
    const message = (key: string, segment: string) =>
      `The key part ${JSON.stringify(key)} has a segment (${JSON.stringify(segment)}) that cannot be a local name`;
    const plan = await svc.post('/api/sync/plan', { source: odd, destination: 'oddlocal' });
    expect(plan.body).toMatchObject({
      copy: [{ path: 'good.txt', size: 4, reason: 'new' }],
      copyCount: 1,
      failed: [
        { path: 'a/../evil.txt', error: { code: 'InvalidRequest', message: message('a/../evil.txt', '..') } },
        { path: 'b//c.txt', error: { code: 'InvalidRequest', message: message('b//c.txt', '') } }
      ],
      failedCount: 2
    });
    const job = await sync({ source: odd, destination: 'oddlocal' });
    expect(job).toMatchObject({ state: 'failed', objects: { done: 1, total: 1 }, error: { code: 'InvalidRequest' } });
    expect(job.failures.map((f: any) => f.item)).toEqual([`${odd}a/../evil.txt`, `${odd}b//c.txt`]);
    expect(localTree(path.join(root, 'oddlocal'))).toEqual(['good.txt']);
    expect(fs.existsSync(path.join(root, 'evil.txt'))).toBe(false);
  });

  // Which of `data` and `data/x` failed depended on which was written first.
  it.each([1, 2])('fails an object whose name is the folder of other keys, every run the same (run %d)', async () => {
    const both = `e://org/${F}/both/`;
    await putObjects(client, S3.orgBucket, { [`${ORG}both/data`]: 'object', [`${ORG}both/data/x`]: 'inside' });
    fs.rmSync(path.join(root, 'bothlocal'), { recursive: true, force: true });
    const message = `"bothlocal/data" is a folder on the server's disk (it holds other keys): a file cannot replace it`;
    const plan = await svc.post('/api/sync/plan', { source: both, destination: 'bothlocal' });
    expect(plan.body).toMatchObject({
      copy: [{ path: 'data/x', size: 6, reason: 'new' }],
      failed: [{ path: 'data', error: { code: 'Conflict', message } }],
      failedCount: 1
    });
    const job = await sync({ source: both, destination: 'bothlocal' });
    expect(job).toMatchObject({ state: 'failed', objects: { done: 1, total: 1 } });
    expect(job.failures).toEqual([{ item: `${both}data`, error: { code: 'Conflict', message } }]);
    expect(localTree(path.join(root, 'bothlocal'))).toEqual(['data', 'data/x']);
  });
});

/**
 * Transfers onto targets that exist: each conflict policy, both ways, and a
 * question answered while the job waits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { Engine } from '../engine';
import {
  Running,
  S3,
  VERSITYGW,
  deletePrefix,
  expectError,
  keysUnder,
  putObjects,
  startService,
  testClient,
  testConfig,
  uniqueName
} from './harness';
import { jobWhen, localTree, objectBytes, s3Proxy, tempRoot, transfer } from './transfer-helpers';

const F = uniqueName('xconf');
const ORG = `shared/files/${F}/`;

let client: S3Client;
let root: string;
let svc: Running;
let engine: Engine;

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  svc = await startService(testConfig({ rootDir: root }), { onEngine: e => (engine = e) });
});

afterAll(async () => {
  await svc.close();
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Answer the job's conflict question: through `api/job/answer` once it exists, else the registry. */
async function answer(id: string, question: string, choice: string): Promise<void> {
  const reply = await svc.post('/api/job/answer', { id, question, choice });
  if (reply.status === 500 && reply.body?.code === 'Internal') {
    engine.jobs.answer(id, question, choice as 'overwrite' | 'skip' | 'keep-both');
    return;
  }
  expect(reply.status).toBe(200);
}

describe('upload onto existing objects', () => {
  const text = async (key: string) => (await objectBytes(client, S3.orgBucket, `${ORG}up/${key}`)).toString();
  const upload = (conflict?: string) =>
    transfer(svc, { kind: 'upload', sources: ['conf/a.txt', 'conf/b.txt'], destination: `e://org/${F}/up/`, conflict });

  beforeEach(async () => {
    fs.rmSync(path.join(root, 'conf'), { recursive: true, force: true });
    fs.mkdirSync(path.join(root, 'conf'));
    fs.writeFileSync(path.join(root, 'conf', 'a.txt'), 'new alpha');
    fs.writeFileSync(path.join(root, 'conf', 'b.txt'), 'new beta');
    await deletePrefix(client, S3.orgBucket, `${ORG}up/`);
    await putObjects(client, S3.orgBucket, { [`${ORG}up/a.txt`]: 'old alpha' });
  });

  it('fail: refused before anything is written, naming the target', async () => {
    const reply = await svc.post('/api/transfer', {
      kind: 'upload',
      sources: ['conf/a.txt', 'conf/b.txt'],
      destination: `e://org/${F}/up/`,
      conflict: 'fail'
    });
    expectError(reply, 409, 'Conflict', `e://org/${F}/up/a.txt already exists`);
    expect(reply.body.details).toContain(`e://org/${F}/up/a.txt`);
    expect(await keysUnder(client, S3.orgBucket, `${ORG}up/`)).toEqual([`${ORG}up/a.txt`]);
    expect(await text('a.txt')).toBe('old alpha');
  });

  it('skip: writes what is missing, keeps and counts what exists', async () => {
    const job = await upload('skip');
    expect(job).toMatchObject({
      state: 'done',
      skipped: 1,
      objects: { done: 1, total: 2 },
      bytes: { done: 8, total: 8 }
    });
    expect(await text('a.txt')).toBe('old alpha');
    expect(await text('b.txt')).toBe('new beta');
  });

  it('overwrite: replaces the existing object', async () => {
    const job = await upload('overwrite');
    expect(job).toMatchObject({ state: 'done', skipped: 0, objects: { done: 2, total: 2 } });
    expect(await text('a.txt')).toBe('new alpha');
  });

  it('keep-both: writes beside it as name (1).ext', async () => {
    const job = await upload('keep-both');
    expect(job.state).toBe('done');
    expect(await text('a.txt')).toBe('old alpha');
    expect(await text('a (1).txt')).toBe('new alpha');
  });

  it('a new name another client is writing at the same moment (S3: 409) fails as a conflict, naming it', async () => {
    // S3 answers 409 ConditionalRequestConflict to a conditional write while another
    // one of the key runs; neither test server does, so a proxy answers as S3 would.
    const proxy = await s3Proxy(undefined, req =>
      req.method === 'PUT' && req.url.includes(`${ORG}up/b.txt`) && req.headers['if-none-match'] === '*'
        ? {
            status: 409,
            body: '<Error><Code>ConditionalRequestConflict</Code><Message>A conflicting conditional operation is currently in progress</Message></Error>'
          }
        : undefined
    );
    const racing = testClient({ endpoint: proxy.url });
    const other = await startService(testConfig({ rootDir: root }), { s3Client: racing });
    try {
      const job = await transfer(other, {
        kind: 'upload',
        sources: ['conf/b.txt'],
        destination: `e://org/${F}/up/`,
        conflict: 'skip'
      });
      expect(job.state).toBe('failed');
      expect(JSON.stringify(job)).toContain(
        `e://org/${F}/up/b.txt was being written by another client at the same moment: nothing was written`
      );
      expect(await keysUnder(client, S3.orgBucket, `${ORG}up/`)).toEqual([`${ORG}up/a.txt`]);
    } finally {
      await other.close();
      racing.destroy();
      await proxy.close();
    }
  });

  it('ask (the default): the job asks with sizes and dates, and goes on with the answer', async () => {
    const started = await svc.post('/api/transfer', {
      kind: 'upload',
      sources: ['conf/a.txt', 'conf/b.txt'],
      destination: `e://org/${F}/up/`
    });
    expect(started.status).toBe(200);
    const asked = await jobWhen(svc, started.body.id, job => job.question !== undefined);
    expect(asked.question).toMatchObject({
      target: `e://org/${F}/up/a.txt`,
      source: 'conf/a.txt',
      sourceSize: 9,
      targetSize: 9
    });
    expect(asked.question.sourceModified).toEqual(expect.any(String));
    expect(asked.question.targetModified).toEqual(expect.any(String));
    await answer(started.body.id, asked.question.id, 'overwrite');
    const job = await jobWhen(svc, started.body.id, () => false);
    expect(job).toMatchObject({ state: 'done', objects: { done: 2, total: 2 } });
    expect(await text('a.txt')).toBe('new alpha');
    expect(await text('b.txt')).toBe('new beta');
  });
});

describe('download onto existing files', () => {
  const dir = () => path.join(root, 'dconf');
  const read = (name: string) => fs.readFileSync(path.join(dir(), name), 'utf8');
  const download = (conflict?: string) =>
    transfer(svc, {
      kind: 'download',
      sources: [`e://org/${F}/src/a.txt`, `e://org/${F}/src/b.txt`],
      destination: 'dconf',
      conflict
    });

  beforeAll(async () => {
    await putObjects(client, S3.orgBucket, { [`${ORG}src/a.txt`]: 'remote alpha', [`${ORG}src/b.txt`]: 'remote beta' });
  });

  beforeEach(() => {
    fs.rmSync(dir(), { recursive: true, force: true });
    fs.mkdirSync(dir());
    fs.writeFileSync(path.join(dir(), 'a.txt'), 'local alpha');
  });

  it('fail: refused before anything is written', async () => {
    const reply = await svc.post('/api/transfer', {
      kind: 'download',
      sources: [`e://org/${F}/src/a.txt`, `e://org/${F}/src/b.txt`],
      destination: 'dconf',
      conflict: 'fail'
    });
    expectError(reply, 409, 'Conflict', 'dconf/a.txt already exists');
    expect(localTree(dir())).toEqual(['a.txt']);
  });

  it('skip, overwrite and keep-both', async () => {
    expect(await download('skip')).toMatchObject({ state: 'done', skipped: 1, objects: { done: 1, total: 2 } });
    expect(read('a.txt')).toBe('local alpha');
    expect(read('b.txt')).toBe('remote beta');

    expect((await download('keep-both')).state).toBe('done');
    expect(localTree(dir())).toEqual(['a (1).txt', 'a.txt', 'b (1).txt', 'b.txt']);
    expect(read('a (1).txt')).toBe('remote alpha');
    expect(read('a.txt')).toBe('local alpha');

    expect((await download('overwrite')).state).toBe('done');
    expect(read('a.txt')).toBe('remote alpha');
    expect(localTree(dir())).toEqual(['a (1).txt', 'a.txt', 'b (1).txt', 'b.txt']);
  });

  it('ask: skip answered for the one that exists', async () => {
    const started = await svc.post('/api/transfer', {
      kind: 'download',
      sources: [`e://org/${F}/src/a.txt`, `e://org/${F}/src/b.txt`],
      destination: 'dconf',
      conflict: 'ask'
    });
    const asked = await jobWhen(svc, started.body.id, job => job.question !== undefined);
    expect(asked.question).toMatchObject({
      target: 'dconf/a.txt',
      source: `e://org/${F}/src/a.txt`,
      sourceSize: 12,
      targetSize: 11
    });
    await answer(started.body.id, asked.question.id, 'skip');
    const job = await jobWhen(svc, started.body.id, () => false);
    expect(job).toMatchObject({ state: 'done', skipped: 1 });
    expect(read('a.txt')).toBe('local alpha');
    expect(read('b.txt')).toBe('remote beta');
    expect(localTree(dir())).toEqual(['a.txt', 'b.txt']);
  });
});

// `data` and `data/x`: `data` must be a folder on the local disk. keep-both and skip ended in Conflict,
// overwrite in `Internal: ... EISDIR`, and which failed depended on which file ran first.
// The clash cannot be stored on versitygw (VERSITYGW_LACKS.objectAndFolder): moto holds it as S3 does.
(VERSITYGW ? describe.skip : describe)('an object whose name is also the folder of other keys', () => {
  const dir = () => path.join(root, 'clash');
  const read = (name: string) => fs.readFileSync(path.join(dir(), name), 'utf8');
  const download = (conflict: string) =>
    transfer(svc, { kind: 'download', sources: [`e://org/${F}/both/`], destination: 'clash', conflict });

  beforeAll(async () => {
    await putObjects(client, S3.orgBucket, {
      [`${ORG}both/data`]: 'object',
      [`${ORG}both/data.txt`]: 'beside',
      [`${ORG}both/data/x`]: 'inside'
    });
  });

  beforeEach(() => {
    fs.rmSync(dir(), { recursive: true, force: true });
    fs.mkdirSync(dir());
  });

  it.each([1, 2, 3])('keep-both places the object beside the folder as a numbered copy (run %d)', async () => {
    expect(await download('keep-both')).toMatchObject({ state: 'done', objects: { done: 3, total: 3 } });
    expect(localTree(dir())).toEqual(['both', 'both/data', 'both/data (1)', 'both/data.txt', 'both/data/x']);
    expect(read('both/data (1)')).toBe('object');
    expect(read('both/data/x')).toBe('inside');
  });

  it('skip leaves the object out and counts it', async () => {
    expect(await download('skip')).toMatchObject({ state: 'done', skipped: 1, objects: { done: 2, total: 3 } });
    expect(localTree(dir())).toEqual(['both', 'both/data', 'both/data.txt', 'both/data/x']);
  });

  it.each(['overwrite', 'fail'])('%s refuses the object, naming the local folder; the rest arrives', async policy => {
    const job = await download(policy);
    const words =
      policy === 'overwrite'
        ? `"clash/both/data" is a folder on the server's disk: a file cannot replace it (keep both or skip)`
        : `"clash/both/data" already exists as a folder on the server's disk`;
    expect(job).toMatchObject({ state: 'failed', objects: { done: 2, total: 3 } });
    expect(job.failures).toEqual([{ item: `e://org/${F}/both/data`, error: { code: 'Conflict', message: words } }]);
    expect(localTree(dir())).toEqual(['both', 'both/data', 'both/data.txt', 'both/data/x']);
  });

  it('overwrite never replaces a local folder with a file (it ended Internal EISDIR)', async () => {
    fs.mkdirSync(path.join(dir(), 'data'));
    fs.writeFileSync(path.join(dir(), 'data', 'mine.txt'), 'mine');
    const job = await transfer(svc, {
      kind: 'download',
      sources: [`e://org/${F}/both/data`],
      destination: 'clash',
      conflict: 'overwrite'
    });
    expect(job.failures).toEqual([
      {
        item: `e://org/${F}/both/data`,
        error: {
          code: 'Conflict',
          message: `"clash/data" is a folder on the server's disk: a file cannot replace it (keep both or skip)`
        }
      }
    ]);
    expect(read('data/mine.txt')).toBe('mine');
  });
});

describe('server-side copy onto existing objects', () => {
  const text = async (key: string) => (await objectBytes(client, S3.orgBucket, `${ORG}cp/${key}`)).toString();

  beforeEach(async () => {
    await deletePrefix(client, S3.orgBucket, `${ORG}cp/`);
    await putObjects(client, S3.orgBucket, {
      [`${ORG}cpsrc/a.txt`]: 'source alpha',
      [`${ORG}cp/a.txt`]: 'target alpha'
    });
  });

  it('keep-both: copies beside the target as name (1).ext', async () => {
    const started = await svc.post('/api/copy', {
      sources: [`e://org/${F}/cpsrc/a.txt`],
      destination: `e://org/${F}/cp/`,
      conflict: 'keep-both'
    });
    expect(started.status).toBe(200);
    expect((await jobWhen(svc, started.body.id, () => false)).state).toBe('done');
    expect(await text('a.txt')).toBe('target alpha');
    expect(await text('a (1).txt')).toBe('source alpha');
  });

  it('ask: the copy waits for the answer', async () => {
    const started = await svc.post('/api/copy', {
      sources: [`e://org/${F}/cpsrc/a.txt`],
      destination: `e://org/${F}/cp/`,
      conflict: 'ask'
    });
    const asked = await jobWhen(svc, started.body.id, job => job.question !== undefined);
    expect(asked.question).toMatchObject({ target: `e://org/${F}/cp/a.txt`, source: `e://org/${F}/cpsrc/a.txt` });
    await answer(started.body.id, asked.question.id, 'overwrite');
    expect((await jobWhen(svc, started.body.id, () => false)).state).toBe('done');
    expect(await text('a.txt')).toBe('source alpha');
  });
});

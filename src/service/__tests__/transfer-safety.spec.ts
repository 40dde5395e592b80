/**
 * What transfers refuse: local paths outside the Jupyter root, read-only
 * destinations (before any S3 call), keys that would lead out of the target
 * folder, and a download the disk has no room for.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
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
  uniqueName
} from './harness';
import { localTree, tempRoot, transfer } from './transfer-helpers';

const F = uniqueName('xsafe');
const ORG = `shared/files/${F}/`;

let client: S3Client;
let root: string;
let outside: string;
let svc: Running;
let calls: string[];

beforeAll(async () => {
  client = testClient();
  root = tempRoot();
  outside = tempRoot();
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  fs.mkdirSync(path.join(root, 'data'));
  fs.writeFileSync(path.join(root, 'data', 'a.txt'), 'alpha');
  fs.symlinkSync(outside, path.join(root, 'out-link'));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'data', 'secret-link.txt'));
  const counting = countingClient();
  calls = counting.calls;
  svc = await startService(testConfig({ rootDir: root }), { s3Client: counting.client });
});

afterAll(async () => {
  await svc.close();
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('local paths outside the root', () => {
  const cases: [string, string][] = [
    ['..', '../etc/passwd'],
    ['.. inside', 'data/../../x'],
    ['absolute', '/etc/passwd'],
    ['NUL', 'data/a\0.txt'],
    ['a symbolic link leading out', 'out-link/secret.txt'],
    ['a symbolic link to a file outside', 'data/secret-link.txt']
  ];

  it.each(cases)('an upload source (%s) is refused with OutsideRoot, before any S3 call', async (_, source) => {
    const before = calls.length;
    const reply = await svc.post('/api/transfer', { kind: 'upload', sources: [source], destination: `e://org/${F}/` });
    expectError(reply, 403, 'OutsideRoot');
    expect(calls.slice(before)).toEqual([]);
  });

  it.each(cases)('a download destination (%s) is refused with OutsideRoot, before any S3 call', async (_, dest) => {
    const before = calls.length;
    const reply = await svc.post('/api/transfer', {
      kind: 'download',
      sources: [`e://org/${F}/x.txt`],
      destination: dest
    });
    expectError(reply, 403, 'OutsideRoot');
    expect(calls.slice(before)).toEqual([]);
  });

  it('a symbolic link leading out inside an uploaded folder is an item failure; the rest goes up', async () => {
    const job = await transfer(svc, { kind: 'upload', sources: ['data'], destination: `e://org/${F}/walk/` });
    expect(job.state).toBe('failed');
    expect(job.failures).toEqual([
      { item: 'data/secret-link.txt', error: expect.objectContaining({ code: 'OutsideRoot' }) }
    ]);
    expect(await keysUnder(client, S3.orgBucket, `${ORG}walk/`)).toEqual([`${ORG}walk/data/a.txt`]);
  });
});

describe('read-only destinations', () => {
  it.each([['e://gencove/'], [`e://users/${S3.otherUserId}/`], ['e://users/']])(
    'an upload into %s is refused before any S3 call',
    async dest => {
      const before = calls.length;
      const reply = await svc.post('/api/transfer', { kind: 'upload', sources: ['data/a.txt'], destination: dest });
      expect(reply.status).toBe(403);
      expect(reply.body.code).toBe('ReadOnly');
      expect(calls.slice(before)).toEqual([]);
    }
  );
});

describe('bad requests', () => {
  it('refuses an upload destination that is not a folder, a missing source, and the root itself', async () => {
    expectError(
      await svc.post('/api/transfer', { kind: 'upload', sources: ['data/a.txt'], destination: `e://org/${F}/a.txt` }),
      400,
      'InvalidRequest',
      "must be a folder ending in '/'"
    );
    expectError(
      await svc.post('/api/transfer', { kind: 'upload', sources: ['data/none.txt'], destination: `e://org/${F}/` }),
      404,
      'NotFound'
    );
    expectError(
      await svc.post('/api/transfer', { kind: 'upload', sources: [''], destination: `e://org/${F}/` }),
      400,
      'InvalidRequest'
    );
    expectError(
      await svc.post('/api/transfer', { kind: 'upload', sources: ['data'], destination: `e://org/${F}/`, x: 1 }),
      400,
      'InvalidRequest',
      "unknown field 'x'"
    );
    expectError(
      await svc.post('/api/transfer', { kind: 'sideways', sources: ['data'], destination: `e://org/${F}/` }),
      400,
      'InvalidRequest',
      "Invalid 'kind'"
    );
  });
});

describe('keys that cannot be local names', () => {
  it('are item failures, written nowhere; the other objects arrive', async () => {
    await putObjects(client, S3.orgBucket, {
      [`${ORG}evil/good.txt`]: 'good',
      [`${ORG}evil/../../escaped.txt`]: 'bad',
      [`${ORG}evil/a//b.txt`]: 'bad',
      [`${ORG}evil/./c.txt`]: 'bad',
      [`${ORG}evil/sub/../../d.txt`]: 'bad'
    });
    fs.mkdirSync(path.join(root, 'keys'));
    const job = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/evil/`], destination: 'keys' });
    expect(job.state).toBe('failed');
    expect(job.failures.map((f: any) => f.error.code)).toEqual([
      'InvalidRequest',
      'InvalidRequest',
      'InvalidRequest',
      'InvalidRequest'
    ]);
    expect(job.objects).toEqual({ done: 1, total: 1 });
    expect(localTree(path.join(root, 'keys'))).toEqual(['evil', 'evil/good.txt']);
    expect(localTree(root).filter(n => ['escaped.txt', 'b.txt', 'c.txt', 'd.txt'].includes(path.basename(n)))).toEqual(
      []
    );
    expect(fs.readdirSync(os.tmpdir()).filter(n => n === 'escaped.txt' || n === 'd.txt')).toEqual([]);
  });
});

describe('local names that are not UTF-8', () => {
  const message =
    'A name in the folder "latin1" of the server\'s disk is not valid UTF-8 ("caf\uFFFD"): ' +
    'it cannot be represented; rename it';
  beforeAll(() => {
    fs.mkdirSync(path.join(root, 'latin1'));
    fs.writeFileSync(Buffer.concat([Buffer.from(path.join(root, 'latin1', 'caf')), Buffer.from([0xe9])]), 'x');
    fs.writeFileSync(path.join(root, 'latin1', 'ok.txt'), 'ok');
  });

  it('fail an upload by name, saying the name cannot be represented; the other files arrive', async () => {
    const job = await transfer(svc, { kind: 'upload', sources: ['latin1'], destination: `e://org/${F}/` });
    expect(job.state).toBe('failed');
    expect(job.failures).toEqual([
      { item: 'latin1/caf\uFFFD', error: expect.objectContaining({ code: 'InvalidRequest', message }) }
    ]);
    expect(await keysUnder(client, S3.orgBucket, `${ORG}latin1/`)).toEqual([`${ORG}latin1/ok.txt`]);
  });

  it('refuse a sync from the local disk with the same words', async () => {
    const plan = await svc.post('/api/sync/plan', { source: 'latin1', destination: `e://org/${F}/synced/` });
    expectError(plan, 400, 'InvalidRequest', message);
  });
});

describe('free space', () => {
  let tiny: Running;

  beforeAll(async () => {
    tiny = await startService(testConfig({ rootDir: root }), {
      engine: { statfs: async () => ({ bavail: 100, bsize: 4096 }) }
    });
    await putObjects(client, S3.orgBucket, {
      [`${ORG}room/big.bin`]: Buffer.alloc(1024 * 1024, 1),
      [`${ORG}room/tree/big.bin`]: Buffer.alloc(1024 * 1024, 2)
    });
    fs.mkdirSync(path.join(root, 'room'));
  });

  afterAll(() => tiny.close());

  it('a download larger than the free space is refused, saying how much is missing', async () => {
    const reply = await tiny.post('/api/transfer', {
      kind: 'download',
      sources: [`e://org/${F}/room/big.bin`],
      destination: 'room'
    });
    // The root shares its disk (quota mode): a margin of 1 % of the 200 GB limit, at most 1 GB, is kept free.
    expectError(reply, 507, 'NoSpace', /1\.0 MB needed \(and 1\.0 GB kept free\), 410 kB free \(1\.0 GB missing\)/);
    expect(localTree(path.join(root, 'room'))).toEqual([]);
  });

  it('a folder whose files do not fit fails the job before writing them', async () => {
    const job = await transfer(tiny, { kind: 'download', sources: [`e://org/${F}/room/tree/`], destination: 'room' });
    expect(job.state).toBe('failed');
    expect(job.error.code).toBe('NoSpace');
    expect(localTree(path.join(root, 'room'))).toEqual(['tree']);
  });
});

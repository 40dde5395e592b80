/**
 * The disk gauge's service side: both modes, thresholds in quota mode with a
 * small limit, the background walk (matching `du -sB1`, never blocking other
 * routes, reporting unreadable folders) and the largest items.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Running,
  S3,
  deletePrefix,
  expectError,
  putObjects,
  request,
  startService,
  testClient,
  testConfig,
  uniqueName,
  waitJob
} from './harness';
import { objectBytes } from './transfer-helpers';
import { loadConfig } from '../engine/config';
import { buildBundle } from './bundle';

async function tempRoot(prefix: string): Promise<string> {
  return fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), prefix)));
}

/** What `du -sB1` says the tree under `dir` holds. */
function du(dir: string): number {
  return Number(execFileSync('du', ['-sB1', dir], { encoding: 'utf8' }).split('\t')[0]);
}

/**
 * Ask `api/disk` until its figure comes from a walk that started after
 * `since`: walks run one after another, so the second to end after `since`
 * began after it.
 */
async function measured(svc: Running, since = 0): Promise<any> {
  let after = since;
  for (let walks = 0; ;) {
    const reply = await svc.get('/api/disk');
    expect(reply.status).toBe(200);
    const d = reply.body;
    if (d.measuredAt !== null && Date.parse(d.measuredAt) >= after) {
      after = Date.parse(d.measuredAt) + 1;
      if (++walks === 2) {
        return d;
      }
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** Start a move to EOS and wait for its job to end. */
async function offload(svc: Running, body: unknown): Promise<any> {
  const started = await svc.post('/api/disk/offload', body);
  expect(started.status).toBe(200);
  return waitJob(svc, started.body.id);
}

describe('filesystem mode', () => {
  let root: string;
  let svc: Running;
  beforeAll(async () => {
    root = await tempRoot('eos-disk-fs-');
    svc = await startService(testConfig({ rootDir: root, diskMode: 'filesystem', diskLimit: 123456789 }));
  });
  afterAll(async () => {
    await svc.close();
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('gives the figures df gives, free from bavail', async () => {
    const d = (await svc.get('/api/disk')).body;
    const st = await fsp.statfs(root);
    expect(d).toMatchObject({ root, mode: 'filesystem', modeSource: 'config', limit: 123456789 });
    expect(d.total).toBe(st.blocks * st.bsize);
    // Other processes write meanwhile: agreement up to a little drift.
    const slack = 256 * 1024 * 1024;
    expect(Math.abs(d.free - st.bavail * st.bsize)).toBeLessThan(slack);
    expect(Math.abs(d.used - (st.blocks - st.bfree) * st.bsize)).toBeLessThan(slack);
    expect(d.capacity).toBe(d.used + d.free);
    // df's Use%: used / (used + avail), rounded up by df; ours to one decimal.
    const dfUse = Number(
      execFileSync('df', ['--output=pcent', root], { encoding: 'utf8' }).split('\n')[1].trim().replace('%', '')
    );
    expect(Math.abs(d.percent - dfUse)).toBeLessThanOrEqual(1);
    expect(d.thresholds).toEqual({ warn: 80, critical: 95 });
    expect(Date.parse(d.measuredAt)).not.toBeNaN();
  });

  it('answers the other mode when asked', async () => {
    const d = (await svc.get('/api/disk', { mode: 'quota' })).body;
    expect(d).toMatchObject({ mode: 'quota', modeSource: 'request', capacity: 123456789 });
    expectError(await svc.get('/api/disk', { mode: 'nfs' }), 400, 'InvalidRequest', "'filesystem' or 'quota'");
  });

  it('chooses the mode by whether the root is a mount point', async () => {
    const auto = await startService(testConfig({ rootDir: root }));
    try {
      const [self, parent] = await Promise.all([fsp.stat(root), fsp.stat(path.dirname(root))]);
      const d = (await auto.get('/api/disk')).body;
      expect(d.modeSource).toBe('auto');
      expect(d.mode).toBe(self.dev !== parent.dev ? 'filesystem' : 'quota');
    } finally {
      await auto.close();
    }
    // `/` is its own mount point.
    const top = await startService(testConfig({ rootDir: '/' }));
    try {
      expect((await top.get('/api/disk')).body).toMatchObject({ mode: 'filesystem', modeSource: 'auto' });
    } finally {
      await top.close();
    }
  });
});

describe('quota mode', () => {
  let root: string;
  let svc: Running;
  const limit = 1_000_000;
  beforeAll(async () => {
    root = await tempRoot('eos-disk-quota-');
    svc = await startService(
      testConfig({ rootDir: root, diskMode: 'quota', diskLimit: limit, diskRefreshSeconds: 0.001 })
    );
  });
  afterAll(async () => {
    await svc.close();
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('measures the root as du -sB1 does, hard links once', async () => {
    await fsp.mkdir(path.join(root, 'a/b/c'), { recursive: true });
    await fsp.writeFile(path.join(root, 'a/one.bin'), Buffer.alloc(10_000, 1));
    await fsp.writeFile(path.join(root, 'a/b/c/two.bin'), Buffer.alloc(70_000, 2));
    await fsp.link(path.join(root, 'a/b/c/two.bin'), path.join(root, 'a/two-again.bin'));
    await fsp.symlink('one.bin', path.join(root, 'a/link'));
    const d = await measured(svc, Date.now());
    expect(d.used).toBe(du(root));
    expect(d).toMatchObject({ mode: 'quota', modeSource: 'config', capacity: limit, limit });
    expect(d.free).toBe(limit - d.used);
    expect(d.walk).toMatchObject({ state: 'done', files: 4, folders: 3, unreadable: 0 });
    await fsp.rm(path.join(root, 'a'), { recursive: true });
  });

  it('drives every threshold with a small limit', async () => {
    const levels: string[] = [];
    for (const [name, size] of [
      ['first.bin', 600_000],
      ['second.bin', 250_000],
      ['third.bin', 120_000]
    ] as const) {
      await fsp.writeFile(path.join(root, name), Buffer.alloc(size, 7));
      const d = await measured(svc, Date.now());
      expect(d.used).toBe(du(root));
      expect(d.percent).toBe(Math.round((d.used / limit) * 1000) / 10);
      levels.push(`${d.level} ${Math.floor(d.percent / 5) * 5}`);
    }
    expect(levels).toEqual(['ok 60', 'warn 85', 'critical 95']);
  });

  it('ranks the largest files and folders from the walk by apparent size, paged', async () => {
    await fsp.mkdir(path.join(root, 'deep/er'), { recursive: true });
    await fsp.writeFile(path.join(root, 'deep/er/big.bin'), Buffer.alloc(300_000, 3));
    await fsp.writeFile(path.join(root, 'deep/er/note.txt'), Buffer.alloc(84, 3));
    await measured(svc, Date.now());
    const first = (await svc.get('/api/disk/largest', { limit: 3 })).body;
    expect(first.items.map((i: any) => `${i.kind} ${i.path} ${i.size}`)).toEqual([
      'file first.bin 600000',
      'folder deep 300084',
      'folder deep/er 300084'
    ]);
    expect(Date.parse(first.items[0].modified)).toBe(
      Math.floor((await fsp.stat(path.join(root, 'first.bin'))).mtimeMs)
    );
    expect(first.next).toBe(3);
    const rest = (await svc.get('/api/disk/largest', { offset: 3, limit: 500 })).body;
    // An 84 B file is 84 B (its apparent size, as the file browser shows it), not the 4 kB block it takes.
    expect(rest.items.map((i: any) => `${i.path} ${i.size}`)).toEqual([
      'deep/er/big.bin 300000',
      'second.bin 250000',
      'third.bin 120000',
      'deep/er/note.txt 84'
    ]);
    expect(rest.next).toBeNull();
    expect(rest.total).toBe(7);
    // One level at a time: no row holds another, so the sizes of a level add up to the level's total.
    const top = (await svc.get('/api/disk/largest', { under: '' })).body;
    expect(top.items.map((i: any) => `${i.path} ${i.size}`)).toEqual([
      'first.bin 600000',
      'deep 300084',
      'second.bin 250000',
      'third.bin 120000'
    ]);
    expect(top.total).toBe(4);
    const deep = (await svc.get('/api/disk/largest', { under: 'deep/er', limit: 1 })).body;
    expect(deep.items.map((i: any) => i.path)).toEqual(['deep/er/big.bin']);
    expect([deep.total, deep.next]).toEqual([2, 1]);
    expectError(await svc.get('/api/disk/largest', { limit: 501 }), 400, 'InvalidRequest', 'between 1 and 500');
  });

  it('refuses a download that does not fit in the quota, saying how much is missing', async () => {
    // The root now holds more than its 1 MB limit: the engine's download check goes through the same figures.
    const client = testClient();
    const F = uniqueName('disk');
    await putObjects(client, S3.orgBucket, { [`shared/files/${F}/big.bin`]: Buffer.alloc(900_000, 1) });
    try {
      const reply = await svc.post('/api/transfer', {
        kind: 'download',
        sources: [`e://org/${F}/big.bin`],
        destination: ''
      });
      expectError(reply, 507, 'NoSpace', /900 kB needed \(and 10\.0 kB kept free\), 0 B free \(910 kB missing\)/);
      expect(fs.existsSync(path.join(root, 'big.bin'))).toBe(false);
    } finally {
      await deletePrefix(client, S3.orgBucket, `shared/files/${F}/`);
      client.destroy();
    }
  });
});

describe('a walk of 100,000 files', () => {
  let root: string;
  let svc: Running;
  beforeAll(async () => {
    root = await tempRoot('eos-disk-big-');
    for (let d = 0; d < 100; d++) {
      const dir = path.join(root, `d${d}`);
      fs.mkdirSync(dir);
      for (let f = 0; f < 1000; f++) {
        fs.writeFileSync(path.join(dir, `f${f}`), '');
      }
    }
    svc = await startService(testConfig({ rootDir: root, diskMode: 'quota' }));
  }, 300_000);
  afterAll(async () => {
    await svc.close();
    await fsp.rm(root, { recursive: true, force: true });
  });

  it('does not block other routes: a list is answered while the walk is under way', async () => {
    let d = (await svc.get('/api/disk')).body;
    expect(d.measuredAt).toBeNull();
    while (d.walk.files === 0) {
      d = (await svc.get('/api/disk')).body;
    }
    expect(d.walk.state).toBe('running');
    const list = await svc.get('/api/list', { uri: 'e://org/', limit: 5 });
    expect(list.status).toBe(200);
    const largest = await svc.get('/api/disk/largest');
    expect(largest.body).toMatchObject({ items: [], measuredAt: null });
    const after = (await svc.get('/api/disk')).body;
    // The walk's own progress: still under way after the list was answered.
    expect(after.walk.state).toBe('running');
    expect(after.walk.files).toBeGreaterThan(0);
    expect(after.walk.files).toBeLessThan(100_000);
    const done = await measured(svc);
    expect(done.walk).toMatchObject({ files: 100_000, folders: 100 });
    expect(done.used).toBe(du(root));
  }, 300_000);
});

describe('unreadable folders', () => {
  let dir: string;
  let root: string;
  let bundle: string;
  let child: ChildProcess | null = null;
  beforeAll(async () => {
    dir = await tempRoot('eos-disk-perm-');
    root = path.join(dir, 'root');
    await fsp.mkdir(path.join(root, 'open'), { recursive: true });
    await fsp.mkdir(path.join(root, 'closed/inside'), { recursive: true });
    await fsp.writeFile(path.join(root, 'open/a.bin'), Buffer.alloc(5000, 1));
    await fsp.writeFile(path.join(root, 'closed/inside/b.bin'), Buffer.alloc(5000, 1));
    await fsp.chmod(path.join(root, 'closed'), 0);
    await fsp.chmod(dir, 0o777);
    bundle = path.join(dir, 'eos-service.cjs');
    buildBundle(bundle);
    await fsp.chmod(bundle, 0o644);
  }, 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await fsp.chmod(path.join(root, 'closed'), 0o755);
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('reports them, with the rest of the tree counted', async () => {
    // Root reads every folder: the service then runs as nobody, as a user's would run as that user.
    const socket = path.join(dir, 'service.sock');
    const env = { PATH: process.env.PATH, EOS_ROOT_DIR: root, EOS_DISK_MODE: 'quota', HOME: dir };
    const argv = [process.execPath, bundle, '--socket', socket];
    const [cmd, ...args] =
      process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv;
    child = spawn(cmd, args, { env, stdio: 'ignore' });
    while (!fs.existsSync(socket)) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    let largest;
    do {
      largest = (await request(socket, { path: '/api/disk/largest' })).body;
    } while (largest.measuredAt === null);
    expect(largest.unreadable).toEqual([{ path: 'closed', error: 'permission denied' }]);
    expect(largest.walk.unreadable).toBe(1);
    expect(largest.items.map((i: any) => i.path).sort()).toEqual(['closed', 'open', 'open/a.bin']);
    const disk = (await request(socket, { path: '/api/disk' })).body;
    expect(disk.walk.unreadable).toBe(1);
  }, 120_000);
});

describe('freeing space', () => {
  let root: string;
  let svc: Running;
  const client = testClient();
  const F = uniqueName('offload');
  const home = `users/${S3.userId}/files/`;
  beforeAll(async () => {
    root = await tempRoot('eos-disk-free-');
    svc = await startService(testConfig({ rootDir: root, diskMode: 'quota', diskRefreshSeconds: 0.001 }));
  });
  afterAll(async () => {
    await svc.close();
    await fsp.rm(root, { recursive: true, force: true });
    await deletePrefix(client, S3.orgBucket, `${home}${F}/`);
    client.destroy();
  });

  it('moves a folder to the same path under e://users/me/, byte-exact, then deletes the local copy', async () => {
    const one = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 7919) % 251));
    await fsp.mkdir(path.join(root, F, 'run/empty'), { recursive: true });
    await fsp.writeFile(path.join(root, F, 'run/one.bin'), one);
    await fsp.writeFile(path.join(root, F, 'run/two.txt'), 'two');
    await fsp.writeFile(path.join(root, F, 'stays.txt'), 'stays');
    const before = await measured(svc);
    const job = await offload(svc, { paths: [`${F}/run`] });
    expect(job).toMatchObject({ kind: 'offload', state: 'done', destination: 'e://users/me/' });
    // Byte-exact (Buffer.equals: jest's deep equality is slow on megabytes).
    expect((await objectBytes(client, S3.orgBucket, `${home}${F}/run/one.bin`)).equals(one)).toBe(true);
    expect((await objectBytes(client, S3.orgBucket, `${home}${F}/run/two.txt`)).toString()).toBe('two');
    expect(fs.existsSync(path.join(root, F, 'run'))).toBe(false);
    expect(fs.readdirSync(path.join(root, F))).toEqual(['stays.txt']);
    // The engine's own deletes count at once, without waiting for the next walk.
    const after = (await svc.get('/api/disk')).body;
    expect(before.used - after.used).toBeGreaterThanOrEqual(3_000_000);
  });

  it('never overwrites an object and never deletes what was not moved', async () => {
    await fsp.mkdir(path.join(root, F, 'run'), { recursive: true });
    await fsp.writeFile(path.join(root, F, 'run/one.bin'), 'a different one');
    const reply = await svc.post('/api/disk/offload', { paths: [`${F}/run/one.bin`] });
    expectError(reply, 409, 'Conflict', `e://users/me/${F}/run/one.bin`);
    expect(fs.readFileSync(path.join(root, F, 'run/one.bin'), 'utf8')).toBe('a different one');
    expect((await objectBytes(client, S3.orgBucket, `${home}${F}/run/one.bin`)).length).toBe(3_000_000);
    expectError(await svc.post('/api/disk/offload', { paths: ['../etc'] }), 403, 'OutsideRoot');
    expectError(
      await svc.post('/api/disk/offload', { paths: ['stays.txt'], destination: 'e://gencove/' }),
      403,
      'ReadOnly'
    );
  });

  it('moves into a chosen folder', async () => {
    await fsp.writeFile(path.join(root, 'chosen.txt'), 'chosen');
    const job = await offload(svc, { paths: ['chosen.txt'], destination: `e://users/me/${F}/archive/` });
    expect(job.state).toBe('done');
    expect((await objectBytes(client, S3.orgBucket, `${home}${F}/archive/chosen.txt`)).toString()).toBe('chosen');
    expect(fs.existsSync(path.join(root, 'chosen.txt'))).toBe(false);
  });

  it('deletes local files and folders, saying what was freed', async () => {
    await fsp.mkdir(path.join(root, 'gone/sub'), { recursive: true });
    await fsp.writeFile(path.join(root, 'gone/sub/x.bin'), Buffer.alloc(200_000, 1));
    await fsp.writeFile(path.join(root, 'y.bin'), Buffer.alloc(100_000, 1));
    const expected = du(path.join(root, 'gone')) + du(path.join(root, 'y.bin'));
    const reply = await svc.post('/api/disk/delete', { paths: ['gone', 'y.bin'] });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ deleted: ['gone', 'y.bin'], freed: expected });
    expect(fs.existsSync(path.join(root, 'gone'))).toBe(false);
    expectError(await svc.post('/api/disk/delete', { paths: [''] }), 400, 'InvalidRequest', 'Jupyter root itself');
    expectError(await svc.post('/api/disk/delete', { paths: ['nope', 'stays'] }), 404, 'NotFound');
  });
});

describe('between walks', () => {
  it('counts what the engine frees at once: the figure and the ranking', async () => {
    const root = await tempRoot('eos-disk-between-');
    await fsp.mkdir(path.join(root, 'data'));
    await fsp.writeFile(path.join(root, 'data/big.bin'), Buffer.alloc(400_000, 1));
    await fsp.writeFile(path.join(root, 'data/small.bin'), Buffer.alloc(100_000, 1));
    const svc = await startService(testConfig({ rootDir: root, diskMode: 'quota', diskRefreshSeconds: 3600 }));
    try {
      let first;
      do {
        first = (await svc.get('/api/disk')).body;
      } while (first.measuredAt === null);
      const before = (await svc.get('/api/disk/largest')).body;
      expect(before.items.map((i: any) => i.path)).toEqual(['data', 'data/big.bin', 'data/small.bin']);
      const freed = (await svc.post('/api/disk/delete', { paths: ['data/big.bin'] })).body.freed;
      // No new walk (the last is an hour from stale): the engine's own delete counts at once.
      const after = (await svc.get('/api/disk')).body;
      expect(after.measuredAt).toBe(first.measuredAt);
      expect(after.used).toBe(first.used - freed);
      expect(after.used).toBe(du(root));
      const ranking = (await svc.get('/api/disk/largest')).body;
      expect(ranking.items.map((i: any) => [i.path, i.size])).toEqual([
        ['data', 100_000],
        ['data/small.bin', 100_000]
      ]);
    } finally {
      await svc.close();
      await fsp.rm(root, { recursive: true, force: true });
    }
  });
});

describe('configuration', () => {
  const tmp = os.tmpdir();
  it('reads the mode, refresh and thresholds from the environment', () => {
    expect(loadConfig({}, tmp)).toMatchObject({
      diskMode: 'auto',
      diskRefreshSeconds: 60,
      diskThresholds: { warn: 80, critical: 95 }
    });
    const env = { EOS_DISK_MODE: 'quota', EOS_DISK_REFRESH: '2.5', EOS_DISK_WARN: '70', EOS_DISK_CRITICAL: '90' };
    expect(loadConfig(env, tmp)).toMatchObject({
      diskMode: 'quota',
      diskRefreshSeconds: 2.5,
      diskThresholds: { warn: 70, critical: 90 }
    });
  });

  it.each([
    [{ EOS_DISK_MODE: 'nfs' }, "'auto', 'filesystem' or 'quota'"],
    [{ EOS_DISK_WARN: '0' }, 'EOS_DISK_WARN must be a number above 0'],
    [{ EOS_DISK_CRITICAL: '120' }, 'at most 100'],
    [{ EOS_DISK_WARN: '90', EOS_DISK_CRITICAL: '80' }, 'must not be below EOS_DISK_WARN']
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env, tmp)).toThrow(message);
  });
});

/**
 * The local disk filling while a download runs: a real full filesystem (an
 * 8 MB tmpfs mounted as the Jupyter root, which needs root) and quota mode's
 * allowance shared by several files in flight. Each ends with a message
 * naming the disk and the folder, no partial file, the files done before
 * still there and counted, the gauge told, and a retry once space is freed
 * that completes the download.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { Engine } from '../engine';
import { DiskMonitor } from '../engine/local/disk';
import { GET_WORKER_BUNDLE } from '../engine/transfer/threads';
import { ENTRIES, buildBundle } from './bundle';
import {
  Running,
  S3,
  deletePrefix,
  putObjects,
  startService,
  testClient,
  testConfig,
  uniqueName,
  until,
  waitJob
} from './harness';
import { localTree, sha256, tempRoot, transfer } from './transfer-helpers';

const KB = 1000;
const MiB = 1024 * 1024;
const F = uniqueName('diskfull');
const ORG = `shared/files/${F}/`;
const BIG = randomBytes(3 * MiB + 4321);
const SMALL = randomBytes(100 * KB);

let client: S3Client;

beforeAll(async () => {
  client = testClient();
  await putObjects(client, S3.orgBucket, {
    [`${ORG}one/big.bin`]: BIG,
    [`${ORG}tree/a.bin`]: SMALL,
    [`${ORG}tree/b.bin`]: BIG,
    [`${ORG}tree/c.bin`]: SMALL,
    ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`${ORG}quota/f${i}.bin`, randomBytes(MiB)]))
  });
});

afterAll(async () => {
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
});

/** Mount an 8 MB tmpfs on `dir`; false when this process may not mount. */
function mountTmpfs(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Files left under `dir` that a download writes before placing them. */
function partials(dir: string): string[] {
  return localTree(dir).filter(n => n.includes('.eos-partial-'));
}

const mounted = (() => {
  const dir = tempRoot();
  const ok = mountTmpfs(dir);
  if (ok) {
    execFileSync('umount', [dir]);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return ok;
})();
/** `describe`, or a skip whose name says why where this process may not mount a filesystem. */
const withTmpfs = (name: string, fn: () => void) =>
  mounted ? describe(name, fn) : describe.skip(`${name} [not here: mount -t tmpfs was refused (needs root)]`, fn);

withTmpfs('a real filesystem filling up while a download runs (ENOSPC)', () => {
  let root: string;
  let svc: Running;
  /** The same root, its GETs on download threads (the bundle the package ships, built here). */
  let threaded: Running;
  let engine: Engine;
  let bundleDir: string;
  let disk: DiskMonitor;
  /** Bytes another writer put on the disk after the download's space check measured it. */
  let filler = 0;
  const fill = (bytes: number) => {
    fs.writeFileSync(path.join(root, 'other-writer.bin'), Buffer.alloc(bytes, 7));
    filler = bytes;
  };
  const free = () => {
    fs.rmSync(path.join(root, 'other-writer.bin'), { force: true });
    filler = 0;
  };

  beforeAll(async () => {
    root = tempRoot();
    mountTmpfs(root);
    // The space check sees the disk as it was before the other writer wrote: the download fits when it starts.
    disk = new DiskMonitor({
      rootDir: root,
      mode: 'filesystem',
      remeasureMs: 20,
      statfs: async dir => {
        const fs0 = await fs.promises.statfs(dir);
        return { ...fs0, bavail: fs0.bavail + Math.floor(filler / fs0.bsize) };
      }
    });
    svc = await startService(testConfig({ rootDir: root }), {
      engine: { disk, partSize: MiB, rangeSize: MiB, partsInFlight: 2, filesInFlight: 1 }
    });
    bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-worker-'));
    const script = buildBundle(path.join(bundleDir, GET_WORKER_BUNDLE), ENTRIES.getWorker);
    threaded = await startService(testConfig({ rootDir: root }), {
      engine: { disk, partSize: MiB, rangeSize: MiB, partsInFlight: 2, downloadThreads: { script, threads: 2 } },
      onEngine: e => (engine = e)
    });
  });

  afterAll(async () => {
    await svc.close();
    await threaded.close();
    await engine.close();
    fs.rmSync(bundleDir, { recursive: true, force: true });
    disk.close();
    execFileSync('umount', [root]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  afterEach(free);

  it('a file in ranges fails naming the disk and its folder, leaves nothing partial, tells the gauge; a retry succeeds', async () => {
    fs.mkdirSync(path.join(root, 'one'));
    fill(6 * MiB);
    let events = 0;
    const stop = disk.onChange(() => events++);
    const job = await transfer(svc, { kind: 'download', sources: [`e://org/${F}/one/big.bin`], destination: 'one' });
    expect(job.state).toBe('failed');
    expect(job.error.code).toBe('NoSpace');
    expect(job.error.message).toMatch(/^No space left on the server's disk in the folder "one" .*"one\/big\.bin"/);
    expect(job.error.message).not.toMatch(/ENOSPC/);
    expect(localTree(path.join(root, 'one'))).toEqual([]);
    expect(job.bytes.done).toBe(0);
    const deadline = Date.now() + 5000;
    await until(() => events > 0 || Date.now() > deadline);
    expect(events).toBeGreaterThan(0);
    stop();

    free();
    const again = await svc.post('/api/job/retry', { id: job.id });
    expect(again.status).toBe(200);
    const done = await waitJob(svc, again.body.id);
    expect(done).toMatchObject({ state: 'done', objects: { done: 1, total: 1 }, bytes: { done: BIG.length } });
    expect(sha256(fs.readFileSync(path.join(root, 'one', 'big.bin')))).toBe(sha256(BIG));
    expect(localTree(path.join(root, 'one'))).toEqual(['big.bin']);
    fs.rmSync(path.join(root, 'one'), { recursive: true });
  });

  it('on the download threads, a file in ranges fails the same way and a retry succeeds', async () => {
    fs.mkdirSync(path.join(root, 'thr'));
    fill(6 * MiB);
    const job = await transfer(threaded, {
      kind: 'download',
      sources: [`e://org/${F}/one/big.bin`],
      destination: 'thr'
    });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({
      code: 'NoSpace',
      message:
        'No space left on the server\'s disk in the folder "thr" while writing "thr/big.bin"; free some space and retry'
    });
    expect(engine.options.getThreads?.fetched).toBeGreaterThan(0);
    expect(localTree(path.join(root, 'thr'))).toEqual([]);

    free();
    const again = await threaded.post('/api/job/retry', { id: job.id });
    const done = await waitJob(threaded, again.body.id);
    expect(done).toMatchObject({ state: 'done', bytes: { done: BIG.length } });
    expect(sha256(fs.readFileSync(path.join(root, 'thr', 'big.bin')))).toBe(sha256(BIG));
    fs.rmSync(path.join(root, 'thr'), { recursive: true });
  });

  it('in a folder, the files done before stay and are counted; a retry that skips them brings the rest', async () => {
    fs.mkdirSync(path.join(root, 'dl'));
    fill(5 * MiB);
    const request = { kind: 'download', sources: [`e://org/${F}/tree/`], destination: 'dl', conflict: 'skip' };
    const job = await transfer(svc, request);
    expect(job.state).toBe('failed');
    expect(job.error.code).toBe('NoSpace');
    expect(job.error.message).toContain('"dl/tree/b.bin"');
    // The job stopped before its listing ended: the total stays unknown (null), the file done is counted.
    expect(job.objects.done).toBe(1);
    expect(partials(path.join(root, 'dl'))).toEqual([]);
    expect(localTree(path.join(root, 'dl'))).toEqual(['tree', 'tree/a.bin']);
    expect(sha256(fs.readFileSync(path.join(root, 'dl', 'tree', 'a.bin')))).toBe(sha256(SMALL));

    free();
    const again = await svc.post('/api/job/retry', { id: job.id });
    const done = await waitJob(svc, again.body.id);
    expect(done).toMatchObject({ state: 'done', objects: { done: 2, total: 3 } });
    expect(localTree(path.join(root, 'dl'))).toEqual(['tree', 'tree/a.bin', 'tree/b.bin', 'tree/c.bin']);
    expect(sha256(fs.readFileSync(path.join(root, 'dl', 'tree', 'b.bin')))).toBe(sha256(BIG));
  });
});

describe('quota mode: files in flight together exceeding the allowance', () => {
  const LIMIT = 8 * MiB;
  let root: string;
  let svc: Running;
  let disk: DiskMonitor;
  /**
   * The quota measured by a walk that starts now: `refresh` joins a walk already under way, which
   * may miss a file just removed, or count what was written while it ran twice (it stays counted as
   * a change until the next walk).
   */
  const measured = async () => {
    await disk.refresh();
    await disk.refresh();
  };

  beforeAll(async () => {
    root = tempRoot();
    fs.mkdirSync(path.join(root, 'q'));
    // Another writer's 3 MiB: 5 MiB of the allowance left, less its 1 % margin; the six files need 6 MiB.
    fs.writeFileSync(path.join(root, 'other-writer.bin'), Buffer.alloc(3 * MiB, 7));
    disk = new DiskMonitor({ rootDir: root, mode: 'quota', limit: LIMIT, remeasureMs: 20 });
    await measured();
    svc = await startService(testConfig({ rootDir: root }), { engine: { disk, filesInFlight: 6 } });
  });

  afterAll(async () => {
    await svc.close();
    disk.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('the file that would not fit beside those in flight is refused, naming them; those finish; the allowance holds; a retry brings the rest', async () => {
    const request = { kind: 'download', sources: [`e://org/${F}/quota/`], destination: 'q', conflict: 'skip' };
    const job = await transfer(svc, request);
    expect(job.state).toBe('failed');
    expect(job.error.code).toBe('NoSpace');
    expect(job.error.message).toMatch(
      /^Not enough space on the server's disk for q\/quota\/f\d\.bin: 1\.0 MB needed .* besides \d\.\d MB for the downloads under way/
    );
    expect(partials(path.join(root, 'q'))).toEqual([]);
    // The four files that fit beside the other writer's were in flight: they finished, byte-exact.
    const written = localTree(path.join(root, 'q', 'quota'));
    expect(job.objects.done).toBe(4);
    expect(written.length).toBe(4);
    expect(written.map(n => fs.statSync(path.join(root, 'q', 'quota', n)).size)).toEqual([MiB, MiB, MiB, MiB]);
    await measured();
    expect((await disk.usage()).used).toBeLessThanOrEqual(LIMIT);

    fs.rmSync(path.join(root, 'other-writer.bin'));
    await measured();
    const again = await svc.post('/api/job/retry', { id: job.id });
    const done = await waitJob(svc, again.body.id);
    expect(done).toMatchObject({ state: 'done', objects: { done: 6 - written.length, total: 6 } });
    expect(localTree(path.join(root, 'q', 'quota'))).toEqual(Array.from({ length: 6 }, (_, i) => `f${i}.bin`));
    expect(partials(path.join(root, 'q'))).toEqual([]);
  });

  it("a sync from EOS holds its files' space the same way", async () => {
    fs.rmSync(path.join(root, 'q'), { recursive: true });
    fs.mkdirSync(path.join(root, 's'));
    fs.writeFileSync(path.join(root, 'other-writer.bin'), Buffer.alloc(3 * MiB, 7));
    await measured();
    const started = await svc.post('/api/sync', { source: `e://org/${F}/quota/`, destination: 's' });
    const job = await waitJob(svc, started.body.id);
    expect(job).toMatchObject({ kind: 'sync', state: 'failed', objects: { done: 4 }, error: { code: 'NoSpace' } });
    expect(job.error.message).toMatch(/^Not enough space on the server's disk for s\/f\d\.bin: .* under way/);
    expect(localTree(path.join(root, 's'))).toHaveLength(4);
    await measured();
    expect((await disk.usage()).used).toBeLessThanOrEqual(LIMIT);

    fs.rmSync(path.join(root, 'other-writer.bin'));
    await measured();
    const again = await svc.post('/api/job/retry', { id: job.id });
    expect(await waitJob(svc, again.body.id)).toMatchObject({ state: 'done', objects: { done: 2, total: 2 } });
    expect(localTree(path.join(root, 's'))).toEqual(Array.from({ length: 6 }, (_, i) => `f${i}.bin`));
  });
});

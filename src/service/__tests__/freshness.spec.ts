/**
 * The tree's freshness rule: every write the service makes in S3, whatever
 * the job kind or route, reports exactly the EOS folders it touched (the
 * `folders` event of api/events), and every write to or delete from the
 * local disk makes the gauge measure again within seconds (`disk`), with the
 * same figure `eos df` measures.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DISK_EVENT, EVENTS_ROUTE, FOLDERS_EVENT, FolderChanges } from '../../core';
import { Engine } from '../engine';
import { diskMonitorOf } from '../engine/local/disk';
import { S3, putObjects, serviceSuite, testConfig, uniqueName, until, waitJob } from './harness';
import { openStream } from './sse-client';

const F = uniqueName('fresh');
const ORG = `shared/files/${F}/`;
const BASE = `e://org/${F}/`;
const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'eos-fresh-root-')));
const config = testConfig({ rootDir: root, diskMode: 'quota' });

let engine: Engine;
const t = serviceSuite({ cleanup: [ORG], config, service: { onEngine: e => (engine = e) } });

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The folders touched while `run` ran (and its job, if it answers one, ended). */
async function touched(run: () => Promise<unknown>): Promise<FolderChanges> {
  const written = new Set<string>();
  const removed = new Set<string>();
  const stop = engine.store.changes.onChange(c => {
    c.written.forEach(uri => written.add(uri));
    c.removed.forEach(uri => removed.add(uri));
  });
  try {
    const answer = (await run()) as { status?: number; body?: { id?: string; kind?: string } } | undefined;
    expect(answer?.status ?? 200).toBe(200);
    if (answer?.body?.kind && answer.body.id) {
      expect((await waitJob(t.svc, answer.body.id)).state).toBe('done');
    }
    engine.store.changes.flush();
  } finally {
    stop();
  }
  return { written: [...written].sort(), removed: [...removed].sort() };
}

function writeLocal(rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

describe('each kind of write reports the folders it touched, and only those', () => {
  it('mkdir: the parent lists a new folder', async () => {
    expect(await touched(() => t.svc.post('/api/mkdir', { uri: `${BASE}made/` }))).toEqual({
      written: [BASE],
      removed: []
    });
  });

  it('upload from the server disk: each folder written into', async () => {
    writeLocal('up/a.txt', 'a');
    writeLocal('up/sub/b.txt', 'b');
    const run = () => t.svc.post('/api/transfer', { kind: 'upload', sources: ['up'], destination: `${BASE}dst/` });
    expect(await touched(run)).toEqual({ written: [`${BASE}dst/up/`, `${BASE}dst/up/sub/`], removed: [] });
  });

  it("upload from the user's computer (api/uploads, parts, complete)", async () => {
    const changes = await touched(async () => {
      const created = await t.svc.post('/api/uploads', { files: [{ destination: `${BASE}pc/one.txt`, size: 5 }] });
      const id = created.body.uploads[0].id;
      const body = Buffer.from('hello');
      await t.svc.request({
        method: 'PUT',
        path: '/api/uploads/part',
        query: { id, n: 1 },
        headers: { Authorization: 'token test', 'Content-Length': body.length },
        body
      });
      return t.svc.post('/api/uploads/complete', { id });
    });
    expect(changes).toEqual({ written: [`${BASE}pc/`], removed: [] });
  });

  it('copy writes the destination; move also removes from the source folder', async () => {
    const copy = () => t.svc.post('/api/copy', { sources: [`${BASE}pc/one.txt`], destination: `${BASE}copies/` });
    expect(await touched(copy)).toEqual({ written: [`${BASE}copies/`], removed: [] });
    const move = () =>
      t.svc.post('/api/copy', { sources: [`${BASE}copies/one.txt`], destination: `${BASE}moved/`, move: true });
    expect(await touched(move)).toEqual({ written: [`${BASE}moved/`], removed: [`${BASE}copies/`] });
  });

  it('delete: the folders objects were removed from', async () => {
    const run = () => t.svc.post('/api/delete', { uris: [`${BASE}moved/`], recursive: true });
    expect(await touched(run)).toEqual({ written: [], removed: [`${BASE}moved/`] });
  });

  it('sync to EOS with deletes', async () => {
    writeLocal('sy/new.txt', 'new');
    await putObjects(t.client, S3.orgBucket, { [`${ORG}sy/old/extra.txt`]: 'extra' });
    const run = () => t.svc.post('/api/sync', { source: 'sy', destination: `${BASE}sy/`, delete: true });
    expect(await touched(run)).toEqual({ written: [`${BASE}sy/`], removed: [`${BASE}sy/old/`] });
  });

  it('sync between two EOS folders with deletes: the target folders written into and removed from', async () => {
    await putObjects(t.client, S3.orgBucket, {
      [`${ORG}es-a/x.txt`]: 'x',
      [`${ORG}es-a/deep/y.txt`]: 'y',
      [`${ORG}es-b/gone/z.txt`]: 'z'
    });
    const run = () => t.svc.post('/api/sync', { source: `${BASE}es-a/`, destination: `${BASE}es-b/`, delete: true });
    expect(await touched(run)).toEqual({
      written: [`${BASE}es-b/`, `${BASE}es-b/deep/`],
      removed: [`${BASE}es-b/gone/`]
    });
  });

  it('a save from an editor (api/content/save)', async () => {
    const body = Buffer.from('saved');
    const run = () =>
      t.svc.request({
        method: 'PUT',
        path: '/api/content/save',
        query: { uri: `${BASE}saved/notes.txt` },
        headers: { Authorization: 'token test', 'Content-Type': 'application/octet-stream' },
        body
      });
    expect(await touched(run)).toEqual({ written: [`${BASE}saved/`], removed: [] });
  });

  it('free up space: move to EOS', async () => {
    writeLocal('offload.txt', 'offloaded');
    const run = () => t.svc.post('/api/disk/offload', { paths: ['offload.txt'], destination: `${BASE}archive/` });
    expect(await touched(run)).toEqual({ written: [`${BASE}archive/`], removed: [] });
    expect(fs.existsSync(path.join(root, 'offload.txt'))).toBe(false);
  });

  it('a download writes no EOS folder', async () => {
    fs.mkdirSync(path.join(root, 'got'));
    const run = () =>
      t.svc.post('/api/transfer', { kind: 'download', sources: [`${BASE}pc/one.txt`], destination: 'got' });
    expect(await touched(run)).toEqual({ written: [], removed: [] });
  });
});

describe('the event stream', () => {
  it('pushes the folders a write touched', async () => {
    const stream = await openStream(t.svc.socket, `/${EVENTS_ROUTE}`);
    try {
      await stream.next(e => e.event === 'jobs');
      expect((await t.svc.post('/api/mkdir', { uri: `${BASE}pushed/` })).status).toBe(200);
      const event = await stream.next(e => e.event === FOLDERS_EVENT);
      expect(event.data).toEqual({ written: [BASE], removed: [] });
    } finally {
      await stream.close();
    }
  });

  it('after a download, says the disk changed, and the gauge then agrees with a fresh measure (eos df)', async () => {
    // Seen once before the download: the figure the gauge would keep until its next periodic walk.
    await engine.disk.refresh();
    const stream = await openStream(t.svc.socket, `/${EVENTS_ROUTE}`);
    try {
      await stream.next(e => e.event === 'jobs');
      await putObjects(t.client, S3.orgBucket, { [`${ORG}dl/odd.bin`]: Buffer.alloc(5001, 7) });
      fs.mkdirSync(path.join(root, 'dl'));
      const started = await t.svc.post('/api/transfer', {
        kind: 'download',
        sources: [`${BASE}dl/odd.bin`],
        destination: 'dl'
      });
      const job = await waitJob(t.svc, started.body.id);
      expect(job.state).toBe('done');
      const finished = Date.parse(job.finished);
      // Re-measured after the download: a `disk` event whose figures were taken after it ended.
      await stream.next(
        e => e.event === DISK_EVENT && e.data.measuredAt !== null && Date.parse(e.data.measuredAt) >= finished
      );
      const gauge = (await t.svc.get('/api/disk')).body;
      const df = diskMonitorOf(config);
      await df.refresh();
      expect(gauge.used).toBe((await df.usage()).used);
      df.close();
    } finally {
      await stream.close();
    }
  });

  it('a local delete from the free-up-space view re-measures too', async () => {
    writeLocal('bye/x.bin', 'x'.repeat(10_000));
    await engine.disk.refresh();
    const events: string[] = [];
    const stop = engine.disk.onChange(e => events.push(String(e.measuredAt)));
    try {
      const before = Date.now();
      expect((await t.svc.post('/api/disk/delete', { paths: ['bye'] })).status).toBe(200);
      await until(() => events.some(at => at !== 'null' && Date.parse(at) >= before));
    } finally {
      stop();
    }
  });
});

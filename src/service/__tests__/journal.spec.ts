/**
 * The jobs journal: a service killed mid-upload, restarted on the same state
 * folder, lists the job `interrupted` and leaves no multipart upload behind;
 * a corrupt journal is set aside; restored jobs are retryable through the
 * engine's rerun.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListMultipartUploadsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Job, MIN_UPLOAD_PART } from '../../core';
import { Engine } from '../engine';
import { JobRecord, Jobs } from '../engine/jobs/jobs';
import { Journal, journalFile } from '../engine/jobs/journal';
import {
  Reply,
  Running,
  S3,
  deletePrefix,
  request,
  startService,
  testClient,
  testConfig,
  uniqueName,
  until,
  waitJob
} from './harness';
import { buildBundle } from './bundle';

const F = uniqueName('journal');
const ORG = `shared/files/${F}/`;
const URI = `e://org/${F}/`;
const AUTH = { Authorization: 'token test' };

let dir: string;
let client: S3Client;
const children: ChildProcess[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eos-journal-'));
  client = testClient();
});

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  await deletePrefix(client, S3.orgBucket, ORG);
  client.destroy();
});

async function openUploads(): Promise<string[]> {
  const out = await client.send(new ListMultipartUploadsCommand({ Bucket: S3.orgBucket, Prefix: ORG }));
  return (out.Uploads ?? []).map(u => u.Key!);
}

function ok(reply: Reply): any {
  if (reply.status !== 200) {
    throw new Error(`answered ${reply.status}: ${reply.raw}`);
  }
  return reply.body;
}

/** Start an upload of one file bigger than a part and send its short last part: its multipart upload is open. */
async function uploadHalfway(send: (r: Parameters<typeof request>[1]) => Promise<Reply>, name: string) {
  const created = ok(
    await send({
      method: 'POST',
      path: '/api/uploads',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify({ files: [{ destination: `${URI}${name}`, size: MIN_UPLOAD_PART + 5 }] })
    })
  );
  ok(
    await send({
      method: 'PUT',
      path: '/api/uploads/part',
      query: { id: created.uploads[0].id, n: 2 },
      headers: { ...AUTH, 'Content-Length': 5 },
      body: Buffer.from('tail!')
    })
  );
  return created.job as Job;
}

/** The journal file of the test identity in `stateDir`, for a service whose root is `rootDir`. */
function fileFor(stateDir: string, rootDir: string): string {
  const config = testConfig();
  return journalFile(stateDir, config.context!, rootDir, config.endpoint);
}

describe('a service killed mid-upload', () => {
  let bundle: string;

  beforeAll(() => {
    bundle = path.join(dir, 'eos-service.cjs');
    buildBundle(bundle);
  });

  /** Spawn the bundle on `socket` with the state folder `stateDir`. */
  function run(socket: string, stateDir: string): { child: ChildProcess; stderr: () => string } {
    const child = spawn(process.execPath, [bundle, '--socket', socket], {
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        GENCOVE_USER_ID: S3.userId,
        GENCOVE_ORGANIZATION_ID: S3.orgId,
        EOS_ENDPOINT_URL: S3.endpoint,
        EOS_ROOT_DIR: dir,
        EOS_STATE_DIR: stateDir,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_EC2_METADATA_DISABLED: 'true'
      },
      stdio: ['ignore', 'ignore', 'pipe']
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', chunk => (stderr += chunk));
    return { child, stderr: () => stderr };
  }

  async function ready(socket: string): Promise<void> {
    await until(() =>
      request(socket, { path: '/' }).then(
        () => true,
        () => false
      )
    );
  }

  it('comes back interrupted, and its multipart upload is aborted', async () => {
    const state = path.join(dir, 'state-kill');
    const socket = path.join(dir, 'kill.sock');
    const first = run(socket, state);
    await ready(socket);
    const job = await uploadHalfway(r => request(socket, r), 'killed.bin');
    expect(await openUploads()).toEqual([`${ORG}killed.bin`]);
    const file = fileFor(state, fs.realpathSync(dir));
    // The journal names the open upload (written within its debounce).
    await until(() => {
      try {
        const data = JSON.parse(fs.readFileSync(file, 'utf8'));
        return data.jobs.some((r: JobRecord) => r.job.id === job.id && r.uploads.length === 1);
      } catch {
        return false;
      }
    });
    first.child.kill('SIGKILL');
    await new Promise(resolve => first.child.once('exit', resolve));

    const second = run(socket, state);
    await ready(socket);
    const jobs = ok(await request(socket, { path: '/api/jobs' })).jobs as Job[];
    expect(jobs.find(j => j.id === job.id)).toMatchObject({
      kind: 'computer-upload',
      state: 'interrupted',
      retryable: false
    });
    await until(() => second.stderr().includes('aborted 1 of 1 multipart upload(s) left open by interrupted jobs'));
    expect(await openUploads()).toEqual([]);
    // The orphan is forgotten once aborted: the journal no longer names it.
    await until(() => JSON.parse(fs.readFileSync(file, 'utf8')).orphans.length === 0);
    second.child.kill('SIGTERM');
  });
});

describe('the journal of an in-process service', () => {
  let svc: Running | null = null;

  afterEach(async () => {
    await svc?.close();
    svc = null;
  });

  it('keeps the jobs of a service that was closed: running ones come back interrupted', async () => {
    const state = path.join(dir, 'state-close');
    svc = await startService(testConfig({ stateDir: state }));
    const job = await uploadHalfway(svc.request, 'closed.bin');
    await svc.close();
    svc = await startService(testConfig({ stateDir: state }));
    const restored = ok(await svc.get('/api/job', { id: job.id }));
    expect(restored).toMatchObject({ state: 'interrupted', kind: 'computer-upload' });
    await until(async () => (await openUploads()).length === 0);
    expect(await openUploads()).toEqual([]);
  });

  it('sets a corrupt journal aside, logs it, and starts empty', async () => {
    const state = path.join(dir, 'state-corrupt');
    const config = testConfig({ stateDir: state });
    const file = fileFor(state, config.rootDir);
    fs.mkdirSync(state, { recursive: true });
    fs.writeFileSync(file, '{"version": 1, "jobs": [{"job": nope');
    svc = await startService(config);
    expect(ok(await svc.get('/api/jobs')).jobs).toEqual([]);
    expect(fs.readFileSync(`${file}.corrupt`, 'utf8')).toContain('nope');
    expect(svc.logs.some(l => l.includes('is unreadable') && l.includes('.corrupt'))).toBe(true);
    // New jobs are journaled again.
    const job = await uploadHalfway(svc.request, 'after-corrupt.bin');
    ok(await svc.post('/api/job/cancel', { id: job.id }));
    await waitJob(svc, job.id);
    await until(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(job.id));
    expect(await openUploads()).toEqual([]);
  });

  it('keeps one journal per identity: another root dir does not see the jobs', async () => {
    const state = path.join(dir, 'state-identity');
    const other = fs.mkdtempSync(path.join(dir, 'root-'));
    svc = await startService(testConfig({ stateDir: state }));
    const job = await uploadHalfway(svc.request, 'identity.bin');
    await svc.close();
    svc = await startService(testConfig({ stateDir: state, rootDir: fs.realpathSync(other) }));
    expect(ok(await svc.get('/api/jobs')).jobs.map((j: Job) => j.id)).not.toContain(job.id);
    await svc.close();
    svc = await startService(testConfig({ stateDir: state }));
    expect(ok(await svc.get('/api/job', { id: job.id })).state).toBe('interrupted');
    await until(async () => (await openUploads()).length === 0);
  });
});

describe('restoring with a rerun', () => {
  it('makes interrupted and failed jobs retryable, running their journaled request again', async () => {
    const file = path.join(dir, 'unit', 'jobs.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const request = { sources: ['e://org/a/'], destination: 'e://org/b/' };
    const job = (id: string, state: string, kind = 'copy'): JobRecord => ({
      job: {
        id,
        kind,
        state,
        sources: ['e://org/a/'],
        objects: { done: 1, total: null },
        bytes: { done: 10, total: null },
        skipped: 0,
        started: '2026-01-01T00:00:00.000Z'
      } as Job,
      request,
      uploads: []
    });
    const records = [
      job('a1', 'running'),
      job('a2', 'failed'),
      job('a3', 'done'),
      job('a4', 'running', 'computer-upload')
    ];
    fs.writeFileSync(file, JSON.stringify({ version: 1, jobs: records, orphans: [] }));
    const jobs = new Jobs();
    const reruns: [string, unknown][] = [];
    const journal = new Journal(jobs, {
      file,
      abortUpload: async () => undefined,
      rerun: async (kind, req) => {
        reruns.push([kind, req]);
        return jobs.start({ kind, sources: [] }, async () => undefined);
      },
      log: () => undefined
    });
    await journal.start();
    const states = Object.fromEntries(jobs.list().map(j => [j.id, [j.state, j.retryable]]));
    expect(states).toEqual({
      a1: ['interrupted', true],
      a2: ['failed', true],
      a3: ['done', false],
      a4: ['interrupted', false]
    });
    const next = await jobs.retry('a1');
    expect(reruns).toEqual([['copy', request]]);
    expect(jobs.get('a1')).toMatchObject({ retryable: false, retriedAs: next.id });
    journal.close();
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(written.jobs.map((r: JobRecord) => [r.job.id, r.job.state])).toEqual([
      ['a1', 'interrupted'],
      ['a2', 'failed'],
      ['a3', 'done'],
      ['a4', 'interrupted'],
      [next.id, expect.any(String)]
    ]);
    jobs.cancelAll();
  });
});

describe('writing', () => {
  it('writes a job that starts or ends at once; progress waits for the debounce', async () => {
    const file = path.join(dir, 'now', 'jobs.json');
    const jobs = new Jobs();
    const journal = new Journal(jobs, {
      file,
      abortUpload: async () => undefined,
      log: () => undefined,
      debounceMs: 60000
    });
    await journal.start();
    const written = () => JSON.parse(fs.readFileSync(file, 'utf8')).jobs.map((r: JobRecord) => [r.job.id, r.job.state]);
    let finish: () => void = () => undefined;
    let progress: Job | undefined;
    const job = jobs.start({ kind: 'copy', sources: ['e://org/a'] }, ctx => {
      progress = ctx.progress;
      return new Promise<void>(resolve => (finish = resolve));
    });
    // A service SIGKILLed now still lists the job (interrupted) when it comes back.
    expect(written()).toEqual([[job.id, 'running']]);
    progress!.objects.done = 5;
    await new Promise(resolve => setTimeout(resolve, 600)); // past a progress tick (500 ms), within the debounce
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).jobs[0].job.objects.done).toBe(0);
    finish();
    await until(() => written()[0][1] === 'done');
    journal.close();
    jobs.cancelAll();
  });
});

describe('temporary files of downloads', () => {
  it('a download names its temporary file in its record while it writes it', async () => {
    let engine!: Engine;
    const root = fs.realpathSync(fs.mkdtempSync(path.join(dir, 'dl-root-')));
    fs.mkdirSync(path.join(root, 'dl'));
    const svc = await startService(testConfig({ rootDir: root }), { onEngine: e => (engine = e) });
    try {
      await client.send(new PutObjectCommand({ Bucket: S3.orgBucket, Key: `${ORG}dl.bin`, Body: 'x'.repeat(1000) }));
      const named: string[] = [];
      engine.jobs.onChange(record => named.push(...(record?.partials ?? [])));
      const job = ok(
        await svc.post('/api/transfer', { kind: 'download', sources: [`${URI}dl.bin`], destination: 'dl' })
      );
      expect((await waitJob(svc, job.id)).state).toBe('done');
      expect(named.length).toBeGreaterThan(0);
      expect(path.dirname(named[0])).toBe(path.join(root, 'dl'));
      expect(path.basename(named[0])).toMatch(/^\.dl\.bin\.eos-partial-[0-9a-f]{12}$/);
      // Placed: the record names it no more.
      expect(engine.jobs.records().find(r => r.job.id === job.id)!.partials).toBeUndefined();
    } finally {
      await svc.close();
    }
  });

  it('a restarted service removes the temporary files a killed download was writing, and nothing else', async () => {
    const folder = fs.mkdtempSync(path.join(dir, 'partials-'));
    const temp = path.join(folder, '.reads.bam.eos-partial-0123456789ab');
    const other = path.join(folder, 'reads.bam');
    fs.writeFileSync(temp, 'half');
    fs.writeFileSync(other, 'a file of the user');
    const file = path.join(folder, 'jobs.json');
    const record = {
      job: { id: 'd1', kind: 'download', state: 'running', sources: [URI], objects: {}, bytes: {}, skipped: 0 },
      uploads: [],
      partials: [temp, other]
    };
    fs.writeFileSync(file, JSON.stringify({ version: 1, jobs: [record], orphans: [] }));
    const logs: string[] = [];
    const journal = new Journal(new Jobs(), { file, abortUpload: async () => undefined, log: l => logs.push(l) });
    await journal.start();
    expect([fs.existsSync(temp), fs.existsSync(other)]).toEqual([false, true]);
    expect(logs).toContain('eos-service: removed 1 temporary file(s) left by interrupted downloads');
    journal.close();
  });

  it('leaves the temporary file the resume ledger keeps for a retry', async () => {
    const folder = fs.mkdtempSync(path.join(dir, 'kept-'));
    const kept = path.join(folder, '.kept.bam.eos-partial-0123456789ab');
    const dropped = path.join(folder, '.dropped.bam.eos-partial-ba9876543210');
    fs.writeFileSync(kept, 'half');
    fs.writeFileSync(dropped, 'half');
    const file = path.join(folder, 'jobs.json');
    const record = {
      job: { id: 'd2', kind: 'download', state: 'running', sources: [URI], objects: {}, bytes: {}, skipped: 0 },
      uploads: [],
      partials: [kept, dropped]
    };
    fs.writeFileSync(file, JSON.stringify({ version: 1, jobs: [record], orphans: [] }));
    const journal = new Journal(new Jobs(), {
      file,
      abortUpload: async () => undefined,
      keepsFile: f => f === kept,
      log: () => undefined
    });
    await journal.start();
    expect([fs.existsSync(kept), fs.existsSync(dropped)]).toEqual([true, false]);
    journal.close();
  });
});

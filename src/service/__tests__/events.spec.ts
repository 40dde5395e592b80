/**
 * `GET api/events` (server-sent events) and the job routes: list, answer,
 * retry, clear, against moto through the real service.
 */
import { EVENTS_ROUTE } from '../../core';
import {
  Running,
  S3,
  deletePrefix,
  expectError,
  startService,
  testClient,
  testConfig,
  uniqueName,
  until
} from './harness';
import { Stream, openStream as openEventStream } from './sse-client';

const F = uniqueName('events');
const URI = `e://org/${F}/`;

let svc: Running;

beforeAll(async () => {
  svc = await startService(testConfig(), { keepAliveMs: 200 });
});

afterAll(async () => {
  await svc.close();
  const client = testClient();
  await deletePrefix(client, S3.orgBucket, `shared/files/${F}/`);
  client.destroy();
});

function openStream(path = `/${EVENTS_ROUTE}`): Promise<Stream> {
  return openEventStream(svc.socket, path);
}

/** Start a computer upload of one small file; its job waits for parts. */
async function startUpload(name: string): Promise<{ jobId: string; uploadId: string }> {
  const reply = await svc.post('/api/uploads', { files: [{ destination: `${URI}${name}`, size: 10 }] });
  expect(reply.status).toBe(200);
  return { jobId: reply.body.job.id, uploadId: reply.body.uploads[0].id };
}

describe('the events stream', () => {
  it('sends a snapshot, then job changes, forget on clear, and keep-alive comments', async () => {
    const before = await startUpload('before.txt');
    const stream = await openStream();
    expect(stream.response.statusCode).toBe(200);
    expect(stream.response.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no'
    });
    expect(stream.response.headers['content-length']).toBeUndefined();
    const snapshot = await stream.next(e => e.event === 'jobs');
    expect(stream.events[0]).toBe(snapshot);
    expect(snapshot.data.jobs.map((j: { id: string }) => j.id)).toContain(before.jobId);

    const later = await startUpload('later.txt');
    const started = await stream.next(e => e.event === 'job' && e.data.id === later.jobId);
    expect(started.data).toMatchObject({ kind: 'computer-upload', state: 'running' });
    expect((await svc.post('/api/uploads/abort', { id: later.uploadId })).status).toBe(200);
    await stream.next(e => e.event === 'job' && e.data.id === later.jobId && e.data.state === 'cancelled');

    const cleared = await svc.post('/api/jobs/clear', { ids: [later.jobId] });
    expect(cleared.status).toBe(200);
    expect(cleared.body.jobs.map((j: { id: string }) => j.id)).not.toContain(later.jobId);
    const forget = await stream.next(e => e.event === 'forget');
    expect(forget.data).toEqual({ ids: [later.jobId] });

    await until(() => stream.comments.length > 0);
    expect(stream.comments[0]).toBe(': keep-alive');
    await stream.close();
    await svc.post('/api/uploads/abort', { id: before.uploadId });
  });

  it('stops listening when the client goes away', async () => {
    const stream = await openStream();
    await stream.next(e => e.event === 'jobs');
    await stream.close();
    // The service goes on: new jobs reach a new stream, and the closed one logged its end.
    const again = await openStream();
    const job = await startUpload('after-close.txt');
    await again.next(e => e.event === 'job' && e.data.id === job.jobId);
    await again.close();
    await until(() => svc.logs.filter(l => /GET \/api\/events aborted/.test(l)).length >= 2);
    await svc.post('/api/uploads/abort', { id: job.uploadId });
  });

  it('gives a stream opened after a cut every job as it is now, changes made while none was open included', async () => {
    const job = await startUpload('during-cut.txt');
    const first = await openStream();
    const seen = await first.next(e => e.event === 'jobs');
    expect(seen.data.jobs.find((j: { id: string }) => j.id === job.jobId)).toMatchObject({ state: 'running' });
    await first.close(); // the proxy ends the stream (its 7,200 s limit)
    expect((await svc.post('/api/uploads/abort', { id: job.uploadId })).status).toBe(200);

    const again = await openStream();
    const snapshot = await again.next(e => e.event === 'jobs');
    expect(again.events[0]).toBe(snapshot);
    expect(snapshot.data.jobs.find((j: { id: string }) => j.id === job.jobId)).toMatchObject({ state: 'cancelled' });
    expect(first.events.some(e => e.event === 'job' && e.data.id === job.jobId && e.data.state !== 'running')).toBe(
      false
    );
    await again.close();
  });

  it('refuses a client that does not accept an event stream, and needs no XSRF token', async () => {
    const reply = await svc.get(`/${EVENTS_ROUTE}`, {}, { Cookie: '_xsrf=abc' });
    expectError(reply, 400, 'InvalidRequest', 'Accept: text/event-stream');
    const refused = await svc.request({
      method: 'POST',
      path: `/${EVENTS_ROUTE}`,
      headers: { Authorization: 'token t' }
    });
    expectError(refused, 405, 'MethodNotAllowed');
    expect(refused.headers.allow).toBe('GET');
  });
});

describe('job routes', () => {
  it('lists every job, oldest first', async () => {
    const a = await startUpload('list-a.txt');
    const b = await startUpload('list-b.txt');
    const reply = await svc.get('/api/jobs');
    expect(reply.status).toBe(200);
    const ids = reply.body.jobs.map((j: { id: string }) => j.id);
    expect(ids.indexOf(a.jobId)).toBeLessThan(ids.indexOf(b.jobId));
    await svc.post('/api/uploads/abort', { id: a.uploadId });
    await svc.post('/api/uploads/abort', { id: b.uploadId });
  });

  it('answer: refuses unknown jobs, questions not waiting, and bad choices', async () => {
    const job = await startUpload('answer.txt');
    expectError(
      await svc.post('/api/job/answer', { id: 'f'.repeat(24), question: 'q', choice: 'skip' }),
      404,
      'NotFound'
    );
    expectError(
      await svc.post('/api/job/answer', { id: job.jobId, question: 'q', choice: 'skip' }),
      409,
      'Conflict',
      'no longer waiting'
    );
    expectError(
      await svc.post('/api/job/answer', { id: job.jobId, question: 'q', choice: 'delete' }),
      400,
      'InvalidRequest',
      "Invalid 'choice'"
    );
    expectError(
      await svc.post('/api/job/answer', { id: job.jobId, question: 'q', choice: 'skip', all: true }),
      400,
      'InvalidRequest',
      "unknown field 'all'"
    );
    await svc.post('/api/uploads/abort', { id: job.uploadId });
  });

  it('retry: refuses unknown jobs and jobs that cannot be retried', async () => {
    const job = await startUpload('retry.txt');
    expectError(await svc.post('/api/job/retry', { id: job.jobId }), 409, 'Conflict', 'it is running');
    await svc.post('/api/uploads/abort', { id: job.uploadId });
    expectError(await svc.post('/api/job/retry', { id: job.jobId }), 409, 'Conflict', 'it is cancelled');
    expectError(await svc.post('/api/job/retry', { id: 'nope' }), 404, 'NotFound');
    expectError(await svc.post('/api/job/retry', {}), 400, 'InvalidRequest', "Invalid 'id'");
  });

  it('clear: forgets finished jobs only, all of them without ids', async () => {
    const running = await startUpload('clear-running.txt');
    const ended = await startUpload('clear-ended.txt');
    await svc.post('/api/uploads/abort', { id: ended.uploadId });
    const reply = await svc.post('/api/jobs/clear', {});
    expect(reply.status).toBe(200);
    const ids = reply.body.jobs.map((j: { id: string }) => j.id);
    expect(ids).toContain(running.jobId);
    expect(ids).not.toContain(ended.jobId);
    expect(reply.body.jobs.every((j: { state: string }) => j.state === 'running')).toBe(true);
    expectError(await svc.get('/api/job', { id: ended.jobId }), 404, 'NotFound');
    expectError(await svc.post('/api/jobs/clear', { ids: 'x' }), 400, 'InvalidRequest', "Invalid 'ids'");
    await svc.post('/api/uploads/abort', { id: running.uploadId });
  });
});

import { ServerConnection } from '@jupyterlab/services';

import { Job, Routes } from '../../core';
import { EosRequestError, requestAPI } from '../request';
import { TransfersModel } from '../transfers/model';
import { until } from './fake';
import { FakeEventSource } from './fake-events';
import { job } from './fake-actions';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const mockRequest = requestAPI as jest.MockedFunction<typeof requestAPI>;

const running = (id: string, patch: Partial<Job> = {}) => job(id, 'running', { kind: 'upload', ...patch });

describe('TransfersModel', () => {
  let model: TransfersModel;
  let calls: { route: string; input: unknown }[];
  let jobsAnswer: Job[];

  beforeEach(() => {
    calls = [];
    jobsAnswer = [];
    mockRequest.mockReset();
    mockRequest.mockImplementation((async (route: string, options: { body?: unknown; query?: unknown }) => {
      calls.push({ route, input: options.body ?? options.query });
      switch (route) {
        case Routes.jobs:
          return { jobs: jobsAnswer };
        case Routes.cancelJob:
          return job((options.body as { id: string }).id, 'cancelled', { retryable: true });
        case Routes.retryJob:
          return running('retried');
        case Routes.answerJob:
          return running((options.body as { id: string }).id);
        case Routes.clearJobs:
          return { jobs: jobsAnswer };
      }
      throw new EosRequestError('NotFound', `no route ${route}`, 404);
    }) as typeof requestAPI);
    model = new TransfersModel({
      serverSettings: ServerConnection.makeSettings({ baseUrl: 'http://localhost:8888/lab-base/', token: 'tok en' }),
      eventSource: url => new FakeEventSource(url),
      pollInterval: 20,
      standby: 'never'
    });
  });

  afterEach(() => model.dispose());

  it('opens the event stream under the service prefix with the token', () => {
    model.start();
    model.start(); // once
    expect(FakeEventSource.last!.url).toBe('http://localhost:8888/lab-base/eos/api/events?token=tok%20en');
  });

  it('applies the snapshot, job and forget events', () => {
    const changes: TransfersModel.IChange[] = [];
    model.changed.connect((_, change) => changes.push(change));
    model.start();
    const events = FakeEventSource.last!;
    events.open();
    events.send('jobs', { jobs: [running('a'), job('b', 'done')] });
    expect(model.jobs.map(j => [j.id, j.state])).toEqual([
      ['a', 'running'],
      ['b', 'done']
    ]);
    events.send('job', running('a', { bytes: { done: 50, total: 100 } }));
    expect(model.job('a')!.bytes).toEqual({ done: 50, total: 100 });
    events.send('job', running('c'));
    expect(model.running.map(j => j.id)).toEqual(['a', 'c']);
    events.send('forget', { ids: ['b'] });
    expect(model.jobs.map(j => j.id)).toEqual(['a', 'c']);
    // A later snapshot forgets what it does not hold.
    events.send('jobs', { jobs: [running('c')] });
    expect(model.jobs.map(j => j.id)).toEqual(['c']);
    expect(changes).toContainEqual({ type: 'forget', id: 'b' });
    expect(changes).toContainEqual({ type: 'forget', id: 'a' });
    expect(model.connected).toBe(true);
  });

  it('passes on the folders the service wrote and the disk changes, with no request', () => {
    const folders: unknown[] = [];
    const disk: unknown[] = [];
    model.foldersChanged.connect((_, changes) => folders.push(changes));
    model.diskChanged.connect((_, event) => disk.push(event));
    model.start();
    const events = FakeEventSource.last!;
    events.open();
    const before = calls.length;
    events.send('folders', { written: ['e://org/a/'], removed: ['e://org/b/'] });
    events.send('disk', { measuredAt: '2026-12-04T16:00:00.000Z' });
    expect(folders).toEqual([{ written: ['e://org/a/'], removed: ['e://org/b/'] }]);
    expect(disk).toEqual([{ measuredAt: '2026-12-04T16:00:00.000Z' }]);
    expect(calls.length).toBe(before);
  });

  it('emits ended once for a job seen running, and ignores a late progress event after the end', () => {
    const ended: Job[] = [];
    model.ended.connect((_, j) => ended.push(j));
    model.start();
    const events = FakeEventSource.last!;
    events.send('job', running('a'));
    events.send('job', job('a', 'done', { kind: 'upload' }));
    events.send('job', running('a')); // late
    events.send('job', job('a', 'done', { kind: 'upload' }));
    events.send('job', job('old', 'failed')); // never seen running: no notification
    expect(ended.map(j => [j.id, j.state])).toEqual([['a', 'done']]);
    expect(model.job('a')!.state).toBe('done');
  });

  it('polls api/jobs while the stream is down and stops once it is open', async () => {
    const polls = () => calls.filter(c => c.route === Routes.jobs).length;
    model.start();
    const events = FakeEventSource.last!;
    jobsAnswer = [running('p')];
    await until(() => polls() >= 3);
    expect(model.jobs.map(j => j.id)).toEqual(['p']);

    events.open();
    const atOpen = polls();
    // The poll keeps its rhythm while the stream is open; its ticks ask the service nothing.
    const ticks = jest.spyOn(model as unknown as { _fetchAll(): Promise<void> }, '_fetchAll');
    await until(() => ticks.mock.calls.length >= 3);
    expect(polls()).toBe(atOpen);
    ticks.mockRestore();

    // The stream drops: a poll at once, then on the interval.
    jobsAnswer = [running('p'), running('q')];
    events.fail();
    await until(() => polls() >= atOpen + 2);
    expect(model.jobs.map(j => j.id)).toEqual(['p', 'q']);
    expect(model.connected).toBe(false);
  });

  it('keeps the failure of a poll for the view', async () => {
    mockRequest.mockImplementation(async () => {
      throw new EosRequestError('Upstream', 'Cannot reach the Jupyter server', 0);
    });
    await expect(model.refresh()).rejects.toThrow('Cannot reach');
    expect(model.error?.message).toBe('Cannot reach the Jupyter server');
  });

  it('calls the action routes and applies their answers', async () => {
    model.track(running('a'));
    expect(model.job('a')).toBeDefined();

    const cancelled = await model.cancel('a');
    expect(cancelled.state).toBe('cancelled');
    expect(model.job('a')!.state).toBe('cancelled');

    const retried = await model.retry('a');
    expect(retried.id).toBe('retried');
    expect(model.job('a')!.retriedAs).toBe('retried');
    expect(model.job('retried')!.state).toBe('running');

    await model.answer('retried', 'q1', 'keep-both', true);
    jobsAnswer = [running('retried')];
    await model.clear();
    expect(model.jobs.map(j => j.id)).toEqual(['retried']);

    expect(calls).toEqual([
      { route: Routes.cancelJob, input: { id: 'a' } },
      { route: Routes.retryJob, input: { id: 'a' } },
      { route: Routes.answerJob, input: { id: 'retried', question: 'q1', choice: 'keep-both', applyToAll: true } },
      { route: Routes.clearJobs, input: {} }
    ]);
  });

  it('runs a registered local cancel before asking the service, until it is disposed', async () => {
    const order: string[] = [];
    mockRequest.mockImplementation((async (route: string) => {
      order.push(route);
      return job('a', 'cancelled');
    }) as typeof requestAPI);
    model.track(running('a'));
    const registration = model.onCancel('a', async () => {
      order.push('local');
    });
    await model.cancel('a');
    registration.dispose();
    await model.cancel('a');
    expect(order).toEqual(['local', Routes.cancelJob, Routes.cancelJob]);
  });

  it('shows the larger of the bytes sent by the page and the bytes counted by the service', () => {
    model.track(running('u', { kind: 'computer-upload', bytes: { done: 10, total: 100 } }));
    expect(model.bytesDone(model.job('u')!)).toBe(10);
    model.reportSent('u', 40);
    expect(model.bytesDone(model.job('u')!)).toBe(40);
    model.track(running('u', { kind: 'computer-upload', bytes: { done: 60, total: 100 } }));
    expect(model.bytesDone(model.job('u')!)).toBe(60);
  });

  it('closes the stream when disposed', () => {
    model.start();
    const events = FakeEventSource.last!;
    model.dispose();
    expect(events.closed).toBe(true);
  });
});

import { ServerConnection } from '@jupyterlab/services';

import { Job, Routes } from '../../core';
import { EosRequestError, requestAPI } from '../request';
import { FALLBACK_POLL_MS, RECONNECT_MAX_MS, RECONNECT_MS, TransfersModel } from '../transfers/model';
import { FakeEventSource } from './fake-events';
import { job } from './fake-actions';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const mockRequest = requestAPI as jest.MockedFunction<typeof requestAPI>;

const running = (id: string) => job(id, 'running', { kind: 'copy' });

/** The event stream cut (a proxy ends it after 7,200 s, or answers an error page): the jobs model comes back. */
describe('TransfersModel when the event stream is cut', () => {
  let model: TransfersModel;
  let jobsAnswer: Job[];
  let polls: number;
  /** While true, every new stream is refused by the server (the browser gives up on it). */
  let down: boolean;
  /** When each stream was opened (fake time). */
  let openedAt: number[];

  beforeEach(() => {
    jest.useFakeTimers();
    FakeEventSource.made = [];
    jobsAnswer = [];
    polls = 0;
    down = false;
    openedAt = [];
    mockRequest.mockReset();
    mockRequest.mockImplementation((async (route: string) => {
      if (route === Routes.jobs) {
        polls++;
        return { jobs: jobsAnswer };
      }
      throw new EosRequestError('NotFound', `no route ${route}`, 404);
    }) as typeof requestAPI);
    model = new TransfersModel({
      serverSettings: ServerConnection.makeSettings({ baseUrl: 'http://localhost:8888/' }),
      eventSource: url => {
        const events = new FakeEventSource(url);
        openedAt.push(Date.now());
        if (down) {
          setTimeout(() => events.giveUp(), 50);
        }
        return events;
      },
      standby: 'never'
    });
  });

  afterEach(() => {
    model.dispose();
    jest.useRealTimers();
  });

  /** Start the model with its stream open and one job running. */
  function started(): FakeEventSource {
    model.start();
    const events = FakeEventSource.last!;
    events.open();
    events.send('jobs', { jobs: [running('a')] });
    expect(model.job('a')!.state).toBe('running');
    return events;
  }

  it('re-lists the jobs while the browser reconnects a stream the proxy ended, then takes the new snapshot', async () => {
    const ended: Job[] = [];
    model.ended.connect((_, j) => ended.push(j));
    const events = started();
    jobsAnswer = [job('a', 'done')];
    events.fail(); // the proxy's 7,200 s are up; the job ends before the stream is back
    expect(model.connected).toBe(false);
    await jest.advanceTimersByTimeAsync(10);
    expect(polls).toBe(1);
    expect(model.job('a')!.state).toBe('done');
    expect(ended.map(j => [j.id, j.state])).toEqual([['a', 'done']]);

    jobsAnswer = [job('a', 'done'), running('b')];
    events.open(); // the browser's own reconnection: its first event is every job
    events.send('jobs', { jobs: jobsAnswer });
    expect(model.connected).toBe(true);
    expect(model.jobs.map(j => [j.id, j.state])).toEqual([
      ['a', 'done'],
      ['b', 'running']
    ]);
    expect(FakeEventSource.made).toHaveLength(1); // the browser reconnected it: no second stream
    await jest.advanceTimersByTimeAsync(10 * FALLBACK_POLL_MS);
    expect(polls).toBe(1); // the stream is open: no more polling
  });

  it('opens a new stream when the browser gave up, waiting longer each time, and shows the current jobs', async () => {
    const events = started();
    down = true;
    jobsAnswer = [job('a', 'failed')];
    events.giveUp(); // the server restarts: the browser will not reconnect by itself
    expect(events.closed).toBe(true);
    await jest.advanceTimersByTimeAsync(10);
    expect(model.job('a')!.state).toBe('failed'); // the fallback poll re-listed at once

    await jest.advanceTimersByTimeAsync(10 * 60 * 1000);
    // Waits of 1, 2, 4 … 32 s, then 60 s: 14 attempts in 10 minutes, no loop.
    const attempts = openedAt.length - 1;
    expect(attempts).toBeGreaterThanOrEqual(10);
    expect(attempts).toBeLessThanOrEqual(16);
    const waits = openedAt.slice(1).map((t, i) => t - openedAt[i] - (i === 0 ? 0 : 50));
    expect(waits[0]).toBe(RECONNECT_MS);
    waits.slice(1).forEach((w, i) => expect(w).toBe(Math.min(waits[i] * 2, RECONNECT_MAX_MS)));
    expect(FakeEventSource.made.slice(0, -1).every(e => e.closed)).toBe(true);
    expect(polls).toBeLessThanOrEqual(1 + (10 * 60 * 1000) / FALLBACK_POLL_MS);

    // The server is back: the next attempt opens and its snapshot is the truth.
    down = false;
    jobsAnswer = [job('a', 'failed'), running('b')];
    await jest.advanceTimersByTimeAsync(RECONNECT_MAX_MS);
    const back = FakeEventSource.last!;
    expect(back.closed).toBe(false);
    back.open();
    back.send('jobs', { jobs: jobsAnswer });
    expect(model.connected).toBe(true);
    expect(model.jobs.map(j => [j.id, j.state])).toEqual([
      ['a', 'failed'],
      ['b', 'running']
    ]);

    // Once open, the wait starts again from the shortest.
    const before = openedAt.length;
    back.giveUp();
    await jest.advanceTimersByTimeAsync(RECONNECT_MS);
    expect(openedAt.length).toBe(before + 1);
  });

  it('stops trying once disposed', async () => {
    const events = started();
    events.giveUp();
    model.dispose();
    await jest.advanceTimersByTimeAsync(RECONNECT_MAX_MS * 4);
    expect(FakeEventSource.made).toHaveLength(1);
  });
});

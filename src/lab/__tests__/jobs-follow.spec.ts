import { nullTranslator } from '@jupyterlab/translation';

import { Job, Routes } from '../../core';
import { ICommandContext } from '../commands/context';
import { IJobMessages, REDRAW_AGAIN_MS, followJob, jobProgress, runningMessage } from '../commands/jobs';
import { IEventSourceLike, TransfersModel } from '../transfers/model';
import { followedJobs } from '../transfers/notices';
import { job, spyNotifications } from './fake-actions';

const trans = nullTranslator.load('jupyterlab_eos');
const question = { id: 'q1', target: 'e://users/me/data/a.bam', source: 'data/a.bam' };

function messages(patch: Partial<IJobMessages> = {}): IJobMessages {
  return {
    running: j => `Uploading… ${j.objects.done}`,
    done: () => 'Uploaded',
    failed: 'Cannot upload',
    cancelled: () => 'Cancelled',
    ...patch
  };
}

/** A context whose `api/job` long poll answers the given jobs in turn. */
function contextAnswering(answers: Job[]): ICommandContext {
  const request = jest.fn(async () => answers.shift());
  return { trans, request } as unknown as ICommandContext;
}

afterEach(() => jest.restoreAllMocks());

describe('runningMessage', () => {
  it('is the progress while nothing is asked', () => {
    expect(runningMessage(job('j', 'running'), messages(), trans)).toBe('Uploading… 0');
  });

  it('says the job waits for an answer, and how many more questions wait', () => {
    const one = job('j', 'running', { question, questions: 1 });
    expect(runningMessage(one, messages(), trans)).toBe(
      'Waiting for your answer: e://users/me/data/a.bam already exists. Uploading… 0'
    );
    const three = job('j', 'running', { question, questions: 3 });
    expect(runningMessage(three, messages(), trans)).toMatch(/already exists \(and 2 more\)\. Uploading… 0$/);
  });

  it('stays the progress when the notification asks the question itself', () => {
    const asking = messages({ ask: async () => undefined });
    expect(runningMessage(job('j', 'running', { question }), asking, trans)).toBe('Uploading… 0');
  });
});

describe('followJob', () => {
  it('answers a question with the buttons of its own notification, and marks the job followed', async () => {
    const notes = spyNotifications();
    const waiting = job('j', 'running', { kind: 'upload', question, questions: 1 });
    const answered = job('j', 'running', { kind: 'upload' });
    const done = job('j', 'done', { kind: 'upload', objects: { done: 1, total: 1 } });
    const calls: { route: string; body: unknown }[] = [];
    // The long poll shows the question, then waits until it is answered.
    let answeredNow: () => void = () => undefined;
    const wasAnswered = new Promise<void>(resolve => (answeredNow = resolve));
    const polls: (() => Promise<Job>)[] = [async () => waiting, async () => (await wasAnswered, done)];
    const request = jest.fn(async (route: string, options: { body?: unknown }) => {
      calls.push({ route, body: options.body });
      if (route === Routes.answerJob) {
        answeredNow();
        return answered;
      }
      return polls.shift()!();
    });
    const context = { trans, request } as unknown as ICommandContext;
    const following = followJob(job('j', 'running', { kind: 'upload' }), context, messages());
    expect(followedJobs.has('j')).toBe(true);
    await new Promise(resolve => setTimeout(resolve, 0));
    const update = notes.update.mock.calls.map(c => c[0]).find(u => /Waiting for your answer/.test(String(u.message)));
    expect(update?.actions?.map(a => a.label)).toEqual(['Overwrite', 'Skip', 'Keep Both', 'Cancel']);
    const keep = update!.actions!.find(a => a.label === 'Keep Both')!;
    const event = { preventDefault: jest.fn() } as unknown as MouseEvent;
    keep.callback(event);
    expect(event.preventDefault).toHaveBeenCalled(); // the notification stays, with the progress
    const end = await following;
    expect(end?.state).toBe('done');
    expect(calls.map(c => c.body)).toContainEqual({ id: 'j', question: 'q1', choice: 'keep-both' });
    expect(notes.update).toHaveBeenLastCalledWith(expect.objectContaining({ message: 'Uploaded', type: 'success' }));
  });

  it('an answer that comes back after the job ended never brings back a running notification', async () => {
    const notes = spyNotifications();
    const waiting = job('j', 'running', { kind: 'upload', question, questions: 1 });
    let late: (j: Job) => void = () => undefined;
    let asked: () => void = () => undefined;
    const answerSent = new Promise<void>(resolve => (asked = resolve));
    const done = job('j', 'done', { kind: 'upload', objects: { done: 1, total: 1 } });
    const polls: (() => Promise<Job>)[] = [async () => waiting, async () => (await answerSent, done)];
    const request = jest.fn(async (route: string) => {
      if (route === Routes.answerJob) {
        asked();
        return new Promise<Job>(resolve => (late = resolve));
      }
      return polls.shift()!();
    });
    const following = followJob(job('j', 'running', { kind: 'upload' }), { trans, request } as any, messages());
    await new Promise(resolve => setTimeout(resolve, 0));
    const update = notes.update.mock.calls.map(c => c[0]).find(u => /Waiting for your answer/.test(String(u.message)));
    update!.actions!.find(a => a.label === 'Keep Both')!.callback({ preventDefault: () => undefined } as any);
    expect((await following)?.state).toBe('done');
    late(waiting); // the answer's reply, late and older than the end
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(notes.update).toHaveBeenLastCalledWith(expect.objectContaining({ message: 'Uploaded', type: 'success' }));
  });

  it('with several questions waiting, offers "Apply to All…" where they are all answered', async () => {
    const notes = spyNotifications();
    const showQuestion = jest.fn();
    const waiting = job('j', 'running', { kind: 'upload', question, questions: 3 });
    const context = contextAnswering([waiting, job('j', 'done', { kind: 'upload' })]);
    await followJob(job('j', 'running', { kind: 'upload' }), context, messages({ showQuestion }));
    const update = notes.update.mock.calls.map(c => c[0]).find(u => /and 2 more/.test(String(u.message)));
    const all = update?.actions?.find(a => a.label === 'Apply to All…');
    all?.callback({ preventDefault: () => undefined } as unknown as MouseEvent);
    expect(showQuestion).toHaveBeenCalledWith(expect.objectContaining({ id: 'j' }));
  });
});

describe('followJob, the service killed', () => {
  it('says a job the restarted service lists as interrupted stopped, not that it failed', async () => {
    const notes = spyNotifications();
    const interrupted = job('j', 'interrupted', { kind: 'upload', retryable: true });
    const end = await followJob(job('j', 'running', { kind: 'upload' }), contextAnswering([interrupted]), messages());
    expect(end?.state).toBe('interrupted');
    expect(notes.update).toHaveBeenLastCalledWith(
      expect.objectContaining({
        message: 'Cannot upload: the EOS service stopped while this ran. Retry it in the Transfers panel.',
        type: 'warning'
      })
    );
  });
});

describe('jobProgress', () => {
  it('names the phases whose counters do not move', () => {
    const list = job('j', 'running', { kind: 'download' });
    expect(jobProgress(list, trans)).toBe('0 objects, 0 B (listing)');
    const completing = job('j', 'running', {
      kind: 'upload',
      objects: { done: 0, total: 1 },
      bytes: { done: 300e6, total: 300e6 }
    });
    expect(jobProgress(completing, trans)).toBe('0 of 1 objects, 300 MB of 300 MB (completing)');
    const verifying = job('j', 'running', {
      kind: 'offload',
      phase: 'verifying',
      objects: { done: 1, total: 1 },
      bytes: { done: 300e6, total: 300e6 }
    });
    expect(jobProgress(verifying, trans)).toBe('1 of 1 objects, 300 MB of 300 MB (verifying)');
    const moving = job('j', 'running', {
      kind: 'upload',
      objects: { done: 0, total: 1 },
      bytes: { done: 1, total: 9 }
    });
    expect(jobProgress(moving, trans)).toBe('0 of 1 objects, 1 B of 9 B');
  });
});

describe('followJob with the jobs model', () => {
  /** The model's event stream, driven by the test. */
  const listeners = new Map<string, (event: MessageEvent) => void>();
  const stream: IEventSourceLike = {
    onopen: null,
    onerror: null,
    readyState: 1,
    addEventListener: (type, listener) => listeners.set(type, listener),
    close: () => undefined
  };
  const send = (data: Job) => listeners.get('job')!(new MessageEvent('job', { data: JSON.stringify(data) }));

  it("shows the figures the stream brings (the panel's), with no long poll while it is open", async () => {
    const notes = spyNotifications();
    const jobs = new TransfersModel({ eventSource: () => stream, standby: 'never' });
    jobs.start();
    stream.onopen!(new Event('open'));
    const request = jest.fn(async () => {
      throw new Error('no request expected');
    });
    const context = { trans, request, jobs } as unknown as ICommandContext;
    const first = job('m', 'running', {
      kind: 'offload',
      objects: { done: 0, total: 1 },
      bytes: { done: 0, total: 3e8 }
    });
    const following = followJob(first, context, messages({ running: j => `Moving… ${jobProgress(j, trans)}` }));
    expect(jobs.job('m')).toBeDefined(); // the panel shows it at once
    send({ ...first, bytes: { done: 92e6, total: 3e8 } });
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(notes.update).toHaveBeenLastCalledWith(
      expect.objectContaining({ message: 'Moving… 0 of 1 objects, 92.0 MB of 300 MB' })
    );
    // The same figures again (the stream's tick, or a wait that ran out): the toast is not redrawn,
    // so a click on its buttons is never lost to a re-render.
    const updates = notes.update.mock.calls.length;
    send({ ...first, bytes: { done: 92e6, total: 3e8 } });
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(notes.update.mock.calls.length).toBe(updates);
    send({ ...first, state: 'done', objects: { done: 1, total: 1 }, bytes: { done: 3e8, total: 3e8 } });
    expect((await following)?.state).toBe('done');
    expect(request).not.toHaveBeenCalled();
    jobs.dispose();
  });

  it('keeps the question the stream brought before the command saw its job (no wait forever)', async () => {
    const notes = spyNotifications();
    const jobs = new TransfersModel({ eventSource: () => stream, standby: 'never' });
    jobs.start();
    stream.onopen!(new Event('open'));
    const first = job('q', 'running', { kind: 'upload', objects: { done: 0, total: 1 } });
    // The service asks at once: its event arrives while the command still holds the job it started.
    send({ ...first, question, questions: 1 });
    const request = jest.fn(async () => ({ ...first, state: 'done' }) as Job);
    const following = followJob(first, { trans, request, jobs } as unknown as ICommandContext, messages());
    expect(jobs.job('q')?.question?.id).toBe('q1');
    await new Promise(resolve => setTimeout(resolve, 0));
    const shown = [...notes.emit.mock.calls.map(c => c[0]), ...notes.update.mock.calls.map(c => c[0].message)];
    expect(shown.some(m => /Waiting for your answer/.test(String(m)))).toBe(true);
    send({ ...first, state: 'done', objects: { done: 1, total: 1 } });
    expect((await following)?.state).toBe('done');
    jobs.dispose();
  });

  it('says the end once more a moment later: a job that ended at once ends while its toast is created', async () => {
    jest.useFakeTimers();
    try {
      const notes = spyNotifications();
      const jobs = new TransfersModel({ eventSource: () => stream, standby: 'never' });
      jobs.start();
      stream.onopen!(new Event('open'));
      const first = job('f', 'running', { kind: 'import', objects: { done: 0, total: 1 } });
      // The stream has the end before the command follows the job (a 32-byte import takes 57 ms).
      send({ ...first, state: 'done', objects: { done: 1, total: 1 } });
      const request = jest.fn();
      const context = { trans, request, jobs } as unknown as ICommandContext;
      const end = await followJob(first, context, messages({ done: () => 'Imported it' }));
      expect(end?.state).toBe('done');
      const said = () => notes.update.mock.calls.filter(c => c[0].message === 'Imported it').length;
      expect(said()).toBe(1);
      jest.advanceTimersByTime(REDRAW_AGAIN_MS);
      expect(said()).toBe(2);
      expect(notes.update).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'job-note', type: 'success' }));
      expect(request).not.toHaveBeenCalled();
      jobs.dispose();
    } finally {
      jest.useRealTimers();
    }
  });
});

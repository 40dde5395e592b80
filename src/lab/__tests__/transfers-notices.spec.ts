import { nullTranslator } from '@jupyterlab/translation';

import { ConflictChoice, Job } from '../../core';
import { TransfersModel } from '../transfers/model';
import { CLAIM_MS, followedJobs, notifyQuestions } from '../transfers/notices';
import { notifyEndings } from '../transfers/status';
import { job, spyNotifications } from './fake-actions';

const trans = nullTranslator.load('jupyterlab_eos');
const question = (id: string) => ({ id, target: `e://org/in/${id}.bam`, source: `${id}.bam` });
const click = (action: { callback: (event: MouseEvent) => void } | undefined) =>
  action?.callback({ preventDefault: () => undefined } as unknown as MouseEvent);

afterEach(() => {
  jest.restoreAllMocks();
  followedJobs.clear();
});

describe('notifyQuestions', () => {
  it('asks each question of a job nobody follows in a notification that answers it, and dismisses it once answered', () => {
    const notes = spyNotifications();
    let jobs: Job[] = [job('a', 'running', { kind: 'computer-upload', question: question('q1'), questions: 1 })];
    const answers: [string, ConflictChoice][] = [];
    const show = jest.fn();
    const update = notifyQuestions(
      () => jobs,
      async (j, choice) => answers.push([j.id, choice]),
      trans,
      show
    );
    jest.useFakeTimers();
    update();
    // A moment for the command that started the job to claim it; then asked, once.
    expect(notes.warning).not.toHaveBeenCalled();
    jest.advanceTimersByTime(CLAIM_MS);
    update(); // a progress event: still one notification
    expect(notes.warning).toHaveBeenCalledTimes(1);
    const [message, options] = notes.warning.mock.calls[0];
    expect(message).toBe('Waiting for your answer: e://org/in/q1.bam already exists.');
    expect(options?.autoClose).toBe(false);
    expect(options?.actions?.map(a => a.label)).toEqual(['Overwrite', 'Skip', 'Keep Both', 'Show']);
    click(options?.actions?.find(a => a.label === 'Overwrite'));
    expect(answers).toEqual([['a', 'overwrite']]);
    click(options?.actions?.find(a => a.label === 'Show'));
    expect(show).toHaveBeenCalled();

    // The next question replaces it; the end of the job takes it away.
    jobs = [job('a', 'running', { kind: 'computer-upload', question: question('q2'), questions: 2 })];
    update();
    expect(notes.dismiss).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(CLAIM_MS);
    expect(notes.warning).toHaveBeenCalledTimes(2);
    expect(notes.warning.mock.calls[1][1]?.actions?.map(a => a.label)).toEqual([
      'Overwrite',
      'Skip',
      'Keep Both',
      'Apply to All…'
    ]);
    jobs = [job('a', 'done', { kind: 'computer-upload' })];
    update();
    expect(notes.dismiss).toHaveBeenCalledTimes(2);
    jest.useRealTimers();
  });

  it('leaves the questions of a followed job to its own notification', () => {
    const notes = spyNotifications();
    followedJobs.add('f');
    const update = notifyQuestions(
      () => [job('f', 'running', { kind: 'download', question: question('q1') })],
      async () => undefined,
      trans,
      () => undefined
    );
    jest.useFakeTimers();
    update();
    jest.advanceTimersByTime(CLAIM_MS);
    jest.useRealTimers();
    expect(notes.warning).not.toHaveBeenCalled();
  });
});

describe('notifyEndings', () => {
  it('notifies the end of a long job nobody follows, and not that of a followed one', () => {
    const notes = spyNotifications();
    const model = new TransfersModel({ eventSource: undefined, standby: 'never' });
    notifyEndings(model, trans, () => undefined);
    const long = { started: '2026-01-01T00:00:00.000Z', finished: '2026-01-01T00:01:00.000Z' };
    followedJobs.add('followed');
    for (const id of ['alone', 'followed']) {
      model.track(job(id, 'running', { kind: 'upload', sources: ['a.bam'], destination: 'e://org/' }));
      model.track(job(id, 'done', { kind: 'upload', sources: ['a.bam'], destination: 'e://org/', ...long }));
    }
    expect(notes.success).toHaveBeenCalledTimes(1);
    expect(notes.success.mock.calls[0][0]).toBe('Upload: a.bam → e://org/ finished');
    model.dispose();
  });
});

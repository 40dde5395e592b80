import { nullTranslator } from '@jupyterlab/translation';

import { Job } from '../../core';
import { ICommandContext } from '../commands/context';
import { IJobMessages, followJob, runningMessage } from '../commands/jobs';
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
  it('offers "Answer…" while a question waits elsewhere, and it shows where', async () => {
    const notes = spyNotifications();
    const showQuestion = jest.fn();
    const waiting = job('j', 'running', { kind: 'upload', question, questions: 1 });
    const context = contextAnswering([waiting, job('j', 'done', { kind: 'upload', objects: { done: 1, total: 1 } })]);
    const end = await followJob(job('j', 'running', { kind: 'upload' }), context, messages({ showQuestion }));
    expect(end?.state).toBe('done');
    const update = notes.update.mock.calls.map(c => c[0]).find(u => /Waiting for your answer/.test(String(u.message)));
    expect(update).toBeDefined();
    const answer = update?.actions?.find(a => a.label === 'Answer…');
    expect(answer).toBeDefined();
    answer?.callback({ preventDefault: () => undefined } as unknown as MouseEvent);
    expect(showQuestion).toHaveBeenCalledWith(expect.objectContaining({ id: 'j' }));
    expect(notes.update).toHaveBeenLastCalledWith(expect.objectContaining({ message: 'Uploaded', type: 'success' }));
  });
});

/**
 * The job registry's conversation with the user: conflict questions and
 * their answers, item failures, rate and ETA, retry, clear, and jobs read
 * back from a journal.
 */
import { EosError, Job } from '../../core';
import { JobRecord, Jobs } from '../engine/jobs/jobs';
import { PROGRESS_TICK_MS } from '../engine/jobs/record';

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Wait until `check` holds, polling. */
async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error('timed out');
    }
    await delay(5);
  }
}

describe('conflict questions', () => {
  it('puts the question on the job, and the answer reaches the waiting item while others go on', async () => {
    const jobs = new Jobs();
    const answers: string[] = [];
    const job = jobs.start({ kind: 'upload', sources: ['a', 'b'] }, async ctx => {
      const first = ctx.ask({ target: 'e://org/a', source: 'a', sourceSize: 1, targetSize: 2 });
      ctx.progress.objects.done = 1; // other items go on meanwhile
      answers.push(await first);
    });
    await until(() => jobs.get(job.id).question !== undefined);
    const asked = jobs.get(job.id);
    expect(asked.question).toMatchObject({ target: 'e://org/a', source: 'a', sourceSize: 1, targetSize: 2 });
    expect(asked.questions).toBe(1);
    expect(asked.objects.done).toBe(1);
    expect(asked.state).toBe('running');
    const answered = jobs.answer(job.id, asked.question!.id, 'keep-both');
    expect(answered.question).toBeUndefined();
    expect((await jobs.wait(job.id, 1000)).state).toBe('done');
    expect(answers).toEqual(['keep-both']);
  });

  it('applies an answer to all: the waiting questions and the later ones', async () => {
    const jobs = new Jobs();
    const answers: string[] = [];
    let later!: () => void;
    const gate = new Promise<void>(resolve => (later = resolve));
    const job = jobs.start({ kind: 'upload', sources: [] }, async ctx => {
      const both = Promise.all([ctx.ask({ target: 'x', source: 'x' }), ctx.ask({ target: 'y', source: 'y' })]);
      answers.push(...(await both));
      await gate;
      answers.push(await ctx.ask({ target: 'z', source: 'z' }));
    });
    await until(() => jobs.get(job.id).questions === 2);
    jobs.answer(job.id, jobs.get(job.id).question!.id, 'skip', true);
    later();
    expect((await jobs.wait(job.id, 1000)).state).toBe('done');
    expect(answers).toEqual(['skip', 'skip', 'skip']);
  });

  it('refuses an answer to a question that is not waiting', async () => {
    const jobs = new Jobs();
    const job = jobs.start({ kind: 'upload', sources: [] }, async () => undefined);
    await jobs.wait(job.id, 1000);
    expect(() => jobs.answer(job.id, 'nope', 'skip')).toThrow(EosError);
    expect(() => jobs.answer('unknown', 'nope', 'skip')).toThrow(/No such job/);
  });

  it('a cancel ends a job that waits for an answer', async () => {
    const jobs = new Jobs();
    const job = jobs.start({ kind: 'download', sources: [] }, async ctx => {
      await ctx.ask({ target: 'a', source: 'b' });
    });
    await until(() => jobs.get(job.id).question !== undefined);
    const cancelled = await jobs.cancel(job.id);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.question).toBeUndefined();
  });
});

describe('failures, progress and listeners', () => {
  it('an item failure lets the job go on and fails it at the end, naming the item', async () => {
    const jobs = new Jobs();
    const job = jobs.start({ kind: 'upload', sources: [] }, async ctx => {
      ctx.fail('data/a.bam', new EosError('AccessDenied', 'Access denied to data/a.bam'));
      ctx.progress.objects.done = 2;
    });
    const done = await jobs.wait(job.id, 1000);
    expect(done.state).toBe('failed');
    expect(done.objects.done).toBe(2);
    expect(done.failures).toEqual([
      { item: 'data/a.bam', error: { code: 'AccessDenied', message: 'Access denied to data/a.bam' } }
    ]);
    expect(done.error).toEqual({ code: 'AccessDenied', message: 'Access denied to data/a.bam' });
  });

  it('measures the rate and the ETA, and reports progress to listeners', async () => {
    const jobs = new Jobs();
    const seen: JobRecord[] = [];
    jobs.onChange(record => record && seen.push(record));
    let stop = false;
    const job = jobs.start({ kind: 'upload', sources: [] }, async ({ progress }) => {
      progress.bytes.total = 1e9;
      while (!stop) {
        progress.bytes.done += 1e5;
        await delay(10);
      }
    });
    await delay(PROGRESS_TICK_MS * 3 + 100);
    const running = jobs.get(job.id);
    expect(running.rate).toBeGreaterThan(0);
    expect(running.eta).toBeGreaterThan(0);
    stop = true;
    const done = await jobs.wait(job.id, 1000);
    expect(done.rate).toBeUndefined();
    const states = seen.filter(r => r.job.id === job.id).map(r => r.job.state);
    expect(states[0]).toBe('running');
    expect(states[states.length - 1]).toBe('done');
    expect(states.length).toBeGreaterThanOrEqual(3); // start, progress, end
  });

  it('keeps open multipart uploads on the record until they end', async () => {
    const jobs = new Jobs();
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    const job = jobs.start({ kind: 'upload', sources: [], request: { kind: 'upload' } }, async ctx => {
      const close = ctx.openUpload({ bucket: 'b', key: 'k', uploadId: 'u' });
      await gate;
      close();
    });
    expect(jobs.records().find(r => r.job.id === job.id)).toMatchObject({
      request: { kind: 'upload' },
      uploads: [{ bucket: 'b', key: 'k', uploadId: 'u' }]
    });
    release();
    await jobs.wait(job.id, 1000);
    expect(jobs.records().find(r => r.job.id === job.id)?.uploads).toEqual([]);
  });
});

describe('retry, clear and restore', () => {
  it('retries a failed job as a new one, once', async () => {
    const jobs = new Jobs();
    let attempts = 0;
    const run = (): Promise<Job> =>
      Promise.resolve(
        jobs.start({ kind: 'upload', sources: ['a'], rerun: run }, async () => {
          if (++attempts === 1) {
            throw new EosError('Upstream', 'S3 went away');
          }
        })
      );
    const first = await run();
    expect((await jobs.wait(first.id, 1000)).retryable).toBe(true);
    const second = await jobs.retry(first.id);
    expect(second.id).not.toBe(first.id);
    expect((await jobs.wait(second.id, 1000)).state).toBe('done');
    expect(jobs.get(first.id)).toMatchObject({ retryable: false, retriedAs: second.id });
    await expect(jobs.retry(first.id)).rejects.toThrow(/cannot be retried/);
    await expect(jobs.retry(second.id)).rejects.toThrow(/cannot be retried/);
  });

  it('clears finished jobs and tells listeners, keeping running ones', async () => {
    const jobs = new Jobs();
    const forgotten: string[] = [];
    jobs.onChange((_, ids) => ids && forgotten.push(...ids));
    const done = jobs.start({ kind: 'delete', sources: [] }, async () => undefined);
    await jobs.wait(done.id, 1000);
    let release!: () => void;
    const running = jobs.start({ kind: 'delete', sources: [] }, () => new Promise<void>(r => (release = r)));
    expect(jobs.clear().map(j => j.id)).toEqual([running.id]);
    expect(forgotten).toEqual([done.id]);
    release();
  });

  it('restores a journaled running job as interrupted, retryable when it can be run again', async () => {
    const jobs = new Jobs();
    const record: JobRecord = {
      job: {
        id: 'abc',
        kind: 'download',
        state: 'running',
        sources: ['e://org/a.bam'],
        destination: 'data/',
        objects: { done: 0, total: 1 },
        bytes: { done: 10, total: 100 },
        skipped: 0,
        started: new Date().toISOString(),
        rate: 5
      },
      request: { kind: 'download' },
      uploads: []
    };
    const restored = jobs.restore(record, async () =>
      jobs.start({ kind: 'download', sources: [] }, async () => undefined)
    );
    expect(restored).toMatchObject({ id: 'abc', state: 'interrupted', retryable: true });
    expect(restored.rate).toBeUndefined();
    expect(restored.finished).toBeDefined();
    const again = await jobs.retry('abc');
    expect((await jobs.wait(again.id, 1000)).state).toBe('done');
    expect(jobs.restore({ ...record, job: { ...record.job, id: 'def' } }).retryable).toBe(false);
  });
});

import * as apputils from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { act } from 'react';

import { Job, Routes } from '../../core';
import { requestAPI } from '../request';
import { TransfersModel } from '../transfers/model';
import { TransfersPanel } from '../transfers/panel';
import { NOTIFY_AFTER_MS, notifyEndings, statusText } from '../transfers/status';
import { job } from './fake-actions';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

const mockRequest = requestAPI as jest.MockedFunction<typeof requestAPI>;
const trans = nullTranslator.load('jupyterlab_eos');

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise(resolve => setTimeout(resolve, 0));
  });
}

const upload = (id: string, state: Job['state'], patch: Partial<Job> = {}) =>
  job(id, state, {
    kind: 'upload',
    sources: ['data/a.bam'],
    destination: 'e://users/me/in/',
    ...patch
  });

describe('TransfersPanel', () => {
  let model: TransfersModel;
  let panel: TransfersPanel;
  let bodies: { route: string; body: unknown }[];

  beforeEach(async () => {
    bodies = [];
    mockRequest.mockReset();
    mockRequest.mockImplementation((async (route: string, options: { body?: any }) => {
      if (route === Routes.jobs) {
        return { jobs: model.jobs }; // the fallback poll: the stream never opens here
      }
      bodies.push({ route, body: options.body });
      if (route === Routes.clearJobs) {
        return { jobs: model.running };
      }
      return model.job(options.body.id);
    }) as typeof requestAPI);
    model = new TransfersModel({
      eventSource: () => ({
        onopen: null,
        onerror: null,
        addEventListener: () => undefined,
        close: () => undefined,
        readyState: 0
      }),
      standby: 'never'
    });
    panel = new TransfersPanel({ model });
    Widget.attach(panel, document.body);
    await settle();
  });

  afterEach(() => {
    panel.dispose();
    model.dispose();
    jest.restoreAllMocks();
  });

  const rows = () => Array.from(panel.node.querySelectorAll<HTMLElement>('.jp-EosTransfers-job'));
  const button = (row: HTMLElement, name: string) =>
    Array.from(row.querySelectorAll('button')).find(b => b.textContent === name);
  const click = async (element: HTMLElement) => {
    await act(async () => element.click());
    await settle();
  };

  it('is the panel eos-transfers, empty at first', () => {
    expect(panel.id).toBe('eos-transfers');
    expect(panel.title.icon).toBeTruthy();
    expect(panel.node.textContent).toContain('No transfers');
  });

  it('shows every job as a row, newest first, with its route, progress, files, rate, ETA and state', async () => {
    await act(async () => {
      model.track(upload('a', 'done', { objects: { done: 1, total: 1 }, bytes: { done: 100, total: 100 } }));
      model.track(
        upload('b', 'running', {
          objects: { done: 3, total: 10 },
          bytes: { done: 41_000_000, total: 100_000_000 },
          rate: 12_500_000,
          eta: 125
        })
      );
      model.track(upload('c', 'running', { kind: 'download', sources: ['e://org/x/'], destination: 'x' }));
    });
    await settle();
    const [c, b, a] = rows();
    expect([c, b, a].map(r => r.dataset.jobId)).toEqual(['c', 'b', 'a']);

    expect(b.querySelector('.jp-EosTransfers-kind')!.textContent).toBe('Upload');
    expect(b.querySelector('.jp-EosTransfers-route')!.textContent).toBe('data/a.bam → e://users/me/in/');
    const bar = b.querySelector('[role="progressbar"]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('41000000');
    expect(bar.getAttribute('aria-valuemax')).toBe('100000000');
    expect(bar.getAttribute('aria-label')).toBe('Progress of data/a.bam → e://users/me/in/');
    const facts = b.querySelector('.jp-EosTransfers-facts')!.textContent;
    expect(facts).toBe('3 of 10 files · 41.0 MB of 100 MB · 12.5 MB/s · 2:05 left');
    expect(b.querySelector('.jp-EosTransfers-state')!.textContent).toBe('Uploading');
    expect(button(b, 'Cancel')!.getAttribute('aria-label')).toBe('Cancel data/a.bam → e://users/me/in/');

    // Total unknown: an indeterminate bar, no aria values.
    const unknown = c.querySelector('[role="progressbar"]')!;
    expect(unknown.classList).toContain('jp-mod-indeterminate');
    expect(unknown.hasAttribute('aria-valuenow')).toBe(false);
    expect(c.querySelector('.jp-EosTransfers-kind')!.textContent).toBe('Download');

    expect(a.querySelector('.jp-EosTransfers-state')!.textContent).toBe('Done');
    expect(button(a, 'Cancel')).toBeUndefined();
  });

  it('says how a finished transfer was checked: verified (crc64nvme), or what was not verified and why', async () => {
    const files = (n: number) => ({ objects: { done: n, total: n } });
    await act(async () => {
      model.track(upload('v', 'done', { ...files(1), integrity: { verified: { crc64nvme: 1 }, unverified: {} } }));
      model.track(
        upload('m', 'done', {
          kind: 'download',
          ...files(4),
          integrity: { verified: { crc64nvme: 2, crc32: 1 }, unverified: { 'no-checksum': 1 } }
        })
      );
      model.track(upload('r', 'running', { integrity: { verified: { crc64nvme: 1 }, unverified: {} } }));
      model.track(upload('n', 'done', files(1)));
      model.track(upload('o', 'done', { ...files(2), integrity: { verified: {}, unverified: { off: 2 } } }));
    });
    await settle();
    const byId = (id: string) => rows().find(r => r.dataset.jobId === id)!;
    const integrity = (id: string) => byId(id).querySelector('.jp-EosTransfers-integrity')?.textContent;
    expect(integrity('v')).toBe('verified (crc64nvme)');
    expect(integrity('m')).toBe('2 verified (crc64nvme) · 1 verified (crc32) · 1 not verified: no stored checksum');
    expect(integrity('o')).toBe('not verified: verification is turned off');
    // Running: said once it ends; a job from before checksums says nothing.
    expect(integrity('r')).toBeUndefined();
    expect(integrity('n')).toBeUndefined();
  });

  it('cancels, retries and clears through the model', async () => {
    await act(async () => {
      model.track(upload('r', 'running'));
      model.track(upload('f', 'failed', { retryable: true, error: { code: 'Upstream', message: 'S3 went away' } }));
    });
    await settle();
    const [f, r] = rows();
    expect(f.querySelector('[role="alert"]')!.textContent).toBe('S3 went away');
    await click(button(r, 'Cancel')!);
    await click(button(f, 'Retry')!);
    await click(Array.from(panel.node.querySelectorAll('button')).find(b => b.textContent === 'Clear finished')!);
    expect(bodies).toEqual([
      { route: Routes.cancelJob, body: { id: 'r' } },
      { route: Routes.retryJob, body: { id: 'f' } },
      { route: Routes.clearJobs, body: {} }
    ]);
  });

  it('shows a conflict question in the row and answers it, with "Apply to all"', async () => {
    await act(async () => {
      model.track(
        upload('q', 'running', {
          question: {
            id: 'q1',
            target: 'e://users/me/in/a.bam',
            source: 'data/a.bam',
            targetSize: 2000,
            sourceSize: 3000,
            targetModified: '2026-01-01T00:00:00.000Z',
            sourceModified: '2026-02-01T00:00:00.000Z'
          },
          questions: 3
        })
      );
    });
    await settle();
    const [q] = rows();
    const question = q.querySelector('.jp-EosTransfers-question')!;
    expect(question.textContent).toContain('e://users/me/in/a.bam exists');
    expect(question.textContent).toContain('Existing: 2.0 kB');
    expect(question.textContent).toContain('New: 3.0 kB');
    expect(question.textContent).toContain('2 more conflicts wait');
    expect(q.querySelector('.jp-EosTransfers-state')!.textContent).toBe('Waiting for your answer');
    await click(question.querySelector<HTMLInputElement>('input[type="checkbox"]')!);
    await click(button(q, 'Keep both')!);
    expect(bodies).toEqual([
      { route: Routes.answerJob, body: { id: 'q', question: 'q1', choice: 'keep-both', applyToAll: true } }
    ]);
  });

  it('puts the jobs waiting for an answer first, then the others, newest first', async () => {
    await act(async () => {
      model.track(upload('old-ask', 'running', { question: { id: 'q1', target: 'e://org/a', source: 'a' } }));
      model.track(upload('mid', 'running'));
      model.track(upload('new', 'done'));
    });
    await settle();
    expect(rows().map(r => r.dataset.jobId)).toEqual(['old-ask', 'new', 'mid']);
  });

  it('lists the failures under the job, collapsed', async () => {
    await act(async () => {
      model.track(
        upload('x', 'failed', {
          failures: [
            { item: 'data/a.bam', error: { code: 'AccessDenied', message: 'denied' } },
            { item: 'data/b.bam', error: { code: 'NotFound', message: 'gone' } }
          ]
        })
      );
    });
    await settle();
    const details = rows()[0].querySelector('details')!;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')!.textContent).toBe('2 items failed');
    expect(Array.from(details.querySelectorAll('li')).map(li => li.textContent)).toEqual([
      'data/a.bam: denied',
      'data/b.bam: gone'
    ]);
  });

  it.each(['copy', 'move', 'delete'] as const)('retries a cancelled %s job from its row', async kind => {
    const sources = ['e://org/runs/'];
    await act(async () => {
      model.track(job('c', 'cancelled', { kind, sources, destination: 'e://org/old/', retryable: true }));
    });
    await settle();
    const [row] = rows();
    expect(row.getAttribute('aria-label')).toMatch(new RegExp(`^${kind[0].toUpperCase()}`, 'i'));
    await click(button(row, 'Retry')!);
    expect(bodies).toEqual([{ route: Routes.retryJob, body: { id: 'c' } }]);
  });

  it('says why an interrupted job stopped: the service stopped while it ran', async () => {
    await act(async () => {
      model.track(upload('x', 'interrupted', { retryable: true }));
    });
    await settle();
    expect(rows()[0].querySelector('[role="alert"]')!.textContent).toBe(
      'The EOS service stopped while this ran; Retry runs it again.'
    );
    expect(rows()[0].querySelector('button[aria-label^="Retry"]')).not.toBeNull();
  });
});

describe('status and notifications', () => {
  let model: TransfersModel;

  beforeEach(() => {
    model = new TransfersModel({ standby: 'never' });
  });
  afterEach(() => {
    model.dispose();
    jest.restoreAllMocks();
  });

  it('says how many run and how far they are', () => {
    model.track(upload('a', 'running', { bytes: { done: 30, total: 100 } }));
    expect(statusText(model, trans)).toBe('⇅ 1 transfer · 30%');
    model.track(upload('b', 'running', { bytes: { done: 11, total: 100 } }));
    model.track(upload('c', 'running')); // size unknown: not in the percentage
    expect(statusText(model, trans)).toBe('⇅ 3 transfers · 21%');
  });

  it('notifies when a job that ran more than 10 s ends, with a Show action', () => {
    const success = jest.spyOn(apputils.Notification, 'success').mockReturnValue('1');
    const error = jest.spyOn(apputils.Notification, 'error').mockReturnValue('2');
    const show = jest.fn();
    notifyEndings(model, trans, show);
    const started = '2026-01-01T00:00:00.000Z';
    const after = (ms: number) => new Date(Date.parse(started) + ms).toISOString();
    model.track(upload('short', 'running', { started }));
    model.track(upload('short', 'done', { started, finished: after(NOTIFY_AFTER_MS - 1) }));
    model.track(upload('long', 'running', { started }));
    model.track(upload('long', 'done', { started, finished: after(NOTIFY_AFTER_MS + 1) }));
    model.track(upload('bad', 'running', { started }));
    model.track(
      upload('bad', 'failed', {
        started,
        finished: after(60000),
        error: { code: 'NoSpace', message: 'The disk is full' }
      })
    );
    expect(success).toHaveBeenCalledTimes(1);
    expect(success.mock.calls[0][0]).toBe('Upload: data/a.bam → e://users/me/in/ finished');
    expect(error.mock.calls[0][0]).toBe('Upload: data/a.bam → e://users/me/in/ failed: The disk is full');
    const action = success.mock.calls[0][1]!.actions![0];
    expect(action.label).toBe('Show');
    action.callback(new MouseEvent('click'));
    expect(show).toHaveBeenCalled();
  });
});

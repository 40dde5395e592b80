/**
 * The disk gauge's model: the settings' thresholds and limit applied to the
 * service's figures, and one crossing per rise (remembered across reloads).
 */
import { StateDB } from '@jupyterlab/statedb';

import { DiskResponse } from '../../core';
import { DiskModel, IDiskCrossing } from '../disk/model';
import { requestAPI } from '../request';
import { EosSettings } from '../settings';
import { until } from './fake';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const mockRequest = requestAPI as jest.MockedFunction<typeof requestAPI>;

/** The service's answer in quota mode with `used` bytes of a 1,000-byte limit. */
function quota(used: number, measured = true): DiskResponse {
  return {
    root: '/home/explorer',
    mode: 'quota',
    modeSource: 'auto',
    total: 10_000,
    used,
    free: Math.max(0, 1000 - used),
    limit: 1000,
    capacity: 1000,
    percent: used / 10,
    level: 'ok',
    thresholds: { warn: 80, critical: 95 },
    measuredAt: measured ? '2026-11-25T20:00:00.000Z' : null,
    walk: { state: 'done', files: 3, folders: 1, bytes: used, started: null, finished: null, unreadable: 0 }
  };
}

describe('DiskModel', () => {
  let settings: EosSettings;
  let state: StateDB;
  let answer: DiskResponse;
  const models: DiskModel[] = [];

  function model(): { disk: DiskModel; crossings: string[] } {
    const disk = new DiskModel({ settings, state });
    models.push(disk);
    const crossings: string[] = [];
    disk.crossed.connect((_, c: IDiskCrossing) => crossings.push(`${c.from}->${c.to} ${c.view.percent}`));
    return { disk, crossings };
  }

  beforeEach(() => {
    settings = new EosSettings({ diskPollSeconds: 3600 });
    state = new StateDB();
    mockRequest.mockReset();
    mockRequest.mockImplementation(async () => answer as never);
  });

  afterEach(() => {
    models.splice(0).forEach(m => m.dispose());
  });

  it('colours by the settings: thresholds and the limit shown', async () => {
    const { disk } = model();
    answer = quota(850);
    await disk.refresh();
    expect(disk.view).toMatchObject({ percent: 85, level: 'warn', capacity: 1000, limitFromSettings: false });
    settings.update({ diskWarnPercent: 90 });
    expect(disk.view?.level).toBe('ok');
    settings.update({ diskLimitGB: 850 / 0.97 / 1e9 });
    expect(disk.view).toMatchObject({ percent: 97, level: 'critical', limitFromSettings: true });
  });

  it('has no level while the first walk runs', async () => {
    const { disk, crossings } = model();
    answer = quota(990, false);
    await disk.refresh();
    expect(disk.view?.level).toBeNull();
    expect(crossings).toEqual([]);
  });

  it('signals each upward crossing once, and again only after going back down', async () => {
    const { disk, crossings } = model();
    for (const used of [500, 850, 860, 870, 960, 970, 500, 820, 990]) {
      answer = quota(used);
      await disk.refresh();
    }
    expect(crossings).toEqual(['ok->warn 85', 'warn->critical 96', 'ok->warn 82', 'warn->critical 99']);
  });

  it('does not signal again after a reload, unless usage crossed again', async () => {
    const first = model();
    await first.disk.start();
    answer = quota(850);
    await first.disk.refresh();
    expect(first.crossings).toEqual(['ok->warn 85']);
    first.disk.dispose();

    // A reload: a new model over the same state.
    const second = model();
    await second.disk.start();
    await second.disk.refresh();
    expect(second.crossings).toEqual([]);
    answer = quota(960);
    await second.disk.refresh();
    expect(second.crossings).toEqual(['warn->critical 96']);
  });

  it('asks for the mode of the settings', async () => {
    const { disk } = model();
    answer = quota(100);
    await disk.refresh();
    settings.update({ diskMode: 'filesystem' });
    await disk.refresh();
    expect(mockRequest.mock.calls.map(c => (c[1] as { query: unknown }).query)).toEqual(
      expect.arrayContaining([{}, { mode: 'filesystem' }])
    );
  });

  it('asks again at once when the service says the disk changed, not at the next poll', async () => {
    const { disk } = model();
    answer = quota(100);
    await disk.start();
    await until(() => disk.view?.used === 100);
    answer = quota(400);
    disk.stale(); // the poll's interval is an hour
    await until(() => disk.view?.used === 400);
    expect(mockRequest).toHaveBeenCalledTimes(2);
  });
});

/**
 * The disk gauge plugin: its command in the palette, its status-bar item, its
 * bar in the EOS panel's header, and a notification on a crossing.
 */
import { Notification } from '@jupyterlab/apputils';
import { ServerConnection } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { DiskResponse } from '../../core';
import { diskPlugin, notifyCrossing } from '../disk/plugin';
import plugins from '../index';
import { browserPlugin } from '../plugins';
import { requestAPI } from '../request';
import { CommandIDs, IEosBrowser } from '../tokens';
import { FakeEos } from './fake';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const USAGE: DiskResponse = {
  root: '/home/explorer',
  mode: 'filesystem',
  modeSource: 'auto',
  total: 200e9,
  used: 170e9,
  free: 30e9,
  limit: 200e9,
  capacity: 200e9,
  percent: 85,
  level: 'warn',
  thresholds: { warn: 80, critical: 95 },
  measuredAt: '2026-11-25T20:00:00.000Z',
  walk: { state: 'idle', files: 0, folders: 0, bytes: 0, started: null, finished: null, unreadable: 0 }
};

describe('jupyterlab-eos:disk', () => {
  beforeEach(() => {
    const fake = new FakeEos();
    (requestAPI as jest.Mock).mockImplementation(async (route: string, options: any) =>
      route === 'api/disk' ? USAGE : fake.request(route as any, options)
    );
  });

  it('is exported and needs the EOS browser', () => {
    expect(plugins).toContain(diskPlugin);
    expect(diskPlugin.requires).toEqual([IEosBrowser]);
  });

  it('registers its command, status-bar item and the bar in the EOS panel header', async () => {
    // jsdom's page is hidden, where the poll stands by: show it.
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    const serverSettings = ServerConnection.makeSettings({ baseUrl: 'http://localhost:8888/' });
    const app = {
      shell: { add: jest.fn(), activateById: jest.fn() },
      commands: new CommandRegistry(),
      serviceManager: { serverSettings }
    };
    const browser = (browserPlugin.activate as any)(app, null, null, null) as IEosBrowser;
    const addItem = jest.fn();
    const registerStatusItem = jest.fn();
    (diskPlugin.activate as any)(app, browser, nullTranslator, { registerStatusItem }, null, { addItem }, null);
    expect(app.commands.hasCommand(CommandIDs.freeUpSpace)).toBe(true);
    expect(app.commands.label(CommandIDs.freeUpSpace)).toBe('Free Up Local Disk Space…');
    expect(addItem).toHaveBeenCalledWith({
      command: CommandIDs.freeUpSpace,
      category: 'EOS',
      args: { isPalette: true }
    });
    expect(registerStatusItem).toHaveBeenCalledWith('jupyterlab-eos:disk', expect.objectContaining({ align: 'left' }));
    const item = registerStatusItem.mock.calls[0][1].item as Widget;
    Widget.attach(item, document.body);
    Widget.attach(browser.panel, document.body);
    // The first poll's answer, then a render of each (two widgets, each rendering on its own).
    const bar = () => browser.panel.node.querySelector('[role="meter"]') as HTMLElement | null;
    while (item.node.querySelector('button')?.dataset.level !== 'warn' || bar()?.dataset.level !== 'warn') {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    const button = item.node.querySelector('button')!;
    expect(button.textContent).toBe('Disk: 170 GB / 200 GB (85%)');
    expect(button.dataset.level).toBe('warn');
    expect(button.title).toContain('Mode: filesystem');
    expect(bar()!.dataset.level).toBe('warn');
    expect(bar()!.getAttribute('aria-valuenow')).toBe('85');
    Widget.detach(item);
    Widget.detach(browser.panel);
  });

  it('notifies a crossing with a "Free up space" action', () => {
    const emit = jest.spyOn(Notification, 'error');
    const freeUp = jest.fn();
    const trans = nullTranslator.load('jupyterlab_eos');
    const view = {
      usage: USAGE,
      used: 192e9,
      capacity: 200e9,
      percent: 96,
      level: 'critical' as const,
      limitFromSettings: false
    };
    notifyCrossing({ from: 'warn', to: 'critical', view }, trans, freeUp);
    expect(emit).toHaveBeenCalledWith(
      'The local disk is almost full: 96% used (192 GB of 200 GB). Move large files to EOS before work fails.',
      expect.objectContaining({ autoClose: false })
    );
    const action = emit.mock.calls[0][1]!.actions![0];
    expect(action.label).toBe('Free up space');
    action.callback(new MouseEvent('click'));
    expect(freeUp).toHaveBeenCalled();
  });
});

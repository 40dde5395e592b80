import * as fs from 'fs';
import * as path from 'path';

import { ServerConnection } from '@jupyterlab/services';
import { CommandRegistry } from '@lumino/commands';
import { StateDB } from '@jupyterlab/statedb';
import { Widget } from '@lumino/widgets';

import plugins from '../index';
import { transferPlugin } from '../dnd';
import type { EosBrowserModel } from '../model';
import { browserPlugin, commandsPlugin, transfersPlugin } from '../plugins';
import { requestAPI } from '../request';
import { showOnFirstVisit } from '../state';
import { CommandIDs, IEosBrowser, ITransfers } from '../tokens';
import schema from '../../../schema/plugin.json';
import { FakeEos, until } from './fake';

/** The commands the transfers plugin registers (the rest are the browser plugin's). */
const TRANSFERS_COMMANDS: string[] = [
  CommandIDs.uploadFiles,
  CommandIDs.uploadFolder,
  CommandIDs.showTransfers,
  CommandIDs.clearTransfers
];
/** The disk gauge plugin's commands (src/lab/__tests__/disk-plugin.spec.tsx). */
const DISK_COMMANDS: string[] = [CommandIDs.freeUpSpace];

/** The commands the open plugin registers (src/lab/open; tested in open.spec.ts). */
const OPEN_COMMANDS: string[] = [
  CommandIDs.open,
  CommandIDs.openWith,
  CommandIDs.peek,
  CommandIDs.newFile,
  CommandIDs.newNotebook
];

/** An app with the browser plugin activated in it (no restorer, palette or translator). */
function activateBrowser() {
  const serverSettings = ServerConnection.makeSettings({ baseUrl: 'http://localhost:8888/' });
  const activateById = jest.fn();
  const app = {
    shell: { add: jest.fn(), activateById },
    commands: new CommandRegistry(),
    serviceManager: { serverSettings }
  };
  const browser = (browserPlugin.activate as any)(app, null, null, null) as IEosBrowser;
  return { app, activateById, browser };
}

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

describe('the exported plugins', () => {
  it('have unique ids under jupyterlab-eos: and a description; each schema file belongs to one (settings load by id)', () => {
    const ids = plugins.map(p => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const plugin of plugins) {
      expect([plugin.id, plugin.id.startsWith('jupyterlab-eos:'), plugin.description?.trim() !== '']).toEqual([
        plugin.id,
        true,
        true
      ]);
    }
    const schemaFiles = fs.readdirSync(path.join(__dirname, '..', '..', '..', 'schema'));
    for (const file of schemaFiles) {
      expect(ids).toContain(`jupyterlab-eos:${path.basename(file, '.json')}`);
    }
  });

  it('name their commands eos:verb-noun, each id once (schema menus and shortcuts refer to them by text)', () => {
    const values = Object.values(CommandIDs);
    expect(new Set(values).size).toBe(values.length);
    for (const id of values) {
      expect(id).toMatch(/^eos:[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});

describe('jupyterlab-eos:plugin', () => {
  beforeEach(() => {
    (requestAPI as jest.Mock).mockImplementation(new FakeEos().request);
  });

  it('is the exported plugin, auto-started and providing IEosBrowser', () => {
    expect(plugins).toContain(browserPlugin);
    expect(browserPlugin.autoStart).toBe(true);
    expect(browserPlugin.provides).toBe(IEosBrowser);
  });

  it('adds the panel to the right sidebar (beside the file browser, for drag and drop), restores it and registers the command', () => {
    const add = jest.fn();
    const restore = jest.fn();
    const addItem = jest.fn();
    const serverSettings = ServerConnection.makeSettings({ baseUrl: 'http://localhost:8888/' });
    const app = { shell: { add }, commands: new CommandRegistry(), serviceManager: { serverSettings } };

    const browser = (browserPlugin.activate as any)(app, { add: restore }, { addItem }, null) as IEosBrowser;

    expect(add).toHaveBeenCalledWith(browser.panel, 'right', { rank: 50 });
    expect(browser.panel).toBeInstanceOf(Widget);
    expect(browser.panel.id).toBe('eos-browser');
    expect(restore).toHaveBeenCalledWith(browser.panel, 'eos-browser');
    expect(app.commands.hasCommand(CommandIDs.showBrowser)).toBe(true);
    expect(addItem).toHaveBeenCalledWith({
      command: CommandIDs.showBrowser,
      category: 'EOS',
      args: { isPalette: true }
    });
    // The commands acting on items are the commands plugin's.
    expect(app.commands.hasCommand(CommandIDs.copyUri)).toBe(false);
    expect(browser.model.roots).toEqual([]); // built from whoami when the panel is first shown
    browser.panel.dispose();
    (browser.model as EosBrowserModel).dispose();
  });

  it('shows the EOS panel once a new workspace is restored, and never again in that workspace', async () => {
    const serverSettings = ServerConnection.makeSettings({ baseUrl: 'http://localhost:8888/' });
    const db = new StateDB();
    let restore = () => {};
    const activateById = jest.fn();
    const app = {
      shell: { add: jest.fn(), activateById },
      commands: new CommandRegistry(),
      serviceManager: { serverSettings },
      restored: new Promise<void>(resolve => (restore = resolve))
    };
    const browser = (browserPlugin.activate as any)(app, null, null, null, null, db) as IEosBrowser;
    // Nothing is shown before the layout is restored (the restored layout would hide it again).
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(activateById).not.toHaveBeenCalled();
    restore();
    await until(() => activateById.mock.calls.length > 0);
    expect(activateById.mock.calls).toEqual([['eos-browser']]);
    browser.panel.dispose();
    (browser.model as EosBrowserModel).dispose();
    // A reload of the same workspace: its restored layout decides.
    const show = jest.fn();
    expect(await showOnFirstVisit(db, Promise.resolve(), show)).toBe(false);
    expect(show).not.toHaveBeenCalled();
    expect(await showOnFirstVisit(new StateDB(), Promise.resolve(), show)).toBe(true);
    expect(show).toHaveBeenCalledTimes(1);
  });
});

describe('jupyterlab-eos:commands', () => {
  beforeEach(() => {
    (requestAPI as jest.Mock).mockImplementation(new FakeEos().request);
  });

  it('is exported, needs the EOS browser, and registers the commands acting on EOS items in the palette', () => {
    expect(plugins).toContain(commandsPlugin);
    expect(commandsPlugin.requires).toEqual([IEosBrowser]);
    const { app, activateById, browser } = activateBrowser();
    const addItem = jest.fn();

    (commandsPlugin.activate as any)(app, browser, { addItem }, null);

    expect(app.commands.hasCommand(CommandIDs.copyUri)).toBe(true);
    expect(addItem).toHaveBeenCalledWith({ command: CommandIDs.copyUri, category: 'EOS', args: { isPalette: true } });
    expect(app.commands.hasCommand(CommandIDs.refresh)).toBe(true);
    expect(addItem).toHaveBeenCalledWith({ command: CommandIDs.refresh, category: 'EOS', args: { isPalette: true } });
    const dnd: string[] = [
      CommandIDs.uploadToEos,
      CommandIDs.syncToEos,
      CommandIDs.downloadHere,
      CommandIDs.syncToLocal,
      CommandIDs.syncToEosFolder
    ];
    for (const command of Object.values(CommandIDs).filter(
      id =>
        !TRANSFERS_COMMANDS.includes(id) &&
        !dnd.includes(id) &&
        !OPEN_COMMANDS.includes(id) &&
        !DISK_COMMANDS.includes(id)
    )) {
      expect(app.commands.hasCommand(command)).toBe(true);
      if (command !== CommandIDs.showBrowser) {
        expect(addItem).toHaveBeenCalledWith({ command, category: 'EOS', args: { isPalette: true } });
      }
    }
    // eos:go-to brings the browser's panel to the front.
    void app.commands.execute(CommandIDs.goTo);
    expect(activateById).toHaveBeenCalledWith('eos-browser');
    browser.panel.dispose();
    (browser.model as EosBrowserModel).dispose();
  });

  it('declares the context menus on EOS items and file browser items, and the shortcuts in its schema', () => {
    const context = schema['jupyter.lab.menus'].context as { command?: string; selector: string }[];
    // A command may show on several kinds of rows (a writable folder and the background): once each.
    const inMenu = [...new Set(context.filter(item => item.command).map(item => item.command))];
    const { refreshAll, goTo, showBrowser, showTransfers, clearTransfers, freeUpSpace, ...onItems } = CommandIDs;
    expect(inMenu.sort()).toEqual(
      Object.values(onItems)
        .filter(id => !OPEN_COMMANDS.includes(id))
        .sort()
    );
    const onFiles: string[] = [CommandIDs.uploadToEos, CommandIDs.syncToEos];
    // EOS rows (of some kind and access), roots (S3 locations: by their s3:// URI) or the tree's
    // background; file browser items for uploads.
    for (const item of context.filter(entry => entry.command)) {
      const selector = onFiles.includes(item.command ?? '')
        ? /^\.jp-DirListing-item$/
        : /^\.jp-EosBrowser-(item|blank|root)(\[data-(kind|access)='[a-z]+'\]|\[data-uri\^='s3:\/\/'\])*$/;
      expect([item.command, item.selector]).toEqual([item.command, expect.stringMatching(selector)]);
    }
    expect(schema['jupyter.lab.shortcuts'].map(s => s.command)).toEqual([
      CommandIDs.deleteItems,
      CommandIDs.rename,
      CommandIDs.copyUri
    ]);
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
  });
});

describe('jupyterlab-eos:transfer', () => {
  beforeEach(() => {
    (requestAPI as jest.Mock).mockImplementation(new FakeEos().request);
  });

  it('is exported, needs the EOS browser, and registers the transfer commands in the palette', () => {
    expect(plugins).toContain(transferPlugin);
    expect(transferPlugin.requires).toEqual([IEosBrowser]);
    const { app, browser } = activateBrowser();
    const addItem = jest.fn();
    (transferPlugin.activate as any)(app, browser, null, null, null, { addItem }, null);
    for (const command of [
      CommandIDs.uploadToEos,
      CommandIDs.syncToEos,
      CommandIDs.downloadHere,
      CommandIDs.syncToLocal,
      CommandIDs.syncToEosFolder
    ]) {
      expect(app.commands.hasCommand(command)).toBe(true);
      expect(addItem).toHaveBeenCalledWith({ command, category: 'EOS', args: { isPalette: true } });
    }
    // Without a file browser, nothing acts on local files.
    expect(app.commands.isEnabled(CommandIDs.uploadToEos)).toBe(false);
    expect(app.commands.isEnabled(CommandIDs.downloadHere)).toBe(false);
    expect(browser.panel.node.querySelector('.jp-EosBrowser-dropLabel')).not.toBeNull();
    browser.panel.dispose();
    (browser.model as EosBrowserModel).dispose();
  });
});

describe('jupyterlab-eos:transfers', () => {
  beforeEach(() => {
    (requestAPI as jest.Mock).mockResolvedValue({ jobs: [] });
  });

  it('is exported and provides ITransfers', () => {
    expect(plugins).toContain(transfersPlugin);
    expect(transfersPlugin.provides).toBe(ITransfers);
  });

  it('adds the panel to the right sidebar under EOS, its status item and commands', () => {
    const add = jest.fn();
    const activateById = jest.fn();
    const addItem = jest.fn();
    const registerStatusItem = jest.fn();
    const serverSettings = ServerConnection.makeSettings({ baseUrl: 'http://localhost:8888/' });
    const app = { shell: { add, activateById }, commands: new CommandRegistry(), serviceManager: { serverSettings } };

    const transfers = (transfersPlugin.activate as any)(app, null, null, { addItem }, null, {
      registerStatusItem
    }) as ITransfers;

    expect(add).toHaveBeenCalledWith(transfers.panel, 'right', { rank: 60 });
    expect(transfers.panel.id).toBe('eos-transfers');
    for (const command of TRANSFERS_COMMANDS) {
      expect(app.commands.hasCommand(command)).toBe(true);
      expect(addItem).toHaveBeenCalledWith({ command, category: 'EOS', args: { isPalette: true } });
    }
    expect(registerStatusItem).toHaveBeenCalledWith('jupyterlab-eos:transfers', expect.anything());
    const status = registerStatusItem.mock.calls[0][1];
    expect(status.isActive()).toBe(false);
    void app.commands.execute(CommandIDs.showTransfers);
    expect(activateById).toHaveBeenCalledWith('eos-transfers');
    expect(typeof transfers.uploadFromComputer).toBe('function');
    transfers.panel.dispose();
    transfers.model.dispose();
  });
});

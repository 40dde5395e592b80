/**
 * What the context menu of an EOS row shows (schema/plugin.json and
 * schema/open.json), whether those commands are enabled, and the palette labels.
 */
import * as apputils from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';

import { Routes } from '../../core';
import { PALETTE_COMMANDS } from '../commands';
import { PALETTE_ARGS } from '../commands/context';
import { contentRows } from '../dialogs/properties';
import { CommandIDs } from '../tokens';
import { answerDialogs, bench, spyNotifications } from './fake-actions';
import { OTHER_ID, folder, object } from './fake';

import plugin from '../../../schema/plugin.json';
import open from '../../../schema/open.json';

jest.mock('@jupyterlab/apputils', () => ({ ...jest.requireActual('@jupyterlab/apputils'), showDialog: jest.fn() }));
jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const trans = nullTranslator.load('jupyterlab_eos');
const HOME = 'e://users/me/';
const OTHER = `e://users/${OTHER_ID}/`;

interface IMenuItem {
  command?: string;
  selector: string;
}
const ITEMS: IMenuItem[] = [...plugin['jupyter.lab.menus'].context, ...open['jupyter.lab.menus'].context];

/** The commands of the context menu opened on `target` (Lumino matches the target and its ancestors). */
function menuOf(target: Element): string[] {
  const ids = new Set<string>();
  for (let node: Element | null = target; node; node = node.parentElement) {
    for (const item of ITEMS) {
      if (item.command && node.matches(item.selector)) {
        ids.add(item.command);
      }
    }
  }
  return [...ids];
}

/** A tree row (or the blank background) as the view renders it. */
function row(kind: 'object' | 'folder' | 'blank', access: 'read' | 'readwrite'): Element {
  const tree = document.createElement('div');
  tree.className = 'jp-EosBrowser-tree';
  const element = document.createElement('div');
  element.className = kind === 'blank' ? 'jp-EosBrowser-blank' : 'jp-EosBrowser-item';
  if (kind !== 'blank') {
    element.dataset.kind = kind;
  }
  element.dataset.access = access;
  tree.appendChild(element);
  return element;
}

const WRITES = [
  CommandIDs.newFolder,
  CommandIDs.newFile,
  CommandIDs.newNotebook,
  CommandIDs.uploadFiles,
  CommandIDs.uploadFolder,
  CommandIDs.rename,
  CommandIDs.deleteItems
];
const FOLDER_ONLY = [
  CommandIDs.newFolder,
  CommandIDs.newFile,
  CommandIDs.newNotebook,
  CommandIDs.uploadFiles,
  CommandIDs.uploadFolder,
  CommandIDs.importUrl
];

describe('the context menu of an EOS row', () => {
  it('on a file: object actions, no folder-only actions', () => {
    const menu = menuOf(row('object', 'readwrite'));
    expect(menu).toEqual(
      expect.arrayContaining([
        CommandIDs.open,
        CommandIDs.peek,
        CommandIDs.copyUri,
        CommandIDs.copyPresignedUrl,
        CommandIDs.downloadToComputer,
        CommandIDs.rename,
        CommandIDs.deleteItems,
        CommandIDs.properties
      ])
    );
    for (const id of FOLDER_ONLY) {
      expect(menu).not.toContain(id);
    }
    expect(menu.length).toBeLessThanOrEqual(13);
  });

  it('on a read-only file: no write action at all', () => {
    const menu = menuOf(row('object', 'read'));
    for (const id of WRITES) {
      expect(menu).not.toContain(id);
    }
    expect(menu).toContain(CommandIDs.copyPresignedUrl);
  });

  it('on a writable folder: its creation and upload actions, no object-only ones', () => {
    const menu = menuOf(row('folder', 'readwrite'));
    expect(menu).toEqual(expect.arrayContaining([...WRITES, CommandIDs.refresh, CommandIDs.properties]));
    expect(menu).not.toContain(CommandIDs.copyPresignedUrl);
    expect(menu).not.toContain(CommandIDs.downloadToComputer);
    expect(menu).not.toContain(CommandIDs.open);
  });

  it('on a read-only folder: reading only', () => {
    const menu = menuOf(row('folder', 'read'));
    for (const id of WRITES) {
      expect(menu).not.toContain(id);
    }
    expect(menu).toEqual(expect.arrayContaining([CommandIDs.copyUri, CommandIDs.refresh, CommandIDs.properties]));
  });

  it('on an S3 location root: Remove S3 Location and reading only; Add S3 Location on every root', () => {
    const root = row('folder', 'read');
    root.classList.add('jp-EosBrowser-root');
    root.setAttribute('data-uri', 's3://pub-data/phase3/');
    const menu = menuOf(root);
    expect(menu).toEqual(expect.arrayContaining([CommandIDs.removeS3Location, CommandIDs.addS3Location]));
    for (const id of WRITES) {
      expect(menu).not.toContain(id);
    }
    root.setAttribute('data-uri', 'e://org/');
    expect(menuOf(root)).not.toContain(CommandIDs.removeS3Location);
    expect(menuOf(root)).toContain(CommandIDs.addS3Location);
  });

  it("on the tree's background: the current folder's actions, writes only where it is writable", () => {
    expect(menuOf(row('blank', 'readwrite')).sort()).toEqual([...FOLDER_ONLY, CommandIDs.refresh].sort());
    expect(menuOf(row('blank', 'read'))).toEqual([CommandIDs.refresh]);
  });
});

describe('enabled states on another user’s files', () => {
  afterEach(() => jest.restoreAllMocks());

  it('enables no write on a read-only file, and every read', async () => {
    const b = await bench({
      [OTHER]: [object(OTHER, 'theirs.txt', 10, 'read')],
      'e://users/': [folder('e://users/', OTHER_ID, 'read')]
    });
    const uri = `${OTHER}theirs.txt`;
    const args = { uri };
    for (const id of [CommandIDs.newFolder, CommandIDs.rename, CommandIDs.deleteItems]) {
      expect([id, b.commands.isEnabled(id, args)]).toEqual([id, false]);
    }
    for (const id of [CommandIDs.copyUri, CommandIDs.copyPresignedUrl, CommandIDs.properties]) {
      expect([id, b.commands.isEnabled(id, args)]).toEqual([id, true]);
    }
    b.model.dispose();
  });
});

describe('palette labels', () => {
  afterEach(() => jest.restoreAllMocks());

  it('start with "EOS: " in the palette and stay short in menus', async () => {
    const b = await bench({});
    for (const id of PALETTE_COMMANDS) {
      const short = b.commands.label(id);
      expect(short).not.toMatch(/^EOS: /);
      expect(b.commands.label(id, PALETTE_ARGS)).toBe(`EOS: ${short}`);
    }
    expect(b.commands.label(CommandIDs.deleteItems)).toBe('Delete');
    b.model.dispose();
  });
});

describe('folder properties', () => {
  afterEach(() => jest.restoreAllMocks());

  it('say how many objects a folder holds and their total size', () => {
    const rows = contentRows({ objects: 1234, bytes: 5_600_000, folders: 1, more: false }, trans);
    expect(rows.map(r => [r.label, r.value, r.note])).toEqual([
      ['Objects', '1234 objects', 'Everything under the folder, in every subfolder'],
      ['Total size', `${(5_600_000).toLocaleString()} bytes`, '5.6 MB']
    ]);
  });

  it('count the folder with the count delete uses', async () => {
    const b = await bench({ [HOME]: [folder(HOME, 'data')] });
    spyNotifications();
    const data = `${HOME}data/`;
    b.eos.answer(Routes.stat, { kind: 'folder', name: 'data', uri: data, access: 'readwrite' });
    b.eos.answer(Routes.count, { objects: 3, bytes: 3000, folders: 1, more: false });
    const dialog = answerDialogs({ accept: true });
    await b.commands.execute(CommandIDs.properties, { uri: data });
    expect(b.eos.sent(Routes.count)).toEqual([{ uris: [data] }]);
    expect(dialog).toHaveBeenCalledTimes(1);
    expect(apputils.showDialog).toHaveBeenCalled();
    b.model.dispose();
  });
});

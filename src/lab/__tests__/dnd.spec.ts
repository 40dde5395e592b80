import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { Routes, SyncPlan } from '../../core';
import {
  ILocalBrowser,
  ITransferContext,
  LAST_FOLDER_KEY,
  SyncPreview,
  addTransferCommands,
  localFolderProblem,
  parseEosFolder
} from '../commands/transfer';
import { makeContext } from '../commands/context';
import { localDropFolder } from '../dnd/filebrowser';
import { eosUrisOf, formatEosUris, isOtherDrive, joinLocal, localPathsOf } from '../dnd/mime';
import { HOVER_OPEN_MS, SidebarHoverOpener, sidebarTabId } from '../dnd/sidebar';
import { dropFolder, parentOf, planMove, writeProblem } from '../dnd/targets';
import { dropState, isCopyModifier } from '../dnd/tree';
import { CommandIDs } from '../tokens';
import { IBench, answerDialogs, bench, job, spyNotifications } from './fake-actions';
import { OTHER_ID, folder, object } from './fake';
import { EosRequestError } from '../request';

jest.mock('@jupyterlab/apputils', () => ({ ...jest.requireActual('@jupyterlab/apputils'), showDialog: jest.fn() }));
jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const trans = nullTranslator.load('jupyterlab_eos');
const HOME = 'e://users/me/';
const DATA = `${HOME}data/`;
const SUB = `${DATA}sub/`;
const GENCOVE = 'e://gencove/';

describe('drag data', () => {
  it('keeps the default drive paths of a file browser drag, without a leading slash or repeats', () => {
    expect(localPathsOf(['dir/a.ipynb', '/b.txt', 'Drive:x/y', 'dir/a.ipynb', 3, ''])).toEqual([
      'dir/a.ipynb',
      'b.txt'
    ]);
    expect(localPathsOf('one.txt')).toEqual(['one.txt']);
    expect(localPathsOf(null)).toEqual([]);
    expect(isOtherDrive('RTC:notes.ipynb')).toBe(true);
    expect(isOtherDrive('dir/a:b.txt')).toBe(false);
  });

  it('reads the EOS URIs of an EOS drag, dropping roots and invalid URIs', () => {
    const uris = [`${DATA}x.bam`, SUB];
    expect(eosUrisOf(formatEosUris(uris))).toEqual(uris);
    expect(eosUrisOf([...uris, HOME, 'e://nowhere/a', 's3://b/k', 7])).toEqual(uris);
    expect(eosUrisOf('not json')).toEqual([]);
    expect(eosUrisOf('{"a":1}')).toEqual([]);
  });

  it('joins a file browser folder and a name', () => {
    expect(joinLocal('', 'a')).toBe('a');
    expect(joinLocal('data/', 'a')).toBe('data/a');
  });
});

describe('drop targets', () => {
  it('drops into a folder row, or the folder of an object row', () => {
    expect(dropFolder({ uri: DATA, kind: 'folder', access: 'readwrite', parent: HOME })).toBe(DATA);
    expect(dropFolder({ uri: `${DATA}x.bam`, kind: 'object', access: 'readwrite', parent: DATA })).toBe(DATA);
    expect(parentOf(SUB)).toBe(DATA);
    expect(parentOf(`${DATA}x.bam`)).toBe(DATA);
  });

  it('refuses read-only folders and places outside a namespace', () => {
    expect(writeProblem(DATA, 'readwrite', null, trans)).toBeNull();
    expect(writeProblem(GENCOVE, 'read', null, trans)).toBe('e://gencove/ is read-only.');
    expect(writeProblem(`e://users/${OTHER_ID}/x/`, null, { userId: 'u' } as any, trans)).toMatch(/read-only/);
    expect(writeProblem('e://users/', null, null, trans)).toBe('Choose a folder inside a namespace.');
    expect(writeProblem(`${DATA}x.bam`, null, null, trans)).toMatch(/not an EOS folder/);
  });

  it('refuses a folder into itself or a descendant, and does nothing onto its own folder', () => {
    expect(planMove([DATA], DATA, false, trans)).toEqual({
      type: 'refused',
      reason: 'A folder cannot be moved into itself.'
    });
    expect(planMove([DATA], SUB, false, trans)).toMatchObject({ type: 'refused', reason: /own subfolder/ });
    expect(planMove([SUB], DATA, false, trans)).toEqual({ type: 'noop' });
    expect(planMove([SUB], DATA, true, trans)).toMatchObject({ type: 'refused' });
    expect(planMove([SUB, `${HOME}notes.txt`], DATA, false, trans)).toEqual({
      type: 'move',
      sources: [`${HOME}notes.txt`]
    });
  });

  it('copies with Ctrl, Cmd or Alt', () => {
    expect(isCopyModifier({ ctrlKey: false, metaKey: false, altKey: false })).toBe(false);
    expect(isCopyModifier({ ctrlKey: true, metaKey: false, altKey: false })).toBe(true);
    expect(isCopyModifier({ ctrlKey: false, metaKey: true, altKey: false })).toBe(true);
    expect(isCopyModifier({ ctrlKey: false, metaKey: false, altKey: true })).toBe(true);
  });

  it('finds the file browser folder row under the pointer, else the folder shown', () => {
    document.body.innerHTML = `
      <ul><li class="jp-DirListing-item" data-file-type="directory"><span class="jp-DirListing-itemText"><span id="d">results</span></span></li>
      <li class="jp-DirListing-item" data-file-type="file"><span class="jp-DirListing-itemText"><span id="f">a.txt</span></span></li></ul>`;
    const dir = localDropFolder(document.getElementById('d'), 'work');
    expect(dir.folder).toBe('work/results');
    expect(dir.row?.getAttribute('data-file-type')).toBe('directory');
    expect(localDropFolder(document.getElementById('f'), 'work')).toEqual({ folder: 'work', row: null });
    expect(localDropFolder(document.body, '')).toEqual({ folder: '', row: null });
  });
});

describe('what a drop on the tree does', () => {
  let b: IBench;
  beforeEach(async () => {
    b = await bench({
      [HOME]: [folder(HOME, 'data'), object(HOME, 'notes.txt', 5)],
      [DATA]: [folder(DATA, 'sub'), object(DATA, 'x.bam', 100)],
      [GENCOVE]: [folder(GENCOVE, 'reference', 'read'), object(GENCOVE, 'readme.txt', 3, 'read')]
    });
    await b.model.expand(DATA);
  });
  afterEach(() => b.model.dispose());

  const state = (uri: string, payload: Parameters<typeof dropState>[2], copy = false, computer = true) =>
    dropState(b.model, b.model.node(uri), payload, copy, { canUploadFromComputer: () => computer }, trans);

  it('names the folder of an upload, and refuses read-only folders', () => {
    expect(state(`${DATA}x.bam`, { type: 'local', paths: ['a.txt'] })).toMatchObject({
      folder: DATA,
      label: `Upload to ${DATA}`,
      refused: null
    });
    expect(state(`${GENCOVE}reference/`, { type: 'local', paths: ['a.txt'] })).toMatchObject({
      refused: `${GENCOVE}reference/ is read-only.`
    });
    expect(state('e://users/', { type: 'local', paths: ['a.txt'] })?.refused).toBe(
      'Choose a folder inside a namespace.'
    );
    expect(state(HOME, { type: 'computer', dataTransfer: null })?.label).toBe(`Upload to ${HOME}`);
    expect(state(HOME, { type: 'computer', dataTransfer: null }, false, false)?.refused).toMatch(/Transfers panel/);
  });

  it('moves EOS items, copies them with the modifier or when they cannot be deleted', () => {
    expect(state(SUB, { type: 'eos', uris: [`${HOME}notes.txt`] })).toMatchObject({
      label: `Move to ${SUB}`,
      copy: false,
      sources: [`${HOME}notes.txt`]
    });
    expect(state(SUB, { type: 'eos', uris: [`${HOME}notes.txt`] }, true)?.label).toBe(`Copy to ${SUB}`);
    expect(state(SUB, { type: 'eos', uris: [`${GENCOVE}readme.txt`] })).toMatchObject({ copy: true });
    expect(state(SUB, { type: 'eos', uris: [DATA] })?.refused).toMatch(/own subfolder/);
    expect(state(`${DATA}x.bam`, { type: 'eos', uris: [`${DATA}x.bam`] })).toMatchObject({
      sources: [],
      refused: null
    });
  });
});

describe('the destination fields', () => {
  let b: IBench;
  beforeEach(async () => {
    b = await bench({ [HOME]: [folder(HOME, 'data')] });
  });
  afterEach(() => b.model.dispose());

  it('takes e:// and s3:// folders in canonical form with a trailing slash', () => {
    const ctx = { model: b.model, trans };
    expect(parseEosFolder('e://org/x', ctx)).toEqual({ folder: 'e://org/x/' });
    expect(parseEosFolder(' e://users/me/data/ ', ctx)).toEqual({ folder: DATA });
    expect(parseEosFolder('s3://gencove-explorer-111111112222/shared/files/y/', ctx)).toEqual({ folder: 'e://org/y/' });
    expect(parseEosFolder('', ctx)).toEqual({ problem: 'Enter an e:// folder.' });
    expect(parseEosFolder('e://gencove/a/', ctx)).toEqual({ problem: 'e://gencove/a/ is read-only.' });
    expect(parseEosFolder('e://nowhere/', ctx)).toMatchObject({ problem: /Invalid namespace 'nowhere'/ });
  });

  it('refuses local folders outside the Jupyter root', () => {
    expect(localFolderProblem('data/x', { trans })).toBeNull();
    expect(localFolderProblem('', { trans })).toBeNull();
    expect(localFolderProblem('/etc', { trans })).toMatch(/relative to the Jupyter root/);
    expect(localFolderProblem('a/../../b', { trans })).toMatch(/outside the Jupyter root/);
  });
});

describe('the transfer commands', () => {
  let b: IBench;
  let commands: CommandRegistry;
  let local: ILocalBrowser & { refresh: jest.Mock };
  let saved: Map<string, unknown>;
  let notes: ReturnType<typeof spyNotifications>;

  beforeEach(async () => {
    b = await bench({
      [HOME]: [folder(HOME, 'data'), object(HOME, 'notes.txt', 5)],
      [DATA]: [object(DATA, 'x.bam', 100)]
    });
    notes = spyNotifications();
    local = { path: 'work', selected: () => [{ path: 'work/a.txt', type: 'file' }], refresh: jest.fn(async () => {}) };
    saved = new Map();
    const context: ITransferContext = {
      ...makeContext(b.model, b.settings, trans),
      local,
      state: {
        fetch: async (key: string) => saved.get(key) as any,
        save: async (key: string, value: any) => void saved.set(key, value)
      },
      actions: null
    };
    commands = new CommandRegistry();
    addTransferCommands(commands, context);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    b.model.dispose();
  });

  it('uploads the selection to the folder chosen and remembers it (the tree follows the service events)', async () => {
    await b.model.expand(DATA);
    const before = b.eos.listed().length;
    b.eos.answer(Routes.transfer, job('j1', 'running', { kind: 'upload' }));
    b.eos.answer(Routes.job, job('j1', 'done', { kind: 'upload' }));
    const dialog = answerDialogs({ accept: true, value: DATA });
    await commands.execute(CommandIDs.uploadToEos);
    expect((dialog.mock.calls[0][0].body as any).getValue()).toBe(HOME); // the default
    expect(b.eos.sent(Routes.transfer)).toEqual([
      { kind: 'upload', sources: ['work/a.txt'], destination: DATA, conflict: 'ask' }
    ]);
    expect(saved.get(LAST_FOLDER_KEY)).toBe(DATA);
    // No listing of its own: the service's `folders` event lists the folder (freshness.spec).
    expect(b.eos.listed().slice(before)).toEqual([]);
    answerDialogs({ accept: false });
    await commands.execute(CommandIDs.uploadToEos);
    const next = (jest.requireMock('@jupyterlab/apputils').showDialog as jest.Mock).mock.calls[0][0];
    expect(next.body.getValue()).toBe(DATA); // the last folder used
    expect(b.eos.sent(Routes.transfer)).toHaveLength(1);
  });

  it('refuses a read-only destination given as an argument, sending nothing', async () => {
    await commands.execute(CommandIDs.uploadToEos, { paths: ['a.txt'], destination: 'e://gencove/' });
    expect(b.eos.sent(Routes.transfer)).toEqual([]);
    expect(notes.error).toHaveBeenCalledWith('e://gencove/ is read-only.', { autoClose: 8000 });
  });

  it('downloads the selected EOS items into the current folder and refreshes the file browser', async () => {
    b.eos.answer(Routes.transfer, job('j2', 'running', { kind: 'download' }));
    b.eos.answer(Routes.job, job('j2', 'done', { kind: 'download' }));
    b.model.select(`${HOME}notes.txt`);
    expect(commands.isEnabled(CommandIDs.downloadHere)).toBe(true);
    await commands.execute(CommandIDs.downloadHere);
    expect(b.eos.sent(Routes.transfer)).toEqual([
      { kind: 'download', sources: [`${HOME}notes.txt`], destination: 'work', conflict: 'ask' }
    ]);
    expect(local.refresh).toHaveBeenCalled();
    b.model.select(HOME);
    expect(commands.isEnabled(CommandIDs.downloadHere)).toBe(false); // a namespace root
  });

  it('answers a conflict question the job asks', async () => {
    const question = { id: 'q1', target: 'work/notes.txt', source: `${HOME}notes.txt` };
    b.eos.answer(Routes.transfer, job('j3', 'running', { kind: 'download', question, questions: 1 }));
    b.eos.answer(Routes.job, job('j3', 'done', { kind: 'download' }));
    b.eos.answer(Routes.answerJob, job('j3', 'running'));
    const dialog = answerDialogs({ accept: true });
    const { Dialog } = jest.requireActual('@jupyterlab/apputils');
    dialog.mockReset();
    dialog.mockResolvedValueOnce({
      button: Dialog.warnButton({ actions: ['overwrite'] }),
      value: null,
      isChecked: false
    });
    await commands.execute(CommandIDs.downloadHere, { uri: `${HOME}notes.txt` });
    expect(b.eos.sent(Routes.answerJob)).toEqual([
      { id: 'j3', question: 'q1', choice: 'overwrite', applyToAll: false }
    ]);
  });

  const plan = (patch: Partial<SyncPlan> = {}): SyncPlan => ({
    source: 'work/data',
    destination: DATA,
    copy: [{ path: 'a.txt', size: 10, reason: 'new' }],
    delete: [{ path: 'old.txt', size: 3 }],
    unchanged: 2,
    bytes: 10,
    copyCount: 1,
    deleteCount: 1,
    ...patch
  });

  it('syncs a folder to EOS after a preview, deleting only when asked', async () => {
    local.selected = () => [{ path: 'work/data', type: 'directory' }];
    b.eos.answer(Routes.syncPlan, plan());
    b.eos.answer(Routes.sync, job('s1', 'running', { kind: 'sync' }));
    b.eos.answer(Routes.job, job('s1', 'done', { kind: 'sync' }));
    const dialog = answerDialogs({ accept: true, value: DATA }, { accept: true, value: false });
    await commands.execute(CommandIDs.syncToEos);
    expect((dialog.mock.calls[0][0].body as any).getValue()).toBe(`${HOME}data/`);
    expect(b.eos.sent(Routes.syncPlan)).toEqual([{ source: 'work/data', destination: DATA, delete: true }]);
    expect(dialog.mock.calls[1][0].body).toBeInstanceOf(SyncPreview);
    expect(b.eos.sent(Routes.sync)).toEqual([{ source: 'work/data', destination: DATA, delete: false }]);
  });

  it('syncs an EOS folder to a local folder, with deletion when the box is ticked', async () => {
    b.eos.answer(Routes.syncPlan, plan({ source: DATA, destination: 'work/data' }));
    b.eos.answer(Routes.sync, job('s2', 'running', { kind: 'sync' }));
    b.eos.answer(Routes.job, job('s2', 'done', { kind: 'sync' }));
    answerDialogs({ accept: true, value: true });
    await commands.execute(CommandIDs.syncToLocal, { uri: DATA, destination: 'work/data' });
    expect(b.eos.sent(Routes.sync)).toEqual([{ source: DATA, destination: 'work/data', delete: true }]);
    expect(local.refresh).toHaveBeenCalled();
  });

  it('syncs an EOS folder to another EOS folder after a preview, remembering the place', async () => {
    const target = `${HOME}copies/data/`;
    b.eos.answer(Routes.syncPlan, plan({ source: DATA, destination: target }));
    b.eos.answer(Routes.sync, job('s3', 'running', { kind: 'sync' }));
    b.eos.answer(Routes.job, job('s3', 'done', { kind: 'sync' }));
    b.model.select(DATA);
    expect(commands.isEnabled(CommandIDs.syncToEosFolder)).toBe(true);
    expect(commands.label(CommandIDs.syncToEosFolder, { isPalette: true })).toBe('EOS: Sync to EOS Folder…');
    const dialog = answerDialogs({ accept: true, value: target }, { accept: true, value: true });
    await commands.execute(CommandIDs.syncToEosFolder);
    expect((dialog.mock.calls[0][0].body as any).getValue()).toBe(`${HOME}data/`); // the last folder, then the name
    expect(b.eos.sent(Routes.syncPlan)).toEqual([{ source: DATA, destination: target, delete: true }]);
    expect(dialog.mock.calls[1][0].body).toBeInstanceOf(SyncPreview);
    expect(b.eos.sent(Routes.sync)).toEqual([{ source: DATA, destination: target, delete: true }]);
    expect(saved.get(LAST_FOLDER_KEY)).toBe(`${HOME}copies/`);
    expect(local.refresh).not.toHaveBeenCalled();
    b.model.select(`${HOME}notes.txt`);
    expect(commands.isEnabled(CommandIDs.syncToEosFolder)).toBe(false); // an object
  });

  it('refuses a read-only EOS target given as an argument, planning nothing', async () => {
    await commands.execute(CommandIDs.syncToEosFolder, { uri: DATA, destination: `${GENCOVE}x/` });
    expect(b.eos.sent(Routes.syncPlan)).toEqual([]);
    expect(notes.error).toHaveBeenCalledWith('e://gencove/x/ is read-only.', { autoClose: 8000 });
  });

  it('offers a sync without a preview (deleting nothing) when the folder is too big to preview', async () => {
    const message = 'e://users/me/data/ holds more than 20,000 files: too many to preview in one request.';
    b.eos.answer(Routes.syncPlan, new EosRequestError('PayloadTooLarge', message, 413));
    b.eos.answer(Routes.sync, job('s4', 'running', { kind: 'sync' }));
    b.eos.answer(Routes.job, job('s4', 'done', { kind: 'sync' }));
    const dialog = answerDialogs({ accept: true });
    await commands.execute(CommandIDs.syncToLocal, { uri: DATA, destination: 'work/data' });
    expect(dialog.mock.calls[0][0].body).toBe(
      `${message} Sync without a preview? New and changed files are copied; nothing is deleted.`
    );
    expect(b.eos.sent(Routes.sync)).toEqual([{ source: DATA, destination: 'work/data', delete: false }]);
  });

  it('says when there is nothing to sync, and starts nothing when the preview is cancelled', async () => {
    b.eos.answer(Routes.syncPlan, plan({ copy: [], delete: [], copyCount: 0, deleteCount: 0, bytes: 0 }));
    await commands.execute(CommandIDs.syncToLocal, { uri: DATA, destination: 'work/data' });
    expect(notes.info).toHaveBeenCalled();
    b.eos.answer(Routes.syncPlan, plan());
    answerDialogs({ accept: false });
    await commands.execute(CommandIDs.syncToLocal, { uri: DATA, destination: 'work/data' });
    expect(b.eos.sent(Routes.sync)).toEqual([]);
  });

  it('previews the first entries, the counts, and an unticked delete box', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ path: `f${i}.txt`, size: 1, reason: 'new' as const }));
    const preview = new SyncPreview(plan({ copy: many, copyCount: 1500 }), { trans });
    expect(preview.node.querySelectorAll('.jp-mod-copy li')).toHaveLength(11);
    expect(preview.node.textContent).toContain('…and 1490 more');
    expect(preview.node.textContent).toContain('1500 items to copy');
    expect(preview.getValue()).toBe(false);
  });

  it('previews the items the sync cannot copy, and does not call them in sync', async () => {
    const error = { code: 'InvalidRequest' as const, message: 'cannot be a local name' };
    const failing = plan({ copy: [], delete: [], copyCount: 0, deleteCount: 0, bytes: 0 });
    Object.assign(failing, { failed: [{ path: 'a/../x', error }], failedCount: 1 });
    const preview = new SyncPreview(failing, { trans });
    expect([...preview.node.querySelectorAll('.jp-mod-failed li')].map(li => li.textContent)).toEqual([
      'a/../x: cannot be a local name'
    ]);
    b.eos.answer(Routes.syncPlan, failing);
    answerDialogs({ accept: false });
    await commands.execute(CommandIDs.syncToLocal, { uri: DATA, destination: 'work/data' });
    expect(notes.info).not.toHaveBeenCalled();
  });
});

describe('sidebar tabs under a drag', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    document.body.innerHTML = `<div class="jp-SideBar"><ul><li class="lm-TabBar-tab" data-id="filebrowser"><span id="icon"></span></li>
      <li class="lm-TabBar-tab" data-id="eos-browser" id="eos"></li></ul></div><div id="elsewhere"></div>`;
  });
  afterEach(() => jest.useRealTimers());

  const fire = (id: string, type: string) =>
    document.getElementById(id)!.dispatchEvent(new Event(type, { bubbles: true, cancelable: true }));

  it('opens the tab a drag rests on for half a second', () => {
    const activate = jest.fn();
    const opener = new SidebarHoverOpener({ activate });
    expect(sidebarTabId(document.getElementById('icon'))).toBe('filebrowser');
    fire('icon', 'lm-dragenter');
    document.body.dispatchEvent(new Event('lm-dragenter', { bubbles: true })); // Lumino's re-enter on the body
    jest.advanceTimersByTime(HOVER_OPEN_MS - 1);
    expect(activate).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(activate).toHaveBeenCalledWith('filebrowser');
    opener.dispose();
  });

  it('does not open a tab the drag left, and follows desktop drags', () => {
    const activate = jest.fn();
    const opener = new SidebarHoverOpener({ activate });
    fire('icon', 'lm-dragenter');
    fire('elsewhere', 'lm-dragenter');
    jest.advanceTimersByTime(HOVER_OPEN_MS * 2);
    expect(activate).not.toHaveBeenCalled();
    fire('eos', 'dragover');
    fire('eos', 'dragover');
    jest.advanceTimersByTime(HOVER_OPEN_MS);
    expect(activate).toHaveBeenCalledWith('eos-browser');
    opener.dispose();
    fire('icon', 'dragover');
    jest.advanceTimersByTime(HOVER_OPEN_MS);
    expect(activate).toHaveBeenCalledTimes(1);
  });
});

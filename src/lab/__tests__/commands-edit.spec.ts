import { deleteIcon, editIcon, newFolderIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { Routes } from '../../core';
import { JOB_POLL_MS } from '../commands/jobs';
import { EosRequestError } from '../request';
import { CommandIDs } from '../tokens';
import { IBench, answerDialogs, bench, job, spyNotifications } from './fake-actions';
import { OTHER_ID, folder, object } from './fake';

jest.mock('@jupyterlab/apputils', () => ({ ...jest.requireActual('@jupyterlab/apputils'), showDialog: jest.fn() }));
jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const HOME = 'e://users/me/';
const DATA = `${HOME}data/`;
const NOTES = `${HOME}notes.txt`;
const GENCOVE = 'e://gencove/';

let b: IBench;
let notes: ReturnType<typeof spyNotifications>;

beforeEach(async () => {
  b = await bench({
    [HOME]: [folder(HOME, 'data'), object(HOME, 'notes.txt', 5)],
    [DATA]: [object(DATA, 'x.bam', 100)],
    [GENCOVE]: [folder(GENCOVE, 'reference', 'read'), object(GENCOVE, 'readme.txt', 3, 'read')]
  });
  await b.model.expand(DATA);
  notes = spyNotifications();
});

afterEach(() => {
  jest.restoreAllMocks();
  b.model.dispose();
});

const select = (...uris: string[]) =>
  jest.spyOn(b.model, 'selection', 'get').mockReturnValue(uris.map(uri => b.model.node(uri)!));

describe('eos:new-folder', () => {
  it('has a label, a caption and an icon', () => {
    expect(b.commands.label(CommandIDs.newFolder)).toBe('New Folder');
    expect(b.commands.caption(CommandIDs.newFolder)).not.toBe('');
    expect(b.commands.icon(CommandIDs.newFolder)).toBe(newFolderIcon);
  });

  it('is enabled in a writable folder, or beside a writable object, only', () => {
    expect(b.commands.isEnabled(CommandIDs.newFolder)).toBe(false);
    for (const uri of [HOME, DATA, NOTES, `${DATA}x.bam`]) {
      b.model.select(uri);
      expect(b.commands.isEnabled(CommandIDs.newFolder)).toBe(true);
    }
    for (const uri of [GENCOVE, `${GENCOVE}reference/`, `${GENCOVE}readme.txt`, 'e://users/']) {
      b.model.select(uri);
      expect(b.commands.isEnabled(CommandIDs.newFolder)).toBe(false);
    }
    expect(b.commands.isEnabled(CommandIDs.newFolder, { uri: `e://users/${OTHER_ID}/` })).toBe(false);
    select(DATA, NOTES);
    expect(b.commands.isEnabled(CommandIDs.newFolder)).toBe(false);
  });

  it("creates the folder in the selected object's folder, lists it again and selects the new folder", async () => {
    b.eos.answer(Routes.mkdir, (body: { uri: string }) => {
      b.eos.page(HOME, [folder(HOME, 'data'), folder(HOME, 'results'), object(HOME, 'notes.txt', 5)]);
      return folder(HOME, 'results');
    });
    const dialog = answerDialogs({ accept: true, value: 'results' });
    b.model.select(NOTES);
    const listed = b.eos.listed().length;
    await b.commands.execute(CommandIDs.newFolder);
    expect(dialog.mock.calls[0][0].title).toBe('New Folder');
    expect(b.eos.sent(Routes.mkdir)).toEqual([{ uri: `${HOME}results/` }]);
    expect(b.eos.listed().slice(listed)).toContain(HOME);
    expect(b.model.selected?.uri).toBe(`${HOME}results/`);
    expect(notes.success).toHaveBeenCalledWith(`Created ${HOME}results/`, { autoClose: 3000 });
  });

  it('asks again when the name is refused, and sends nothing when cancelled', async () => {
    const dialog = answerDialogs({ accept: true, value: 'a/b' }, { accept: false });
    b.model.select(DATA);
    await b.commands.execute(CommandIDs.newFolder);
    expect(dialog).toHaveBeenCalledTimes(2);
    expect(b.eos.sent(Routes.mkdir)).toEqual([]);
  });

  it('says when the folder already exists', async () => {
    b.eos.answer(Routes.mkdir, new EosRequestError('Conflict', `${DATA} already exists`, 409));
    answerDialogs({ accept: true, value: 'data' });
    b.model.select(HOME);
    await b.commands.execute(CommandIDs.newFolder);
    expect(notes.error.mock.calls[0][0]).toBe(`Cannot create folder "data": Already exists. ${DATA} already exists`);
  });

  it("reports the service's refusal", async () => {
    b.eos.answer(Routes.mkdir, new EosRequestError('ReadOnly', 'Cannot write to e://gencove/x/', 403));
    answerDialogs({ accept: true, value: 'x' });
    b.model.select(DATA);
    await b.commands.execute(CommandIDs.newFolder);
    expect(notes.error.mock.calls[0][0]).toBe(
      'Cannot create folder "x": Read-only location. Cannot write to e://gencove/x/'
    );
  });
});

describe('eos:rename', () => {
  it('has a label, a caption and an icon', () => {
    expect(b.commands.label(CommandIDs.rename)).toBe('Rename or Move…');
    expect(b.commands.caption(CommandIDs.rename)).not.toBe('');
    expect(b.commands.icon(CommandIDs.rename)).toBe(editIcon);
  });

  it('is enabled for one writable item that is not a namespace root', () => {
    b.model.select(NOTES);
    expect(b.commands.isEnabled(CommandIDs.rename)).toBe(true);
    b.model.select(DATA);
    expect(b.commands.isEnabled(CommandIDs.rename)).toBe(true);
    for (const uri of [HOME, 'e://org/', GENCOVE, `${GENCOVE}readme.txt`]) {
      b.model.select(uri);
      expect(b.commands.isEnabled(CommandIDs.rename)).toBe(false);
    }
    expect(b.commands.isEnabled(CommandIDs.rename, { uri: `e://users/${OTHER_ID}/a.txt` })).toBe(false);
    select(NOTES, DATA);
    expect(b.commands.isEnabled(CommandIDs.rename)).toBe(false);
  });

  it('renames an object in its folder and selects it under its new name', async () => {
    b.eos.answer(Routes.copy, () => {
      b.eos.page(HOME, [folder(HOME, 'data'), object(HOME, 'todo.txt', 5)]);
      return job('j1', 'done', { kind: 'move', objects: { done: 1, total: 1 }, bytes: { done: 5, total: 5 } });
    });
    const dialog = answerDialogs({ accept: true, value: 'todo.txt' });
    b.model.select(NOTES);
    await b.commands.execute(CommandIDs.rename);
    const body = dialog.mock.calls[0][0].body as Widget & { input: HTMLInputElement };
    expect(body.input.value).toBe('notes.txt');
    expect(b.eos.sent(Routes.copy)).toEqual([{ sources: [NOTES], destination: `${HOME}todo.txt`, move: true }]);
    expect(notes.update).toHaveBeenLastCalledWith(
      expect.objectContaining({ id: 'job-note', type: 'success', message: `Moved notes.txt to ${HOME}todo.txt` })
    );
    expect(b.model.selected?.uri).toBe(`${HOME}todo.txt`);
  });

  it('moves a folder by a full path, following the job with progress, and lists both folders again', async () => {
    b.eos.page('e://org/', []);
    await b.model.expand('e://org/');
    const running = job('j2', 'running', {
      kind: 'move',
      objects: { done: 0, total: 2 },
      bytes: { done: 0, total: 10 }
    });
    b.eos.answer(Routes.copy, running);
    b.eos.answer(Routes.job, { ...running, objects: { done: 1, total: 2 }, bytes: { done: 5, total: 10 } }, () => {
      b.eos.page('e://org/', [folder('e://org/', 'data')]);
      b.eos.page(HOME, [object(HOME, 'notes.txt', 5)]);
      return { ...running, state: 'done', objects: { done: 2, total: 2 }, bytes: { done: 10, total: 10 } };
    });
    answerDialogs({ accept: true, value: 'e://org/' });
    b.model.select(DATA);
    const listed = b.eos.listed().length;
    await b.commands.execute(CommandIDs.rename);
    expect(b.eos.sent(Routes.copy)).toEqual([{ sources: [DATA], destination: 'e://org/', move: true }]);
    expect(b.eos.sent(Routes.job)).toEqual([
      { id: 'j2', wait: JOB_POLL_MS },
      { id: 'j2', wait: JOB_POLL_MS }
    ]);
    expect(notes.emit).toHaveBeenCalledWith(
      'Moving data… 0 of 2 objects, 0 B of 10 B',
      'in-progress',
      expect.anything()
    );
    const [, , options] = notes.emit.mock.calls[0];
    expect(options?.autoClose).toBe(false);
    expect(options?.actions?.map(a => a.label)).toEqual(['Cancel', 'Show details']);
    expect(notes.update.mock.calls.map(([u]) => [u.type, u.message])).toEqual([
      ['in-progress', 'Moving data… 1 of 2 objects, 5 B of 10 B'],
      ['success', 'Moved data to e://org/data/']
    ]);
    expect(b.eos.listed().slice(listed).sort()).toEqual(['e://org/', HOME]);
    expect(b.model.selected?.uri).toBe('e://org/data/');
  });

  it('cancels the running job from its notification', async () => {
    const running = job('j3', 'running', { kind: 'move' });
    b.eos.answer(Routes.copy, running);
    b.eos.answer(Routes.cancelJob, { ...running, state: 'cancelled' });
    let cancelled = false;
    b.eos.answer(Routes.job, () => {
      if (!cancelled) {
        cancelled = true;
        const cancel = notes.emit.mock.calls[0][2]!.actions![0];
        cancel.callback({ preventDefault: () => undefined } as MouseEvent);
        return running;
      }
      return { ...running, state: 'cancelled', objects: { done: 3, total: 9 } };
    });
    answerDialogs({ accept: true, value: 'renamed' });
    b.model.select(DATA);
    await b.commands.execute(CommandIDs.rename);
    expect(b.eos.sent(Routes.copy)).toEqual([{ sources: [DATA], destination: `${HOME}renamed`, move: true }]);
    expect(b.eos.sent(Routes.cancelJob)).toEqual([{ id: 'j3' }]);
    expect(notes.update).toHaveBeenLastCalledWith(
      expect.objectContaining({ type: 'warning', message: 'Move of data cancelled after 3 of 9 objects, 0 B' })
    );
  });

  it('shows a failed job as an error with details', async () => {
    b.eos.answer(
      Routes.copy,
      job('j4', 'failed', { error: { code: 'Conflict', message: 'e://users/me/todo.txt already exists' } })
    );
    answerDialogs({ accept: true, value: 'todo.txt' });
    b.model.select(NOTES);
    await b.commands.execute(CommandIDs.rename);
    const update = notes.update.mock.calls[0][0];
    expect(update.type).toBe('error');
    expect(update.message).toBe('Cannot move notes.txt: Already exists. e://users/me/todo.txt already exists');
    expect(update.actions?.map(a => a.label)).toEqual(['Show details']);
  });
});

describe('eos:delete', () => {
  const count = { objects: 3, bytes: 1234567, folders: 1, more: false };

  it('has a label, a caption and an icon', () => {
    expect(b.commands.label(CommandIDs.deleteItems)).toBe('Delete');
    expect(b.commands.caption(CommandIDs.deleteItems)).not.toBe('');
    expect(b.commands.icon(CommandIDs.deleteItems)).toBe(deleteIcon);
  });

  it('is never enabled on namespace roots or read-only items', () => {
    expect(b.commands.isEnabled(CommandIDs.deleteItems)).toBe(false);
    for (const uri of [HOME, 'e://org/', GENCOVE, 'e://users/', `${GENCOVE}readme.txt`, `${GENCOVE}reference/`]) {
      b.model.select(uri);
      expect(b.commands.isEnabled(CommandIDs.deleteItems)).toBe(false);
    }
    expect(b.commands.isEnabled(CommandIDs.deleteItems, { uri: `e://users/${OTHER_ID}/` })).toBe(false);
    expect(b.commands.isEnabled(CommandIDs.deleteItems, { uri: `e://users/${OTHER_ID}/a.txt` })).toBe(false);
    select(NOTES, DATA);
    expect(b.commands.isEnabled(CommandIDs.deleteItems)).toBe(true);
    select(NOTES, `${GENCOVE}readme.txt`);
    expect(b.commands.isEnabled(CommandIDs.deleteItems)).toBe(false);
  });

  it('counts, confirms with the exact numbers, deletes as a job and lists the folders again', async () => {
    b.eos.answer(Routes.count, count);
    b.eos.answer(
      Routes.delete,
      job('d1', 'done', { objects: { done: 3, total: 3 }, bytes: { done: 1234567, total: 1234567 } })
    );
    const dialog = answerDialogs({ accept: true });
    select(NOTES, DATA);
    const listed = b.eos.listed().length;
    await b.commands.execute(CommandIDs.deleteItems);
    expect(b.eos.sent(Routes.count)).toEqual([{ uris: [NOTES, DATA] }]);
    const options = dialog.mock.calls[0][0];
    expect(options.title).toBe('Delete 2 Items');
    const text = (options.body as Widget).node.textContent;
    expect(text).toContain('Delete 2 items?');
    expect(text).toContain(`This deletes 3 objects, 1.2 MB (${(1234567).toLocaleString()} bytes), from EOS.`);
    expect(text).toContain('1 folder and everything in it will be deleted.');
    expect(text).toContain(NOTES);
    expect(b.eos.sent(Routes.delete)).toEqual([{ uris: [NOTES, DATA], recursive: true }]);
    expect(notes.update).toHaveBeenLastCalledWith(
      expect.objectContaining({ type: 'success', message: 'Deleted 3 objects' })
    );
    expect(b.eos.listed().slice(listed)).toContain(HOME);
  });

  it('says "more than" when the count stopped at its limit (a folder too big to count in one request)', async () => {
    b.eos.answer(Routes.count, { objects: 10000, bytes: 5000000, folders: 1, more: true });
    const dialog = answerDialogs({ accept: false });
    select(DATA);
    await b.commands.execute(CommandIDs.deleteItems);
    const text = (dialog.mock.calls[0][0].body as Widget).node.textContent;
    expect(text).toContain(
      `This deletes more than 10000 objects, more than 5.0 MB (${(5000000).toLocaleString()} bytes), from EOS (counting stopped there).`
    );
  });

  it('counts an item inside a selected folder once, with its folder', async () => {
    b.eos.answer(Routes.count, count);
    answerDialogs({ accept: false });
    select(DATA, `${DATA}x.bam`, NOTES);
    await b.commands.execute(CommandIDs.deleteItems);
    expect(b.eos.sent(Routes.count)).toEqual([{ uris: [DATA, NOTES] }]);
  });

  it('deletes nothing when the confirmation is cancelled', async () => {
    b.eos.answer(Routes.count, count);
    answerDialogs({ accept: false });
    b.model.select(NOTES);
    await b.commands.execute(CommandIDs.deleteItems);
    expect(b.eos.sent(Routes.delete)).toEqual([]);
  });

  it('skips the confirmation when the settings say so', async () => {
    b.settings.update({ confirmDelete: false });
    b.eos.answer(Routes.count, { objects: 1, bytes: 5, folders: 0, more: false });
    b.eos.answer(Routes.delete, job('d2', 'done', { objects: { done: 1, total: 1 } }));
    const dialog = answerDialogs();
    b.model.select(NOTES);
    await b.commands.execute(CommandIDs.deleteItems);
    expect(dialog).not.toHaveBeenCalled();
    expect(b.eos.sent(Routes.delete)).toEqual([{ uris: [NOTES], recursive: true }]);
    expect(notes.update).toHaveBeenLastCalledWith(expect.objectContaining({ message: 'Deleted 1 object' }));
  });

  it('reports a count that fails, and deletes nothing', async () => {
    b.eos.answer(Routes.count, new EosRequestError('AccessDenied', 'Access Denied', 403));
    b.model.select(NOTES);
    await b.commands.execute(CommandIDs.deleteItems);
    expect(notes.error.mock.calls[0][0]).toBe('Cannot delete: Access denied. Access Denied');
    expect(b.eos.sent(Routes.delete)).toEqual([]);
  });
});

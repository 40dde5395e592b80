import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { Routes } from '../../core';
import { requestAPI } from '../request';
import { CommandIDs } from '../tokens';
import { addTransfersCommands, uploadFolderOf } from '../transfers/commands';
import { TransfersModel } from '../transfers/model';
import { IBench, bench, job, spyNotifications } from './fake-actions';
import { folder, object } from './fake';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const HOME = 'e://users/me/';
const DATA = `${HOME}data/`;
const GENCOVE = 'e://gencove/';

let b: IBench;
let notes: ReturnType<typeof spyNotifications>;

beforeEach(async () => {
  b = await bench({
    [HOME]: [folder(HOME, 'data'), object(HOME, 'a "b".fastq', 5)],
    [GENCOVE]: [object(GENCOVE, 'readme.txt', 3, 'read')]
  });
  notes = spyNotifications();
});

afterEach(() => {
  jest.restoreAllMocks();
  b.model.dispose();
});

describe('eos:download-to-computer', () => {
  it('presigns as an attachment and lets the browser download it from a hidden link', async () => {
    b.eos.answer(Routes.presign, {
      url: 'https://s3.example/x?sig=1',
      expiresAt: '2026-01-03T00:00:00.000Z',
      expiresIn: 172800,
      limitedBy: 'request'
    });
    const clicked: HTMLAnchorElement[] = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const uri = `${HOME}a "b".fastq`;
    expect(b.commands.isEnabled(CommandIDs.downloadToComputer, { uri })).toBe(true);
    await b.commands.execute(CommandIDs.downloadToComputer, { uri });
    expect(b.eos.sent(Routes.presign)).toEqual([{ uri, expiresIn: 172800, download: true }]);
    expect(clicked.map(a => [a.href, a.download, a.isConnected])).toEqual([
      ['https://s3.example/x?sig=1', 'a "b".fastq', false]
    ]);
    expect(notes.info).toHaveBeenCalled();
  });

  it('is disabled on folders, says why, and refuses them', async () => {
    expect(b.commands.isEnabled(CommandIDs.downloadToComputer, { uri: DATA })).toBe(false);
    expect(b.commands.caption(CommandIDs.downloadToComputer, { uri: DATA })).toMatch(
      /Folders cannot be downloaded to your computer/
    );
    await b.commands.execute(CommandIDs.downloadToComputer, { uri: DATA });
    expect(b.eos.sent(Routes.presign)).toEqual([]);
    expect(notes.warning.mock.calls[0][0]).toMatch(/Folders cannot be downloaded/);
  });
});

describe('upload commands', () => {
  let commands: CommandRegistry;
  let transfers: TransfersModel;
  let upload: jest.Mock;
  let show: jest.Mock;

  beforeEach(() => {
    commands = new CommandRegistry();
    transfers = new TransfersModel({ standby: 'never' });
    upload = jest.fn().mockResolvedValue(null);
    show = jest.fn();
    addTransfersCommands(commands, {
      transfers,
      trans: nullTranslator.load('jupyterlab_eos'),
      browser: b.model,
      show,
      upload
    });
  });

  afterEach(() => transfers.dispose());

  it('uploads into the selected folder, the selected item’s folder, or My files', () => {
    expect(uploadFolderOf(b.model, { uri: DATA })).toBe(DATA);
    expect(uploadFolderOf(b.model, { uri: `${HOME}a "b".fastq` })).toBe(HOME);
    expect(uploadFolderOf(b.model, {})).toBe(HOME);
    expect(commands.caption(CommandIDs.uploadFiles, { uri: DATA })).toBe(`Upload files from your computer to ${DATA}`);
  });

  it('hands the picked files to the upload and leaves the EOS panel in front', async () => {
    const file = new File(['x'], 'x.txt');
    jest.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (this: HTMLInputElement) {
      expect(this.type).toBe('file');
      Object.defineProperty(this, 'files', { value: [file] });
      this.dispatchEvent(new Event('change'));
    });
    await commands.execute(CommandIDs.uploadFiles, { uri: DATA });
    expect(upload).toHaveBeenCalledWith([{ file, relativePath: 'x.txt' }], DATA);
    expect(show).not.toHaveBeenCalled(); // the new rows appear in the tree; the status bar shows progress
  });

  it('picks a folder with webkitdirectory and keeps its relative paths', async () => {
    const file = new File(['x'], 'x.txt');
    Object.defineProperty(file, 'webkitRelativePath', { value: 'run/sub/x.txt' });
    jest.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (this: HTMLInputElement) {
      expect(this.webkitdirectory).toBe(true);
      Object.defineProperty(this, 'files', { value: [file] });
      this.dispatchEvent(new Event('change'));
    });
    await commands.execute(CommandIDs.uploadFolder, {});
    expect(upload).toHaveBeenCalledWith([{ file, relativePath: 'run/sub/x.txt' }], HOME);
  });

  it('is not offered in a read-only folder, and refuses one with a message before picking anything', async () => {
    const readOnly = { uri: `${GENCOVE}readme.txt` };
    expect(commands.isEnabled(CommandIDs.uploadFiles, readOnly)).toBe(false);
    expect(commands.isEnabled(CommandIDs.uploadFolder, readOnly)).toBe(false);
    expect(commands.caption(CommandIDs.uploadFiles, readOnly)).toBe(
      `${GENCOVE} is read-only: select a folder in My files or Organization`
    );
    expect(commands.isEnabled(CommandIDs.uploadFiles, { uri: DATA })).toBe(true);
    expect(commands.label(CommandIDs.uploadFiles, { isPalette: true })).toBe('EOS: Upload Files…');
    const click = jest.spyOn(HTMLInputElement.prototype, 'click');
    await commands.execute(CommandIDs.uploadFiles, { uri: `${GENCOVE}readme.txt` });
    expect(click).not.toHaveBeenCalled();
    expect(upload).not.toHaveBeenCalled();
    expect(notes.warning.mock.calls[0][0]).toBe(
      `${GENCOVE} is read-only: upload into My files or Organization instead`
    );
  });

  it('clears finished transfers, enabled only when there are some', async () => {
    (requestAPI as jest.Mock).mockResolvedValue({ jobs: [] });
    expect(commands.isEnabled(CommandIDs.clearTransfers)).toBe(false);
    transfers.track(job('d', 'done'));
    expect(commands.isEnabled(CommandIDs.clearTransfers)).toBe(true);
    await commands.execute(CommandIDs.clearTransfers);
    expect(transfers.jobs).toEqual([]);
  });
});

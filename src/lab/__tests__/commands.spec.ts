import { Clipboard, Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { copyIcon, refreshIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';

import { addCommands } from '../commands';
import { EosBrowserModel } from '../model';
import { requestAPI } from '../request';
import { CommandIDs } from '../tokens';
import { FakeEos, folder, object } from './fake';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const HOME = 'e://users/me/';
const FILE = `${HOME}reads #1 100%.fastq`;

describe('eos:copy-uri', () => {
  let eos: FakeEos;
  let commands: CommandRegistry;
  let model: EosBrowserModel;
  let writeText: jest.Mock;
  let success: jest.SpyInstance;
  let copyToSystem: jest.SpyInstance;

  beforeEach(async () => {
    eos = new FakeEos();
    eos.page(HOME, [object(HOME, 'reads #1 100%.fastq')]);
    (requestAPI as jest.Mock).mockImplementation(eos.request);
    model = new EosBrowserModel();
    await model.initialize();
    commands = new CommandRegistry();
    addCommands(commands, model, nullTranslator.load('jupyterlab_eos'));
    writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    success = jest.spyOn(Notification, 'success').mockReturnValue('id');
    copyToSystem = jest.spyOn(Clipboard, 'copyToSystem').mockImplementation(() => undefined);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    model.dispose();
  });

  it('has a translated label, a caption and the copy icon', () => {
    expect(commands.hasCommand(CommandIDs.copyUri)).toBe(true);
    expect(commands.label(CommandIDs.copyUri)).toBe('Copy EOS URI');
    expect(commands.caption(CommandIDs.copyUri)).not.toBe('');
    expect(commands.icon(CommandIDs.copyUri)).toBe(copyIcon);
  });

  it('is enabled only when an item is selected, and says so when the selection changes', () => {
    const changed = jest.fn();
    commands.commandChanged.connect((_, args) => changed(args.id));
    expect(commands.isEnabled(CommandIDs.copyUri)).toBe(false);
    model.select(FILE);
    expect(commands.isEnabled(CommandIDs.copyUri)).toBe(true);
    expect(changed).toHaveBeenCalledWith(CommandIDs.copyUri);
    model.select(null);
    expect(commands.isEnabled(CommandIDs.copyUri)).toBe(false);
  });

  it('says it is disabled when a refresh removes the selected item', async () => {
    model.select(FILE);
    const changed = jest.fn();
    commands.commandChanged.connect((_, args) => changed(args.id));
    eos.page(HOME, []);
    await model.refresh(HOME);
    expect(changed).toHaveBeenCalledWith(CommandIDs.copyUri);
    expect(commands.isEnabled(CommandIDs.copyUri)).toBe(false);
  });

  it('copies the selected e:// URI and confirms it', async () => {
    model.select(FILE);
    await commands.execute(CommandIDs.copyUri);
    expect(writeText).toHaveBeenCalledWith(FILE);
    expect(copyToSystem).not.toHaveBeenCalled();
    expect(success).toHaveBeenCalledWith(`Copied ${FILE}`, { autoClose: 3000 });
  });

  it('falls back to Clipboard.copyToSystem when the async clipboard refuses', async () => {
    writeText.mockRejectedValue(new DOMException('Not allowed', 'NotAllowedError'));
    model.select(FILE);
    await commands.execute(CommandIDs.copyUri);
    expect(copyToSystem).toHaveBeenCalledWith(FILE);
    expect(success).toHaveBeenCalled();
  });

  it('falls back when there is no async clipboard (insecure context)', async () => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    await commands.execute(CommandIDs.copyUri, { uri: 'e://org/given' });
    expect(copyToSystem).toHaveBeenCalledWith('e://org/given');
  });

  it('does nothing without a selection', async () => {
    await commands.execute(CommandIDs.copyUri);
    expect(writeText).not.toHaveBeenCalled();
    expect(success).not.toHaveBeenCalled();
  });
});

describe('eos:refresh', () => {
  let eos: FakeEos;
  let commands: CommandRegistry;
  let model: EosBrowserModel;
  const listedAfter = async (run: () => Promise<unknown>) => {
    const before = eos.listed().length;
    await run();
    return eos.listed().slice(before);
  };

  beforeEach(async () => {
    eos = new FakeEos();
    eos.page(HOME, [folder(HOME, 'data'), object(HOME, 'notes.txt')]);
    (requestAPI as jest.Mock).mockImplementation(eos.request);
    model = new EosBrowserModel();
    await model.initialize();
    await model.expand(`${HOME}data/`);
    commands = new CommandRegistry();
    addCommands(commands, model, nullTranslator.load('jupyterlab_eos'));
  });

  afterEach(() => {
    model.dispose();
  });

  it('has a translated label, a caption and the refresh icon, and is always enabled', () => {
    expect(commands.label(CommandIDs.refresh)).toBe('Refresh');
    expect(commands.caption(CommandIDs.refresh)).not.toBe('');
    expect(commands.icon(CommandIDs.refresh)).toBe(refreshIcon);
    expect(commands.isEnabled(CommandIDs.refresh)).toBe(true);
  });

  it('lists every root again when nothing is selected', async () => {
    const listed = await listedAfter(() => commands.execute(CommandIDs.refresh));
    expect(listed.sort()).toEqual(['e://gencove/', 'e://org/', HOME, `${HOME}data/`].sort());
  });

  it("lists the selected folder, or the selected object's folder, again", async () => {
    model.select(`${HOME}data/`);
    expect(await listedAfter(() => commands.execute(CommandIDs.refresh))).toEqual([`${HOME}data/`]);
    model.select(`${HOME}notes.txt`);
    expect(await listedAfter(() => commands.execute(CommandIDs.refresh))).toEqual([HOME, `${HOME}data/`]);
    expect(model.selected?.uri).toBe(`${HOME}notes.txt`);
  });

  it('lists the folder of a uri argument again', async () => {
    model.select(`${HOME}notes.txt`);
    expect(await listedAfter(() => commands.execute(CommandIDs.refresh, { uri: `${HOME}data/` }))).toEqual([
      `${HOME}data/`
    ]);
  });
});

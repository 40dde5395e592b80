import { Clipboard, Notification } from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { copyIcon } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';

import { addCommands } from '../commands';
import { EosBrowserModel } from '../model';
import { requestAPI } from '../request';
import { CommandIDs } from '../tokens';
import { FakeEos, object } from './fake';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const HOME = 'e://users/me/';
const FILE = `${HOME}reads #1 100%.fastq`;

describe('eos:copy-uri', () => {
  let commands: CommandRegistry;
  let model: EosBrowserModel;
  let writeText: jest.Mock;
  let success: jest.SpyInstance;
  let copyToSystem: jest.SpyInstance;

  beforeEach(async () => {
    const eos = new FakeEos();
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
    expect(CommandIDs.copyUri).toBe('eos:copy-uri');
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

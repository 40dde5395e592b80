import { nullTranslator } from '@jupyterlab/translation';
import { copyIcon, linkIcon, pythonIcon, shareIcon } from '@jupyterlab/ui-components';

import { MAX_PRESIGN_SECONDS, PresignResponse, Routes } from '../../core';
import { formatDuration, presignMessage, presignSeconds, pythonSnippet, pythonString } from '../commands/copy';
import { EosRequestError } from '../request';
import { CommandIDs } from '../tokens';
import { IBench, bench, spyNotifications } from './fake-actions';
import { USER_ID, folder, object } from './fake';

jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const trans = nullTranslator.load('jupyterlab_eos');
const HOME = 'e://users/me/';
const ORG = 'e://org/';
const BUCKET = 'gencove-explorer-111111112222';
const FILE = `${HOME}reads #1 "100%".fastq`;

describe('pythonString', () => {
  it.each([
    ['e://org/a.txt', '"e://org/a.txt"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['line\nbreak\r\ttab', '"line\\nbreak\\r\\ttab"'],
    ['bell\u0007 del\u007f c1\u0085', '"bell\\x07 del\\x7f c1\\x85"'],
    ['sep\u2028par\u2029', '"sep\\u2028par\\u2029"'],
    ['emoji 🧬 é', '"emoji 🧬 é"']
  ])('writes %j as a Python literal', (text, literal) => {
    expect(pythonString(text)).toBe(literal);
  });

  it('makes a File snippet', () => {
    expect(pythonSnippet('e://org/x "y"')).toBe('File(path_e="e://org/x \\"y\\"")');
  });
});

describe('presign helpers', () => {
  it('turns hours into seconds, at most 7 days', () => {
    expect(presignSeconds(48)).toBe(172800);
    expect(presignSeconds(0.25)).toBe(900);
    expect(presignSeconds(500)).toBe(MAX_PRESIGN_SECONDS);
    expect(presignSeconds(NaN)).toBe(172800);
  });

  it('says durations for people', () => {
    expect(formatDuration(30, trans)).toBe('30 seconds');
    expect(formatDuration(900, trans)).toBe('15 minutes');
    expect(formatDuration(172800, trans)).toBe('48 hours');
    expect(formatDuration(MAX_PRESIGN_SECONDS, trans)).toBe('7 days');
  });

  it('states the real expiry and who can read', () => {
    const answer: PresignResponse = {
      url: 'https://x',
      expiresAt: '2026-01-01T05:00:00.000Z',
      expiresIn: 5 * 3600,
      limitedBy: 'credentials'
    };
    const message = presignMessage([answer], trans);
    expect(message).toContain('Anyone with it can read the object');
    expect(message).toContain('5 hours; shorter: your credentials expire sooner');
    expect(message.length).toBeLessThanOrEqual(140);
    expect(presignMessage([{ ...answer, limitedBy: 'maximum', expiresIn: MAX_PRESIGN_SECONDS }], trans)).toContain(
      '7 days, the 7-day maximum'
    );
    expect(presignMessage([answer, { ...answer, expiresIn: 10 }], trans)).toMatch(/^2 presigned URLs copied/);
  });
});

describe('copy commands', () => {
  let b: IBench;
  let writeText: jest.Mock;
  let notes: ReturnType<typeof spyNotifications>;

  beforeEach(async () => {
    b = await bench({
      [HOME]: [folder(HOME, 'data'), object(HOME, 'reads #1 "100%".fastq'), object(HOME, 'b.txt')],
      'e://gencove/': [object('e://gencove/', 'ref.fa', 10, 'read')]
    });
    writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    notes = spyNotifications();
  });

  afterEach(() => {
    jest.restoreAllMocks();
    b.model.dispose();
  });

  const select = (...uris: string[]) =>
    jest.spyOn(b.model, 'selection', 'get').mockReturnValue(uris.map(uri => b.model.node(uri)!));

  it.each([
    [CommandIDs.copyUri, 'Copy EOS URI', copyIcon],
    [CommandIDs.copyShareableUri, 'Copy Shareable URI', shareIcon],
    [CommandIDs.copyS3Uri, 'Copy S3 URI', copyIcon],
    [CommandIDs.copyPython, 'Copy Python Snippet', pythonIcon],
    [CommandIDs.copyPresignedUrl, 'Copy Presigned URL', linkIcon]
  ])('%s has a label, a caption and an icon, and needs a selection', (id, label, icon) => {
    expect(b.commands.label(id)).toBe(label);
    expect(b.commands.caption(id)).not.toBe('');
    expect(b.commands.icon(id)).toBe(icon);
    expect(b.commands.isEnabled(id)).toBe(false);
    b.model.select(FILE);
    expect(b.commands.isEnabled(id)).toBe(true);
  });

  it('copies one line per selected item, in selection order, and says how many', async () => {
    select(FILE, `${HOME}data/`);
    await b.commands.execute(CommandIDs.copyUri);
    expect(writeText).toHaveBeenLastCalledWith(`${FILE}\n${HOME}data/`);
    expect(notes.success).toHaveBeenLastCalledWith('Copied 2 EOS URIs', { autoClose: 3000 });
  });

  it('copies shareable URIs with the user id instead of me', async () => {
    select(FILE, `${HOME}data/`);
    await b.commands.execute(CommandIDs.copyShareableUri);
    expect(writeText).toHaveBeenLastCalledWith(
      `e://users/${USER_ID}/reads #1 "100%".fastq\ne://users/${USER_ID}/data/`
    );
    expect(notes.success).toHaveBeenLastCalledWith('Copied 2 shareable URIs', { autoClose: 3000 });
    await b.commands.execute(CommandIDs.copyShareableUri, { uri: `${ORG}x` });
    expect(writeText).toHaveBeenLastCalledWith(`${ORG}x`);
    expect(notes.success).toHaveBeenLastCalledWith(`Copied ${ORG}x`, { autoClose: 3000 });
  });

  it('copies s3:// URIs of every namespace', async () => {
    await b.commands.execute(CommandIDs.copyS3Uri, { uris: [FILE, `${ORG}a/`, 'e://gencove/ref.fa'] });
    expect(writeText).toHaveBeenLastCalledWith(
      [
        `s3://${BUCKET}/users/${USER_ID}/files/reads #1 "100%".fastq`,
        `s3://${BUCKET}/shared/files/a/`,
        's3://gencove-explorer-data/files/ref.fa'
      ].join('\n')
    );
  });

  it('copies a File snippet of the shareable form, escaped', async () => {
    select(FILE);
    await b.commands.execute(CommandIDs.copyPython);
    expect(writeText).toHaveBeenLastCalledWith(`File(path_e="e://users/${USER_ID}/reads #1 \\"100%\\".fastq")`);
    expect(notes.success).toHaveBeenLastCalledWith(
      `Copied File(path_e="e://users/${USER_ID}/reads #1 \\"100%\\".fastq")`,
      { autoClose: 3000 }
    );
  });

  it('copies a Python list of File snippets for several items', async () => {
    select(FILE, `${HOME}b.txt`);
    await b.commands.execute(CommandIDs.copyPython);
    expect(writeText).toHaveBeenLastCalledWith(
      `[\n    File(path_e="e://users/${USER_ID}/reads #1 \\"100%\\".fastq"),\n    File(path_e="e://users/${USER_ID}/b.txt"),\n]`
    );
    expect(notes.success).toHaveBeenLastCalledWith('Copied 2 Python snippets', { autoClose: 3000 });
  });

  it('needs whoami for the forms that use the user id or buckets', async () => {
    const model = b.model;
    jest.spyOn(model, 'context', 'get').mockReturnValue(null);
    b.model.select(FILE);
    expect(b.commands.isEnabled(CommandIDs.copyUri)).toBe(true);
    expect(b.commands.isEnabled(CommandIDs.copyShareableUri)).toBe(false);
    expect(b.commands.isEnabled(CommandIDs.copyS3Uri)).toBe(false);
    expect(b.commands.isEnabled(CommandIDs.copyPython)).toBe(false);
  });

  describe('presigned URL', () => {
    const answer = (uri: string, limitedBy: PresignResponse['limitedBy'] = 'request'): PresignResponse => ({
      url: `https://s3.example/${encodeURIComponent(uri)}?sig`,
      expiresAt: '2026-01-03T00:00:00.000Z',
      expiresIn: 172800,
      limitedBy
    });

    it('is disabled when the selection holds a folder', () => {
      select(FILE, `${HOME}data/`);
      expect(b.commands.isEnabled(CommandIDs.copyPresignedUrl)).toBe(false);
      select(FILE, `${HOME}b.txt`);
      expect(b.commands.isEnabled(CommandIDs.copyPresignedUrl)).toBe(true);
    });

    it('refuses a folder with a clear message and asks nothing', async () => {
      await b.commands.execute(CommandIDs.copyPresignedUrl, { uri: `${HOME}data/` });
      expect(b.eos.sent(Routes.presign)).toEqual([]);
      expect(notes.warning.mock.calls[0][0]).toBe(
        `${HOME}data/ is a folder: presigned URLs are for objects only. Select files instead.`
      );
    });

    it('asks for the lifetime from the settings, capped at 7 days, and states the real expiry', async () => {
      b.eos.answer(Routes.presign, (body: { uri: string }) => answer(body.uri, 'credentials'));
      b.settings.update({ presignExpiryHours: 1000 });
      b.model.select(FILE);
      await b.commands.execute(CommandIDs.copyPresignedUrl);
      expect(b.eos.sent(Routes.presign)).toEqual([{ uri: FILE, expiresIn: MAX_PRESIGN_SECONDS }]);
      expect(writeText).toHaveBeenLastCalledWith(answer(FILE).url);
      const [message, options] = notes.success.mock.calls[0];
      expect(message).toMatch(
        /^Presigned URL copied\. Anyone with it can read the object until .+ \(48 hours; shorter: your credentials expire sooner\)\.$/
      );
      expect(options?.actions?.[0].label).toBe('Show details');
    });

    it('copies one URL per selected object', async () => {
      b.eos.answer(Routes.presign, (body: { uri: string }) => answer(body.uri));
      select(FILE, `${HOME}b.txt`);
      await b.commands.execute(CommandIDs.copyPresignedUrl);
      expect(b.eos.sent(Routes.presign)).toEqual([
        { uri: FILE, expiresIn: 172800 },
        { uri: `${HOME}b.txt`, expiresIn: 172800 }
      ]);
      expect(writeText).toHaveBeenLastCalledWith(`${answer(FILE).url}\n${answer(`${HOME}b.txt`).url}`);
    });

    it('reports a failure with its headline and details', async () => {
      b.eos.answer(
        Routes.presign,
        new EosRequestError('NoCredentials', 'No credentials in the chain', 503, 'chain: env, ini')
      );
      b.model.select(FILE);
      await b.commands.execute(CommandIDs.copyPresignedUrl);
      expect(writeText).not.toHaveBeenCalled();
      const [message, options] = notes.error.mock.calls[0];
      expect(message).toBe('Cannot create a presigned URL: No AWS credentials. No credentials in the chain');
      expect(options?.actions?.map(a => a.label)).toEqual(['Show details']);
    });
  });
});

import * as apputils from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { infoIcon, refreshIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';
import { act } from 'react';

import { Routes, StatResponse } from '../../core';
import { addCommands } from '../commands';
import { pythonSnippet } from '../commands/copy';
import { NameBody, askName, nameProblem } from '../dialogs/name';
import { Properties, propertiesBody, propertyRows } from '../dialogs/properties';
import { detailsAction, notifyError } from '../errors';
import { EosRequestError } from '../request';
import { CommandIDs } from '../tokens';
import { IBench, answerDialogs, bench, spyNotifications } from './fake-actions';
import { USER_ID, WHOAMI, folder, object } from './fake';

jest.mock('@jupyterlab/apputils', () => ({ ...jest.requireActual('@jupyterlab/apputils'), showDialog: jest.fn() }));
jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

(globalThis as any).IS_REACT_ACT_ENVIRONMENT = true;

const trans = nullTranslator.load('jupyterlab_eos');
const HOME = 'e://users/me/';
const DATA = `${HOME}data/`;
const NOTES = `${HOME}notes.txt`;
const ctx = { userId: USER_ID, orgId: WHOAMI.orgId, orgBucket: WHOAMI.orgBucket, gencoveBucket: WHOAMI.gencoveBucket };

afterEach(() => jest.restoreAllMocks());

describe('nameProblem', () => {
  it.each([
    ['', 'Enter a name.'],
    ['.', '"." cannot be used as a name.'],
    ['..', '".." cannot be used as a name.'],
    ['a/b', 'A name cannot contain "/".'],
    ['a\0b', 'A name cannot contain a NUL character.']
  ])('refuses %j', (name, problem) => {
    expect(nameProblem(name, trans)).toBe(problem);
  });

  it.each(['results', '...', ' spaced ', 'émoji 🧬', 'a.b'])('accepts %j', name => {
    expect(nameProblem(name, trans)).toBeNull();
  });
});

describe('NameBody', () => {
  it('says why the text is refused as the user types, and disables the accept button', () => {
    const host = document.createElement('div');
    host.className = 'jp-Dialog-content';
    const accept = document.createElement('button');
    accept.className = 'jp-mod-accept';
    document.body.appendChild(host);
    const body = new NameBody({ label: 'Name', value: 'ok', validate: v => nameProblem(v, trans) });
    Widget.attach(body, host);
    host.appendChild(accept);
    const problem = () => body.node.querySelector('[role="alert"]')!.textContent;
    const type = (text: string) => {
      body.input.value = text;
      body.input.dispatchEvent(new Event('input'));
    };
    type('a/b');
    expect(problem()).toBe('A name cannot contain "/".');
    expect(body.input.getAttribute('aria-invalid')).toBe('true');
    expect(accept.disabled).toBe(true);
    type('fine');
    expect(problem()).toBe('');
    expect(accept.disabled).toBe(false);
    expect(body.getValue()).toBe('fine');
    Widget.detach(body);
    host.remove();
  });

  it('says nothing before the user types, though an empty or unchanged name cannot be accepted', () => {
    const host = document.createElement('div');
    host.className = 'jp-Dialog-content';
    const accept = document.createElement('button');
    accept.className = 'jp-mod-accept';
    host.appendChild(accept);
    document.body.appendChild(host);
    const body = new NameBody({ label: 'Name', value: '', validate: v => nameProblem(v, trans) });
    Widget.attach(body, host);
    expect(body.node.querySelector('[role="alert"]')!.textContent).toBe('');
    expect(body.input.getAttribute('aria-invalid')).toBe('false');
    expect(accept.disabled).toBe(true);
    body.input.value = 'x';
    body.input.dispatchEvent(new Event('input'));
    body.input.value = '';
    body.input.dispatchEvent(new Event('input'));
    expect(body.node.querySelector('[role="alert"]')!.textContent).toBe('Enter a name.');
    Widget.detach(body);
    host.remove();
  });
});

describe('askName', () => {
  it('asks again, showing the reason, until the name is valid', async () => {
    const dialog = answerDialogs({ accept: true, value: '..' }, { accept: true, value: 'ok' });
    const name = await askName({
      title: 'T',
      label: 'L',
      value: '',
      accept: 'Create',
      validate: v => nameProblem(v, trans),
      trans
    });
    expect(name).toBe('ok');
    expect(dialog).toHaveBeenCalledTimes(2);
    const second = dialog.mock.calls[1][0].body as NameBody;
    expect(second.input.value).toBe('..');
    expect(second.node.textContent).toContain('".." cannot be used as a name.');
  });

  it('answers null when cancelled', async () => {
    answerDialogs({ accept: false });
    expect(await askName({ title: 'T', label: 'L', value: 'x', accept: 'OK', validate: () => null, trans })).toBeNull();
  });
});

describe('the rename dialog', () => {
  let b: IBench;
  beforeEach(async () => {
    b = await bench({ [HOME]: [folder(HOME, 'data'), object(HOME, 'notes.txt')] });
    spyNotifications();
  });
  afterEach(() => b.model.dispose());

  /** Open the rename dialog of `uri` and return what it says of each text. */
  const problems = async (uri: string, texts: string[]) => {
    const dialog = answerDialogs({ accept: false });
    await b.commands.execute(CommandIDs.rename, { uri });
    const body = dialog.mock.calls[0][0].body as NameBody;
    return texts.map(text => {
      body.input.value = text;
      body.handleEvent(new Event('input'));
      return body.node.querySelector('[role="alert"]')!.textContent;
    });
  };

  it('starts with the name, the extension left out of the selection', async () => {
    const dialog = answerDialogs({ accept: false });
    await b.commands.execute(CommandIDs.rename, { uri: NOTES });
    const body = dialog.mock.calls[0][0].body as NameBody;
    expect(body.input.value).toBe('notes.txt');
    expect(dialog.mock.calls[0][0].title).toBe('Rename File');
    // The unchanged name is no error until the user types.
    expect(body.node.querySelector('[role="alert"]')!.textContent).toBe('');
  });

  it('accepts new names and e:// or s3:// locations, and says why others are refused', async () => {
    expect(
      await problems(DATA, [
        'results',
        'data',
        'a/b',
        'e://org/',
        `s3://${WHOAMI.orgBucket}/shared/files/x/`,
        'e://gencove/x',
        'e://nowhere/x',
        `${DATA}inner/`,
        HOME,
        'e://org'
      ])
    ).toEqual([
      '',
      'Type a new name.',
      'A name cannot contain "/".',
      '',
      '',
      'e://gencove/x is read-only.',
      "Invalid namespace 'nowhere'. Valid namespaces are: users, org, gencove",
      'A folder cannot be moved into itself.',
      'data is already there.',
      '' // e://org is the organization's root: the folder moves into it
    ]);
  });
});

describe('properties', () => {
  const stat: StatResponse = {
    kind: 'object',
    name: 'a "b".txt',
    uri: `${HOME}a "b".txt`,
    access: 'readwrite',
    size: 1234567,
    modified: '2026-01-02T03:04:05.000Z',
    storageClass: 'DEEP_ARCHIVE',
    etag: '"abc"',
    contentType: 'text/plain',
    contentEncoding: 'gzip',
    cacheControl: 'no-cache',
    metadata: { origin: 'lab' },
    restore: 'ongoing-request="true"'
  };

  it('lists every detail and every URI form', () => {
    const rows = propertyRows(stat, ctx, pythonSnippet, trans);
    const byLabel = Object.fromEntries(rows.map(r => [r.label, r]));
    expect(byLabel['Size'].value).toBe(`${(1234567).toLocaleString()} bytes`);
    expect(byLabel['Size'].note).toBe('1.2 MB');
    expect(byLabel['Storage class'].note).toBe('Archived: the object must be restored before it can be read.');
    expect(byLabel['Restore status'].value).toBe('ongoing-request="true"');
    expect(byLabel['ETag'].value).toBe('"abc"');
    expect(byLabel['Content type'].value).toBe('text/plain');
    expect(byLabel['Content encoding'].value).toBe('gzip');
    expect(byLabel['Cache control'].value).toBe('no-cache');
    expect(byLabel['Metadata: origin'].value).toBe('lab');
    expect(byLabel['Modified'].note).toBe(stat.modified);
    expect(byLabel['EOS URI'].value).toBe(stat.uri);
    expect(byLabel['Shareable URI'].value).toBe(`e://users/${USER_ID}/a "b".txt`);
    expect(byLabel['S3 URI'].value).toBe(`s3://${WHOAMI.orgBucket}/users/${USER_ID}/files/a "b".txt`);
    expect(byLabel['Python'].value).toBe(`File(path_e="e://users/${USER_ID}/a \\"b\\".txt")`);
    expect(rows.filter(r => r.copy).map(r => r.label)).toEqual(
      expect.arrayContaining(['EOS URI', 'Shareable URI', 'S3 URI', 'Python', 'ETag'])
    );
  });

  it('renders a table whose buttons copy each value', async () => {
    const copy = jest.fn();
    const rows = propertyRows(stat, ctx, pythonSnippet, trans);
    const widget = propertiesBody({ rows, copy, trans });
    await act(async () => {
      Widget.attach(widget, document.body);
      widget.update();
      await new Promise(resolve => requestAnimationFrame(() => resolve(undefined)));
    });
    const button = widget.node.querySelector<HTMLButtonElement>('button[aria-label="Copy S3 URI"]')!;
    expect(button).not.toBeNull();
    await act(async () => button.click());
    expect(copy).toHaveBeenCalledWith(`s3://${WHOAMI.orgBucket}/users/${USER_ID}/files/a "b".txt`, 'S3 URI');
    expect(widget.node.querySelectorAll('tr').length).toBe(rows.length);
    await act(async () => Widget.detach(widget));
    expect(Properties).toBeInstanceOf(Function);
  });

  it('is a command reading stat for one item', async () => {
    const b = await bench({ [HOME]: [object(HOME, 'notes.txt')] });
    const notes = spyNotifications();
    expect(b.commands.icon(CommandIDs.properties)).toBe(infoIcon);
    expect(b.commands.isEnabled(CommandIDs.properties)).toBe(false);
    b.model.select(NOTES);
    expect(b.commands.isEnabled(CommandIDs.properties)).toBe(true);
    b.eos.answer(Routes.stat, { ...stat, uri: NOTES, name: 'notes.txt' });
    const dialog = answerDialogs({ accept: true });
    await b.commands.execute(CommandIDs.properties);
    expect(b.eos.sent(Routes.stat)).toEqual([{ uri: NOTES }]);
    expect(dialog.mock.calls[0][0].title).toBe('Properties of notes.txt');
    b.eos.answer(Routes.stat, new EosRequestError('NotFound', 'No such object', 404));
    await b.commands.execute(CommandIDs.properties);
    expect(notes.error.mock.calls[0][0]).toBe('Cannot read the properties: Not found. No such object');
    b.model.dispose();
  });
});

describe('refresh all and go to', () => {
  it('refreshes through refreshAll when the model has it, else every root', async () => {
    const b = await bench({});
    expect(b.commands.icon(CommandIDs.refreshAll)).toBe(refreshIcon);
    expect(b.commands.isEnabled(CommandIDs.refreshAll)).toBe(true);
    const before = b.eos.listed().length;
    await b.commands.execute(CommandIDs.refreshAll);
    expect(b.eos.listed().slice(before).sort()).toEqual(['e://gencove/', 'e://org/', HOME]);
    const refreshAll = jest.fn().mockResolvedValue(undefined);
    (b.model as any).refreshAll = refreshAll;
    await b.commands.execute(CommandIDs.refreshAll);
    expect(refreshAll).toHaveBeenCalled();
    b.model.dispose();
  });

  it('activates the panel and focuses its path bar', async () => {
    const b = await bench({});
    const panel = new Widget();
    panel.id = 'eos-browser';
    const focusPathBar = jest.fn();
    (panel as any).focusPathBar = focusPathBar;
    const activateById = jest.fn();
    const { CommandRegistry } = await import('@lumino/commands');
    const commands = new CommandRegistry();
    addCommands(commands, b.model, trans, { shell: { activateById }, panel });
    expect(commands.isEnabled(CommandIDs.goTo)).toBe(true);
    await commands.execute(CommandIDs.goTo);
    expect(activateById).toHaveBeenCalledWith('eos-browser');
    expect(focusPathBar).toHaveBeenCalled();
    expect(b.commands.isEnabled(CommandIDs.goTo)).toBe(false);
    b.model.dispose();
  });
});

describe('error notifications', () => {
  it('carry the headline and a "Show details" action that opens the details', async () => {
    const error = jest.spyOn(apputils.Notification, 'error').mockReturnValue('id');
    notifyError(new EosRequestError('Upstream', 'S3 timed out', 502, 'after 3 retries'), trans, 'Cannot delete');
    const [message, options] = error.mock.calls[0];
    expect(message).toBe('Cannot delete: EOS service unavailable. S3 timed out');
    const dialog = answerDialogs({ accept: true });
    const preventDefault = jest.fn();
    options!.actions![0].callback({ preventDefault } as unknown as MouseEvent);
    expect(preventDefault).toHaveBeenCalled();
    expect(dialog.mock.calls[0][0].title).toBe('Cannot delete: EOS service unavailable');
    expect((dialog.mock.calls[0][0].body as Widget).node.textContent).toBe('S3 timed out\n\nafter 3 retries');
  });

  it('are not shown for aborted requests', () => {
    const error = jest.spyOn(apputils.Notification, 'error').mockReturnValue('id');
    expect(notifyError(EosRequestError.abort(), trans)).toBeNull();
    expect(error).not.toHaveBeenCalled();
    expect(detailsAction('t', () => 'x', trans).label).toBe('Show details');
  });
});

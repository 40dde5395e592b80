import { nullTranslator } from '@jupyterlab/translation';
import { linkIcon } from '@jupyterlab/ui-components';

import { Routes } from '../../core';
import { ImportBody, importProblem, urlLines } from '../dialogs/importurl';
import { CommandIDs } from '../tokens';
import { IBench, answerDialogs, bench, job, spyNotifications } from './fake-actions';
import { folder, object } from './fake';

jest.mock('@jupyterlab/apputils', () => ({ ...jest.requireActual('@jupyterlab/apputils'), showDialog: jest.fn() }));
jest.mock('../request', () => ({ ...jest.requireActual('../request'), requestAPI: jest.fn() }));

const trans = nullTranslator.load('jupyterlab_eos');
const HOME = 'e://users/me/';
const REFS = `${HOME}refs/`;
const GENCOVE = 'e://gencove/';
const URL_A = 'https://data.example.org/GRCh38/genome.fa.gz';

let b: IBench;
let notes: ReturnType<typeof spyNotifications>;

beforeEach(async () => {
  b = await bench({
    [HOME]: [folder(HOME, 'refs'), object(HOME, 'notes.txt', 5)],
    [GENCOVE]: [object(GENCOVE, 'readme.txt', 3, 'read')]
  });
  notes = spyNotifications();
});

afterEach(() => {
  jest.restoreAllMocks();
  b.model.dispose();
});

describe('the Import from URL dialog', () => {
  it('takes http(s) URLs one a line, and a name for one URL only', () => {
    expect(urlLines(` ${URL_A} \n\n http://h.org/b.vcf\r\n`)).toEqual([URL_A, 'http://h.org/b.vcf']);
    expect(importProblem({ urls: [] }, trans)).toBe('Enter a URL.');
    expect(importProblem({ urls: ['ftp://h.org/a'] }, trans)).toBe('Not an http:// or https:// URL: ftp://h.org/a');
    expect(importProblem({ urls: ['h.org/a'] }, trans)).toBe('Not an http:// or https:// URL: h.org/a');
    expect(importProblem({ urls: [URL_A, URL_A], name: 'x' }, trans)).toBe('A name can be given to one URL only.');
    expect(importProblem({ urls: [URL_A], name: 'a/b' }, trans)).toBe('A name cannot contain "/".');
    expect(importProblem({ urls: [URL_A], name: 'ref.fa.gz' }, trans)).toBeNull();
  });

  it('gives the URLs typed, and the name only when one is typed', () => {
    const body = new ImportBody(trans, REFS);
    body.input.value = `${URL_A}\n`;
    expect(body.getValue()).toEqual({ urls: [URL_A] });
    body.node.querySelector<HTMLInputElement>('input')!.value = ' ref.fa.gz ';
    expect(body.getValue()).toEqual({ urls: [URL_A], name: 'ref.fa.gz' });
    body.dispose();
  });
});

describe('eos:import-url', () => {
  it('is offered in a writable folder only, with a label and an icon', () => {
    expect(b.commands.label(CommandIDs.importUrl)).toBe('Import from URL…');
    expect(b.commands.icon(CommandIDs.importUrl)).toBe(linkIcon);
    b.model.select(REFS);
    expect(b.commands.isEnabled(CommandIDs.importUrl)).toBe(true);
    expect(b.commands.isEnabled(CommandIDs.importUrl, { uri: GENCOVE })).toBe(false);
    expect(b.commands.isEnabled(CommandIDs.importUrl, { uri: `${GENCOVE}readme.txt` })).toBe(false);
  });

  it('starts one import job into the folder, asking about conflicts, and follows it to its end', async () => {
    const running = job('i1', 'running', { kind: 'import', objects: { done: 0, total: 1 } });
    b.eos.answer(Routes.importUrls, running);
    b.eos.answer(Routes.job, { ...running, state: 'done', objects: { done: 1, total: 1 } });
    const dialog = answerDialogs({ accept: true, value: { urls: [URL_A], name: 'ref.fa.gz' } });
    await b.commands.execute(CommandIDs.importUrl, { uri: REFS });
    expect(dialog.mock.calls[0][0].title).toBe('Import from URL');
    expect(b.eos.sent(Routes.importUrls)).toEqual([
      { urls: [URL_A], destination: REFS, name: 'ref.fa.gz', conflict: 'ask' }
    ]);
    expect(notes.update).toHaveBeenLastCalledWith(
      expect.objectContaining({ id: 'job-note', message: `Imported ref.fa.gz to ${REFS}`, type: 'success' })
    );
  });

  it('sends nothing when the dialog is cancelled', async () => {
    answerDialogs({ accept: false });
    await b.commands.execute(CommandIDs.importUrl, { uri: REFS });
    expect(b.eos.sent(Routes.importUrls)).toEqual([]);
  });
});
